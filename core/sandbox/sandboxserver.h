// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandboxconfig.h"

#include <QAbstractHttpServer>
#include <QUrl>

namespace agentbay::sandbox {

class SandboxService;

// The HTTP front of the local sandbox: POST / with the AgentBay POP RPC encoding, on Qt
// HttpServer, with low-delay sockets and one write per answer. A client that drops its
// connection mid-run gets its run interrupted.
class SandboxServer final : public QAbstractHttpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SandboxServer)

public:
    explicit SandboxServer(SandboxConfig config, QObject *parent = nullptr);
    ~SandboxServer() override;

    // Binds the configured address; false (with *why) when that is not possible.
    bool start(QString *why);
    QUrl endpoint() const;
    const SandboxConfig &config() const { return m_config; }
    SandboxService *service() const { return m_service; }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    SandboxConfig m_config;
    SandboxService *m_service;
    quint16 m_port = 0;
    bool m_tls = false;
};

} // namespace agentbay::sandbox
