// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/actionresults.h"
#include "protocol/apierror.h"
#include "protocol/runcoderesult.h"

#include <QDeadlineTimer>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QQueue>

#include <functional>

class QTimer;

namespace agentbay::client {

class AgentBayApi;
class ApiCall;
struct ApiCallResult;

// One AgentBay code session and its lifecycle, as states the UI can show. Created on first use
// (or attached to by id); runs and tool calls are sent one at a time in the order asked, over the
// LinkUrl data plane when the backend offered it, else CallMcpTool.
//
// The lifecycle is one state machine with at most one lifecycle request in flight (create,
// attach, pause, resume, delete, or a poll of one of them), each bounded by a monotonic deadline:
//
//   NotStarted --run/tool--> Creating --created--> Ready <--send/answer--> Running
//   NotStarted --attach----> Creating --found-----> Ready | Paused
//                            Creating --error-----> Failed    (queued work fails; a run retries)
//                            Creating(attach) --gone (NotFound, FINISH, DELETED)--> Deleted
//                            Creating(attach) --DELETING--> Deleting (followed to its end)
//   Ready  --pause--> Pausing  --PAUSED--> Paused  --resume--> Resuming --RUNNING--> Ready
//                     Pausing  --error, other state, deadline--> Ready
//                     Resuming --error, other state, deadline--> Paused
//   any    --remove--> Deleting --FINISH, DELETED, NotFound--> Deleted
//                      Deleting --error, deadline--> Failed  (the id is kept: remove() retries)
//   Failed --run--> Creating (a fresh session)
//
// When two calls overlap:
// - remove() wins over everything. It fails queued work, aborts the run or tool call in flight,
//   abandons a pause or resume (paused/resumed(false, why) follows) or an attach, and deletes.
//   While the session is still being created it waits for the id, then deletes (or, if creation
//   fails, reports removed(true): nothing exists). removed() follows exactly once per deletion;
//   remove() while Deleting joins the deletion in progress, and does nothing once Deleted.
// - pause() needs Ready and resume() needs Paused, with no lifecycle request in flight; anything
//   else is refused at once with paused/resumed(false, why). A run in flight refuses pause().
// - runs and tool calls asked while Creating, Pausing, Paused or Resuming wait in order and are
//   sent once the session is Ready; while Deleting or Deleted they fail at once.
// - Answers of a request that was abandoned are ignored, whenever they arrive.
class Session final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Session)

public:
    enum class State {
        NotStarted,
        Creating,
        Ready,
        Running,
        Pausing,
        Paused,
        Resuming,
        Deleting,
        Deleted,
        Failed
    };
    Q_ENUM(State)

    explicit Session(AgentBayApi *api, QObject *parent = nullptr);
    ~Session() override;

    State state() const { return m_state; }
    QString id() const { return m_id; }
    // What create returned: resource URL, LinkUrl, token and tool list (empty when attached).
    const protocol::CreatedSession &details() const { return m_created; }
    static QString stateName(State state);

    // Labels sent with CreateMcpSession; set before the first run.
    void setLabels(const QList<QPair<QString, QString>> &labels) { m_labels = labels; }
    // Uses an existing session instead of creating one; attached(ok) follows (GetSession).
    void attach(const QString &sessionId);

    // The id the next runCode() or callTool() will return.
    quint64 nextRunId() const { return m_nextId; }
    // Queues a run; creates the session first when needed. Invalid language or timeout fail at
    // once (asynchronously) without a request. Returns the id used in runFinished().
    quint64 runCode(const QString &code, const QString &language, int timeoutSeconds);
    // Queues any tool call (shell, read_file, …); toolFinished(id, …) follows.
    quint64 callTool(const QString &tool, const QJsonObject &args, int timeoutMs = 60000);
    // The file tools the panes use, with the SDKs' argument names; toolFinished() answers.
    quint64 readFile(const QString &path);
    quint64 writeFile(const QString &path, const QString &content,
                      const QString &mode = QStringLiteral("overwrite"));
    quint64 listDirectory(const QString &path);
    // The shell tool; ActionResults::parseShell reads its answer.
    quint64 runShell(const QString &command, int timeoutMs = 50000, const QString &cwd = {});
    // Cancels queued work and aborts what is in flight (its request is dropped).
    void cancelRuns();
    // Deletes the session; removed(confirmed) follows. Bounded by pollLimitMs.
    void remove(int pollLimitMs = 300000);
    // PauseSessionAsync / ResumeSessionAsync, then GetSession every pollIntervalMs until
    // PAUSED / RUNNING (PAUSING / RESUMING tolerated); paused(ok, why) / resumed(ok, why).
    void pause(int pollIntervalMs = 2000, int limitMs = 600000);
    void resume(int pollIntervalMs = 2000, int limitMs = 600000);

