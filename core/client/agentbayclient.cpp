// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentbayclient.h"

#include "apicall.h"

#include "protocol/rpcrequest.h"

#include "agentbayversion.h"

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

AgentBayClient::AgentBayClient(QObject *parent)
    : QObject(parent), m_network(new QNetworkAccessManager(this))
{
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

AgentBayClient::~AgentBayClient() = default;

QByteArray AgentBayClient::userAgent()
{
    return QByteArrayLiteral("AgentBayPlayground/" AGENTBAY_VERSION_STRING " (")
           + QSysInfo::kernelType().toUtf8() + "; " + QSysInfo::currentCpuArchitecture().toUtf8()
           + ") Qt/" + qVersion();
}

ApiCall *AgentBayClient::call(RpcRequest request, int timeoutMs)
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
    QNetworkReply *reply = m_network->post(networkRequest, encoded.body);
    return new ApiCall(reply, request.action(), this);
}

ApiCall *AgentBayClient::createSession(const QMap<QString, QString> &labels, const QString &imageId)
{
    RpcRequest request(QStringLiteral("CreateMcpSession"));
    request.setField(QStringLiteral("ImageId"), imageId);
    if (!labels.isEmpty()) {
        QJsonObject object;
        for (auto it = labels.begin(); it != labels.end(); ++it)
            object.insert(it.key(), it.value());
        request.setField(QStringLiteral("Labels"), compactJson(object));
    }
    if (!m_config.regionId.isEmpty())
        request.setField(QStringLiteral("LoginRegionId"), m_config.regionId);
    request.setField(QStringLiteral("SdkStats"),
                     compactJson({{QStringLiteral("source"), QStringLiteral("sdk")},
                                  {QStringLiteral("sdk_language"), QStringLiteral("cpp")},
                                  {QStringLiteral("sdk_version"),
                                   QStringLiteral(AGENTBAY_VERSION_STRING)},
                                  {QStringLiteral("is_release"), true},
                                  {QStringLiteral("framework"),
                                   QStringLiteral("agentbay-playground")}}));
    return call(request);
}

ApiCall *AgentBayClient::callTool(const QString &sessionId, const QString &tool,
                                  const QJsonObject &args, int timeoutMs)
{
    RpcRequest request(QStringLiteral("CallMcpTool"));
    request.setField(QStringLiteral("Args"), compactJson(args));
    request.setField(QStringLiteral("AutoGenSession"), false);
    request.setField(QStringLiteral("Name"), tool);
    request.setField(QStringLiteral("Server"), QString());
    request.setField(QStringLiteral("SessionId"), sessionId);
    return call(request, timeoutMs);
}

ApiCall *AgentBayClient::getSessionDetail(const QString &sessionId)
{
    RpcRequest request(QStringLiteral("GetSessionDetail"));
    request.setQueryField(QStringLiteral("SessionId"), sessionId);
    return call(request);
}

ApiCall *AgentBayClient::deleteSessionAsync(const QString &sessionId)
{
    RpcRequest request(QStringLiteral("DeleteSessionAsync"));
    request.setField(QStringLiteral("SessionId"), sessionId);
    return call(request);
}

} // namespace agentbay::client
