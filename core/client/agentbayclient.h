// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agentbayapi.h"
#include "protocol/assist.h"

#include <QSet>

#include <array>

class QNetworkAccessManager;

namespace agentbay::protocol {
class RpcRequest;
}

namespace agentbay::client {

// The AgentBay API over QNetworkAccessManager: every call returns an ApiCall job at once and
// reports through its finished() signal; nothing here waits. Calls are parented to the client;
// whoever keeps one (a Session) may adopt it so that destroying the owner aborts it. Destroying
// the client aborts every call it made, wherever they live, before its network manager goes.
class AgentBayClient final : public AgentBayApi
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentBayClient)

public:
    explicit AgentBayClient(QObject *parent = nullptr);
    ~AgentBayClient() override;

    void setConfig(const ClientConfig &config) override { m_config = config; }
    ClientConfig config() const override { return m_config; }

    // Sends any action; the API key is added here. timeoutMs < 0 uses the configured timeout.
    ApiCall *call(protocol::RpcRequest request, int timeoutMs = -1);

    ApiCall *createSession(const LabelList &labels = {},
                           const QString &imageId = QStringLiteral("code_latest")) override;
    ApiCall *callTool(const QString &sessionId, const QString &tool, const QJsonObject &args,
                      int timeoutMs = -1, const QString &server = {}) override;
    ApiCall *callToolViaLink(const QString &linkUrl, const QString &token, const QString &server,
                             const QString &tool, const QJsonObject &args, int timeoutMs) override;
    ApiCall *getSession(const QString &sessionId) override;
    ApiCall *getSessionDetail(const QString &sessionId) override;
    ApiCall *listSessions(const LabelList &labels = {}, int maxResults = 10,
                          const QString &nextToken = {}, const QString &status = {}) override;
    // The local sandbox's assist extension (README): completion, signature, documentation or
    // lint for code at a 1-based line and 0-based column (characters). sessionId may be empty
    // (the sandbox then reads the buffer alone).
    // With edit, the buffer is sent as that edit of one the sandbox holds and code is not sent.
    ApiCall *assist(const QString &kind, const QString &language, const QString &code, int line,
                    int column, const QString &sessionId, const QString &path, int timeoutMs,
                    const std::optional<protocol::AssistBufferEdit> &edit = std::nullopt);
    ApiCall *setLabels(const QString &sessionId, const LabelList &labels);
    ApiCall *getLabels(const QString &sessionId);
    ApiCall *deleteSessionAsync(const QString &sessionId) override;
    ApiCall *pauseSessionAsync(const QString &sessionId) override;
    ApiCall *resumeSessionAsync(const QString &sessionId) override;

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
    ApiCall *post(const QString &sessionId, protocol::RpcRequest request, int timeoutMs,
                  bool streamed = false, bool assist = false);

    static constexpr int NetworkPoolSize = 8;
    std::array<QNetworkAccessManager *, NetworkPoolSize> m_networks{};
    QSet<ApiCall *> m_calls; // every live call, wherever it was adopted
    ClientConfig m_config;
};

} // namespace agentbay::client
