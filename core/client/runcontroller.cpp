// SPDX-License-Identifier: GPL-3.0-or-later
#include "runcontroller.h"

#include "agentbayclient.h"
#include "localsandboxlauncher.h"

#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcRun, "agentbay.client.run")

namespace agentbay::client {

using protocol::RunCodeResult;

RunController::RunController(QObject *parent)
    : QObject(parent), m_client(new AgentBayClient(this)), m_shutdownBound(new QTimer(this))
{
    m_shutdownBound->setSingleShot(true);
    connect(m_shutdownBound, &QTimer::timeout, this, [this] {
        qCWarning(lcRun) << "shutdown bound reached; leaving without confirmation";
        if (m_launcher)
            m_launcher->stop(); // SIGTERM now, SIGKILL after the grace: it cannot outlive us
        finishShutdown(m_sessionDeleted);
    });
}

RunController::~RunController() = default;

void RunController::useLocalSandbox()
{
    m_launcher = new LocalSandboxLauncher(this);
    connect(m_launcher, &LocalSandboxLauncher::ready, this,
            [this](const QUrl &endpoint, const QString &apiKey) {
                ClientConfig config;
                config.endpoint = endpoint;
                config.apiKey = apiKey;
                m_client->setConfig(config);
                onBackendReady();
            });
    connect(m_launcher, &LocalSandboxLauncher::failed, this, &RunController::onLocalSandboxFailed);
    connect(m_launcher, &LocalSandboxLauncher::stopped, this, [this] {
        if (m_shuttingDown)
            finishShutdown(m_sessionDeleted);
    });
    m_launcher->start();
}

void RunController::useEndpoint(const ClientConfig &config)
{
    m_client->setConfig(config);
    QTimer::singleShot(0, this, &RunController::onBackendReady);
}

void RunController::attachSession(const QString &sessionId)
{
    m_attachId = sessionId;
    m_keepSession = true; // not ours to delete
}

void RunController::onLocalSandboxFailed(const QString &why)
{
    m_backendReady = false;
    m_backendFailed = true;
    // Every run still waiting or in flight ends now, with the reason; the session died with the
    // sandbox, so it is dropped (which aborts its calls without further answers).
    const QString message = tr("the local sandbox is not available: %1").arg(why);
    QList<quint64> unfinished;
    for (const PendingRun &run : std::as_const(m_waiting))
        unfinished.append(run.id);
    unfinished.append(m_runIds.values());
    m_waiting.clear();
    m_runIds.clear();
    if (m_session) {
        const QString id = m_session->id();
        m_session->disconnect(this);
        m_session->deleteLater();
        m_session = nullptr;
        Q_EMIT sessionStateChanged(Session::State::Failed, id);
    }
    for (quint64 id : std::as_const(unfinished)) {
        RunCodeResult failed;
        failed.errorMessage = message;
        Q_EMIT runFinished(id, failed);
    }
    Q_EMIT backendFailed(why);
    if (m_shuttingDown)
        finishShutdown(m_sessionDeleted);
}

QString RunController::backendDescription() const
{
    const QUrl endpoint = m_client->config().endpoint;
    if (m_launcher)
        return tr("Local sandbox (%1:%2)").arg(endpoint.host()).arg(endpoint.port());
    const QString where = endpoint.port() > 0 ? endpoint.host() + QLatin1Char(':')
                                                        + QString::number(endpoint.port())
                                              : endpoint.host();
    return tr("AgentBay (%1)").arg(where);
}

void RunController::onBackendReady()
{
    m_backendReady = true;
    if (m_session)
        m_session->deleteLater();
    m_session = new Session(m_client, this);
    connect(m_session, &Session::stateChanged, this,
            [this](Session::State state) { Q_EMIT sessionStateChanged(state, m_session->id()); });
    connect(m_session, &Session::runStarted, this, [this](quint64 sessionRunId) {
        if (m_runIds.contains(sessionRunId))
            Q_EMIT runStarted(m_runIds.value(sessionRunId));
    });
    connect(m_session, &Session::runFinished, this,
            [this](quint64 sessionRunId, const RunCodeResult &result) {
                if (!m_runIds.contains(sessionRunId))
                    return;
                Q_EMIT runFinished(m_runIds.take(sessionRunId), result);
            });
    m_session->setLabels(m_labels);
    if (!m_attachId.isEmpty())
        m_session->attach(m_attachId);
    Q_EMIT backendReady(backendDescription());
    const auto waiting = m_waiting;
    m_waiting.clear();
    for (const PendingRun &run : waiting)
        submit(run);
}

quint64 RunController::run(const QString &code, const QString &language, int timeoutSeconds)
{
    const PendingRun run{m_nextRunId++, code, language, timeoutSeconds};
    if (m_launcher && m_backendFailed && !m_shuttingDown) {
        // The local sandbox ended (crashed, killed): bring it back for this run.
        m_backendFailed = false;
        m_waiting.append(run);
        m_launcher->start();
    } else if (m_shuttingDown || m_backendFailed) {
        QTimer::singleShot(0, this, [this, id = run.id] {
            RunCodeResult refused;
            refused.errorMessage = m_shuttingDown ? tr("shutting down")
                                                  : tr("the backend is not available");
            Q_EMIT runFinished(id, refused);
        });
    } else if (!m_backendReady) {
        m_waiting.append(run);
    } else {
        submit(run);
    }
    return run.id;
}

void RunController::submit(const PendingRun &run)
{
    m_runIds.insert(m_session->runCode(run.code, run.language, run.timeoutSeconds), run.id);
}

void RunController::stop()
{
    const auto waiting = m_waiting;
    m_waiting.clear();
    for (const PendingRun &run : waiting) {
        RunCodeResult cancelled;
        cancelled.errorMessage = tr("cancelled before it started");
        Q_EMIT runFinished(run.id, cancelled);
    }
    if (m_session)
        m_session->cancelRuns();
}

void RunController::shutdown(int boundMs)
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    stop();
    m_shutdownBound->start(boundMs);
    const auto stopBackend = [this] {
        if (m_launcher)
            m_launcher->stop(); // stopped() finishes the shutdown
        else
            finishShutdown(m_sessionDeleted);
    };
    if (!m_session || m_session->state() == Session::State::NotStarted) {
        m_sessionDeleted = true;
        stopBackend();
        return;
    }
    if (m_keepSession) {
        qCInfo(lcRun) << "keeping session" << m_session->id();
        stopBackend();
        return;
    }
    connect(m_session, &Session::removed, this, [this, stopBackend](bool confirmed) {
        m_sessionDeleted = confirmed;
        stopBackend();
    });
    m_session->remove(boundMs);
}

void RunController::finishShutdown(bool sessionDeleted)
{
    if (m_shutdownDone)
        return;
    m_shutdownDone = true;
    m_shutdownBound->stop();
    Q_EMIT shutdownFinished(sessionDeleted);
}

} // namespace agentbay::client
