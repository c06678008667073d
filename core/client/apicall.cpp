// SPDX-License-Identifier: GPL-3.0-or-later
#include "apicall.h"

#include "protocol/actionresults.h"

#include <QFutureWatcher>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkReply>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <utility>

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
    connect(reply, &QNetworkReply::readyRead, this, &ApiCall::onReplyReadyRead);
    connect(reply, &QNetworkReply::finished, this, &ApiCall::onReplyFinished);
}

ApiCall::ApiCall(QString action, QObject *parent) : QObject(parent), m_action(std::move(action)) {}

ApiCall::~ApiCall()
{
    if (m_reply && m_reply->isRunning()) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

void ApiCall::cancel()
{
    if (m_finished)
        return;
    m_cancelled = true;
    if (m_reply) {
        m_reply->abort();
        return;
    }
    ApiCallResult result;
    result.error.kind = ApiError::Kind::Cancelled;
    result.error.message = tr("cancelled");
    m_finished = true;
    deliver(result);
}

void ApiCall::finish(ApiCallResult result)
{
    if (m_finished || m_reply)
        return;
    m_finished = true;
    if (!result.error.isError() && m_decoder)
        result.decoded = m_decoder(result);
    deliver(std::move(result));
}

void ApiCall::reportProgress(const QJsonObject &event)
{
    if (!m_finished && !m_reply)
        Q_EMIT progress(event);
}

void ApiCall::onReplyReadyRead()
{
    if (!m_streamChecked) {
        m_streamChecked = true;
        m_streamed = m_reply->header(QNetworkRequest::ContentTypeHeader)
                             .toString()
                             .startsWith(QLatin1String(StreamContentType));
    }
    // One slice a turn: when one is already due, it reads what just arrived too.
    if (m_streamed && !m_drainScheduled)
        drainStream();
}

// A stream is read a slice at a time, each slice on its own event-loop turn: events that piled
// up while the window was busy never hold its loop for long, and the answer waits for the last.
void ApiCall::drainStream()
{
    m_drainScheduled = false;
    if (m_finished || !m_reply)
        return;
    if (m_reply->isOpen())
        takeStreamedLines(m_reply->read(StreamSliceBytes));
    if (m_reply->isOpen() && m_reply->bytesAvailable() > 0) {
        if (!m_drainScheduled) {
            m_drainScheduled = true;
            QTimer::singleShot(0, this, &ApiCall::drainStream);
        }
        return;
    }
    if (m_replyDone)
        complete();
}

void ApiCall::takeStreamedLines(const QByteArray &bytes)
{
    m_streamBuffer += bytes;
    qsizetype start = 0;
    for (;;) {
        // A long line (the final answer of a flood) arrives in many pieces: each byte is
        // searched once, never again with every piece.
        const qsizetype newline = m_streamBuffer.indexOf('\n', qMax(start, m_scannedTo));
        if (newline < 0) {
            m_scannedTo = m_streamBuffer.size();
            break;
        }
        if (QByteArrayView(m_streamBuffer)
                    .sliced(start, newline - start)
                    .startsWith(R"({"type":"final")")) {
            // Decoded with the answer, off this thread when it is large. It is the last line:
            // taken whole rather than copied (it holds every byte of a flood once more).
            if (start == 0 && newline + 1 == m_streamBuffer.size()) {
                m_finalLine = std::exchange(m_streamBuffer, {});
                m_finalLine.truncate(newline);
                m_scannedTo = 0;
                return;
            }
            m_finalLine = m_streamBuffer.mid(start, newline - start);
            start = newline + 1;
            continue;
        }
        const QByteArray line = m_streamBuffer.mid(start, newline - start);
        start = newline + 1;
        const QJsonObject event = QJsonDocument::fromJson(line).object();
        if (!event.isEmpty())
            Q_EMIT progress(event);
        if (m_finished) // a receiver stopped the run: the answer is delivered already
            return;
    }
    m_streamBuffer.remove(0, start);
    m_scannedTo = qMax<qsizetype>(0, m_scannedTo - start);
}

void ApiCall::onReplyFinished()
{
    m_replyDone = true;
    if (!m_streamChecked && m_reply->isOpen()) {
        onReplyReadyRead(); // a streamed answer drains, then completes
        if (m_streamed)
            return;
    } else if (m_streamed && m_reply->isOpen()) {
        drainStream();
        return;
    }
    complete();
}

void ApiCall::complete()
{
    if (m_finished)
        return;
    QNetworkReply *reply = m_reply;
    reply->deleteLater();
    m_finished = true;

    Answer answer;
    const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    answer.status = statusAttribute.isValid() ? statusAttribute.toInt() : 0;
    answer.networkError = reply->error();
    answer.errorString = reply->errorString();
    if (m_streamed) {
        answer.streamed = true;
        answer.finalLine = std::exchange(m_finalLine, {});
        m_streamBuffer.clear();
    } else if (reply->isOpen()) { // an aborted reply is closed; reading it only warns
        answer.body = reply->readAll();
    }
    if (std::max(answer.body.size(), answer.finalLine.size()) < BackgroundDecodeBytes) {
        deliver(decode(answer));
        return;
    }
    // Megabytes of output: parse on a worker. The watcher is a child, so if this call is
    // destroyed first the answer goes nowhere (the worker only touches its own copies).
    auto *watcher = new QFutureWatcher<ApiCallResult>(this);
    connect(watcher, &QFutureWatcher<ApiCallResult>::finished, this, [this, watcher] {
        watcher->deleteLater();
        deliver(watcher->result());
    });
    const Context context{m_route, m_linkRequestId, m_cancelled, m_decoder};
    watcher->setFuture(QtConcurrent::run([context, answer] { return decode(context, answer); }));
}

ApiCallResult ApiCall::decode(const Answer &answer) const
{
    return decode(Context{m_route, m_linkRequestId, m_cancelled, m_decoder}, answer);
}

// {"type":"final","status":S,"body":B}: the status and body of the plain answer. Megabytes of
// it are read on the decoding worker, never on the thread that shows the run.
void ApiCall::readFinalLine(Answer *answer)
{
    static const QByteArray statusKey = QByteArrayLiteral(R"("status":)");
    static const QByteArray bodyKey = QByteArrayLiteral(R"(,"body":)");
    const QByteArray &line = answer->finalLine;
    const qsizetype statusAt = line.indexOf(statusKey);
    const qsizetype bodyAt = line.indexOf(bodyKey);
    if (statusAt < 0 || bodyAt < statusAt || !line.endsWith('}')) {
        // The stream ended without its answer: the server went away mid-run.
        answer->status = 0;
        if (answer->networkError == QNetworkReply::NoError) {
            answer->networkError = QNetworkReply::RemoteHostClosedError;
            answer->errorString = tr("the streamed answer ended before the run did");
        }
        return;
    }
    const qsizetype statusStart = statusAt + statusKey.size();
    answer->status = QByteArrayView(line).sliced(statusStart, bodyAt - statusStart).toInt();
    const qsizetype bodyStart = bodyAt + bodyKey.size();
    answer->body = line.sliced(bodyStart, line.size() - bodyStart - 1);
    answer->finalLine.clear();
}

ApiCallResult ApiCall::decode(const Context &context, const Answer &given)
{
    Answer answer = given;
    if (answer.streamed)
        readFinalLine(&answer);
    ApiCallResult result;
    const int status = answer.status;
    const bool answered = status > 0
                          && answer.networkError != QNetworkReply::OperationCanceledError;
    if (answered && context.route == Route::LinkUrl) {
        result.envelope.httpStatusCode = status;
        result.envelope.data = protocol::ActionResults::parseLinkReply(status, answer.body,
                                                                       &result.error);
        result.envelope.success = !result.error.isError();
        result.envelope.requestId = context.linkRequestId;
        result.error.requestId = context.linkRequestId;
    } else if (answered) {
        // The server answered: its body says more than Qt's error does, even for 4xx/5xx.
        result.envelope = protocol::ResponseEnvelope::decode(status, answer.body, &result.error);
        if (!result.error.isError() && answer.networkError != QNetworkReply::NoError
            && status < 400) {
            result.error.kind = transportKind(answer.networkError, context.cancelled);
            result.error.message = answer.errorString;
        }
    } else {
        result.error.kind = answer.networkError == QNetworkReply::NoError
                                    ? ApiError::Kind::MalformedResponse
                                    : transportKind(answer.networkError, context.cancelled);
        result.error.message = result.error.kind == ApiError::Kind::Cancelled ? tr("cancelled")
                               : result.error.kind == ApiError::Kind::Timeout
                                       ? tr("no answer within the request timeout")
                                       : answer.errorString;
    }
    if (!result.error.isError() && context.decoder)
        result.decoded = context.decoder(result);
    return result;
}

void ApiCall::deliver(ApiCallResult result)
{
    if (!m_secret.isEmpty())
        result.error.message.replace(m_secret, QStringLiteral("***"));
    if (result.error.isError()) {
        qCInfo(lcApiCall) << m_action << "failed:" << ApiError::kindName(result.error.kind)
                          << result.error.code << result.error.requestId;
    }
    Q_EMIT finished(result);
}

} // namespace agentbay::client
