// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentbayclient.h"

#include "apicall.h"

#include "protocol/actionresults.h"
#include "protocol/rpcrequest.h"

#include "agentbayversion.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSysInfo>

namespace agentbay::client {

using protocol::RpcRequest;

namespace {
QString compactJson(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

AgentBayClient::AgentBayClient(QObject *parent) : AgentBayApi(parent) {}

QNetworkAccessManager *AgentBayClient::networkFor(const QString &sessionId)
{
    const auto index = static_cast<size_t>(qHash(sessionId) % NetworkPoolSize);
    if (!m_networks[index]) {
        m_networks[index] = new QNetworkAccessManager(this);
        m_networks[index]->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    }
    return m_networks[index];
}

AgentBayClient::~AgentBayClient()
{
    // A reply must not outlive its QNetworkAccessManager: end every call first.
    const QSet<ApiCall *> calls = m_calls;
    for (ApiCall *call : calls)
        delete call;
}

ApiCall *AgentBayClient::track(ApiCall *call)
{
    m_calls.insert(call);
    connect(call, &QObject::destroyed, this, [this, call] { m_calls.remove(call); });
    return call;
}

QByteArray AgentBayClient::userAgent()
{
    return QByteArrayLiteral("AgentBayPlayground/" AGENTBAY_VERSION_STRING " (")
           + QSysInfo::kernelType().toUtf8() + "; " + QSysInfo::currentCpuArchitecture().toUtf8()
           + ") Qt/" + qVersion();
}

QString AgentBayClient::labelsJson(const LabelList &labels)
{
    QString json = QStringLiteral("{");
    for (const auto &[key, value] : labels) {
        if (json.size() > 1)
            json += QLatin1Char(',');
        json += protocol::ActionResults::jsonString(key) + QLatin1Char(':')
                + protocol::ActionResults::jsonString(value);
    }
    return json + QLatin1Char('}');
}

ApiCall *AgentBayClient::call(RpcRequest request, int timeoutMs)
{
    const QString sessionId = request.field(QStringLiteral("SessionId"))
                                      .value_or(request.queryField(QStringLiteral("SessionId"))
                                                        .value_or(QString()));
    return post(sessionId, std::move(request), timeoutMs);
}

ApiCall *AgentBayClient::post(const QString &sessionId, RpcRequest request, int timeoutMs,
                              bool streamed, bool assist)
{
    request.setApiKey(m_config.apiKey);
    const protocol::EncodedRequest encoded = request.encode(userAgent());

    QUrl url = m_config.endpoint;
    url.setPath(QStringLiteral("/"));
    url.setQuery(QString::fromUtf8(encoded.pathAndQuery.mid(2)), QUrl::StrictMode);
    QNetworkRequest networkRequest(url);
    for (const auto &[name, value] : encoded.headers)
        networkRequest.setRawHeader(name, value);
    networkRequest.setTransferTimeout(timeoutMs < 0 ? m_config.requestTimeoutMs : timeoutMs);
    if (streamed) // the local sandbox's extension: output while the run goes on (README)
        networkRequest.setRawHeader(QByteArrayLiteral("X-Agentbay-Stream"),
                                    QByteArrayLiteral("ndjson"));
    if (assist) // the local sandbox's extension: the AssistCode action exists with it (README)
        networkRequest.setRawHeader(QByteArrayLiteral("X-Agentbay-Assist"), QByteArrayLiteral("1"));
    QNetworkReply *reply = networkFor(sessionId)->post(networkRequest, encoded.body);
    auto *job = new ApiCall(reply, request.action(), this);
    job->setSecret(m_config.apiKey);
    return track(job);
}

ApiCall *AgentBayClient::assist(const QString &kind, const QString &language, const QString &code,
                                int line, int column, const QString &sessionId, const QString &path,
                                int timeoutMs,
                                const std::optional<protocol::AssistBufferEdit> &edit)
{
    RpcRequest request(QStringLiteral("AssistCode"));
    request.setField(QStringLiteral("Kind"), kind);
    request.setField(QStringLiteral("Language"), language);
    if (edit) {
        request.setField(QStringLiteral("BaseToken"), edit->baseToken);
        request.setField(QStringLiteral("EditAt"), QString::number(edit->at));
        request.setField(QStringLiteral("EditRemoved"), QString::number(edit->removed));
        request.setField(QStringLiteral("EditInserted"), edit->inserted);
    } else {
        request.setField(QStringLiteral("Code"), code);
    }
    request.setField(QStringLiteral("Line"), QString::number(line));
    request.setField(QStringLiteral("Column"), QString::number(column));
    if (!sessionId.isEmpty())
        request.setField(QStringLiteral("SessionId"), sessionId);
    if (!path.isEmpty())
        request.setField(QStringLiteral("Path"), path);
    // Keyed apart from the sessions, so its connections are not counted with one session's runs.
    return post(QStringLiteral("assist"), std::move(request), timeoutMs, false, true);
}

ApiCall *AgentBayClient::createSession(const LabelList &labels, const QString &imageId)
{
    RpcRequest request(QStringLiteral("CreateMcpSession"));
    request.setField(QStringLiteral("ImageId"), imageId);
    if (!labels.isEmpty())
        request.setField(QStringLiteral("Labels"), labelsJson(labels));
    if (!m_config.regionId.isEmpty())
        request.setField(QStringLiteral("LoginRegionId"), m_config.regionId);
    // The same fields the SDKs report, with this client's own values.
    request.setField(QStringLiteral("SdkStats"),
                     QStringLiteral(R"({"source":"sdk","sdk_language":"cpp","sdk_version":)")
                             + protocol::ActionResults::jsonString(
                                     QStringLiteral(AGENTBAY_VERSION_STRING))
                             + QStringLiteral(
                                     R"(,"is_release":true,"framework":"agentbay-playground"})"));
    return call(request);
}

ApiCall *AgentBayClient::callTool(const QString &sessionId, const QString &tool,
                                  const QJsonObject &args, int timeoutMs, const QString &server)
{
    RpcRequest request(QStringLiteral("CallMcpTool"));
    request.setField(QStringLiteral("Args"), compactJson(args));
    request.setField(QStringLiteral("AutoGenSession"), false);
    request.setField(QStringLiteral("Name"), tool);
    request.setField(QStringLiteral("Server"), server);
    request.setField(QStringLiteral("SessionId"), sessionId);
    return post(sessionId, std::move(request), timeoutMs,
                m_config.streamOutput && tool == QLatin1String("run_code"));
}

ApiCall *AgentBayClient::callToolViaLink(const QString &linkUrl, const QString &token,
                                         const QString &server, const QString &tool,
                                         const QJsonObject &args, int timeoutMs)
{
    QString base = linkUrl;
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    QNetworkRequest networkRequest(QUrl(base + QStringLiteral("/callTool")));
    networkRequest.setHeader(QNetworkRequest::ContentTypeHeader,
                             QByteArrayLiteral("application/json"));
    networkRequest.setRawHeader(QByteArrayLiteral("X-Access-Token"), token.toUtf8());
    networkRequest.setRawHeader(QByteArrayLiteral("user-agent"), userAgent());
    networkRequest.setTransferTimeout(timeoutMs < 0 ? m_config.requestTimeoutMs : timeoutMs);
    const QString requestId = protocol::ActionResults::newLinkRequestId();
    QNetworkReply *reply = networkFor(linkUrl)->post(networkRequest,
                                                     protocol::ActionResults::linkCallBody(args,
                                                                                           server,
                                                                                           requestId,
                                                                                           tool,
                                                                                           token));
    auto *job = new ApiCall(reply, QStringLiteral("LinkUrl callTool ") + tool,
                            ApiCall::Route::LinkUrl, requestId, this);
    job->setSecret(token);
    return track(job);
}

ApiCall *AgentBayClient::sessionAction(const QString &action, const QString &sessionId)
{
    RpcRequest request(action);
    request.setField(QStringLiteral("SessionId"), sessionId);
    return call(request);
}

ApiCall *AgentBayClient::getSession(const QString &sessionId)
{
    return sessionAction(QStringLiteral("GetSession"), sessionId);
}

ApiCall *AgentBayClient::getSessionDetail(const QString &sessionId)
{
    RpcRequest request(QStringLiteral("GetSessionDetail"));
    request.setQueryField(QStringLiteral("SessionId"), sessionId);
    return call(request);
}

ApiCall *AgentBayClient::listSessions(const LabelList &labels, int maxResults,
                                      const QString &nextToken, const QString &status)
{
    RpcRequest request(QStringLiteral("ListSession"));
    request.setField(QStringLiteral("Labels"), labelsJson(labels)); // always sent, {} for none
    request.setField(QStringLiteral("MaxResults"), static_cast<qint64>(maxResults));
    if (!nextToken.isEmpty())
        request.setField(QStringLiteral("NextToken"), nextToken);
    if (!status.isEmpty())
        request.setField(QStringLiteral("Status"), status);
    return call(request);
}

ApiCall *AgentBayClient::setLabels(const QString &sessionId, const LabelList &labels)
{
    RpcRequest request(QStringLiteral("SetLabel"));
    request.setField(QStringLiteral("Labels"), labelsJson(labels));
    request.setField(QStringLiteral("SessionId"), sessionId);
    return call(request);
}

ApiCall *AgentBayClient::getLabels(const QString &sessionId)
{
    return sessionAction(QStringLiteral("GetLabel"), sessionId);
}

ApiCall *AgentBayClient::deleteSessionAsync(const QString &sessionId)
{
    return sessionAction(QStringLiteral("DeleteSessionAsync"), sessionId);
}

ApiCall *AgentBayClient::pauseSessionAsync(const QString &sessionId)
{
    return sessionAction(QStringLiteral("PauseSessionAsync"), sessionId);
}

ApiCall *AgentBayClient::resumeSessionAsync(const QString &sessionId)
{
    return sessionAction(QStringLiteral("ResumeSessionAsync"), sessionId);
}

} // namespace agentbay::client
