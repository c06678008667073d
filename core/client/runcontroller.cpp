// SPDX-License-Identifier: GPL-3.0-or-later
#include "runcontroller.h"

#include "agentbayapi.h"
#include "apicall.h"
#include "backend.h"
#include "sessiontimeline.h"

#include "protocol/actionresults.h"

#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTimer>

Q_LOGGING_CATEGORY(lcRun, "agentbay.client.run")

namespace agentbay::client {

using protocol::RunCodeResult;
using Event = TimelineEntry::Event;

RunController::RunController(QObject *parent)
    : QObject(parent), m_timeline(new SessionTimeline(this)), m_shutdownBound(new QTimer(this))
{
    m_clock.start();
    m_shutdownBound->setSingleShot(true);
    connect(m_shutdownBound, &QTimer::timeout, this, [this] {
        qCWarning(lcRun) << "shutdown bound reached; leaving without confirmation";
        if (m_backend && m_ownsBackend)
            m_backend->stop(); // SIGTERM now, SIGKILL after the grace: it cannot outlive us
        finishShutdown(m_sessionDeleted);
    });
}

RunController::~RunController() = default;

void RunController::useLocalSandbox()
{
    adoptBackend(Backend::localSandbox(this), true);
}

void RunController::useEndpoint(const ClientConfig &config)
{
    adoptBackend(Backend::endpoint(config, this), true);
}

void RunController::useBackend(Backend *backend)
{
    adoptBackend(backend, false);
    if (backend->isReady())
        QTimer::singleShot(0, this, [this, backend] {
            if (m_backend == backend && backend->isReady() && !m_backendReadySeen)
                onBackendReady();
        });
}

void RunController::adoptBackend(Backend *backend, bool owned)
{
    m_backend = backend;
    m_ownsBackend = owned;
    connect(backend, &Backend::ready, this, &RunController::onBackendReady);
    connect(backend, &Backend::failed, this, &RunController::onBackendFailed);
    connect(backend, &Backend::stopped, this, [this] {
        if (m_shuttingDown && m_ownsBackend)
            finishShutdown(m_sessionDeleted);
    });
}

void RunController::attachSession(const QString &sessionId)
{
    m_attachId = sessionId;
    m_keepSession = true; // not ours to delete
}

bool RunController::isBackendReady() const
{
    return m_backend && m_backend->isReady();
}

bool RunController::isLocal() const
{
    return m_backend && m_backend->isLocal();
}

QString RunController::backendDescription() const
{
    return m_backend ? m_backend->description() : QString();
}

ClientConfig RunController::backendConfig() const
{
    return m_backend ? m_backend->api()->config() : ClientConfig();
}

void RunController::onBackendFailed(const QString &why)
{
    // Every run still waiting or in flight ends now, with the reason; the session died with the
    // sandbox, so it is dropped (which aborts its calls without further answers).
    const QString message = tr("the local sandbox is not available: %1").arg(why);
    QList<quint64> unfinished;
    for (const PendingRun &run : std::as_const(m_waiting))
        unfinished.append(run.id);
    unfinished.append(m_runIds.values());
    m_waiting.clear();
    m_runIds.clear();
    m_running.clear();
    m_timeline->record(Event::Failed, message, m_session ? m_session->id() : QString());
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

void RunController::onBackendReady()
{
    m_backendReadySeen = true;
    const ClientConfig config = m_backend->api()->config();
    m_timeline->record(Event::Backend,
                       config.regionId.isEmpty()
                               ? m_backend->description()
                               : tr("%1, region %2").arg(m_backend->description(), config.regionId));
    if (!m_session || m_session->state() == Session::State::Failed
        || m_session->state() == Session::State::Deleted)
        newSession();
    Q_EMIT backendReady(backendDescription());
    const auto waiting = m_waiting;
    m_waiting.clear();
    for (const PendingRun &run : waiting)
        submit(run);
}

void RunController::newSession()
{
    if (m_session)
        m_session->deleteLater();
    m_session = new Session(m_backend->api(), this);
    connectSession();
    m_session->setLabels(m_labels);
    if (!m_attachId.isEmpty())
        m_session->attach(m_attachId);
}

void RunController::connectSession()
{
    Session *session = m_session;
    connect(session, &Session::stateChanged, this, [this, session](Session::State state) {
        switch (state) {
        case Session::State::Creating:
            m_stepClock.start();
            m_timeline->record(Event::Creating, tr("CreateMcpSession (code_latest)"));
            break;
        case Session::State::Pausing:
            m_timeline->record(Event::Pausing, tr("PauseSessionAsync"), session->id());
            break;
        case Session::State::Resuming:
            m_timeline->record(Event::Resuming, tr("ResumeSessionAsync"), session->id());
            break;
        case Session::State::Deleting:
            m_stepClock.start();
            m_timeline->record(Event::Deleting, tr("DeleteSessionAsync"), session->id());
            break;
        default:
            break;
        }
        if (session == m_session)
            Q_EMIT sessionStateChanged(state, session->id());
    });
    connect(session, &Session::created, this,
            [this, session](const QString &id, const QString &requestId) {
                m_timeline->record(Event::Ready, tr("session created"), id, requestId,
                                   m_stepClock.isValid() ? m_stepClock.elapsed() : -1);
                Q_EMIT sessionCreated(id);
                if (session == m_session)
                    fetchIsolation();
            });
    connect(session, &Session::attached, this, [this, session](bool ok, const QString &why) {
        m_timeline->record(ok ? Event::Ready : Event::Failed,
                           ok ? tr("attached to an existing session")
                              : tr("could not attach: %1").arg(why),
                           session->id());
    });
    connect(session, &Session::creationFailed, this, [this](const protocol::ApiError &error) {
        m_timeline->record(Event::Failed,
                           tr("could not create a session: %1").arg(error.humanMessage()), {},
                           error.requestId, m_stepClock.isValid() ? m_stepClock.elapsed() : -1);
    });
    connect(session, &Session::removed, this, [this, session](bool confirmed) {
        m_timeline->record(confirmed ? Event::Deleted : Event::Failed,
                           confirmed ? tr("the backend confirmed the deletion")
                                     : tr("the deletion was not confirmed"),
                           session->id(), {}, m_stepClock.isValid() ? m_stepClock.elapsed() : -1);
        Q_EMIT sessionRemoved(session->id(), confirmed);
        if (session != m_session)
            session->deleteLater(); // a session replaced by restartSession()
    });
    const auto pauseAnswer = [this, session](bool pausing) {
        return [this, session, pausing](bool ok, const QString &why) {
            if (ok) {
                m_timeline->record(pausing ? Event::Paused : Event::Ready,
                                   pausing ? tr("the backend reports it paused")
                                           : tr("resumed; the session keeps its state"),
                                   session->id());
            } else {
                m_timeline->record(Event::Failed,
                                   (pausing ? tr("could not pause: %1") : tr("could not resume: %1"))
                                           .arg(why),
                                   session->id());
            }
            Q_EMIT pauseChanged(pausing ? ok : !ok, ok, why);
        };
    };
    connect(session, &Session::paused, this, pauseAnswer(true));
    connect(session, &Session::resumed, this, pauseAnswer(false));
    connect(session, &Session::runStarted, this, [this, session](quint64 sessionRunId) {
        if (!m_runIds.contains(sessionRunId))
            return;
        const quint64 runId = m_runIds.value(sessionRunId);
        const PendingRun run = m_running.value(runId);
        m_runStarts.insert(runId, m_clock.elapsed());
        m_timeline->record(Event::Running,
                           tr("run %1: %2, timeout %3 s")
                                   .arg(runId)
                                   .arg(run.language)
                                   .arg(run.timeoutSeconds),
                           session->id());
        Q_EMIT runStarted(runId);
    });
    connect(session, &Session::runOutput, this,
            [this, session](quint64 sessionRunId, bool isStderr, const QString &text) {
                if (!m_runIds.contains(sessionRunId))
                    return;
                const quint64 runId = m_runIds.value(sessionRunId);
                if (!m_firstOutputSeen.contains(runId)) {
                    m_firstOutputSeen.insert(runId);
                    const qint64 after = m_clock.elapsed() - m_runStarts.value(runId);
                    m_timeline->record(Event::Output,
                                       tr("run %1: first output after %2 ms").arg(runId).arg(after),
                                       session->id());
                }
                Q_EMIT runOutput(runId, isStderr, text);
            });
    connect(session, &Session::runDisplay, this,
            [this](quint64 sessionRunId, const protocol::MimeBundle &bundle) {
                if (m_runIds.contains(sessionRunId))
                    Q_EMIT runDisplay(m_runIds.value(sessionRunId), bundle);
            });
    connect(session, &Session::runFinished, this,
            [this](quint64 sessionRunId, const RunCodeResult &result) {
                if (!m_runIds.contains(sessionRunId))
                    return;
                const quint64 runId = m_runIds.take(sessionRunId);
                recordRunEnd(runId, result);
                m_running.remove(runId);
                Q_EMIT runFinished(runId, result);
            });
}

void RunController::fetchIsolation()
{
    if (!m_session || m_session->id().isEmpty())
        return;
    ApiCall *call = m_backend->api()->getSessionDetail(m_session->id());
    call->setParent(this); // ends with this controller if it goes first
    const QString id = m_session->id();
    connect(call, &ApiCall::finished, this, [this, call, id](const ApiCallResult &result) {
        call->deleteLater();
        if (result.error.isError())
            return; // the details are informative; the session works without them
        recordRuntime(result.envelope.data, id, result.envelope.requestId);
        const auto layers = protocol::ActionResults::parseIsolation(result.envelope.data);
        for (const auto &layer : layers) {
            m_timeline->record(Event::Isolation,
                               tr("%1: %2 — %3")
                                       .arg(layer.layer, layer.active ? tr("on") : tr("off"),
                                            layer.detail),
                               id, result.envelope.requestId);
        }
    });
}

void RunController::recordRuntime(const QJsonValue &data, const QString &sessionId,
                                  const QString &requestId)
{
    const auto runtimes = protocol::ActionResults::parseRuntime(data);
    // A local sandbox finds its runtime just after it starts: ask again shortly (a few times).
    m_runtimeKnown = !runtimes.isEmpty() || !data.toObject().contains(QLatin1String("Runtime"));
    if (!m_runtimeKnown)
        QTimer::singleShot(RuntimeRetryMs, this, &RunController::fetchRuntime);
    for (const auto &runtime : runtimes) {
        QStringList present;
        QStringList missing;
        for (const auto &[name, version] : runtime.packages) {
            if (version.isEmpty())
                missing.append(name);
            else
                present.append(QStringLiteral("%1 %2").arg(name, version));
        }
        QString detail = tr("%1 %2 (%3)").arg(runtime.language, runtime.version, runtime.interpreter);
        if (!present.isEmpty())
            detail += tr(": %1").arg(present.join(QStringLiteral(", ")));
        if (!missing.isEmpty())
            detail += tr("; not installed: %1").arg(missing.join(QStringLiteral(", ")));
        m_timeline->record(Event::Runtime, detail, sessionId, requestId);
    }
}

void RunController::fetchRuntime()
{
    if (m_runtimeKnown || m_runtimeAsks >= RuntimeAsks || !m_session || m_session->id().isEmpty())
        return;
    ++m_runtimeAsks;
    m_runtimeKnown = true; // until the answer says otherwise
    ApiCall *call = m_backend->api()->getSessionDetail(m_session->id());
    call->setParent(this);
    const QString id = m_session->id();
    connect(call, &ApiCall::finished, this, [this, call, id](const ApiCallResult &result) {
        call->deleteLater();
        if (!result.error.isError())
            recordRuntime(result.envelope.data, id, result.envelope.requestId);
    });
}

void RunController::recordRunEnd(quint64 runId, const RunCodeResult &result)
{
    fetchRuntime();
    // What the kernel says happened between runs comes first: an error raised after an earlier
    // run answered, or a kernel that died meanwhile and was started afresh for this run.
    static const QRegularExpression
            between(QStringLiteral(R"(^\[(error raised after run \d+|kernel restarted)\]\n?(.*)$)"),
                    QRegularExpression::MultilineOption);
    for (auto it = between.globalMatch(result.stderrText()); it.hasNext();) {
        const auto match = it.next();
        const bool restarted = match.captured(1) == QLatin1String("kernel restarted");
        m_timeline->record(restarted ? Event::KernelLost : Event::LateError,
                           restarted ? match.captured(2)
                                     : tr("%1: %2 (reported with run %3)")
                                               .arg(match.captured(1), match.captured(2).trimmed())
                                               .arg(runId),
                           m_session ? m_session->id() : QString(), result.requestId);
    }
    const PendingRun run = m_running.value(runId);
    const qint64 started = m_runStarts.take(runId);
    m_firstOutputSeen.remove(runId);
    const qint64 duration = started > 0 ? m_clock.elapsed() - started : -1;
    const QString id = m_session ? m_session->id() : QString();
    if (result.cancelled) {
        const QString detail
                = isLocal() ? tr("run %1 stopped; the local sandbox interrupts it").arg(runId)
                            : tr("run %1: stopped waiting. AgentBay may keep running it until its "
                                 "%2 s timeout; restart the session to end it now.")
                                      .arg(runId)
                                      .arg(run.timeoutSeconds);
        m_timeline->record(Event::Interrupted, detail, id, result.requestId, duration);
    } else if (result.timedOut) {
        m_timeline->record(Event::TimedOut,
                           result.error ? result.error->value
                                        : tr("run %1 hit its %2 s timeout")
                                                  .arg(runId)
                                                  .arg(run.timeoutSeconds),
                           id, result.requestId, duration);
    } else if (result.error && result.error->name == QLatin1String("KernelDied")) {
        m_timeline->record(Event::KernelLost, result.error->value, id, result.requestId, duration);
    } else if (!result.success && !result.error) {
        m_timeline->record(Event::Failed, tr("run %1: %2").arg(runId).arg(result.errorMessage), id,
                           result.requestId, duration);
    } else {
        m_timeline->record(Event::Idle,
                           result.error ? tr("run %1 raised %2").arg(runId).arg(result.error->name)
                                        : tr("run %1 finished").arg(runId),
                           id, result.requestId, duration);
    }
}

quint64 RunController::run(const QString &code, const QString &language, int timeoutSeconds)
{
    const PendingRun run{m_nextRunId++, code, language, timeoutSeconds};
    const bool failed = m_backend && m_backend->hasFailed();
    if (m_backend && m_backend->isLocal() && failed && !m_shuttingDown) {
        // The local sandbox ended (crashed, killed): bring it back for this run.
        m_waiting.append(run);
        m_backend->restart();
    } else if (m_shuttingDown || failed || !m_backend) {
        QTimer::singleShot(0, this, [this, id = run.id] {
            RunCodeResult refused;
            refused.errorMessage = m_shuttingDown ? tr("shutting down")
                                                  : tr("the backend is not available");
            Q_EMIT runFinished(id, refused);
        });
    } else if (!m_backend->isReady() || !m_session) {
        m_waiting.append(run);
    } else {
        submit(run);
    }
    return run.id;
}

void RunController::submit(const PendingRun &run)
{
    m_running.insert(run.id, run);
    // Mapped before asking: a ready session starts the run (and says so) inside runCode().
    const quint64 sessionRunId = m_session->nextRunId();
    m_runIds.insert(sessionRunId, run.id);
    const quint64 given = m_session->runCode(run.code, run.language, run.timeoutSeconds);
    Q_ASSERT(given == sessionRunId);
    Q_UNUSED(given)
}

void RunController::stop()
{
    const auto waiting = m_waiting;
    m_waiting.clear();
    for (const PendingRun &run : waiting) {
        RunCodeResult cancelled;
        cancelled.errorMessage = tr("cancelled before it started");
        cancelled.cancelled = true;
        Q_EMIT runFinished(run.id, cancelled);
    }
    if (m_session)
        m_session->cancelRuns();
}

void RunController::restartSession()
{
    stop();
    if (!m_backend || !m_backend->isReady())
        return;
    if (m_session && !m_keepSession && m_session->state() != Session::State::NotStarted
        && m_session->state() != Session::State::Deleted
        && m_session->state() != Session::State::Failed) {
        Session *old = m_session;
        m_session = nullptr; // its removed() deletes it
        old->remove(30000);
    }
    m_attachId.clear();
    m_keepSession = false;
    newSession();
    Q_EMIT sessionStateChanged(Session::State::NotStarted, {});
}

void RunController::pauseSession()
{
    if (m_session)
        m_session->pause(PausePollMs, PauseLimitMs);
}

void RunController::resumeSession()
{
    if (m_session)
        m_session->resume(PausePollMs, PauseLimitMs);
}

void RunController::shutdown(int boundMs)
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    stop();
    m_shutdownBound->start(boundMs);
    const auto stopBackend = [this] {
        if (m_backend && m_ownsBackend)
            m_backend->stop(); // stopped() finishes the shutdown
        else
            finishShutdown(m_sessionDeleted);
    };
    if (!m_session || m_session->state() == Session::State::NotStarted
        || m_session->state() == Session::State::Deleted) {
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
