// SPDX-License-Identifier: GPL-3.0-or-later
#include "session.h"

#include "agentbayclient.h"
#include "apicall.h"

#include "protocol/coderesultcodec.h"
#include "protocol/language.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcSession, "agentbay.client.session")

namespace agentbay::client {

using protocol::ApiError;
using protocol::RunCodeResult;
namespace Rules = protocol::RunCodeRules;

Session::Session(AgentBayClient *client, QObject *parent)
    : QObject(parent), m_client(client), m_pollTimer(new QTimer(this))
{
    m_pollTimer->setSingleShot(true);
    connect(m_pollTimer, &QTimer::timeout, this, &Session::pollDeletion);
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

quint64 Session::runCode(const QString &code, const QString &language, int timeoutSeconds)
{
    const quint64 runId = m_nextRunId++;
    const auto canonical = Rules::normalizeLanguage(language);
    QString problem = canonical ? Rules::timeoutProblem(timeoutSeconds)
                                : Rules::unsupportedLanguageMessage(language);
    if (m_state == State::Deleting || m_state == State::Deleted)
        problem = tr("the session has been deleted");
    if (!problem.isEmpty()) {
        RunCodeResult refused;
        refused.errorMessage = problem;
        QTimer::singleShot(0, this, [this, runId, refused] { Q_EMIT runFinished(runId, refused); });
        return runId;
    }
    m_queue.enqueue({runId, code, *canonical, timeoutSeconds});
    if (m_state == State::NotStarted || m_state == State::Failed)
        create();
    else
        sendNext();
    return runId;
}

void Session::create()
{
    setState(State::Creating);
    ApiCall *call = adopt(m_client->createSession());
    connect(call, &ApiCall::finished, this, [this, call](const ApiCallResult &result) {
        call->deleteLater();
        ApiError error = result.error;
        const QJsonObject data = result.envelope.data.toObject();
        if (!error.isError() && data.value(QLatin1String("Success")).isBool()
            && !data.value(QLatin1String("Success")).toBool()) {
            error.kind = ApiError::Kind::Rejected;
            error.message = data.value(QLatin1String("ErrMsg")).toString();
            error.requestId = result.envelope.requestId;
        }
        if (!error.isError() && data.value(QLatin1String("SessionId")).toString().isEmpty()) {
            error.kind = ApiError::Kind::MalformedResponse;
            error.message = tr("SessionId not found in response");
            error.requestId = result.envelope.requestId;
        }
        if (error.isError()) {
            setState(State::Failed);
            Q_EMIT creationFailed(error);
            failQueued(error);
            if (m_removeRequested)
                Q_EMIT removed(true); // nothing was created, so nothing is left behind
            return;
        }
        m_id = data.value(QLatin1String("SessionId")).toString();
        qCInfo(lcSession) << "created" << m_id << "request" << result.envelope.requestId;
        setState(State::Ready);
        Q_EMIT created(m_id, result.envelope.requestId);
        if (m_removeRequested) {
            // remove() was asked while creating: delete now rather than leak the session.
            remove(m_removeLimitMs);
            return;
        }
        sendNext();
    });
}

void Session::sendNext()
{
    if (m_state != State::Ready || m_queue.isEmpty())
        return;
    const PendingRun run = m_queue.dequeue();
    setState(State::Running);
    const QJsonObject args{{QStringLiteral("code"), run.code},
                           {QStringLiteral("language"), run.language},
                           {QStringLiteral("timeout_s"), run.timeoutSeconds}};
    // The transfer outlives the run's own deadline, so the backend's timeout answer arrives.
    const int transferMs = (run.timeoutSeconds + Rules::TransferMarginSeconds) * 1000;
    ApiCall *call = adopt(m_client->callTool(m_id, QStringLiteral("run_code"), args, transferMs));
    m_inFlight = call;
    m_inFlightRun = run.id;
    Q_EMIT runStarted(run.id);
    connect(call, &ApiCall::finished, this,
            [this, call, runId = run.id](const ApiCallResult &result) {
                call->deleteLater();
                RunCodeResult parsed;
                if (result.error.isError()) {
                    parsed.errorMessage = result.error.humanMessage();
                    parsed.requestId = result.error.requestId;
                } else {
                    parsed = protocol::CodeResultCodec::parseToolData(result.envelope.data);
                    parsed.requestId = result.envelope.requestId;
                }
                finishRun(runId, parsed);
            });
}

void Session::finishRun(quint64 runId, const RunCodeResult &result)
{
    m_inFlight.clear();
    m_inFlightRun = 0;
    if (m_state == State::Running)
        setState(State::Ready);
    Q_EMIT runFinished(runId, result);
    sendNext();
}

void Session::failQueued(const ApiError &error)
{
    const auto pending = m_queue;
    m_queue.clear();
    for (const PendingRun &run : pending) {
        RunCodeResult failed;
        failed.errorMessage = tr("could not create a session: %1").arg(error.humanMessage());
        failed.requestId = error.requestId;
        Q_EMIT runFinished(run.id, failed);
    }
}

void Session::cancelRuns()
{
    const auto pending = m_queue;
    m_queue.clear();
    for (const PendingRun &run : pending) {
        RunCodeResult result;
        result.errorMessage = tr("cancelled before it started");
        Q_EMIT runFinished(run.id, result);
    }
    if (m_inFlight)
        m_inFlight->cancel(); // its finished() reports the cancellation
}

void Session::remove(int pollLimitMs)
{
    if (m_state == State::Deleting || m_state == State::Deleted)
        return;
    cancelRuns();
    if (m_state == State::Creating) {
        m_removeRequested = true;
        m_removeLimitMs = pollLimitMs;
        return;
    }
    if (m_id.isEmpty()) {
        setState(State::Deleted);
        QTimer::singleShot(0, this, [this] { Q_EMIT removed(true); });
        return;
    }
    setState(State::Deleting);
    m_pollDeadline = QDateTime::currentDateTimeUtc().addMSecs(pollLimitMs);
    ApiCall *call = adopt(m_client->deleteSessionAsync(m_id));
    connect(call, &ApiCall::finished, this, [this, call](const ApiCallResult &result) {
        call->deleteLater();
        if (result.error.isError() && result.error.isSessionNotFound()) {
            setState(State::Deleted);
            Q_EMIT removed(true);
            return;
        }
        if (result.error.isError()) {
            qCWarning(lcSession) << "delete of" << m_id << "failed:" << result.error.humanMessage();
            setState(State::Failed);
            Q_EMIT removed(false);
            return;
        }
        pollDeletion();
    });
}

void Session::pollDeletion()
{
    ApiCall *call = adopt(m_client->getSessionDetail(m_id));
    connect(call, &ApiCall::finished, this, [this, call](const ApiCallResult &result) {
        call->deleteLater();
        const QString status
                = result.envelope.data.toObject().value(QLatin1String("Status")).toString();
        if ((result.error.isError() && result.error.isSessionNotFound())
            || status == QLatin1String("FINISH") || status == QLatin1String("DELETED")) {
            qCInfo(lcSession) << "deletion of" << m_id << "confirmed";
            setState(State::Deleted);
            Q_EMIT removed(true);
            return;
        }
        if (QDateTime::currentDateTimeUtc() >= m_pollDeadline) {
            qCWarning(lcSession) << "deletion of" << m_id << "not confirmed in time";
            Q_EMIT removed(false);
            return;
        }
        m_pollTimer->start(1000);
    });
}

} // namespace agentbay::client
