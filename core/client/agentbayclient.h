// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clientconfig.h"

#include <QJsonObject>
#include <QMap>
#include <QObject>

class QNetworkAccessManager;

namespace agentbay::protocol {
class RpcRequest;
}

namespace agentbay::client {

class ApiCall;

// The AgentBay API over QNetworkAccessManager: every call returns an ApiCall job at once and
// reports through its finished() signal; nothing here waits.
class AgentBayClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentBayClient)

public:
    explicit AgentBayClient(QObject *parent = nullptr);
    ~AgentBayClient() override;

    void setConfig(const ClientConfig &config) { m_config = config; }
    const ClientConfig &config() const { return m_config; }

    // Sends any action; the API key is added here. timeoutMs < 0 uses the configured timeout.
    ApiCall *call(protocol::RpcRequest request, int timeoutMs = -1);

    ApiCall *createSession(const QMap<QString, QString> &labels = {},
                           const QString &imageId = QStringLiteral("code_latest"));
    ApiCall *callTool(const QString &sessionId, const QString &tool, const QJsonObject &args,
                      int timeoutMs = -1);
    ApiCall *getSessionDetail(const QString &sessionId);
    ApiCall *deleteSessionAsync(const QString &sessionId);

    // "AgentBayPlayground/<version> (<os>; <cpu>) Qt/<version>": who we are, honestly.
    static QByteArray userAgent();

private:
    QNetworkAccessManager *m_network;
    ClientConfig m_config;
};

} // namespace agentbay::client
