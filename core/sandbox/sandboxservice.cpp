// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandboxservice.h"

#include "kernelprocess.h"
#include "runscheduler.h"
#include "runtimeprobe.h"
#include "sessionregistry.h"
#include "toolprocess.h"

#include "protocol/assist.h"
#include "protocol/coderesultcodec.h"
#include "protocol/language.h"
#include "protocol/randomtoken.h"
#include "protocol/responseenvelope.h"
#include "protocol/rpcrequest.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <memory>
#include <optional>

Q_LOGGING_CATEGORY(lcService, "agentbay.sandbox.service")

namespace agentbay::sandbox {

using protocol::ResponseEnvelope;
using protocol::RpcRequest;
namespace Rules = protocol::RunCodeRules;

namespace {

QString newRequestId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces).toUpper();
}

bool sameKey(const QString &given, const QString &expected)
{
    // Compare digests, so the comparison takes the same time wherever the keys differ.
    const auto digest = [](const QString &key) {
        return QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256);
    };
    const QByteArray a = digest(given);
    const QByteArray b = digest(expected);
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return diff == 0 && !expected.isEmpty();
}

QString labelsJson(const QMap<QString, QString> &labels)
{
    QJsonObject object;
    for (auto it = labels.begin(); it != labels.end(); ++it)
        object.insert(it.key(), it.value());
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// The images the sandbox provides, and what each serves: code_latest runs code, commands and
// file tools; linux_latest commands and file tools. UI, browser and mobile images are the
// cloud's.
const QString CodeImage = QStringLiteral("code_latest");
const QString LinuxImage = QStringLiteral("linux_latest");

const QStringList &fileToolNames()
{
    static const QStringList names{QStringLiteral("read_file"),
                                   QStringLiteral("write_file"),
                                   QStringLiteral("list_directory"),
                                   QStringLiteral("create_directory"),
                                   QStringLiteral("get_file_info"),
                                   QStringLiteral("move_file"),
                                   QStringLiteral("delete_file"),
                                   QStringLiteral("edit_file"),
                                   QStringLiteral("search_files"),
                                   QStringLiteral("read_multiple_files"),
                                   QStringLiteral("get_file_change")};
    return names;
}

QStringList toolsOf(const QString &image)
{
    QStringList tools;
    if (image == CodeImage)
        tools << QStringLiteral("run_code");
    if (image == CodeImage || image == LinuxImage)
        tools << QStringLiteral("shell") << fileToolNames();
    return tools;
}

QString servedSummary()
{
    return QCoreApplication::translate(
            "SandboxService",
            "the local sandbox provides the code_latest image (run_code, shell and the file tools) "
            "and linux_latest (shell and the file tools); browser, computer and mobile images and "
            "their tools need the AgentBay cloud");
}

// Ids the cloud gives a session's machine; the sandbox derives them from the session id.
QString appInstanceIdOf(const QString &sessionId)
{
    return QStringLiteral("ai-local-") + sessionId.section(u'-', 1);
}

QString resourceIdOf(const QString &sessionId)
{
    return QStringLiteral("p-local-") + sessionId.section(u'-', 1);
}

QString statusOf(const SandboxSession *session)
{
    return session->isPaused() ? QStringLiteral("PAUSED") : QStringLiteral("RUNNING");
}

// Labels from a JSON object string; nullopt when it is not one.
std::optional<QMap<QString, QString>> labelsFrom(const QString &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    QMap<QString, QString> labels;
    const QJsonObject object = document.object();
    for (auto it = object.begin(); it != object.end(); ++it)
        labels.insert(it.key(), it.value().toString());
    return labels;
}

QByteArray toolAnswer(const QString &requestId, const QString &text, bool isError)
{
    return ResponseEnvelope::successBody(requestId,
                                         protocol::CodeResultCodec::toolData(text, isError));
}

} // namespace

SandboxService::SandboxService(const SandboxConfig &config, QObject *parent)
    : QObject(parent), m_config(config), m_sessions(new SessionRegistry(config, this)),
      m_scheduler(new RunScheduler(config.maxConcurrentRuns, config.maxWaitingRuns, this)),
      m_runtime(new RuntimeProbe(
              config, [this] { return m_scheduler->running() > 0 || m_scheduler->waiting() > 0; },
              this))
{
    if (config.idleTimeoutSeconds > 0) {
        auto *sweep = new QTimer(this);
        connect(sweep, &QTimer::timeout, m_sessions, &SessionRegistry::releaseIdle);
        sweep->start(std::clamp(config.idleTimeoutSeconds * 1000 / 4, 250, 30000));
    }
}

SandboxService::~SandboxService()
{
    // The sessions (and the analysis machine) end while the service is whole: an assist request
    // still waiting on one of their kernels is answered from here, not from a half-destroyed
    // object.
    delete m_sessions;
    m_sessions = nullptr;
}

void SandboxService::respondError(const Responder &respond, int status, const QString &requestId,
                                  const QString &code, const QString &message) const
{
    respond(status, ResponseEnvelope::errorBody(requestId, code, message, m_config.hostId));
}

