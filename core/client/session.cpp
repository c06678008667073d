// SPDX-License-Identifier: GPL-3.0-or-later
#include "session.h"

#include "agentbayapi.h"
#include "apicall.h"

#include "protocol/coderesultcodec.h"
#include "protocol/language.h"

#include <QLoggingCategory>
#include <QTimer>

#include <algorithm>
#include <utility>

Q_LOGGING_CATEGORY(lcSession, "agentbay.client.session")

namespace agentbay::client {

using protocol::ApiError;
using protocol::RunCodeResult;
using protocol::ToolResult;
namespace Rules = protocol::RunCodeRules;

Session::Session(AgentBayApi *api, QObject *parent)
    : QObject(parent), m_api(api), m_pollTimer(new QTimer(this))
{
    m_pollTimer->setSingleShot(true);
    connect(m_pollTimer, &QTimer::timeout, this, [this] {
        switch (m_step) {
        case Step::Delete:
            pollDeletion();
            break;
        case Step::Pause:
        case Step::Resume:
            pollPauseState(m_step == Step::Pause);
            break;
        default:
            break;
        }
    });
}

Session::~Session() = default;

ApiCall *Session::adopt(ApiCall *call)
{
    // The session owns its calls: destroying it aborts whatever it still has in flight.
    call->setParent(this);
    return call;
}

QString Session::stateName(State state)
{
    switch (state) {
    case State::NotStarted:
        return tr("no session");
    case State::Creating:
        return tr("creating");
    case State::Ready:
        return tr("ready");
    case State::Running:
        return tr("running");
    case State::Pausing:
        return tr("pausing");
    case State::Paused:
        return tr("paused");
    case State::Resuming:
        return tr("resuming");
    case State::Deleting:
        return tr("deleting");
    case State::Deleted:
        return tr("deleted");
    case State::Failed:
        return tr("failed");
    }
    return {};
}

void Session::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    qCDebug(lcSession) << m_id << "->" << stateName(state);
    Q_EMIT stateChanged(state);
}

void Session::startStep(Step step, ApiCall *call,
                        std::function<void(const ApiCallResult &)> onAnswer)
{
    abandonStep();
    m_step = step;
    m_stepCall = adopt(call);
    const quint64 token = m_stepToken;
    connect(call, &ApiCall::finished, this,
            [this, call, token, onAnswer = std::move(onAnswer)](const ApiCallResult &result) {
                call->deleteLater();
                if (token != m_stepToken)
                    return; // abandoned: a later call decided what happens
                m_stepCall.clear();
                onAnswer(result);
            });
}

void Session::abandonStep()
{
    ++m_stepToken;
    m_pollTimer->stop();
    if (m_stepCall) {
        m_stepCall->disconnect(this);
        m_stepCall->deleteLater(); // aborts the request
        m_stepCall.clear();
    }
    m_step = Step::None;
}

void Session::attach(const QString &sessionId)
{
    abandonStep();
    m_id = sessionId;
    setState(State::Creating);
    startStep(Step::Attach, m_api->getSession(sessionId),
              [this, sessionId](const ApiCallResult &result) {
                  m_step = Step::None;
                  const protocol::SessionInfo info = protocol::ActionResults::parseSessionInfo(
                          result.envelope.data);
                  const bool gone = (result.error.isError() && result.error.isSessionNotFound())
                                    || info.status == QLatin1String("DELETED")
                                    || info.status == QLatin1String("FINISH");
                  if (gone || result.error.isError()) {
                      const QString why = result.error.isError()
                                                  ? result.error.humanMessage()
                                                  : tr("session %1 is %2")
                                                            .arg(sessionId, info.status.toLower());
                      setState(gone ? State::Deleted : State::Failed);
                      failQueued(why);
                      Q_EMIT attached(false, why);
                      return;
                  }
                  if (info.status == QLatin1String("DELETING")) {
                      // Already on its way out: follow the deletion to its end (removed()).
                      const QString why = tr("session %1 is being deleted").arg(sessionId);
                      failQueued(why);
                      setState(State::Deleting);
                      Q_EMIT attached(false, why);
                      m_deadline.setRemainingTime(60000);
                      m_deletionPolls = 0;
                      pollDeletion();
                      return;
                  }
                  // GetSession carries no LinkUrl: an attached session always uses CallMcpTool.
                  m_created.sessionId = sessionId;
                  m_created.resourceUrl = info.resourceUrl;
                  m_created.tools = info.tools;
                  setState(info.status == QLatin1String("PAUSED") ? State::Paused : State::Ready);
                  Q_EMIT attached(true, info.status);
                  sendNext();
              });
}

