// SPDX-License-Identifier: GPL-3.0-or-later
// Endpoints are read like the SDKs: a bare host means HTTPS; a full URL is taken as given.
#include "client/clientconfig.h"

#include <QTest>

using agentbay::client::ClientConfig;

class TestClientConfig final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void endpointFromString_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bare host") << "wuyingai.cn-shanghai.aliyuncs.com"
                                   << "https://wuyingai.cn-shanghai.aliyuncs.com/";
        QTest::newRow("host:port") << "127.0.0.1:8443"
                                   << "https://127.0.0.1:8443/";
        QTest::newRow("http url") << "http://127.0.0.1:40000"
                                  << "http://127.0.0.1:40000/";
        QTest::newRow("https url with path") << " https://example.com/x "
                                             << "https://example.com/";
        QTest::newRow("empty") << ""
                               << "";
        QTest::newRow("ftp") << "ftp://example.com"
                             << "";
        QTest::newRow("garbage") << "http://"
                                 << "";
    }

    void endpointFromString()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const QUrl url = ClientConfig::endpointFromString(text);
        QCOMPARE(url.isValid() ? url.toString() : QString(), expected);
    }
};

QTEST_GUILESS_MAIN(TestClientConfig)
#include "tst_clientconfig.moc"
