// SPDX-License-Identifier: GPL-3.0-or-later
// Configuration is read like the SDKs: explicit values, then the environment, then the first
// .env found upward, then defaults; endpoints as gateway names, bare hosts (HTTPS) or URLs.
#include "client/clientconfig.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using agentbay::client::ClientConfig;
using agentbay::client::ConfigOverrides;
using agentbay::client::ConfigSource;
namespace ConfigResolver = agentbay::client::ConfigResolver;

namespace {
void writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}
} // namespace

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
        QTest::newRow("gateway shanghai") << "shanghai"
                                          << "https://wuyingai.cn-shanghai.aliyuncs.com/";
        QTest::newRow("gateway Singapore") << "Singapore"
                                           << "https://wuyingai.ap-southeast-1.aliyuncs.com/";
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

    void resolve_defaultsWithNothingConfigured()
    {
        QTemporaryDir dir;
        const auto resolved = ConfigResolver::resolve({}, QProcessEnvironment(), dir.path());
        QCOMPARE(resolved.config.endpoint.toString(),
                 QStringLiteral("https://wuyingai.cn-shanghai.aliyuncs.com/"));
        QCOMPARE(resolved.sourceOf(QStringLiteral("endpoint")), ConfigSource::Default);
        QCOMPARE(resolved.config.requestTimeoutMs, 60000);
        QVERIFY(resolved.config.apiKey.isEmpty());
    }

    void resolve_explicitBeatsEnvironmentBeatsDotEnv()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("a/b/c")));
        writeFile(dir.filePath(QStringLiteral(".env")),
                  "# keys for the playground\n"
                  "export AGENTBAY_API_KEY=\"akm-from-dotenv\"\n"
                  "AGENTBAY_ENDPOINT=singapore\n"
                  "AGENTBAY_REGION_ID='cn-hangzhou'  \n"
                  "AGENTBAY_TIMEOUT_MS=15000 # fifteen seconds\n");
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("AGENTBAY_ENDPOINT"),
                           QStringLiteral("http://127.0.0.1:9"));
        ConfigOverrides overrides;
        overrides.regionId = QStringLiteral("ap-southeast-1");

        // Searched upward from a nested directory.
        const auto resolved = ConfigResolver::resolve(overrides, environment,
                                                      dir.filePath(QStringLiteral("a/b/c")));
        QCOMPARE(resolved.dotEnvPath,
                 QFileInfo(dir.filePath(QStringLiteral(".env"))).absoluteFilePath());
        QCOMPARE(resolved.config.apiKey, QStringLiteral("akm-from-dotenv"));
        QCOMPARE(resolved.sourceOf(QStringLiteral("apiKey")), ConfigSource::DotEnv);
        QCOMPARE(resolved.config.endpoint.toString(), QStringLiteral("http://127.0.0.1:9/"));
        QCOMPARE(resolved.sourceOf(QStringLiteral("endpoint")), ConfigSource::Environment);
        QCOMPARE(resolved.config.regionId, QStringLiteral("ap-southeast-1"));
        QCOMPARE(resolved.sourceOf(QStringLiteral("regionId")), ConfigSource::Explicit);
        QCOMPARE(resolved.config.requestTimeoutMs, 15000);
        QVERIFY(resolved.problems.isEmpty());
    }

    void resolve_emptyAndNonPositiveValuesCountAsNotGiven()
    {
        QTemporaryDir dir;
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("AGENTBAY_ENDPOINT"), QStringLiteral("  "));
        environment.insert(QStringLiteral("AGENTBAY_TIMEOUT_MS"), QStringLiteral("-5"));
        const auto resolved = ConfigResolver::resolve({}, environment, dir.path());
        QCOMPARE(resolved.sourceOf(QStringLiteral("endpoint")), ConfigSource::Default);
        QCOMPARE(resolved.config.requestTimeoutMs, 60000);
        QCOMPARE(resolved.problems.size(), 1);
        QVERIFY(resolved.problems.first().contains(QLatin1String("AGENTBAY_TIMEOUT_MS")));
    }

    void resolve_badEndpointIsReportedNotGuessed()
    {
        QTemporaryDir dir;
        ConfigOverrides overrides;
        overrides.endpoint = QStringLiteral("ftp://nope");
        const auto resolved = ConfigResolver::resolve(overrides, QProcessEnvironment(), dir.path());
        QVERIFY(!resolved.config.endpoint.isValid());
        QCOMPARE(resolved.problems.size(), 1);
    }

    void resolve_explicitEnvFileIsReadInsteadOfSearching()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("custom.env")), "AGENTBAY_API_KEY=akm-custom\n");
        ConfigOverrides overrides;
        overrides.envFile = dir.filePath(QStringLiteral("custom.env"));
        const auto resolved = ConfigResolver::resolve(overrides, QProcessEnvironment(),
                                                      QDir::rootPath());
        QCOMPARE(resolved.config.apiKey, QStringLiteral("akm-custom"));
    }
};

QTEST_GUILESS_MAIN(TestClientConfig)
#include "tst_clientconfig.moc"