quint64 Session::runCode(const QString &code, const QString &language, int timeoutSeconds)
{
    const quint64 runId = m_nextId++;
    const auto canonical = Rules::normalizeLanguage(language);
    QString problem = canonical ? Rules::timeoutProblem(timeoutSeconds)
                                : Rules::unsupportedLanguageMessage(language);
    if (m_state == State::Deleting || m_state == State::Deleted || m_removeRequested)
        problem = tr("the session has been deleted");
    if (!problem.isEmpty()) {
        RunCodeResult refused;
        refused.errorMessage = problem;
        QTimer::singleShot(0, this, [this, runId, refused] { Q_EMIT runFinished(runId, refused); });
        return runId;
    }
    Pending run;
    run.id = runId;
    run.code = code;
    run.language = *canonical;
    run.timeoutSeconds = timeoutSeconds;
    enqueue(run);
    return runId;
}

quint64 Session::callTool(const QString &tool, const QJsonObject &args, int timeoutMs)
{
    Pending call;
    call.id = m_nextId++;
    call.isRun = false;
    call.tool = tool;
    call.args = args;
    call.timeoutMs = timeoutMs;
    if (m_state == State::Deleting || m_state == State::Deleted || m_removeRequested) {
        QTimer::singleShot(0, this, [this, id = call.id] {
            ApiError error;
            error.kind = ApiError::Kind::InvalidArgument;
            error.message = tr("the session has been deleted");
            Q_EMIT toolFinished(id, {}, error);
        });
        return call.id;
    }
    enqueue(call);
    return call.id;
}

quint64 Session::readFile(const QString &path)
{
    return callTool(QStringLiteral("read_file"), {{QStringLiteral("path"), path}});
}

quint64 Session::writeFile(const QString &path, const QString &content, const QString &mode)
{
    return callTool(QStringLiteral("write_file"), {{QStringLiteral("path"), path},
                                                   {QStringLiteral("content"), content},
                                                   {QStringLiteral("mode"), mode}});
}

quint64 Session::listDirectory(const QString &path)
{
    return callTool(QStringLiteral("list_directory"), {{QStringLiteral("path"), path}});
}

quint64 Session::runShell(const QString &command, int timeoutMs, const QString &cwd)
{
    // The SDKs clamp shell timeouts to 50 s, under the gateway's 60 s.
    const int clamped = std::clamp(timeoutMs, 1, 50000);
    QJsonObject args{{QStringLiteral("command"), command}, {QStringLiteral("timeout_ms"), clamped}};
    if (!cwd.isEmpty())
        args.insert(QStringLiteral("cwd"), cwd);
    return callTool(QStringLiteral("shell"), args,
                    clamped + protocol::RunCodeRules::TransferMarginSeconds * 1000);
}

void Session::enqueue(const Pending &pending)
{
    m_queue.enqueue(pending);
    if (m_state == State::NotStarted || m_state == State::Failed)
        create();
    else
        sendNext();
}

