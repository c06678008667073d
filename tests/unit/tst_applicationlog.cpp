// SPDX-License-Identifier: GPL-3.0-or-later
// The log never holds an API key or a bearer token, and it lands in the app's data location.
#include "workspace/applicationlog.h"

#include <QFile>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QTest>

namespace ApplicationLog = agentbay::workspace::ApplicationLog;

Q_LOGGING_CATEGORY(lcLogTest, "agentbay.test.log")

class TestApplicationLog final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void redact_masksKeysAndTokens_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("key") << "using akm-local-0123456789abcdef now"
                             << "using akm-loca*** now";
        QTest::newRow("bearer") << "Authorization: Bearer s3cr3t-token"
                                << "Authorization: Bearer ***";
        QTest::newRow("form bearer") << "Authorization=Bearer%20xyz&Name=run_code"
                                     << "Authorization=Bearer%20***";
        QTest::newRow("python form") << "Authorization=Bearer+akm-capture-test-key"
                                     << "Authorization=Bearer+***";
        QTest::newRow("clean") << "nothing secret here"
                               << "nothing secret here";
    }

    void redact_masksKeysAndTokens()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(ApplicationLog::redact(input), expected);
    }

    void install_writesRedactedLinesToTheLogFile()
    {
        const QString path = ApplicationLog::install(QStringLiteral("tst-applicationlog"));
        QVERIFY(!path.isEmpty());
        QVERIFY2(path.contains(QLatin1String("qttest")), qPrintable(path));
        qCWarning(lcLogTest) << "key akm-local-feedfacefeedface leaked?";
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("agentbay.test.log"));
        QVERIFY(text.contains("akm-loca***"));
        QVERIFY(!text.contains("feedfacefeedface"));
        file.close();
        QFile::remove(path);
    }
};

QTEST_GUILESS_MAIN(TestApplicationLog)
#include "tst_applicationlog.moc"
