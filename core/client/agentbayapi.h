// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clientconfig.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPair>

namespace agentbay::client {

class ApiCall;

// Labels keep the order they were given in, as the SDKs' JSON.stringify does.
using LabelList = QList<QPair<QString, QString>>;

// The seam between sessions and whatever answers them: every call returns an ApiCall job at
// once and reports through its finished() signal. AgentBayClient is the real implementation
// (HTTP to the cloud or the local sandbox); the tests plug in an in-memory one that plays back
// results, errors, delays and lifecycle events. Sessions, run controllers and the session
// directory know only this interface.
class AgentBayApi : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentBayApi)

public:
    using QObject::QObject;
    ~AgentBayApi() override = default;

    // Where sessions live (endpoint and region; the key stays with the implementation's user).
    virtual ClientConfig config() const = 0;
    virtual void setConfig(const ClientConfig &config) = 0;

    virtual ApiCall *createSession(const LabelList &labels = {},
                                   const QString &imageId = QStringLiteral("code_latest"))
            = 0;
    // CallMcpTool; an empty server lets the backend resolve the tool by name.
    virtual ApiCall *callTool(const QString &sessionId, const QString &tool,
                              const QJsonObject &args, int timeoutMs = -1,
                              const QString &server = {})
            = 0;
    // The LinkUrl data plane: POST {linkUrl}/callTool with X-Access-Token.
    virtual ApiCall *callToolViaLink(const QString &linkUrl, const QString &token,
                                     const QString &server, const QString &tool,
                                     const QJsonObject &args, int timeoutMs)
            = 0;
    virtual ApiCall *getSession(const QString &sessionId) = 0;
    virtual ApiCall *getSessionDetail(const QString &sessionId) = 0;
    // One page; maxResults as the SDK (default 10), status one of the SessionStatus names.
    virtual ApiCall *listSessions(const LabelList &labels = {}, int maxResults = 10,
                                  const QString &nextToken = {}, const QString &status = {})
            = 0;
    virtual ApiCall *deleteSessionAsync(const QString &sessionId) = 0;
    virtual ApiCall *pauseSessionAsync(const QString &sessionId) = 0;
    virtual ApiCall *resumeSessionAsync(const QString &sessionId) = 0;
};

} // namespace agentbay::client