// One entry per action: its handler, and whether naming a session in it counts as using that
// session (reading a status does not: a UI polling it would never let an idle session go).
struct SandboxService::Action
{
    Canceller (SandboxService::*handler)(const Call &call);
    bool usesSession;
};

const QHash<QString, SandboxService::Action> &SandboxService::actions()
{
    static const QHash<QString, Action> table{
            {QStringLiteral("CreateMcpSession"), {&SandboxService::createSession, true}},
            {QStringLiteral("CallMcpTool"), {&SandboxService::callMcpTool, true}},
            {QStringLiteral("GetSession"), {&SandboxService::getSession, false}},
            {QStringLiteral("GetSessionDetail"), {&SandboxService::getSession, false}},
            {QStringLiteral("DeleteSessionAsync"), {&SandboxService::deleteSession, true}},
            {QStringLiteral("ReleaseMcpSession"), {&SandboxService::deleteSession, true}},
            {QStringLiteral("ListSession"), {&SandboxService::listSessions, true}},
            {QStringLiteral("SetLabel"), {&SandboxService::setLabel, true}},
            {QStringLiteral("GetLabel"), {&SandboxService::getLabel, false}},
            {QStringLiteral("PauseSessionAsync"), {&SandboxService::pauseOrResume, true}},
            {QStringLiteral("ResumeSessionAsync"), {&SandboxService::pauseOrResume, true}},
            {QStringLiteral("GetMcpResource"), {&SandboxService::getMcpResource, false}},
            {QStringLiteral("ListMcpTools"), {&SandboxService::listMcpTools, false}},
            {QStringLiteral("GetLink"), {&SandboxService::getLink, false}},
    };
    return table;
}

SandboxService::Canceller SandboxService::handle(const RpcRequest &request, Responder respond,
                                                 Progress progress, bool assist)
{
    const QString requestId = newRequestId();
    const QString action = request.action();
    if (!sameKey(request.apiKey(), m_config.apiKey)) {
        qCInfo(lcService) << action << "refused: wrong or missing API key";
        respondError(respond, 400, requestId, QStringLiteral("NOT_LOGIN"),
                     tr("You are not logged in or your login token has expired"));
        return {};
    }
    const auto entry = actions().constFind(action);
    if (assist && action == QLatin1String("AssistCode")) {
        const QString sessionId = request.field(QStringLiteral("SessionId")).value_or(QString());
        SandboxSession *session = sessionId.isEmpty() ? nullptr : m_sessions->find(sessionId);
        return assistCode(Call{request, action, requestId, sessionId, session, respond, {}});
    }
    if (entry == actions().constEnd()) {
        respondError(respond, 400, requestId, QStringLiteral("InvalidAction.NotFound"),
                     tr("The local sandbox does not serve the action '%1'.").arg(action));
        return {};
    }
    // The session is looked up once, here, from the body or else the query; handlers never look
    // it up again.
    const QString sessionId = request.field(QStringLiteral("SessionId"))
                                      .value_or(request.queryField(QStringLiteral("SessionId"))
                                                        .value_or(QString()));
    SandboxSession *session = sessionId.isEmpty() ? nullptr : m_sessions->find(sessionId);
    if (session && entry->usesSession)
        session->lastActivity = QDateTime::currentDateTimeUtc();
    const Call call{request, action, requestId, sessionId, session, respond, std::move(progress)};
    return (this->*(entry->handler))(call);
}

void SandboxService::notFound(const Call &call) const
{
    respondError(call.respond, 400, call.requestId, QStringLiteral("InvalidMcpSession.NotFound"),
                 tr("Resource [McpSession] is not found."));
}

SandboxService::Canceller SandboxService::createSession(const Call &call)
{
    const RpcRequest &request = call.request;
    const QString &requestId = call.requestId;
    const Responder &respond = call.respond;
    const QString image = request.field(QStringLiteral("ImageId"))
                                  .value_or(QStringLiteral("code_latest"));
    if (image != CodeImage && image != LinuxImage) {
        respondError(respond, 400, requestId, QStringLiteral("InvalidImageId.NotSupported"),
                     tr("The image '%1' is not available here: %2.").arg(image, servedSummary()));
        return {};
    }
    QString why;
    SandboxSession *created = m_sessions->create(&why);
    if (!created) {
        respond(200, ResponseEnvelope::successBody(requestId,
                                                   QJsonObject{{QLatin1String("Success"), false},
                                                               {QLatin1String("ErrMsg"), why}}));
        return {};
    }
    created->imageId = image;
    const QJsonObject labels
            = QJsonDocument::fromJson(
                      request.field(QStringLiteral("Labels")).value_or(QString()).toUtf8())
                      .object();
    for (auto it = labels.begin(); it != labels.end(); ++it)
        created->labels.insert(it.key(), it.value().toString());
    respond(200,
            ResponseEnvelope::successBody(requestId,
                                          QJsonObject{{QLatin1String("SessionId"), created->id()},
                                                      {QLatin1String("Success"), true},
                                                      {QLatin1String("ErrMsg"), QString()},
                                                      {QLatin1String("ResourceUrl"), QString()},
                                                      {QLatin1String("AppInstanceId"),
                                                       appInstanceIdOf(created->id())},
                                                      {QLatin1String("ResourceId"),
                                                       resourceIdOf(created->id())},
                                                      {QLatin1String("VpcResource"), false}}));
    return {};
}

