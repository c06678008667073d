// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/apierror.h"
#include "protocol/runcoderesult.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QQueue>

class QTimer;

namespace agentbay::client {

class AgentBayClient;
class ApiCall;

// One AgentBay code session and its lifecycle, as states the UI can show. Created on first use;
// runs are sent one at a time in the order asked; remove() deletes it and polls until the
// backend confirms (FINISH or NotFound) or the bound passes.
class Session final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Session)

public:
    enum class State { NotStarted, Creating, Ready, Running, Deleting, Deleted, Failed };
    Q_ENUM(State)

    explicit Session(AgentBayClient *client, QObject *parent = nullptr);
    ~Session() override;

    State state() const { return m_state; }
    QString id() const { return m_id; }
    static QString stateName(State state);

    // Queues a run; creates the session first when needed. Invalid language or timeout fail at
    // once (asynchronously) without a request. Returns the run id used in runFinished().
    quint64 runCode(const QString &code, const QString &language, int timeoutSeconds);
    // Cancels queued runs and aborts the one in flight (its request is dropped).
    void cancelRuns();
    // Deletes the session; removed(confirmed) follows. Bounded by pollLimitMs.
    void remove(int pollLimitMs = 300000);

Q_SIGNALS:
    void stateChanged(agentbay::client::Session::State state);
    void created(const QString &sessionId, const QString &requestId);
    void creationFailed(const agentbay::protocol::ApiError &error);
    void runStarted(quint64 runId);
    void runFinished(quint64 runId, const agentbay::protocol::RunCodeResult &result);
    void removed(bool confirmed);

private:
    struct PendingRun
    {
        quint64 id = 0;
        QString code;
        QString language;
        int timeoutSeconds = 0;
    };

    ApiCall *adopt(ApiCall *call);
    void setState(State state);
    void create();
    void sendNext();
    void finishRun(quint64 runId, const protocol::RunCodeResult &result);
    void failQueued(const protocol::ApiError &error);
    void pollDeletion();

    AgentBayClient *m_client;
    State m_state = State::NotStarted;
    QString m_id;
    QQueue<PendingRun> m_queue;
    QPointer<ApiCall> m_inFlight;
    quint64 m_inFlightRun = 0;
    quint64 m_nextRunId = 1;
    QTimer *m_pollTimer;
    QDateTime m_pollDeadline;
    bool m_removeRequested = false;
    int m_removeLimitMs = 0;
};

} // namespace agentbay::client
