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
    // How the answer is read: a POP envelope, or a LinkUrl data-plane reply whose data.result
    // becomes envelope.data (with the client-made request id).
    enum class Route { Pop, LinkUrl };

    ApiCall(QNetworkReply *reply, QString action, QObject *parent = nullptr);
    ApiCall(QNetworkReply *reply, QString action, Route route, QString linkRequestId,
            QObject *parent = nullptr);
    ~ApiCall() override;

    QString action() const { return m_action; }
    bool isFinished() const { return m_finished; }
    // Masks this text (the API key, a token) wherever an error message would repeat it.
    void setSecret(const QString &secret) { m_secret = secret; }
    // Aborts the request; finished() reports ApiError::Kind::Cancelled, possibly before
    // cancel() returns.
    void cancel();

Q_SIGNALS:
    void finished(const agentbay::client::ApiCallResult &result);

private:
    void onReplyFinished();

    QPointer<QNetworkReply> m_reply;
    QString m_action;
    Route m_route = Route::Pop;
    QString m_linkRequestId;
    QString m_secret;
    bool m_cancelled = false;
    bool m_finished = false;
};

} // namespace agentbay::client

Q_DECLARE_METATYPE(agentbay::client::ApiCallResult)