SandboxService::Canceller SandboxService::callMcpTool(const Call &call)
{
    if (!call.session) {
        notFound(call);
        return {};
    }
    if (call.session->isPaused()) {
        call.respond(200, toolAnswer(call.requestId, tr("the session is paused; resume it first"),
                                     true));
        return {};
    }
    return callTool(call.session, call.request, call.requestId, call.respond, call.progress);
}

SandboxService::Canceller SandboxService::getSession(const Call &call)
{
    SandboxSession *session = call.session;
    if (!session) {
        // Deleted a moment ago: DELETING while it is torn down, then FINISH to a status poll for
        // a while, as in the cloud; then not found.
        const QString status = m_sessions->isDeleting(call.sessionId) ? QStringLiteral("DELETING")
                               : call.action == QLatin1String("GetSessionDetail")
                                               && m_sessions->isFinished(call.sessionId)
                                       ? QStringLiteral("FINISH")
                                       : QString();
        if (!status.isEmpty()) {
            call.respond(200, ResponseEnvelope::successBody(call.requestId,
                                                            QJsonObject{{QLatin1String("SessionId"),
                                                                         call.sessionId},
                                                                        {QLatin1String("Status"),
                                                                         status}}));
            return {};
        }
    }
    if (!session) {
        notFound(call);
        return {};
    }
    QJsonObject data{{QLatin1String("SessionId"), session->id()},
                     {QLatin1String("Status"), statusOf(session)},
                     {QLatin1String("ImageId"), session->imageId},
                     {QLatin1String("AppInstanceId"), appInstanceIdOf(session->id())},
                     {QLatin1String("ResourceId"), resourceIdOf(session->id())},
                     {QLatin1String("ResourceUrl"), QString()},
                     {QLatin1String("RegionId"), QStringLiteral("local")},
                     {QLatin1String("Success"), true},
                     // Ours, beyond the AgentBay model (clients ignore unknown fields).
                     {QLatin1String("ActiveRuns"), session->activeRuns()},
                     {QLatin1String("Isolation"), m_sessions->isolation().report()},
                     {QLatin1String("Workspace"),
                      m_sessions->isolation().visibleWorkspace(session->workspace())},
                     {QLatin1String("Runtime"), m_runtime->report()}};
    call.respond(200, ResponseEnvelope::successBody(call.requestId, data));
    return {};
}

SandboxService::Canceller SandboxService::deleteSession(const Call &call)
{
    if (!m_sessions->remove(call.sessionId)) {
        notFound(call);
        return {};
    }
    call.respond(200, ResponseEnvelope::successBody(call.requestId, QJsonValue::Undefined));
    return {};
}

SandboxService::Canceller SandboxService::listSessions(const Call &call)
{
    const RpcRequest &request = call.request;
    const auto filter = labelsFrom(
            request.field(QStringLiteral("Labels")).value_or(QStringLiteral("{}")));
    if (!filter) {
        respondError(call.respond, 400, call.requestId, QStringLiteral("InvalidParameter.Labels"),
                     tr("Labels must be a JSON object of strings."));
        return {};
    }
    const QString status = request.field(QStringLiteral("Status")).value_or(QString());
    bool ok = false;
    int maxResults
            = request.field(QStringLiteral("MaxResults")).value_or(QStringLiteral("10")).toInt(&ok);
    if (!ok || maxResults < 1)
        maxResults = 10;
    maxResults = std::min(maxResults, 100);
    const int offset
            = std::max(0, request.field(QStringLiteral("NextToken")).value_or(QString()).toInt());
    // Oldest first, so pages are stable while sessions come and go at the end.
    auto sessions = m_sessions->sessions();
    std::sort(sessions.begin(), sessions.end(),
              [](const SandboxSession *a, const SandboxSession *b) {
                  return a->createdAt() != b->createdAt() ? a->createdAt() < b->createdAt()
                                                          : a->id() < b->id();
              });
    QList<const SandboxSession *> matching;
    for (const SandboxSession *each : std::as_const(sessions)) {
        bool matches = status.isEmpty() || status == statusOf(each);
        for (auto it = filter->begin(); matches && it != filter->end(); ++it)
            matches = each->labels.value(it.key()) == it.value();
        if (matches)
            matching.append(each);
    }
    QJsonArray page;
    for (qsizetype i = offset; i < matching.size() && page.size() < maxResults; ++i) {
        page.append(QJsonObject{{QLatin1String("SessionId"), matching.at(i)->id()},
                                {QLatin1String("SessionStatus"), statusOf(matching.at(i))}});
    }
    const qsizetype next = offset + page.size();
    call.respond(200,
                 ResponseEnvelope::successBody(call.requestId, page,
                                               QJsonObject{{QLatin1String("TotalCount"),
                                                            matching.size()},
                                                           {QLatin1String("MaxResults"), maxResults},
                                                           {QLatin1String("NextToken"),
                                                            next < matching.size()
                                                                    ? QString::number(next)
                                                                    : QString()}}));
    return {};
}

