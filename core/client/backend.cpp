// SPDX-License-Identifier: GPL-3.0-or-later
#include "backend.h"

#include "agentbayclient.h"
#include "localsandboxlauncher.h"

#include <QTimer>

namespace agentbay::client {

Backend::Backend(Kind kind, AgentBayApi *api, QObject *parent)
    : QObject(parent), m_kind(kind), m_api(api)
{
    m_api->setParent(this);
}

Backend::~Backend() = default;

QStringList Backend::languages() const
{
    return m_launcher && m_ready ? m_launcher->languages() : QStringList();
}

Backend *Backend::localSandbox(QObject *parent, const QStringList &arguments, bool streamOutput)
{
    auto *backend = new Backend(Kind::LocalSandbox, new AgentBayClient, parent);
    backend->m_launcher = new LocalSandboxLauncher(backend);
    backend->m_launcher->setExtraArguments(arguments);
    connect(backend->m_launcher, &LocalSandboxLauncher::ready, backend,
            [backend, streamOutput](const QUrl &endpoint, const QString &apiKey) {
                ClientConfig config;
                config.endpoint = endpoint;
                config.apiKey = apiKey;
                config.streamOutput = streamOutput
                                      && backend->m_launcher->extensions().contains(
                                              QLatin1String("stream"));
                backend->m_api->setConfig(config);
                backend->markReady();
            });
    connect(backend->m_launcher, &LocalSandboxLauncher::failed, backend,
            [backend](const QString &why) {
                backend->m_ready = false;
                backend->m_failed = true;
                backend->m_lastError = why;
                Q_EMIT backend->failed(why);
            });
    connect(backend->m_launcher, &LocalSandboxLauncher::stopped, backend, &Backend::stopped);
    backend->m_launcher->start();
    return backend;
}

Backend *Backend::endpoint(const ClientConfig &config, QObject *parent)
{
    auto *backend = new Backend(Kind::Endpoint, new AgentBayClient, parent);
    backend->m_api->setConfig(config);
    QTimer::singleShot(0, backend, &Backend::markReady);
    return backend;
}

Backend *Backend::over(AgentBayApi *api, Kind kind, QObject *parent)
{
    auto *backend = new Backend(kind, api, parent);
    QTimer::singleShot(0, backend, &Backend::markReady);
    return backend;
}

void Backend::markReady()
{
    m_ready = true;
    m_failed = false;
    m_lastError.clear();
    Q_EMIT ready(description());
}

QString Backend::description() const
{
    const QUrl endpoint = m_api->config().endpoint;
    if (isLocal())
        return tr("Local sandbox (%1:%2)").arg(endpoint.host()).arg(endpoint.port());
    const QString where = endpoint.port() > 0 ? endpoint.host() + QLatin1Char(':')
                                                        + QString::number(endpoint.port())
                                              : endpoint.host();
    return tr("AgentBay (%1)").arg(where);
}

void Backend::restart()
{
    if (!m_launcher || !m_failed)
        return;
    m_failed = false;
    m_launcher->start();
}

void Backend::stop()
{
    if (m_launcher) {
        m_ready = false;
        m_launcher->stop(); // stopped() follows
    } else {
        QTimer::singleShot(0, this, &Backend::stopped);
    }
}

} // namespace agentbay::client