void Session::create()
{
    m_id.clear();
    setState(State::Creating);
    startStep(Step::Create, m_api->createSession(m_labels), [this](const ApiCallResult &result) {
        m_step = Step::None;
        ApiError error = result.error;
        if (!error.isError()) {
            m_created = protocol::ActionResults::parseCreated(result.envelope.data,
                                                              result.envelope.requestId, &error);
        }
        if (error.isError()) {
            const bool removing = std::exchange(m_removeRequested, false);
            setState(removing ? State::Deleted : State::Failed);
            Q_EMIT creationFailed(error);
            failQueued(tr("could not create a session: %1").arg(error.humanMessage()));
            if (removing)
                Q_EMIT removed(true); // nothing was created, so nothing is left behind
            return;
        }
        m_id = m_created.sessionId;
        qCInfo(lcSession) << "created" << m_id << "request" << result.envelope.requestId
                          << (m_created.linkUrl.isEmpty() ? "" : "(LinkUrl data plane)");
        setState(State::Ready);
        Q_EMIT created(m_id, result.envelope.requestId);
        if (std::exchange(m_removeRequested, false)) {
            // remove() was asked while creating: delete now rather than leak the session.
            startDeletion(m_removeLimitMs);
            return;
        }
        sendNext();
    });
}

ApiCall *Session::sendTool(const QString &tool, const QJsonObject &args, int timeoutMs)
{
    if (m_created.usesLinkUrlFor(tool)) {
        return adopt(m_api->callToolViaLink(m_created.linkUrl, m_created.token,
                                            m_created.serverFor(tool), tool, args, timeoutMs));
    }
    return adopt(m_api->callTool(m_id, tool, args, timeoutMs, m_created.serverFor(tool)));
}

void Session::sendNext()
{
    if (m_state != State::Ready || m_queue.isEmpty())
        return;
    const Pending next = m_queue.dequeue();
    setState(State::Running);
    if (!next.isRun) {
        ApiCall *call = sendTool(next.tool, next.args, next.timeoutMs);
        m_inFlight = call;
        connect(call, &ApiCall::finished, this,
                [this, call, id = next.id](const ApiCallResult &result) {
                    call->deleteLater();
                    ToolResult tool;
                    ApiError error = result.error;
                    if (!error.isError()) {
                        tool = protocol::ActionResults::parseToolResult(result.envelope.data);
                        tool.requestId = result.envelope.requestId;
                    }
                    finishTool(id, tool, error);
                });
        return;
    }
    const QJsonObject args{{QStringLiteral("code"), next.code},
                           {QStringLiteral("language"), next.language},
                           {QStringLiteral("timeout_s"), next.timeoutSeconds}};
    // The transfer outlives the run's own deadline, so the backend's timeout answer arrives.
    const int transferMs = (next.timeoutSeconds + Rules::TransferMarginSeconds) * 1000;
    ApiCall *call = sendTool(QStringLiteral("run_code"), args, transferMs);
    call->setDecoder([](const ApiCallResult &answer) {
        return QVariant::fromValue(protocol::CodeResultCodec::parseToolData(answer.envelope.data));
    });
    m_inFlight = call;
    connect(call, &ApiCall::progress, this, [this, runId = next.id](const QJsonObject &event) {
        const QString type = event.value(QLatin1String("type")).toString();
        if (type == QLatin1String("stdout") || type == QLatin1String("stderr"))
            Q_EMIT runOutput(runId, type == QLatin1String("stderr"),
                             event.value(QLatin1String("text")).toString());
        else if (type == QLatin1String("display"))
            Q_EMIT runDisplay(runId, protocol::CodeResultCodec::bundleFromJson(
                                             event.value(QLatin1String("data")).toObject()));
    });
    Q_EMIT runStarted(next.id);
    connect(call, &ApiCall::finished, this,
            [this, call, runId = next.id](const ApiCallResult &result) {
                call->deleteLater();
                RunCodeResult parsed;
                if (result.error.isError()) {
                    parsed.errorMessage = result.error.humanMessage();
                    parsed.cancelled = result.error.kind == ApiError::Kind::Cancelled;
                    parsed.requestId = result.error.requestId;
                } else {
                    parsed = result.decoded.value<RunCodeResult>(); // see setDecoder above
                    parsed.requestId = result.envelope.requestId;
                }
                finishRun(runId, parsed);
            });
}