SandboxService::Canceller SandboxService::setLabel(const Call &call)
{
    if (!call.session) {
        notFound(call);
        return {};
    }
    const auto labels = labelsFrom(call.request.field(QStringLiteral("Labels")).value_or(QString()));
    if (!labels || labels->isEmpty()) {
        respondError(call.respond, 400, call.requestId, QStringLiteral("InvalidParameter.Labels"),
                     tr("Labels must be a non-empty JSON object of strings."));
        return {};
    }
    call.session->labels = *labels;
    call.respond(200, ResponseEnvelope::successBody(call.requestId, QJsonValue::Undefined));
    return {};
}

SandboxService::Canceller SandboxService::getLabel(const Call &call)
{
    if (!call.session) {
        notFound(call);
        return {};
    }
    call.respond(200,
                 ResponseEnvelope::successBody(call.requestId,
                                               QJsonObject{{QLatin1String("Labels"),
                                                            labelsJson(call.session->labels)}}));
    return {};
}

SandboxService::Canceller SandboxService::pauseOrResume(const Call &call)
{
    if (!call.session) {
        notFound(call);
        return {};
    }
    const bool pause = call.action == QLatin1String("PauseSessionAsync");
    if (pause
        && (call.session->activeRuns() > 0 || m_scheduler->waitingIn(call.session->id()) > 0)) {
        respondError(call.respond, 400, call.requestId, QStringLiteral("IncorrectSessionStatus"),
                     tr("The session is running code; stop the run before pausing it."));
        return {};
    }
    call.session->setPaused(pause);
    call.respond(200, ResponseEnvelope::successBody(call.requestId, QJsonValue::Undefined));
    return {};
}

