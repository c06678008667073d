// SPDX-License-Identifier: GPL-3.0-or-later
#include "profiles.h"

#include "agentbayclient.h"
#include "backend.h"
#include "localsandboxlauncher.h"

#include <QCoreApplication>
#include <QTimer>

namespace agentbay::client {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("agentbay::client::Profiles", text);
}
} // namespace

namespace Profiles {

QList<Profile> all()
{
    QList<Profile> profiles{{QStringLiteral("local"), tr("Local sandbox"), true, {}}};
    for (const Gateway &gateway : ClientConfig::gateways())
        profiles.append({gateway.id, gateway.name, false, gateway.host});
    profiles.append({QStringLiteral("custom"), tr("Custom endpoint"), false, {}});
    return profiles;
}

Profile byId(const QString &id)
{
    const QList<Profile> profiles = all();
    for (const Profile &profile : profiles) {
        if (profile.id == id)
            return profile;
    }
    return profiles.constFirst();
}

QString consoleUrl()
{
    return QStringLiteral("https://agentbay.console.aliyun.com/");
}

ProfileConfig resolve(const QString &profileId, const QString &storedEndpoint,
                      const QString &storedRegion, const QString &storedApiKey,
                      const QProcessEnvironment &environment, const QString &startDirectory)
{
    const Profile profile = byId(profileId);
    ProfileConfig out;
    ConfigOverrides overrides;
    if (!profile.isLocal && profile.id != QLatin1String("custom"))
        overrides.endpoint = profile.gatewayHost; // the gateway is the profile
    out.resolved = ConfigResolver::resolve(overrides, environment, startDirectory);
    ResolvedConfig &resolved = out.resolved;
    if (profile.id != QLatin1String("custom"))
        resolved.sources.insert(QStringLiteral("endpoint"), ConfigSource::Default);
    // Stored values fill what the environment did not set.
    if (resolved.sourceOf(QStringLiteral("apiKey")) == ConfigSource::Default
        && !storedApiKey.isEmpty()) {
        resolved.config.apiKey = storedApiKey;
        resolved.sources.insert(QStringLiteral("apiKey"), ConfigSource::Explicit);
    }
    if (resolved.sourceOf(QStringLiteral("regionId")) == ConfigSource::Default
        && !storedRegion.isEmpty()) {
        resolved.config.regionId = storedRegion;
        resolved.sources.insert(QStringLiteral("regionId"), ConfigSource::Explicit);
    }
    if (profile.id == QLatin1String("custom")
        && resolved.sourceOf(QStringLiteral("endpoint")) == ConfigSource::Default) {
        resolved.config.endpoint = ClientConfig::endpointFromString(storedEndpoint);
        if (!storedEndpoint.isEmpty())
            resolved.sources.insert(QStringLiteral("endpoint"), ConfigSource::Explicit);
        if (storedEndpoint.isEmpty())
            out.problem = tr("The custom profile has no endpoint yet. Set one in Settings → "
                             "Profiles, or set AGENTBAY_ENDPOINT.");
        else if (!resolved.config.endpoint.isValid())
            out.problem = tr("The custom endpoint “%1” is not a host name or URL.")
                                  .arg(storedEndpoint);
    }
    if (profile.isLocal)
        return out;
    if (out.problem.isEmpty() && resolved.config.apiKey.isEmpty()) {
        out.problem = tr("%1 needs an API key. Create one in the AgentBay console (%2), then "
                         "add it in Settings → Profiles (it is kept in your system keychain), "
                         "or set AGENTBAY_API_KEY before starting the playground. Until then, "
                         "code runs in the local sandbox.")
                              .arg(profile.name, consoleUrl());
    }
    return out;
}

} // namespace Profiles

BackendPool::BackendPool(QObject *parent) : QObject(parent) {}

BackendPool::~BackendPool() = default;

Backend *BackendPool::local()
{
    if (!m_local) {
        m_local = m_apiFactory ? Backend::over(m_apiFactory(QStringLiteral("local"), {}),
                                               Backend::Kind::LocalSandbox, this)
                               : Backend::localSandbox(this, LocalArguments + m_localArguments);
    }
    return m_local;
}

Backend *BackendPool::endpoint(const QString &profileId, const ClientConfig &config)
{
    Backend *existing = m_endpoints.value(profileId);
    if (existing) {
        const ClientConfig current = existing->api()->config();
        if (current.endpoint == config.endpoint && current.apiKey == config.apiKey
            && current.regionId == config.regionId)
            return existing;
        // Sessions already on it keep their backend until they end; new ones get the new one.
        m_endpoints.remove(profileId);
    }
    Backend *backend = m_apiFactory ? Backend::over(m_apiFactory(profileId, config),
                                                    Backend::Kind::Endpoint, this)
                                    : Backend::endpoint(config, this);
    m_endpoints.insert(profileId, backend);
    return backend;
}

AgentBayApi *BackendPool::newApi(const QString &profileId, const ClientConfig &config) const
{
    if (m_apiFactory)
        return m_apiFactory(profileId, config);
    auto *api = new AgentBayClient;
    api->setConfig(config);
    return api;
}

QList<Backend *> BackendPool::backends() const
{
    QList<Backend *> all = findChildren<Backend *>(Qt::FindDirectChildrenOnly);
    return all;
}

void BackendPool::stopAll()
{
    const QList<Backend *> all = backends();
    m_stopping = static_cast<int>(all.size());
    if (m_stopping == 0) {
        QTimer::singleShot(0, this, &BackendPool::stopped);
        return;
    }
    for (Backend *backend : all) {
        connect(
                backend, &Backend::stopped, this,
                [this] {
                    if (--m_stopping == 0)
                        Q_EMIT stopped();
                },
                Qt::SingleShotConnection);
        backend->stop();
    }
}

} // namespace agentbay::client
