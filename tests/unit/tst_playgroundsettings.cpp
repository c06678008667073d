// SPDX-License-Identifier: GPL-3.0-or-later
// The settings facade validates values, stores enums by name and signals only real changes.
#include "workspace/playgroundsettings.h"

#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using agentbay::workspace::PlaygroundSettings;

class TestPlaygroundSettings final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path() const { return m_dir.filePath(QStringLiteral("settings.ini")); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    // Qt clears the guard after each test function, so it is set again before each one.
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }

    void cleanup() { QFile::remove(path()); }

    void defaults_arePythonAndThirtySeconds()
    {
        PlaygroundSettings settings(path());
        QCOMPARE(settings.defaultLanguage(), QStringLiteral("python"));
        QCOMPARE(settings.defaultTimeoutSeconds(), 30);
        QCOMPARE(settings.fileName(), path());
    }

    void defaultPath_isUnderTheTestModeConfigLocation()
    {
        PlaygroundSettings settings;
        QVERIFY2(settings.fileName().contains(QLatin1String("qttest")),
                 qPrintable(settings.fileName()));
    }

    void setLanguage_storesCanonicalNameAndSignalsOnce()
    {
        PlaygroundSettings settings(path());
        QSignalSpy spy(&settings, &PlaygroundSettings::defaultLanguageChanged);
        settings.setDefaultLanguage(QStringLiteral(" JS "));
        settings.setDefaultLanguage(QStringLiteral("javascript")); // no change: no signal
        settings.setDefaultLanguage(QStringLiteral("ruby"));       // refused: no signal
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.first().first().toString(), QStringLiteral("javascript"));
        settings.sync();
        QSettings raw(path(), QSettings::IniFormat);
        QCOMPARE(raw.value(QStringLiteral("run/defaultLanguage")).toString(),
                 QStringLiteral("javascript"));
    }

    void setTimeout_clampsToTheGatewayLimit()
    {
        PlaygroundSettings settings(path());
        QSignalSpy spy(&settings, &PlaygroundSettings::defaultTimeoutSecondsChanged);
        settings.setDefaultTimeoutSeconds(600);
        QCOMPARE(settings.defaultTimeoutSeconds(), 60);
        settings.setDefaultTimeoutSeconds(60);
        settings.setDefaultTimeoutSeconds(0);
        QCOMPARE(settings.defaultTimeoutSeconds(), 1);
        QCOMPARE(spy.count(), 2);
    }

    void corruptValues_fallBackToDefaults()
    {
        {
            QSettings raw(path(), QSettings::IniFormat);
            raw.setValue(QStringLiteral("run/defaultLanguage"), QStringLiteral("cobol"));
            raw.setValue(QStringLiteral("run/defaultTimeoutSeconds"), QStringLiteral("soon"));
        }
        PlaygroundSettings settings(path());
        QCOMPARE(settings.defaultLanguage(), QStringLiteral("python"));
        QCOMPARE(settings.defaultTimeoutSeconds(), 30);
    }

    void editorAssist_isOnByDefault_andSignalsOnceAChange()
    {
        PlaygroundSettings settings(path());
        QVERIFY(settings.autoComplete());
        QVERIFY(settings.lintWhileTyping());
        QSignalSpy changed(&settings, &PlaygroundSettings::editorAssistChanged);
        settings.setAutoComplete(false);
        settings.setAutoComplete(false);
        settings.setLintWhileTyping(false);
        QCOMPARE(changed.size(), 2);
        settings.sync();
        PlaygroundSettings again(path());
        QVERIFY(!again.autoComplete());
        QVERIFY(!again.lintWhileTyping());
    }

    void values_persistAcrossInstances()
    {
        {
            PlaygroundSettings settings(path());
            settings.setDefaultTimeoutSeconds(12);
            settings.setWindowGeometry(QByteArrayLiteral("geometry-bytes"));
            settings.sync();
        }
        PlaygroundSettings settings(path());
        QCOMPARE(settings.defaultTimeoutSeconds(), 12);
        QCOMPARE(settings.windowGeometry(), QByteArrayLiteral("geometry-bytes"));
    }
};

QTEST_GUILESS_MAIN(TestPlaygroundSettings)
#include "tst_playgroundsettings.moc"