SandboxService::Canceller SandboxService::callTool(SandboxSession *session,
                                                   const RpcRequest &request,
                                                   const QString &requestId,
                                                   const Responder &respond,
                                                   const Progress &progress)
{
    // The session was looked up once, by handle(), from the body or the query: never again here.
    const QString tool = request.field(QStringLiteral("Name")).value_or(QString());
    QJsonParseError parseError;
    const QJsonDocument args = QJsonDocument::fromJson(request.field(QStringLiteral("Args"))
                                                               .value_or(QStringLiteral("{}"))
                                                               .toUtf8(),
                                                       &parseError);
    if (parseError.error != QJsonParseError::NoError || !args.isObject()) {
        respond(200, toolAnswer(requestId,
                                tr("Args is not a JSON object: %1").arg(parseError.errorString()),
                                true));
        return {};
    }
    const QJsonObject object = args.object();
    if (tool == QLatin1String("shell"))
        return runShell(session, object, requestId, respond);
    if (fileToolNames().contains(tool))
        return runFileTool(session, tool, object, requestId, respond);
    if (tool != QLatin1String("run_code") || !toolsOf(session->imageId).contains(tool)) {
        respond(200, toolAnswer(requestId,
                                tr("the tool '%1' is not served on a %2 session: %3")
                                        .arg(tool, session->imageId, servedSummary()),
                                true));
        return {};
    }
    const QString rawLanguage = object.value(QLatin1String("language")).toString();
    const auto language = Rules::normalizeLanguage(rawLanguage);
    if (!language) {
        respond(200, toolAnswer(requestId, Rules::unsupportedLanguageMessage(rawLanguage), true));
        return {};
    }
    const int timeout = object.value(QLatin1String("timeout_s")).toInt(Rules::DefaultTimeoutSeconds);
    if (const QString problem = Rules::timeoutProblem(timeout); !problem.isEmpty()) {
        respond(200, toolAnswer(requestId, problem, true));
        return {};
    }
    if (!session->kernel(*language)) {
        const protocol::LanguageInfo &info = protocol::Languages::info(
                protocol::Languages::fromNameOr(*language));
        respond(200, toolAnswer(requestId,
                                info.kernelPackages.isEmpty()
                                        ? tr("%1 runs in the AgentBay cloud; the local sandbox has "
                                             "no %1 kernel")
                                                  .arg(info.displayName)
                                        : tr("no %1 interpreter is available to the local sandbox: "
                                             "install Debian's %2 on this machine")
                                                  .arg(info.displayName, info.kernelPackages),
                                true));
        return {};
    }

    // What one run_code call holds while it waits, runs and answers.
    struct Pending
    {
        quint64 ticket = 0;
        quint64 runId = 0;
        QPointer<KernelProcess> kernel; // set once it started
        bool callerLeft = false;        // no answer is sent then
        QList<QMetaObject::Connection> connections;
        QPointer<QTimer> waitingBeat; // a streamed run's "queued" events while it waits

        void stopBeat() const { delete waitingBeat.data(); }

        void disconnectAll()
        {
            for (const QMetaObject::Connection &connection : std::as_const(connections))
                QObject::disconnect(connection);
            connections.clear();
        }
    };
    auto pending = std::make_shared<Pending>();
    const QPointer<SandboxSession> liveSession(session);
    const QString code = object.value(QLatin1String("code")).toString();
    const QString canonical = *language;
    RunScheduler *scheduler = m_scheduler;
    // Started when the scheduler admits it: the timeout counts from here. Its slot is held
    // until the kernel says the run is over, even when the caller left and it was interrupted.
    auto start =
            [this, pending, liveSession, code, canonical, timeout, requestId, respond, progress,
             scheduler](quint64 ticket) {
                if (pending->waitingBeat) { // it waited, and said so: now it starts
                    pending->stopBeat();
                    progress(QJsonObject{{QLatin1String("type"), QStringLiteral("started")}});
                }
                KernelProcess *kernel = liveSession ? liveSession->kernel(canonical) : nullptr;
                if (!kernel) {
                    scheduler->finish(ticket);
                    if (!pending->callerLeft)
                        respond(200,
                                toolAnswer(requestId,
                                           tr("the session was deleted before the run could start"),
                                           true));
                    return;
                }
                const quint64 runId = kernel->submit(code, timeout);
                pending->runId = runId;
                pending->kernel = kernel;
                if (progress) {
                    pending->connections
                            << connect(kernel, &KernelProcess::displayed, this,
                                       [runId, progress](quint64 id, const QJsonObject &bundle) {
                                           if (id == runId)
                                               progress(QJsonObject{{QLatin1String("type"),
                                                                     QStringLiteral("display")},
                                                                    {QLatin1String("data"),
                                                                     bundle}});
                                       });
                    pending->connections
                            << connect(kernel, &KernelProcess::output, this,
                                       [runId, progress](quint64 id, bool isStderr,
                                                         const QString &text) {
                                           if (id != runId)
                                               return;
                                           progress(QJsonObject{{QLatin1String("type"),
                                                                 isStderr ? QStringLiteral("stderr")
                                                                          : QStringLiteral(
                                                                                  "stdout")},
                                                                {QLatin1String("text"), text}});
                                       });
                }
                pending->connections
                        << connect(kernel, &KernelProcess::finished, this,
                                   [pending, runId, requestId, respond, scheduler,
                                    ticket](quint64 id, const protocol::RunCodeResult &result) {
                                       if (id != runId)
                                           return;
                                       pending->disconnectAll();
                                       scheduler->finish(ticket);
                                       if (pending->callerLeft)
                                           return;
                                       // A code error is isError:true, as the cloud
                                       // answers it: the TypeScript SDK still parses the
                                       // text, and the Python SDK's error_message is it.
                                       respond(200, toolAnswer(requestId,
                                                               protocol::CodeResultCodec::toToolText(
                                                                       result),
                                                               !result.executionError.isEmpty()));
                                   });
                // A kernel that goes away without a word still gives its slot back.
                pending->connections << connect(kernel, &QObject::destroyed, scheduler,
                                                [scheduler, ticket] { scheduler->finish(ticket); });
            };
    pending->ticket = m_scheduler->submit(session->id(),
                                          session->id() + QLatin1Char('/') + canonical, start);
    if (pending->ticket == 0) {
        respond(200, toolAnswer(requestId,
                                tr("the sandbox is busy: %1 runs are running (its limit) and %2 "
                                   "are waiting for their turn, the most it queues; try again "
                                   "when one ends")
                                        .arg(m_scheduler->running())
                                        .arg(m_scheduler->waiting()),
                                true));
        return {};
    }
    if (progress && !pending->kernel && m_scheduler->isWaiting(pending->ticket)) {
        // A streamed run that waits says so now and every few seconds: the client sees why
        // nothing comes yet, and its connection never sits silent past its transfer timeout.
        const auto beat = [progress, scheduler] {
            progress(QJsonObject{{QLatin1String("type"), QStringLiteral("queued")},
                                 {QLatin1String("running"), scheduler->running()},
                                 {QLatin1String("waiting"), scheduler->waiting()}});
        };
        beat();
        pending->waitingBeat = new QTimer(this);
        connect(pending->waitingBeat, &QTimer::timeout, this, beat);
        pending->waitingBeat->start(QueuedBeatMs);
    }
    return [pending, scheduler] {
        if (pending->callerLeft)
            return;
        pending->callerLeft = true;
        pending->stopBeat();
        if (!pending->kernel) {
            scheduler->finish(pending->ticket); // still waiting: it leaves the queue
            return;
        }
        pending->kernel->cancel(pending->runId); // its finished() frees the slot
    };
}

