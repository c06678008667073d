// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clientconfig.h"
#include "session.h"

#include "protocol/runcoderesult.h"

#include <QHash>
#include <QObject>
#include <QUrl>

class QTimer;

namespace agentbay::client {

class AgentBayClient;
class LocalSandboxLauncher;

// What a window or a script needs to run code: picks the backend (the local sandbox it starts,
// or an AgentBay endpoint), owns the session, queues runs until the backend is ready, and shuts
// everything down within a bound. The GUI and agentbay-run both drive this.
class RunController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunController)

public:
    explicit RunController(QObject *parent = nullptr);
    ~RunController() override;

    // Starts agentbay-sandbox on loopback; backendReady() or backendFailed() follows.
    void useLocalSandbox();
    // Talks to an AgentBay endpoint (cloud, or a sandbox someone else started).
    void useEndpoint(const ClientConfig &config);
    // Runs in an existing session instead of creating one (it is then kept at shutdown).
    void attachSession(const QString &sessionId);
    // Leaves the session running at shutdown (for the cloud: it keeps costing until deleted).
    void setKeepSession(bool keep) { m_keepSession = keep; }
    // Labels for the session this controller creates.
    void setSessionLabels(const QList<QPair<QString, QString>> &labels) { m_labels = labels; }

    bool isBackendReady() const { return m_backendReady; }
    bool isLocal() const { return m_launcher != nullptr; }
    QString backendDescription() const;
    Session *session() const { return m_session; }

    // Returns a run id; runFinished(runId, …) follows exactly once. If the local sandbox has
    // died, this starts it again.
    quint64 run(const QString &code, const QString &language, int timeoutSeconds);
    // Aborts what runs and drops what waits.
    void stop();
    // Deletes the session and ends the local sandbox; shutdownFinished() follows within boundMs.
    void shutdown(int boundMs = 3000);

Q_SIGNALS:
    void backendReady(const QString &description);
    void backendFailed(const QString &why);
    void sessionStateChanged(agentbay::client::Session::State state, const QString &sessionId);
    void runStarted(quint64 runId);
    void runFinished(quint64 runId, const agentbay::protocol::RunCodeResult &result);
    void shutdownFinished(bool sessionDeleted);

private:
    struct PendingRun
    {
        quint64 id;
        QString code;
        QString language;
        int timeoutSeconds;
    };

    void onBackendReady();
    void onLocalSandboxFailed(const QString &why);
    void submit(const PendingRun &run);
    void finishShutdown(bool sessionDeleted);

    AgentBayClient *m_client;
    LocalSandboxLauncher *m_launcher = nullptr;
    Session *m_session = nullptr;
    QTimer *m_shutdownBound;
    QList<PendingRun> m_waiting;      // runs asked before the backend was ready
    QHash<quint64, quint64> m_runIds; // session run id -> our run id
    quint64 m_nextRunId = 1;
    bool m_backendReady = false;
    bool m_backendFailed = false;
    bool m_shuttingDown = false;
    bool m_shutdownDone = false;
    bool m_sessionDeleted = false;
    bool m_keepSession = false;
    QString m_attachId;
    QList<QPair<QString, QString>> m_labels;
};

} // namespace agentbay::client
