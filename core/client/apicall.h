// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/apierror.h"
#include "protocol/responseenvelope.h"

#include <QJsonObject>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QVariant>

#include <functional>

namespace agentbay::client {

struct ApiCallResult
{
    protocol::ResponseEnvelope envelope;
    protocol::ApiError error;
    QVariant decoded; // what the call's decoder made of a successful answer, if it has one
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
    // A call answered in memory (an AgentBayApi that is not HTTP): finish() delivers it.
    explicit ApiCall(QString action, QObject *parent = nullptr);
    ~ApiCall() override;

    QString action() const { return m_action; }
    bool isFinished() const { return m_finished; }
    // Masks this text (the API key, a token) wherever an error message would repeat it.
    void setSecret(const QString &secret) { m_secret = secret; }
    // Aborts the request; finished() reports ApiError::Kind::Cancelled, possibly before
    // cancel() returns.
    void cancel();
    // Turns a successful answer into the caller's type (a run's result), beside the envelope
    // parsing. Must be a pure function: a large answer is decoded on a worker thread, so the
    // GUI never stalls on megabytes of JSON.
    using Decoder = std::function<QVariant(const ApiCallResult &)>;
    void setDecoder(Decoder decoder) { m_decoder = std::move(decoder); }
    // Delivers an in-memory call's answer (the decoder runs on a successful one). Ignored once
    // the call has finished or been cancelled.
    void finish(ApiCallResult result);
    // An in-memory call's streamed event (progress()), before finish().
    void reportProgress(const QJsonObject &event);

    // The streaming extension's content type: NDJSON events, then the answer (README).
    static constexpr char StreamContentType[] = "application/x-ndjson";

    // Answers at least this large are decoded off the calling thread.
    static constexpr qsizetype BackgroundDecodeBytes = 64 * 1024;
    // A streamed answer is read this much per event-loop turn.
    static constexpr qint64 StreamSliceBytes = 128 * 1024;

Q_SIGNALS:
    // An event of a streamed answer ({"type":"stdout"|"stderr","text":…}), as it arrives.
    void progress(const QJsonObject &event);
    void finished(const agentbay::client::ApiCallResult &result);

private:
    struct Answer
    {
        int status = 0;
        QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
        QString errorString;
        QByteArray body;
        bool streamed = false;
        QByteArray finalLine; // of a streamed answer: its status and body, read with the rest
    };
    struct Context
    {
        Route route;
        QString linkRequestId;
        bool cancelled;
        Decoder decoder;
    };
    void onReplyFinished();
    void onReplyReadyRead();
    void drainStream();
    void complete();
    // Splits what arrived of a streamed answer into events; keeps the final line.
    void takeStreamedLines(const QByteArray &bytes);
    ApiCallResult decode(const Answer &answer) const;
    static void readFinalLine(Answer *answer);
    static ApiCallResult decode(const Context &context, const Answer &answer);
    void deliver(ApiCallResult result);

    QPointer<QNetworkReply> m_reply;
    QString m_action;
    Route m_route = Route::Pop;
    QString m_linkRequestId;
    QString m_secret;
    Decoder m_decoder;
    bool m_cancelled = false;
    bool m_finished = false;
    bool m_streamChecked = false;
    bool m_streamed = false;
    bool m_replyDone = false; // the reply finished; a stream may still be draining
    bool m_drainScheduled = false;
    QByteArray m_streamBuffer;
    qsizetype m_scannedTo = 0; // bytes of m_streamBuffer already searched for a line end
    QByteArray m_finalLine;
};

} // namespace agentbay::client

Q_DECLARE_METATYPE(agentbay::client::ApiCallResult)