QByteArray SandboxService::statusBody() const
{
    return QJsonDocument(QJsonObject{{QStringLiteral("runningRuns"), m_scheduler->running()},
                                     {QStringLiteral("waitingRuns"), m_scheduler->waiting()},
                                     {QStringLiteral("maxConcurrentRuns"), m_scheduler->limit()},
                                     {QStringLiteral("maxWaitingRuns"), m_scheduler->maxWaiting()},
                                     {QStringLiteral("sessions"),
                                      static_cast<int>(m_sessions->sessions().size())}})
            .toJson(QJsonDocument::Compact);
}

SandboxService::Canceller SandboxService::getMcpResource(const Call &call)
{
    if (!call.session) {
        notFound(call);
        return {};
    }
    // No remote desktop here: the fields are there, empty, as for a headless cloud session.
    const QString id = call.session->id();
    const QJsonObject desktop{{QLatin1String("AppId"), QString()},
                              {QLatin1String("AuthCode"), QString()},
                              {QLatin1String("ConnectionProperties"), QString()},
                              {QLatin1String("ResourceId"), resourceIdOf(id)},
                              {QLatin1String("ResourceType"), QStringLiteral("local")},
                              {QLatin1String("Ticket"), QString()}};
    call.respond(200,
                 ResponseEnvelope::successBody(call.requestId,
                                               QJsonObject{{QLatin1String("SessionId"), id},
                                                           {QLatin1String("ResourceUrl"), QString()},
                                                           {QLatin1String("DesktopInfo"),
                                                            desktop}}));
    return {};
}

SandboxService::Canceller SandboxService::listMcpTools(const Call &call)
{
    // The TypeScript SDK asks for linux_latest's tools unless told otherwise.
    const QString image = call.request.field(QStringLiteral("ImageId")).value_or(LinuxImage);
    const QStringList names = toolsOf(image);
    if (names.isEmpty()) {
        respondError(call.respond, 400, call.requestId,
                     QStringLiteral("InvalidImageId.NotSupported"),
                     tr("The image '%1' is not available here: %2.").arg(image, servedSummary()));
        return {};
    }
    QJsonArray tools;
    for (const QString &name : names) {
        const QString server = name == QLatin1String("run_code")
                                       ? QStringLiteral("wuying_codespace")
                                       : QStringLiteral("wuying_shell");
        tools.append(QJsonObject{{QLatin1String("name"), name},
                                 {QLatin1String("server"), server},
                                 {QLatin1String("tool"), name},
                                 {QLatin1String("description"), QString()},
                                 {QLatin1String("inputSchema"), QJsonObject{}}});
    }
    // Data is a JSON string holding the array, as the cloud sends it.
    call.respond(200, ResponseEnvelope::successBody(call.requestId,
                                                    QString::fromUtf8(QJsonDocument(tools).toJson(
                                                            QJsonDocument::Compact))));
    return {};
}

