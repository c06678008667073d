// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apierror.h"

#include <QJsonObject>
#include <QJsonValue>

namespace agentbay::protocol {

// The JSON envelope every action answers with:
// {RequestId, Success, Code, Message, HttpStatusCode, Data, NextToken?, MaxResults?, TotalCount?}
struct ResponseEnvelope
{
    QString requestId;
    bool success = true;
    QString code;
    QString message;
    int httpStatusCode = 0;
    QJsonValue data;
    QJsonObject body; // the whole decoded body, for list extras and anything unknown

    // Decodes an HTTP answer. A 4xx/5xx POP body, Success:false, or a body that is not a JSON
    // object fill *error (when given) and the envelope keeps what could be read.
    static ResponseEnvelope decode(int httpStatus, const QByteArray &body, ApiError *error);

    // Server side: the bodies the local sandbox answers with.
    static QByteArray successBody(const QString &requestId, const QJsonValue &data,
                                  const QJsonObject &extras = {});
    static QByteArray errorBody(const QString &requestId, const QString &code,
                                const QString &message, const QString &hostId);
};

} // namespace agentbay::protocol
