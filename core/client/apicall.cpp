// SPDX-License-Identifier: GPL-3.0-or-later
#include "apicall.h"

#include "protocol/actionresults.h"

#include <QLoggingCategory>
#include <QNetworkReply>

Q_LOGGING_CATEGORY(lcApiCall, "agentbay.client.call")

namespace agentbay::client {

using protocol::ApiError;

namespace {

ApiError::Kind transportKind(QNetworkReply::NetworkError error, bool cancelled)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
        return ApiError::Kind::ConnectionRefused;
    case QNetworkReply::RemoteHostClosedError:
        return ApiError::Kind::ConnectionClosed;
    case QNetworkReply::HostNotFoundError:
        return ApiError::Kind::HostNotFound;
    case QNetworkReply::SslHandshakeFailedError:
    case QNetworkReply::InsecureRedirectError:
        return ApiError::Kind::TlsFailure;
    case QNetworkReply::TimeoutError:
        return ApiError::Kind::Timeout;
    case QNetworkReply::OperationCanceledError:
        // Qt reports a transfer timeout and abort() alike; our own flag tells them apart.
        return cancelled ? ApiError::Kind::Cancelled : ApiError::Kind::Timeout;
    default:
        return ApiError::Kind::NetworkFailure;
    }
}

} // namespace

ApiCall::ApiCall(QNetworkReply *reply, QString action, QObject *parent)
    : ApiCall(reply, std::move(action), Route::Pop, QString(), parent)
{}

ApiCall::ApiCall(QNetworkReply *reply, QString action, Route route, QString linkRequestId,
                 QObject *parent)
    : QObject(parent), m_reply(reply), m_action(std::move(action)), m_route(route),
      m_linkRequestId(std::move(linkRequestId))
{
    reply->setParent(this);
    connect(reply, &QNetworkReply::finished, this, &ApiCall::onReplyFinished);
}

ApiCall::~ApiCall()
{
    if (m_reply && m_reply->isRunning()) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

void ApiCall::cancel()
{
    if (m_finished || !m_reply)
        return;
    m_cancelled = true;
    m_reply->abort();
}

void ApiCall::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    reply->deleteLater();
    m_finished = true;

    ApiCallResult result;
    const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const int status = statusAttribute.isValid() ? statusAttribute.toInt() : 0;
    const QByteArray body = reply->readAll();

    if (status > 0 && reply->error() != QNetworkReply::OperationCanceledError
        && m_route == Route::LinkUrl) {
        result.envelope.httpStatusCode = status;
        result.envelope.data = protocol::ActionResults::parseLinkReply(status, body, &result.error);
        result.envelope.success = !result.error.isError();
        result.envelope.requestId = m_linkRequestId;
        result.error.requestId = m_linkRequestId;
    } else if (status > 0 && reply->error() != QNetworkReply::OperationCanceledError) {
        // The server answered: its body says more than Qt's error does, even for 4xx/5xx.
        result.envelope = protocol::ResponseEnvelope::decode(status, body, &result.error);
        if (!result.error.isError() && reply->error() != QNetworkReply::NoError && status < 400) {
            result.error.kind = transportKind(reply->error(), m_cancelled);
            result.error.message = reply->errorString();
        }
    } else {
        result.error.kind = reply->error() == QNetworkReply::NoError
                                    ? ApiError::Kind::MalformedResponse
                                    : transportKind(reply->error(), m_cancelled);
        result.error.message = result.error.kind == ApiError::Kind::Cancelled ? tr("cancelled")
                               : result.error.kind == ApiError::Kind::Timeout
                                       ? tr("no answer within the request timeout")
                                       : reply->errorString();
    }
    if (!m_secret.isEmpty())
        result.error.message.replace(m_secret, QStringLiteral("***"));
    if (result.error.isError()) {
        qCInfo(lcApiCall) << m_action << "failed:" << ApiError::kindName(result.error.kind)
                          << result.error.code << result.error.requestId;
    }
    Q_EMIT finished(result);
}

} // namespace agentbay::client