SandboxService::Canceller SandboxService::assistCode(const Call &call)
{
    static const QStringList kinds{QStringLiteral("complete"), QStringLiteral("signature"),
                                   QStringLiteral("doc"), QStringLiteral("lint"),
                                   QStringLiteral("warm")};
    const RpcRequest &request = call.request;
    const QString kind = request.field(QStringLiteral("Kind")).value_or(QString());
    if (!kinds.contains(kind)) {
        respondError(call.respond, 400, call.requestId, QStringLiteral("InvalidParameter"),
                     tr("Kind must be one of %1.").arg(kinds.join(QStringLiteral(", "))));
        return {};
    }
    const auto language = protocol::Languages::fromName(
            request.field(QStringLiteral("Language")).value_or(QString()));
    const QString canonical = language ? protocol::Languages::info(*language).name : QString();
    if (canonical != QLatin1String("python") && canonical != QLatin1String("javascript")) {
        // Nothing to offer for this language: an empty answer, not an error.
        call.respond(200, ResponseEnvelope::successBody(call.requestId,
                                                        QJsonObject{{QLatin1String("source"),
                                                                     QLatin1String("none")}}));
        return {};
    }
    // The session's own kernel when it is up and can answer now (the Python driver answers
    // during a run; the JavaScript one only between runs); else the analysis machine's kernel,
    // which reads the buffer alone.
    KernelProcess *kernel = nullptr;
    bool live = false;
    SandboxSession *session = call.session;
    if (session && !session->isPaused()) {
        KernelProcess *own = session->existingKernel(canonical);
        if (own && own->isStarted() && (canonical == QLatin1String("python") || !own->isBusy())) {
            kernel = own;
            live = true;
        }
    }
    if (!kernel) {
        SandboxSession *analysis = m_sessions->analysisSession();
        kernel = analysis ? analysis->kernel(canonical) : nullptr;
    }
    if (!kernel) {
        call.respond(200, ResponseEnvelope::successBody(call.requestId,
                                                        QJsonObject{{QLatin1String("source"),
                                                                     QLatin1String("none")}}));
        return {};
    }
    // The buffer: sent whole, or as an edit of one an earlier request sent.
    QString code = request.field(QStringLiteral("Code")).value_or(QString());
    if (const auto base = request.field(QStringLiteral("BaseToken"))) {
        const auto held = m_assistBuffers.constFind(*base);
        std::optional<QString> edited;
        if (held != m_assistBuffers.constEnd()) {
            protocol::AssistBufferEdit edit;
            edit.baseToken = *base;
            edit.at = request.field(QStringLiteral("EditAt")).value_or(QString()).toInt();
            edit.removed = request.field(QStringLiteral("EditRemoved")).value_or(QString()).toInt();
            edit.inserted = request.field(QStringLiteral("EditInserted")).value_or(QString());
            edited = protocol::AssistCodec::applyEdit(*held, edit);
        }
        if (!edited) {
            respondError(call.respond, 400, call.requestId,
                         QStringLiteral("InvalidParameter.BufferUnknown"),
                         tr("The sandbox does not hold the buffer %1 (or the edit does not fit "
                            "it): send the whole Code.")
                                 .arg(*base));
            return {};
        }
        code = *edited;
    }
    const QString token = QString::fromLatin1(protocol::RandomToken::hex(8));
    m_assistBuffers.insert(token, code);
    m_assistBufferOrder.append(token);
    m_assistBufferCharacters += code.size();
    while (m_assistBufferOrder.size() > KeptAssistBuffers
           || (m_assistBufferCharacters > KeptAssistCharacters && m_assistBufferOrder.size() > 1))
        m_assistBufferCharacters -= m_assistBuffers.take(m_assistBufferOrder.takeFirst()).size();
    QJsonObject toKernel{{QLatin1String("kind"), kind},
                         {QLatin1String("code"), code},
                         {QLatin1String("line"),
                          request.field(QStringLiteral("Line")).value_or(QString()).toInt()},
                         {QLatin1String("column"),
                          request.field(QStringLiteral("Column")).value_or(QString()).toInt()},
                         {QLatin1String("static"), !live}};
    const QString path = request.field(QStringLiteral("Path")).value_or(QString());
    if (!path.isEmpty())
        toKernel.insert(QLatin1String("path"), path);

    auto *waiter = new QObject(this);
    auto *timer = new QTimer(waiter);
    timer->setSingleShot(true);
    const quint64 id = kernel->assist(toKernel);
    const Responder respond = call.respond;
    const QString requestId = call.requestId;
    const QString source = live ? QStringLiteral("session") : QStringLiteral("static");
    // Answered once: by the kernel, or by the timer; a waiter deleted later hears nothing more.
    auto done = std::make_shared<bool>(false);
    connect(kernel, &KernelProcess::assisted, waiter,
            [waiter, done, id, respond, requestId, source, token](quint64 answered,
                                                                  const QJsonObject &answer) {
                if (answered != id || *done)
                    return;
                *done = true;
                waiter->deleteLater();
                QJsonObject data = answer;
                data.insert(QLatin1String("source"), source);
                data.insert(QLatin1String("bufferToken"), token);
                respond(200, ResponseEnvelope::successBody(requestId, data));
            });
    connect(timer, &QTimer::timeout, waiter, [this, waiter, done, respond, requestId] {
        if (*done)
            return;
        *done = true;
        waiter->deleteLater();
        respondError(respond, 504, requestId, QStringLiteral("AssistTimeout"),
                     tr("The kernel did not answer the assist request within %1 ms.")
                             .arg(AssistTimeoutMs));
    });
    // The session went (deleted, released) before its kernel answered.
    connect(kernel, &QObject::destroyed, waiter, [this, waiter, done, respond, requestId] {
        if (*done)
            return;
        *done = true;
        waiter->deleteLater();
        respondError(respond, 503, requestId, QStringLiteral("AssistUnavailable"),
                     tr("The kernel ended before it answered the assist request."));
    });
    timer->start(AssistTimeoutMs);
    QPointer<QObject> guard(waiter);
    return [guard, done] {
        *done = true;
        if (guard)
            guard->deleteLater();
    };
}

SandboxService::Canceller SandboxService::getLink(const Call &call)
{
    if (!call.session) {
        notFound(call);
        return {};
    }
    respondError(call.respond, 400, call.requestId, QStringLiteral("InvalidAction.NotSupported"),
                 tr("The local sandbox gives no links into a session: its network is closed. "
                    "GetLink needs the AgentBay cloud."));
    return {};
}

