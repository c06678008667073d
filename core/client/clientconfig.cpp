// SPDX-License-Identifier: GPL-3.0-or-later
#include "clientconfig.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace agentbay::client {

QList<Gateway> ClientConfig::gateways()
{
    return {{QStringLiteral("shanghai"),
             QCoreApplication::translate("ClientConfig", "AgentBay Shanghai"),
             QStringLiteral("wuyingai.cn-shanghai.aliyuncs.com")},
            {QStringLiteral("singapore"),
             QCoreApplication::translate("ClientConfig", "AgentBay Singapore"),
             QStringLiteral("wuyingai.ap-southeast-1.aliyuncs.com")}};
}

QUrl ClientConfig::endpointFromString(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {};
    for (const Gateway &gateway : gateways()) {
        if (trimmed.compare(gateway.id, Qt::CaseInsensitive) == 0)
            return QUrl(QStringLiteral("https://") + gateway.host + QLatin1Char('/'));
    }
    QUrl url;
    if (trimmed.contains(QLatin1String("://")))
        url = QUrl(trimmed, QUrl::StrictMode);
    else
        url = QUrl(QStringLiteral("https://") + trimmed, QUrl::StrictMode);
    const bool schemeOk = url.scheme() == QLatin1String("https")
                          || url.scheme() == QLatin1String("http");
    if (!url.isValid() || !schemeOk || url.host().isEmpty())
        return {};
    url.setPath(QStringLiteral("/"));
    return url;
}

namespace ConfigResolver {

QString findDotEnv(const QString &startDirectory)
{
    QDir directory(startDirectory.isEmpty() ? QDir::currentPath() : startDirectory);
    while (true) {
        const QFileInfo candidate(directory.filePath(QStringLiteral(".env")));
        if (candidate.isFile() && candidate.isReadable())
            return candidate.absoluteFilePath();
        if (!directory.cdUp())
            return {};
    }
}

QMap<QString, QString> readDotEnv(const QString &path)
{
    QMap<QString, QString> values;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return values;
    while (!file.atEnd()) {
        QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        if (line.startsWith(QLatin1String("export ")))
            line = line.mid(7).trimmed();
        const qsizetype equals = line.indexOf(QLatin1Char('='));
        if (equals <= 0)
            continue;
        const QString key = line.left(equals).trimmed();
        QString value = line.mid(equals + 1).trimmed();
        const bool quoted = value.size() >= 2
                            && ((value.startsWith(QLatin1Char('"'))
                                 && value.endsWith(QLatin1Char('"')))
                                || (value.startsWith(QLatin1Char('\''))
                                    && value.endsWith(QLatin1Char('\''))));
        if (quoted)
            value = value.mid(1, value.size() - 2);
        else if (const qsizetype hash = value.indexOf(QLatin1String(" #")); hash >= 0)
            value = value.left(hash).trimmed();
        values.insert(key, value);
    }
    return values;
}

ResolvedConfig resolve(const ConfigOverrides &overrides, const QProcessEnvironment &environment,
                       const QString &startDirectory)
{
    ResolvedConfig resolved;
    resolved.dotEnvPath = overrides.envFile.isEmpty() ? findDotEnv(startDirectory)
                                                      : overrides.envFile;
    const QMap<QString, QString> dotEnv = resolved.dotEnvPath.isEmpty()
                                                  ? QMap<QString, QString>()
                                                  : readDotEnv(resolved.dotEnvPath);

    // The first usable value of explicit, environment, .env; empty counts as absent.
    const auto pick = [&](const QString &key, const std::optional<QString> &explicitValue,
                          const QString &variable) -> std::optional<QString> {
        if (explicitValue && !explicitValue->trimmed().isEmpty()) {
            resolved.sources.insert(key, ConfigSource::Explicit);
            return explicitValue->trimmed();
        }
        const QString fromEnvironment = environment.value(variable).trimmed();
        if (!fromEnvironment.isEmpty()) {
            resolved.sources.insert(key, ConfigSource::Environment);
            return fromEnvironment;
        }
        const QString fromDotEnv = dotEnv.value(variable).trimmed();
        if (!fromDotEnv.isEmpty()) {
            resolved.sources.insert(key, ConfigSource::DotEnv);
            return fromDotEnv;
        }
        return std::nullopt;
    };

    ClientConfig &config = resolved.config;
    config.apiKey = pick(QStringLiteral("apiKey"), overrides.apiKey,
                         QStringLiteral("AGENTBAY_API_KEY"))
                            .value_or(QString());
    config.regionId = pick(QStringLiteral("regionId"), overrides.regionId,
                           QStringLiteral("AGENTBAY_REGION_ID"))
                              .value_or(QString());
    const auto endpoint = pick(QStringLiteral("endpoint"), overrides.endpoint,
                               QStringLiteral("AGENTBAY_ENDPOINT"));
    config.endpoint = ClientConfig::endpointFromString(
            endpoint.value_or(QString::fromLatin1(ClientConfig::DefaultEndpoint)));
    if (endpoint && !config.endpoint.isValid()) {
        resolved.problems.append(
                QCoreApplication::translate("ConfigResolver",
                                            "the endpoint '%1' is not a host or an http(s) URL")
                        .arg(*endpoint));
    }

    std::optional<QString> timeout;
    if (overrides.timeoutMs && *overrides.timeoutMs > 0)
        timeout = QString::number(*overrides.timeoutMs);
    timeout = pick(QStringLiteral("timeoutMs"), timeout, QStringLiteral("AGENTBAY_TIMEOUT_MS"));
    if (timeout) {
        bool ok = false;
        const int value = timeout->toInt(&ok);
        if (ok && value > 0) {
            config.requestTimeoutMs = value;
        } else {
            resolved.sources.remove(QStringLiteral("timeoutMs"));
            resolved.problems.append(
                    QCoreApplication::translate("ConfigResolver",
                                                "AGENTBAY_TIMEOUT_MS must be a positive number of "
                                                "milliseconds, not '%1'")
                            .arg(*timeout));
        }
    }
    return resolved;
}

} // namespace ConfigResolver
} // namespace agentbay::client
