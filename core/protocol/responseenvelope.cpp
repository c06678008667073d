// SPDX-License-Identifier: GPL-3.0-or-later
#include "responseenvelope.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonParseError>

namespace agentbay::protocol {

namespace {
QString snippetOf(const QByteArray &body)
{
    // Enough of a non-JSON body (an HTML gateway page) to recognise it, never a whole page.
    QString text = QString::fromUtf8(body.left(160)).simplified();
    if (body.size() > 160)
        text += QStringLiteral("…");
    return text;
}
} // namespace

ResponseEnvelope ResponseEnvelope::decode(int httpStatus, const QByteArray &body, ApiError *error)
{
    ResponseEnvelope envelope;
    envelope.httpStatusCode = httpStatus;
    ApiError failure;
    failure.httpStatus = httpStatus;

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        envelope.success = false;
        failure.kind = httpStatus >= 400 ? ApiError::Kind::ServiceError
                                         : ApiError::Kind::MalformedResponse;
        failure.message
                = body.isEmpty()
                          ? QCoreApplication::translate("ResponseEnvelope", "empty response body")
                          : QCoreApplication::translate("ResponseEnvelope",
                                                        "response is not a JSON object (%1): %2")
                                    .arg(parseError.errorString(), snippetOf(body));
        if (error)
            *error = failure;
        return envelope;
    }

    const QJsonObject object = document.object();
    envelope.body = object;
    envelope.requestId = object.value(QLatin1String("RequestId")).toString();
    envelope.code = object.value(QLatin1String("Code")).toString();
    envelope.message = object.value(QLatin1String("Message")).toString();
    envelope.data = object.value(QLatin1String("Data"));
    const QJsonValue status = object.value(QLatin1String("HttpStatusCode"));
    if (status.isDouble())
        envelope.httpStatusCode = status.toInt();
    const QJsonValue success = object.value(QLatin1String("Success"));
    // Absent Success is treated as accepted, like the SDKs (Success != false).
    envelope.success = !(success.isBool() && !success.toBool()) && httpStatus < 400;

    failure.requestId = envelope.requestId;
    failure.code = envelope.code;
    failure.message = envelope.message;
    if (envelope.code == QLatin1String("Throttling")
        || envelope.code.startsWith(QLatin1String("Throttling."))) {
        failure.kind = ApiError::Kind::Throttled;
    } else if (httpStatus >= 400) {
        failure.kind = ApiError::Kind::ServiceError;
    } else if (success.isBool() && !success.toBool()) {
        failure.kind = ApiError::Kind::Rejected;
    }
    if (error)
        *error = failure;
    return envelope;
}

QByteArray ResponseEnvelope::successBody(const QString &requestId, const QJsonValue &data,
                                         const QJsonObject &extras)
{
    QJsonObject object = extras;
    object.insert(QLatin1String("Code"), QStringLiteral("ok"));
    object.insert(QLatin1String("HttpStatusCode"), 200);
    object.insert(QLatin1String("Message"), QStringLiteral("success"));
    object.insert(QLatin1String("RequestId"), requestId);
    object.insert(QLatin1String("Success"), true);
    if (!data.isUndefined())
        object.insert(QLatin1String("Data"), data);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray ResponseEnvelope::errorBody(const QString &requestId, const QString &code,
                                       const QString &message, const QString &hostId)
{
    QJsonObject object;
    object.insert(QLatin1String("RequestId"), requestId);
    object.insert(QLatin1String("HostId"), hostId);
    object.insert(QLatin1String("Code"), code);
    object.insert(QLatin1String("Message"), message);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace agentbay::protocol