SandboxService::Canceller SandboxService::runShell(SandboxSession *session, const QJsonObject &args,
                                                   const QString &requestId,
                                                   const Responder &respond)
{
    const QString command = args.value(QLatin1String("command")).toString();
    if (command.isEmpty()) {
        respond(200, toolAnswer(requestId, tr("shell needs a command"), true));
        return {};
    }
    // The SDKs send at most 50 s, under the gateway's 60 s.
    const int timeoutMs = std::clamp(args.value(QLatin1String("timeout_ms")).toInt(50000), 1, 50000);
    const QString workspace = session->isolation().visibleWorkspace(session->workspace());
    QString cwd = args.value(QLatin1String("cwd")).toString();
    if (!cwd.isEmpty()) {
        cwd = QDir::cleanPath(QDir(workspace).absoluteFilePath(cwd));
        // Under bubblewrap the session is a machine of its own (/tmp, home, the read-only
        // system); without it, the host is around, so commands stay in the workspace.
        if (!session->isolation().usesBubblewrap() && cwd != workspace
            && !cwd.startsWith(workspace + QLatin1Char('/'))) {
            respond(200, toolAnswer(requestId,
                                    tr("cwd %1 is outside the session workspace").arg(cwd), true));
            return {};
        }
    }
    QList<QPair<QString, QString>> environment;
    const QJsonObject envs = args.value(QLatin1String("envs")).toObject();
    for (auto it = envs.begin(); it != envs.end(); ++it)
        environment.append({it.key(), it.value().toString()});

    auto *process = new ToolProcess(session->isolation(), session->uid(), session->workspace(),
                                    session);
    connect(process, &ToolProcess::finished, this,
            [process, requestId, respond, timeoutMs](const ToolProcess::Outcome &outcome) {
                process->deleteLater();
                QJsonObject answer{{QLatin1String("stdout"), outcome.stdoutText},
                                   {QLatin1String("stderr"), outcome.stderrText},
                                   {QLatin1String("traceId"), QString()}};
                const bool failed = outcome.timedOut || !outcome.failure.isEmpty();
                // A timeout leaves the command's own output as it was (the SDKs' tests expect
                // nothing added to it) and says so beside it.
                if (outcome.timedOut)
                    answer.insert(QLatin1String("errorMessage"),
                                  tr("command timed out after %1 ms").arg(timeoutMs));
                if (!outcome.failure.isEmpty())
                    answer.insert(QLatin1String("stderr"), outcome.failure);
                // The SDKs read exit_code on success and errorCode when isError is set.
                answer.insert(failed ? QLatin1String("errorCode") : QLatin1String("exit_code"),
                              failed ? (outcome.timedOut ? 124 : 127) : outcome.exitCode);
                respond(200, toolAnswer(requestId,
                                        QString::fromUtf8(QJsonDocument(answer).toJson(
                                                QJsonDocument::Compact)),
                                        failed));
            });
    process->start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), command}, {}, timeoutMs, cwd,
                   environment);
    QPointer<ToolProcess> guard(process);
    return [guard] {
        if (guard) {
            guard->cancel();
            guard->deleteLater();
        }
    };
}

SandboxService::Canceller SandboxService::runFileTool(SandboxSession *session, const QString &tool,
                                                      const QJsonObject &args,
                                                      const QString &requestId,
                                                      const Responder &respond)
{
    const QString python = KernelSpec::interpreterFor(protocol::Languages::name(
                                                              protocol::Language::Python),
                                                      m_config.pythonInterpreter);
    if (python.isEmpty() || m_config.drivers.fileTool.isEmpty()) {
        respond(200, toolAnswer(requestId, tr("file tools need a Python interpreter"), true));
        return {};
    }
    const QJsonObject input{{QLatin1String("tool"), tool},
                            {QLatin1String("args"), args},
                            {QLatin1String("workspace"),
                             session->isolation().visibleWorkspace(session->workspace())},
                            {QLatin1String("maxBytes"), m_config.maxOutputCharacters},
                            // Confined: bubblewrap is the guard, and any path of the session's
                            // machine is the tool's to use; otherwise only the workspace is.
                            {QLatin1String("confined"), session->isolation().usesBubblewrap()},
                            {QLatin1String("state"), session->fileToolState}};
    auto *process = new ToolProcess(session->isolation(), session->uid(), session->workspace(),
                                    session);
    connect(process, &ToolProcess::finished, this,
            [process, requestId, respond, keepsState = tool == QLatin1String("get_file_change"),
             owner = QPointer<SandboxSession>(session)](const ToolProcess::Outcome &outcome) {
                process->deleteLater();
                const QJsonObject answer = QJsonDocument::fromJson(outcome.stdoutText.toUtf8())
                                                   .object();
                const QJsonValue state = answer.value(QLatin1String("state"));
                if (keepsState && owner && state.isObject())
                    owner->fileToolState = state.toObject();
                if (answer.isEmpty()) {
                    const QString why = outcome.failure.isEmpty() ? outcome.stderrText.right(500)
                                                                  : outcome.failure;
                    respond(200,
                            toolAnswer(requestId, tr("the file tool failed: %1").arg(why), true));
                    return;
                }
                respond(200, toolAnswer(requestId, answer.value(QLatin1String("text")).toString(),
                                        answer.value(QLatin1String("isError")).toBool()));
            });
    process->start(python, {QStringLiteral("-I"), QStringLiteral("-c"), m_config.drivers.fileTool},
                   QJsonDocument(input).toJson(QJsonDocument::Compact), 20000);
    QPointer<ToolProcess> guard(process);
    return [guard] {
        if (guard) {
            guard->cancel();
            guard->deleteLater();
        }
    };
}

} // namespace agentbay::sandbox
