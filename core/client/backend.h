// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clientconfig.h"

#include <QObject>

namespace agentbay::client {

class AgentBayApi;
class LocalSandboxLauncher;

// Where code runs: the local sandbox this app starts, or an AgentBay endpoint. One backend is
// shared by every session that uses it (each window tab owns a session, not a backend).
class Backend final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Backend)

public:
    enum class Kind { LocalSandbox, Endpoint };
    Q_ENUM(Kind)

    // Starts agentbay-sandbox on loopback; ready() or failed() follows.
    // streamOutput: ask for the sandbox's streamed run output when it offers it (README).
    static Backend *localSandbox(QObject *parent = nullptr, const QStringList &arguments = {},
                                 bool streamOutput = true);
    // An AgentBay endpoint (cloud, or a sandbox someone else started); ready() follows.
    static Backend *endpoint(const ClientConfig &config, QObject *parent = nullptr);
    // Any other implementation of the API (the tests' in-memory one), adopted; it reports as a
    // backend of the given kind and is ready at once.
    static Backend *over(AgentBayApi *api, Kind kind, QObject *parent = nullptr);
    ~Backend() override;

    Kind kind() const { return m_kind; }
    bool isLocal() const { return m_kind == Kind::LocalSandbox; }
    bool isReady() const { return m_ready; }
    bool hasFailed() const { return m_failed; }
    AgentBayApi *api() const { return m_api; }
    LocalSandboxLauncher *launcher() const { return m_launcher; }
    // The languages a ready local sandbox runs on this machine; empty when not known (an
    // endpoint offers what its image offers).
    QStringList languages() const;
    // "Local sandbox (127.0.0.1:40123)", "AgentBay (wuyingai.cn-shanghai.aliyuncs.com)".
    QString description() const;
    QString lastError() const { return m_lastError; }

    // Starts the local sandbox again after it ended (crashed, killed); no-op otherwise.
    void restart();
    // Ends the local sandbox (it deletes its sessions); stopped() follows at once for an endpoint.
    void stop();

Q_SIGNALS:
    void ready(const QString &description);
    void failed(const QString &why);
    void stopped();

private:
    Backend(Kind kind, AgentBayApi *api, QObject *parent);
    void markReady();

    Kind m_kind;
    AgentBayApi *m_api;
    LocalSandboxLauncher *m_launcher = nullptr;
    QString m_lastError;
    bool m_ready = false;
    bool m_failed = false;
};

} // namespace agentbay::client
