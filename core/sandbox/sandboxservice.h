// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandboxconfig.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>

#include <functional>

namespace agentbay::protocol {
class RpcRequest;
}

namespace agentbay::sandbox {

class RuntimeProbe;
class SandboxSession;
class RunScheduler;
class SessionRegistry;

// The AgentBay actions of the local sandbox, independent of HTTP: a decoded RpcRequest in, an
// HTTP status and envelope body out (now, or later for run_code).
class SandboxService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SandboxService)

public:
    using Responder = std::function<void(int httpStatus, const QByteArray &body)>;
    using Canceller = std::function<void()>;
    // The streaming extension: one event of a run in progress, as a JSON object
    // ({"type":"stdout"|"stderr","text":…}); empty when the client did not ask for it.
    using Progress = std::function<void(const QJsonObject &event)>;

    explicit SandboxService(const SandboxConfig &config, QObject *parent = nullptr);
    ~SandboxService() override;

    // Answers through respond exactly once. The returned canceller (may be empty) aborts a call
    // whose client went away; respond is then not called. With progress, a run_code call also
    // reports its output as it is produced, before the answer (which is the same either way).
    // With assist (the client sent the extension's header), the AssistCode action is served;
    // without it that action does not exist, as on AgentBay.
    Canceller handle(const protocol::RpcRequest &request, Responder respond, Progress progress = {},
                     bool assist = false);
    // How long an assist request may take in a kernel before it is answered with an error.
    static constexpr int AssistTimeoutMs = 5000;

    SessionRegistry *sessions() const { return m_sessions; }
    RunScheduler *scheduler() const { return m_scheduler; }
    // A streamed run waiting for a slot gets a {"type":"queued"} event this often.
    static constexpr int QueuedBeatMs = 5000;
    // The sandbox's load, for GET /status: {"runningRuns","waitingRuns","maxConcurrentRuns",
    // "maxWaitingRuns","sessions"}.
    QByteArray statusBody() const;

private:
    // One request on its way through: what every action handler gets.
    struct Call
    {
        const protocol::RpcRequest &request;
        QString action;
        QString requestId;
        QString sessionId;       // from the body, else the query
        SandboxSession *session; // the live session it names, or null
        Responder respond;
        Progress progress; // empty unless the client asked for streamed output
    };
    // The editor's requests (completion, signature, documentation, lint), README "assist".
    Canceller assistCode(const Call &call);
    struct Action;
    // The actions served, by name: the dispatch table.
    static const QHash<QString, Action> &actions();

    Canceller createSession(const Call &call);
    Canceller callMcpTool(const Call &call);
    Canceller getSession(const Call &call);
    Canceller deleteSession(const Call &call);
    Canceller listSessions(const Call &call);
    Canceller setLabel(const Call &call);
    Canceller getLabel(const Call &call);
    Canceller pauseOrResume(const Call &call);
    Canceller getMcpResource(const Call &call);
    Canceller listMcpTools(const Call &call);
    Canceller getLink(const Call &call);
    void notFound(const Call &call) const;

    Canceller callTool(SandboxSession *session, const protocol::RpcRequest &request,
                       const QString &requestId, const Responder &respond,
                       const Progress &progress);
    Canceller runShell(SandboxSession *session, const QJsonObject &args, const QString &requestId,
                       const Responder &respond);
    Canceller runFileTool(SandboxSession *session, const QString &tool, const QJsonObject &args,
                          const QString &requestId, const Responder &respond);
    void respondError(const Responder &respond, int status, const QString &requestId,
                      const QString &code, const QString &message) const;

    // The buffers of recent assist requests by token, newest last: a later request may send an
    // edit of one of them instead of the whole text.
    QHash<QString, QString> m_assistBuffers;
    QStringList m_assistBufferOrder;
    qint64 m_assistBufferCharacters = 0;
    static constexpr int KeptAssistBuffers = 64;
    static constexpr qint64 KeptAssistCharacters = 16 * 1024 * 1024; // all of them together

    const SandboxConfig &m_config;
    SessionRegistry *m_sessions;
    RunScheduler *m_scheduler;
    RuntimeProbe *m_runtime;
};

} // namespace agentbay::sandbox