Q_SIGNALS:
    void stateChanged(agentbay::client::Session::State state);
    void created(const QString &sessionId, const QString &requestId);
    void creationFailed(const agentbay::protocol::ApiError &error);
    void attached(bool ok, const QString &why);
    void runStarted(quint64 runId);
    // Output of a run in progress, when the backend streams it (the local sandbox does).
    void runOutput(quint64 runId, bool isStderr, const QString &text);
    // A display()ed value or figure of a run in progress (streaming backends).
    void runDisplay(quint64 runId, const agentbay::protocol::MimeBundle &bundle);
    void runFinished(quint64 runId, const agentbay::protocol::RunCodeResult &result);
    void toolFinished(quint64 callId, const agentbay::protocol::ToolResult &result,
                      const agentbay::protocol::ApiError &error);
    void removed(bool confirmed);
    void paused(bool ok, const QString &why);
    void resumed(bool ok, const QString &why);

private:
    struct Pending
    {
        quint64 id = 0;
        bool isRun = true;
        QString code;     // run
        QString language; // run
        int timeoutSeconds = 0;
        QString tool; // tool call
        QJsonObject args;
        int timeoutMs = 0;
    };

    // The lifecycle request in flight, if any.
    enum class Step { None, Create, Attach, Pause, Resume, Delete };

    ApiCall *adopt(ApiCall *call);
    ApiCall *sendTool(const QString &tool, const QJsonObject &args, int timeoutMs);
    void setState(State state);
    void create();
    void enqueue(const Pending &pending);
    void sendNext();
    void finishRun(quint64 runId, const protocol::RunCodeResult &result);
    void finishTool(quint64 callId, const protocol::ToolResult &result,
                    const protocol::ApiError &error);
    void failQueued(const QString &why, bool cancelled = false);
    // Sends a lifecycle request as the step in flight; onAnswer runs only if the step is still
    // current when the answer arrives.
    void startStep(Step step, ApiCall *call, std::function<void(const ApiCallResult &)> onAnswer);
    // Drops the lifecycle request or poll in flight: its answer, if it comes, is ignored.
    void abandonStep();
    void startDeletion(int limitMs);
    void pollDeletion();
    void finishDeletion(bool confirmed, State state);
    void changePauseState(bool pausing, int pollIntervalMs, int limitMs);
    void pollPauseState(bool pausing);
    void finishPauseChange(bool pausing, bool ok, const QString &why);

    AgentBayApi *m_api;
    State m_state = State::NotStarted;
    QString m_id;
    protocol::CreatedSession m_created;
    QList<QPair<QString, QString>> m_labels;
    QQueue<Pending> m_queue;
    QPointer<ApiCall> m_inFlight; // the run or tool call being answered
    quint64 m_nextId = 1;
    Step m_step = Step::None;
    QPointer<ApiCall> m_stepCall;
    quint64 m_stepToken = 0; // changes whenever a step starts or is abandoned
    QTimer *m_pollTimer;
    QDeadlineTimer m_deadline; // of the step in flight
    int m_pollIntervalMs = 0;
    int m_deletionPolls = 0;
    bool m_removeRequested = false; // remove() asked while the id was not known yet
    int m_removeLimitMs = 0;
};

} // namespace agentbay::client
