// SPDX-License-Identifier: GPL-3.0-or-later
#include "apierror.h"

#include <QCoreApplication>

namespace agentbay::protocol {

bool ApiError::isSessionNotFound() const
{
    // The SDKs' delete poller accepts the code, or a 400 / any message saying "not found".
    return code == QLatin1String("InvalidMcpSession.NotFound")
           || message.contains(QLatin1String("not found"), Qt::CaseInsensitive);
}

QString ApiError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None:
        return QStringLiteral("none");
    case Kind::InvalidArgument:
        return QStringLiteral("invalid-argument");
    case Kind::ServiceError:
        return QStringLiteral("service-error");
    case Kind::Throttled:
        return QStringLiteral("throttled");
    case Kind::Rejected:
        return QStringLiteral("rejected");
    case Kind::MalformedResponse:
        return QStringLiteral("malformed-response");
    case Kind::ConnectionRefused:
        return QStringLiteral("connection-refused");
    case Kind::ConnectionClosed:
        return QStringLiteral("connection-closed");
    case Kind::HostNotFound:
        return QStringLiteral("host-not-found");
    case Kind::TlsFailure:
        return QStringLiteral("tls-failure");
    case Kind::Timeout:
        return QStringLiteral("timeout");
    case Kind::Cancelled:
        return QStringLiteral("cancelled");
    case Kind::NetworkFailure:
        return QStringLiteral("network-failure");
    }
    return QStringLiteral("unknown");
}

QString ApiError::humanMessage() const
{
    QString text;
    if (!code.isEmpty())
        text = QLatin1Char('[') + code + QLatin1String("] ");
    text += message.isEmpty() ? kindName(kind) : message;
    if (httpStatus >= 400)
        text += QCoreApplication::translate("ApiError", " (HTTP %1)").arg(httpStatus);
    if (!requestId.isEmpty())
        text += QCoreApplication::translate("ApiError", " (request id %1)").arg(requestId);
    return text;
}

} // namespace agentbay::protocol
