// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMap>
#include <QProcessEnvironment>
#include <QString>
#include <QUrl>

#include <optional>

namespace agentbay::client {

// An AgentBay gateway users pick by name.
struct Gateway
{
    QString id;   // "shanghai"
    QString name; // "AgentBay Shanghai"
    QString host; // "wuyingai.cn-shanghai.aliyuncs.com"
};

// Where and as whom the client talks.
struct ClientConfig
{
    QUrl endpoint;
    QString apiKey;
    QString regionId; // sent as LoginRegionId on create when set
    int requestTimeoutMs = 60000;
    // The backend offers the local sandbox's streamed run output (it said so when it started);
    // run_code then asks for it. AgentBay itself never does.
    bool streamOutput = false;

    static constexpr char DefaultEndpoint[] = "wuyingai.cn-shanghai.aliyuncs.com";

    static QList<Gateway> gateways();
    // A gateway id ("shanghai", "singapore"), a bare host (optionally host:port: HTTPS, like
    // the SDKs) or a full http(s) URL (that is how the local sandbox is reached). Invalid input
    // gives an invalid QUrl.
    static QUrl endpointFromString(const QString &text);
};

// Where a configured value came from, so the UI can say "from the environment".
enum class ConfigSource { Default, DotEnv, Environment, Explicit };

// Values given on a command line or in the settings dialog: they win over everything else.
struct ConfigOverrides
{
    std::optional<QString> apiKey;
    std::optional<QString> endpoint;
    std::optional<QString> regionId;
    std::optional<int> timeoutMs;
    QString envFile; // a .env to read instead of searching upward
};

struct ResolvedConfig
{
    ClientConfig config;
    QMap<QString, ConfigSource> sources; // "apiKey", "endpoint", "regionId", "timeoutMs"
    QString dotEnvPath;                  // the .env that was read, if any
    QStringList problems;                // values that were present but unusable
    ConfigSource sourceOf(const QString &key) const
    {
        return sources.value(key, ConfigSource::Default);
    }
};

// The SDKs' configuration rules: AGENTBAY_API_KEY, AGENTBAY_ENDPOINT, AGENTBAY_TIMEOUT_MS,
// AGENTBAY_REGION_ID; explicit values first, then the environment, then the first .env found
// searching upward from startDirectory, then defaults. An existing environment variable is never
// overridden by .env; an empty endpoint or a timeout <= 0 counts as not given.
namespace ConfigResolver {
ResolvedConfig resolve(const ConfigOverrides &overrides, const QProcessEnvironment &environment,
                       const QString &startDirectory);
QString findDotEnv(const QString &startDirectory);
// KEY=VALUE lines; '#' comments, `export ` prefixes and surrounding quotes are accepted.
QMap<QString, QString> readDotEnv(const QString &path);
} // namespace ConfigResolver

} // namespace agentbay::client
