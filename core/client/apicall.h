// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/apierror.h"
#include "protocol/responseenvelope.h"

#include <QObject>
#include <QPointer>

class QNetworkReply;

namespace agentbay::client {

struct ApiCallResult
{
    protocol::ResponseEnvelope envelope;
    protocol::ApiError error;
    bool ok() const { return !error.isError(); }
};

// One in-flight AgentBay call. Owns its QNetworkReply; emits finished() exactly once, unless it
// is destroyed first (which aborts the request silently). Timeout and cancel are told apart.
class ApiCall final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiCall)

public:
    ApiCall(QNetworkReply *reply, QString action, QObject *parent = nullptr);
    ~ApiCall() override;

    QString action() const { return m_action; }
    bool isFinished() const { return m_finished; }
    // Aborts the request; finished() reports ApiError::Kind::Cancelled, possibly before
    // cancel() returns.
    void cancel();

Q_SIGNALS:
    void finished(const agentbay::client::ApiCallResult &result);

private:
    void onReplyFinished();

    QPointer<QNetworkReply> m_reply;
    QString m_action;
    bool m_cancelled = false;
    bool m_finished = false;
};

} // namespace agentbay::client

Q_DECLARE_METATYPE(agentbay::client::ApiCallResult)