void Session::finishRun(quint64 runId, const RunCodeResult &result)
{
    m_inFlight.clear();
    if (m_state == State::Running)
        setState(State::Ready);
    Q_EMIT runFinished(runId, result);
    sendNext();
}

void Session::finishTool(quint64 callId, const ToolResult &result, const ApiError &error)
{
    m_inFlight.clear();
    if (m_state == State::Running)
        setState(State::Ready);
    Q_EMIT toolFinished(callId, result, error);
    sendNext();
}

void Session::failQueued(const QString &why, bool cancelled)
{
    const auto pending = m_queue;
    m_queue.clear();
    for (const Pending &item : pending) {
        if (item.isRun) {
            RunCodeResult failed;
            failed.errorMessage = why;
            failed.cancelled = cancelled;
            Q_EMIT runFinished(item.id, failed);
        } else {
            ApiError error;
            error.kind = ApiError::Kind::Cancelled;
            error.message = why;
            Q_EMIT toolFinished(item.id, {}, error);
        }
    }
}

void Session::cancelRuns()
{
    failQueued(tr("cancelled before it started"), true);
    if (m_inFlight)
        m_inFlight->cancel(); // its finished() reports the cancellation
}

void Session::remove(int pollLimitMs)
{
    if (m_state == State::Deleting || m_state == State::Deleted || m_removeRequested)
        return; // the deletion in progress answers with its removed()
    cancelRuns();
    switch (m_step) {
    case Step::Create:
        // No id yet: creation goes on, and the session is deleted as soon as it exists.
        m_removeRequested = true;
        m_removeLimitMs = pollLimitMs;
        return;
    case Step::Pause:
    case Step::Resume: {
        const bool pausing = m_step == Step::Pause;
        abandonStep();
        const QString why = tr("the session is being deleted");
        if (pausing)
            Q_EMIT paused(false, why);
        else
            Q_EMIT resumed(false, why);
        break;
    }
    case Step::Attach:
        abandonStep();
        Q_EMIT attached(false, tr("the session is being deleted"));
        break;
    case Step::Delete:
    case Step::None:
        break;
    }
    if (m_id.isEmpty()) {
        setState(State::Deleted);
        QTimer::singleShot(0, this, [this] { Q_EMIT removed(true); });
        return;
    }
    startDeletion(pollLimitMs);
}

void Session::startDeletion(int limitMs)
{
    setState(State::Deleting);
    m_deletionPolls = 0;
    m_deadline.setRemainingTime(limitMs);
    startStep(Step::Delete, m_api->deleteSessionAsync(m_id), [this](const ApiCallResult &result) {
        if (result.error.isError() && result.error.isSessionNotFound()) {
            finishDeletion(true, State::Deleted);
            return;
        }
        if (result.error.isError()) {
            qCWarning(lcSession) << "delete of" << m_id << "failed:" << result.error.humanMessage();
            finishDeletion(false, State::Failed);
            return;
        }
        pollDeletion(); // polling is part of the same step
    });
}

void Session::pollDeletion()
{
    startStep(Step::Delete, m_api->getSessionDetail(m_id), [this](const ApiCallResult &result) {
        const QString status
                = result.envelope.data.toObject().value(QLatin1String("Status")).toString();
        if ((result.error.isError() && result.error.isSessionNotFound())
            || status == QLatin1String("FINISH") || status == QLatin1String("DELETED")) {
            qCInfo(lcSession) << "deletion of" << m_id << "confirmed";
            finishDeletion(true, State::Deleted);
            return;
        }
        if (m_deadline.hasExpired()) {
            qCWarning(lcSession) << "deletion of" << m_id << "not confirmed in time";
            finishDeletion(false, State::Failed);
            return;
        }
        // Soon at first (a local sandbox is done in well under a second), then every second
        // like the SDKs, never past the deadline.
        ++m_deletionPolls;
        const qint64 interval = m_deletionPolls == 1 ? 200 : m_deletionPolls == 2 ? 500 : 1000;
        m_pollTimer->start(
                static_cast<int>(std::clamp<qint64>(m_deadline.remainingTime(), 0, interval)));
    });
}

