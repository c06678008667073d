// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clientconfig.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPair>
#include <QSet>

#include <array>

class QNetworkAccessManager;

namespace agentbay::protocol {
class RpcRequest;
}

namespace agentbay::client {

class ApiCall;

// Labels keep the order they were given in, as the SDKs' JSON.stringify does.
using LabelList = QList<QPair<QString, QString>>;

// The AgentBay API over QNetworkAccessManager: every call returns an ApiCall job at once and
// reports through its finished() signal; nothing here waits. Calls are parented to the client;
// whoever keeps one (a Session) may adopt it so that destroying the owner aborts it. Destroying
// the client aborts every call it made, wherever they live, before its network manager goes.
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

    ApiCall *createSession(const LabelList &labels = {},
                           const QString &imageId = QStringLiteral("code_latest"));
    // CallMcpTool; an empty server lets the backend resolve the tool by name.
    ApiCall *callTool(const QString &sessionId, const QString &tool, const QJsonObject &args,
                      int timeoutMs = -1, const QString &server = {});
    // The LinkUrl data plane: POST {linkUrl}/callTool with X-Access-Token.
    ApiCall *callToolViaLink(const QString &linkUrl, const QString &token, const QString &server,
                             const QString &tool, const QJsonObject &args, int timeoutMs);
    ApiCall *getSession(const QString &sessionId);
    ApiCall *getSessionDetail(const QString &sessionId);
    // One page; maxResults as the SDK (default 10), status one of the SessionStatus names.
    ApiCall *listSessions(const LabelList &labels = {}, int maxResults = 10,
                          const QString &nextToken = {}, const QString &status = {});
    ApiCall *setLabels(const QString &sessionId, const LabelList &labels);
    ApiCall *getLabels(const QString &sessionId);
    ApiCall *deleteSessionAsync(const QString &sessionId);
    ApiCall *pauseSessionAsync(const QString &sessionId);
    ApiCall *resumeSessionAsync(const QString &sessionId);

    // "AgentBayPlayground/<version> (<os>; <cpu>) Qt/<version>": who we are, honestly.
    static QByteArray userAgent();
    // Compact JSON of labels in their given order.
    static QString labelsJson(const LabelList &labels);

private:
    ApiCall *sessionAction(const QString &action, const QString &sessionId);
    ApiCall *track(ApiCall *call);
    // Qt 6.4 opens at most 6 connections per host and manager; sessions are spread over a small
    // pool of managers (one session always on the same one), so parallel runs in many tabs are
    // not queued behind each other.
    QNetworkAccessManager *networkFor(const QString &sessionId);
    ApiCall *post(const QString &sessionId, protocol::RpcRequest request, int timeoutMs);

    static constexpr int NetworkPoolSize = 8;
    std::array<QNetworkAccessManager *, NetworkPoolSize> m_networks{};
    QSet<ApiCall *> m_calls; // every live call, wherever it was adopted
    ClientConfig m_config;
};

} // namespace agentbay::client
