// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clientconfig.h"
#include "session.h"

#include "protocol/runcoderesult.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonValue>
#include <QObject>
#include <QPointer>
#include <QSet>

class QTimer;

namespace agentbay::client {

class AgentBayClient;
class Backend;
class SessionTimeline;

// What a window tab or a script needs to run code: a backend (the local sandbox it starts, an
// AgentBay endpoint, or one shared with other tabs), the session it owns there, runs queued until
// the backend is ready, a timeline of the session's life, and a shutdown within a bound. The GUI
// and agentbay-run both drive this.
class RunController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunController)

public:
    explicit RunController(QObject *parent = nullptr);
    ~RunController() override;

    // Starts agentbay-sandbox on loopback (owned by this controller).
    void useLocalSandbox();
    // Talks to an AgentBay endpoint (cloud, or a sandbox someone else started); owned.
    void useEndpoint(const ClientConfig &config);
    // Uses a backend other controllers share; shutdown leaves it running.
    void useBackend(Backend *backend);
    // Runs in an existing session instead of creating one (it is then kept at shutdown).
    void attachSession(const QString &sessionId);
    // Leaves the session running at shutdown (for the cloud: it keeps costing until deleted).
    void setKeepSession(bool keep) { m_keepSession = keep; }
    // Labels for the session this controller creates.
    void setSessionLabels(const QList<QPair<QString, QString>> &labels) { m_labels = labels; }

    bool isBackendReady() const;
    bool isLocal() const;
    QString backendDescription() const;
    Backend *backend() const { return m_backend; }
    Session *session() const { return m_session; }
    SessionTimeline *timeline() const { return m_timeline; }
    // Where the session lives, for the cleanup record: the endpoint and region.
    ClientConfig backendConfig() const;

    // Returns a run id; runFinished(runId, …) follows exactly once. If the local sandbox has
    // died, this starts it again.
    quint64 run(const QString &code, const QString &language, int timeoutSeconds);
    // Aborts what runs and drops what waits. The local sandbox interrupts the code; AgentBay may
    // let it run on until its timeout (the timeline says so).
    void stop();
    // Deletes the session (in the background) and starts a fresh one on the next run.
    void restartSession();
    // Pauses an idle session (runs are refused while paused) or resumes it; the timeline and
    // sessionStateChanged() follow, and pauseChanged(ok, why) answers.
    void pauseSession();
    void resumeSession();
    // Deletes the session and, when owned, ends the backend; shutdownFinished() follows within
    // boundMs.
    void shutdown(int boundMs = 3000);

Q_SIGNALS:
    void backendReady(const QString &description);
    void backendFailed(const QString &why);
    void sessionStateChanged(agentbay::client::Session::State state, const QString &sessionId);
    void runStarted(quint64 runId);
    // Output of a run in progress (a streaming backend); runFinished() still carries it all.
    void runOutput(quint64 runId, bool isStderr, const QString &text);
    void runDisplay(quint64 runId, const agentbay::protocol::MimeBundle &bundle);
    void runFinished(quint64 runId, const agentbay::protocol::RunCodeResult &result);
    // sessionDeleted is false when a session may be left behind (not confirmed deleted).
    void shutdownFinished(bool sessionDeleted);
    void pauseChanged(bool paused, bool ok, const QString &why);
    // A session of this controller now exists on the backend / was removed from it (confirmed
    // or not): what the journal of live cloud sessions follows.
    void sessionCreated(const QString &sessionId);
    void sessionRemoved(const QString &sessionId, bool confirmed);

private:
    static constexpr int PausePollMs = 300;
    static constexpr int PauseLimitMs = 60000;
    static constexpr int RuntimeRetryMs = 500;
    static constexpr int RuntimeAsks = 40; // 20 s: the probes may take a while on a busy machine

    struct PendingRun
    {
        quint64 id;
        QString code;
        QString language;
        int timeoutSeconds;
    };

    void adoptBackend(Backend *backend, bool owned);
    void onBackendReady();
    void onBackendFailed(const QString &why);
    void newSession();
    void connectSession();
    void fetchIsolation();
    void recordRuntime(const QJsonValue &data, const QString &sessionId, const QString &requestId);
    void fetchRuntime();
    void submit(const PendingRun &run);
    void recordRunEnd(quint64 runId, const protocol::RunCodeResult &result);
    void finishShutdown(bool sessionDeleted);

    Backend *m_backend = nullptr;
    bool m_ownsBackend = false;
    QPointer<Session> m_session;
    SessionTimeline *m_timeline;
    QTimer *m_shutdownBound;
    QList<PendingRun> m_waiting;      // runs asked before the backend was ready
    QHash<quint64, quint64> m_runIds; // session run id -> our run id
    QHash<quint64, PendingRun> m_running;
    QElapsedTimer m_stepClock; // creating / deleting
    QHash<quint64, qint64> m_runStarts;
    QSet<quint64> m_firstOutputSeen; // runs whose first streamed output is in the timeline
    QElapsedTimer m_clock;
    quint64 m_nextRunId = 1;
    bool m_backendReadySeen = false;
    bool m_shuttingDown = false;
    bool m_shutdownDone = false;
    bool m_sessionDeleted = false;
    bool m_keepSession = false;
    bool m_runtimeKnown = true; // set by fetchIsolation when the backend has not said yet
    int m_runtimeAsks = 0;
    QString m_attachId;
    QList<QPair<QString, QString>> m_labels;
};

} // namespace agentbay::client