void Session::finishDeletion(bool confirmed, State state)
{
    m_step = Step::None;
    m_pollTimer->stop();
    setState(state);
    Q_EMIT removed(confirmed);
}

void Session::pause(int pollIntervalMs, int limitMs)
{
    changePauseState(true, pollIntervalMs, limitMs);
}

void Session::resume(int pollIntervalMs, int limitMs)
{
    changePauseState(false, pollIntervalMs, limitMs);
}

void Session::changePauseState(bool pausing, int pollIntervalMs, int limitMs)
{
    const State needed = pausing ? State::Ready : State::Paused;
    if (m_state != needed || m_id.isEmpty() || m_step != Step::None || m_removeRequested) {
        QTimer::singleShot(0, this, [this, pausing, state = stateName(m_state)] {
            const QString why
                    = pausing ? tr("only an idle session can be paused (it is %1)").arg(state)
                              : tr("only a paused session can be resumed (it is %1)").arg(state);
            if (pausing)
                Q_EMIT paused(false, why);
            else
                Q_EMIT resumed(false, why);
        });
        return;
    }
    setState(pausing ? State::Pausing : State::Resuming);
    m_deadline.setRemainingTime(limitMs);
    m_pollIntervalMs = pollIntervalMs;
    const Step step = pausing ? Step::Pause : Step::Resume;
    startStep(step, pausing ? m_api->pauseSessionAsync(m_id) : m_api->resumeSessionAsync(m_id),
              [this, pausing](const ApiCallResult &result) {
                  if (result.error.isError()) {
                      finishPauseChange(pausing, false, result.error.humanMessage());
                      return;
                  }
                  m_pollTimer->start(m_pollIntervalMs); // polling is part of the same step
              });
}

void Session::pollPauseState(bool pausing)
{
    const Step step = pausing ? Step::Pause : Step::Resume;
    startStep(step, m_api->getSession(m_id), [this, pausing](const ApiCallResult &result) {
        const QString status = protocol::ActionResults::parseSessionInfo(result.envelope.data).status;
        const QLatin1String target(pausing ? "PAUSED" : "RUNNING");
        const QLatin1String transitional(pausing ? "PAUSING" : "RESUMING");
        if (result.error.isError()) {
            finishPauseChange(pausing, false, result.error.humanMessage());
        } else if (status == target) {
            finishPauseChange(pausing, true, status);
        } else if (status != transitional) {
            finishPauseChange(pausing, false,
                              tr("the session went to %1")
                                      .arg(status.isEmpty() ? tr("an unknown state") : status));
        } else if (m_deadline.hasExpired()) {
            finishPauseChange(pausing, false, tr("still %1 when the wait ended").arg(status));
        } else {
            m_pollTimer->start(static_cast<int>(
                    std::clamp<qint64>(m_deadline.remainingTime(), 0, m_pollIntervalMs)));
        }
    });
}

void Session::finishPauseChange(bool pausing, bool ok, const QString &why)
{
    m_step = Step::None;
    m_pollTimer->stop();
    if (pausing) {
        setState(ok ? State::Paused : State::Ready);
        Q_EMIT paused(ok, why);
    } else {
        setState(ok ? State::Ready : State::Paused);
        Q_EMIT resumed(ok, why);
    }
    sendNext(); // work that waited for Ready
}

} // namespace agentbay::client
