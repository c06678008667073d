// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandboxserver.h"

#include "sandboxservice.h"

#include "protocol/responseenvelope.h"
#include "protocol/rpcrequest.h"

#include <QCoreApplication>
#include <QFile>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUuid>

Q_LOGGING_CATEGORY(lcServer, "agentbay.sandbox.http")

namespace agentbay::sandbox {

namespace {

const char *const PendingBytes = "agentbayPendingBytes";

// Qt HttpServer 6.4 buffers a whole body before anyone sees the request, and before the API key
// is checked. This runs first on every read: it counts what a connection has sent towards its
// current request and, past the limit (plus room for headers), answers 413 and closes it.
void guardRequestSize(QTcpSocket *socket, qint64 maxRequestBytes, const QString &hostId)
{
    QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket, maxRequestBytes, hostId] {
        const qint64 pending = socket->property(PendingBytes).toLongLong()
                               + socket->bytesAvailable();
        socket->setProperty(PendingBytes, pending);
        if (pending <= maxRequestBytes + 64 * 1024)
            return;
        const QByteArray body = protocol::ResponseEnvelope::errorBody(
                QUuid::createUuid().toString(QUuid::WithoutBraces).toUpper(),
                QStringLiteral("RequestTooLarge"),
                QCoreApplication::translate(
                        "SandboxServer", "The request body exceeds the sandbox limit of %1 bytes.")
                        .arg(maxRequestBytes),
                hostId);
        socket->write(
                "HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json;charset=utf-8\r\n"
                "Connection: close\r\nContent-Length: "
                + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        socket->disconnectFromHost();
        socket->readAll(); // dropped, never parsed
        socket->setProperty(PendingBytes, qint64{0});
    });
}

// Accepts connections with Nagle's algorithm off (without it each small answer can wait ~40 ms
// for a delayed ACK on loopback) and with the request-size guard in place.
class LowDelayTcpServer final : public QTcpServer
{
public:
    LowDelayTcpServer(qint64 maxRequestBytes, QString hostId, QObject *parent)
        : QTcpServer(parent), m_maxRequestBytes(maxRequestBytes), m_hostId(std::move(hostId))
    {}

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        guardRequestSize(socket, m_maxRequestBytes, m_hostId);
        addPendingConnection(socket);
    }

private:
    qint64 m_maxRequestBytes;
    QString m_hostId;
};

QByteArray headerValue(const QHttpServerRequest &request, const QByteArray &name)
{
    const auto headers = request.headers();
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

// The streaming extension (see the README's protocol section): a client that sends
// `X-Agentbay-Stream: ndjson` with CallMcpTool gets a chunked `application/x-ndjson` body, one
// JSON event per line while the run goes on, and last {"type":"final","status":S,"body":B}, where
// S and B are the status and body the same request gets without the header. A request without
// it is answered exactly as before.
constexpr char StreamHeader[] = "x-agentbay-stream";
constexpr char StreamFormat[] = "ndjson";
// The assist extension (README): the AssistCode action exists only for a request that sends
// `X-Agentbay-Assist: 1`; without it the action is unknown, as on AgentBay.
constexpr char AssistHeader[] = "x-agentbay-assist";

class EventStream
{
public:
    EventStream(std::shared_ptr<QHttpServerResponder> responder, QTcpSocket *socket)
        : m_responder(std::move(responder)), m_socket(socket)
    {}

    void event(const QJsonObject &event)
    {
        send(QJsonDocument(event).toJson(QJsonDocument::Compact) + '\n');
    }

    void finish(int status, const QByteArray &body)
    {
        send("{\"type\":\"final\",\"status\":" + QByteArray::number(status)
             + ",\"body\":" + body.trimmed() + "}\n");
        if (alive())
            m_responder->writeBody(QByteArrayLiteral("0\r\n\r\n"));
    }

private:
    bool alive() const { return m_socket && m_socket->state() == QAbstractSocket::ConnectedState; }

    void send(const QByteArray &line)
    {
        if (!alive())
            return;
        if (!m_started) {
            m_started = true;
            m_responder->writeStatusLine(QHttpServerResponder::StatusCode::Ok);
            m_responder->writeHeaders(
                    {{QByteArrayLiteral("Content-Type"),
                      QByteArrayLiteral("application/x-ndjson;charset=utf-8")},
                     {QByteArrayLiteral("Transfer-Encoding"), QByteArrayLiteral("chunked")},
                     {QByteArrayLiteral("X-Agentbay-Stream"), QByteArray(StreamFormat)}});
        }
        m_responder->writeBody(QByteArray::number(line.size(), 16) + "\r\n" + line + "\r\n");
        // Into the kernel's socket buffer now, not when the event loop next runs: the work that
        // follows in the same turn (a flood's final answer is built right after its last lines)
        // must not hold back what the client should already see.
        m_socket->flush();
    }

    std::shared_ptr<QHttpServerResponder> m_responder;
    QPointer<QTcpSocket> m_socket;
    bool m_started = false;
};

void writeJson(QHttpServerResponder &responder, int status, const QByteArray &body)
{
    responder.write(body,
                    {{QByteArrayLiteral("Content-Type"),
                      QByteArrayLiteral("application/json;charset=utf-8")}},
                    static_cast<QHttpServerResponder::StatusCode>(status));
}

} // namespace

SandboxServer::SandboxServer(SandboxConfig config, QObject *parent)
    : QAbstractHttpServer(parent), m_config(std::move(config)),
      m_service(new SandboxService(m_config, this))
{}

SandboxServer::~SandboxServer() = default;

bool SandboxServer::start(QString *why)
{
    QTcpServer *tcp = nullptr;
    if (!m_config.tlsCertificate.isEmpty() || !m_config.tlsKey.isEmpty()) {
        QFile certificateFile(m_config.tlsCertificate);
        QFile keyFile(m_config.tlsKey);
        if (!certificateFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
            *why = tr("cannot read the TLS certificate or key (%1, %2)")
                           .arg(m_config.tlsCertificate, m_config.tlsKey);
            return false;
        }
        const QSslCertificate certificate(&certificateFile, QSsl::Pem);
        const QByteArray keyPem = keyFile.readAll();
        const QSslKey key(keyPem, QSsl::Rsa, QSsl::Pem);
        const QSslKey ecKey = key.isNull() ? QSslKey(keyPem, QSsl::Ec, QSsl::Pem) : QSslKey();
        if (certificate.isNull() || (key.isNull() && ecKey.isNull())) {
            *why = tr("the TLS certificate or key is not valid PEM");
            return false;
        }
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setLocalCertificate(certificate);
        configuration.setPrivateKey(key.isNull() ? ecKey : key);
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
        auto *ssl = new QSslServer(this);
        ssl->setSslConfiguration(configuration);
        connect(ssl, &QSslServer::startedEncryptionHandshake, ssl, [this](QSslSocket *socket) {
            socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            guardRequestSize(socket, m_config.maxRequestBytes, m_config.hostId);
        });
        tcp = ssl;
        m_tls = true;
    } else {
        tcp = new LowDelayTcpServer(m_config.maxRequestBytes, m_config.hostId, this);
    }
    if (!tcp->listen(m_config.address, m_config.port)) {
        *why = tr("cannot listen on %1:%2: %3")
                       .arg(m_config.address.toString())
                       .arg(m_config.port)
                       .arg(tcp->errorString());
        delete tcp;
        return false;
    }
    m_port = tcp->serverPort();
    bind(tcp);
    qCInfo(lcServer) << "listening on" << endpoint().toString();
    return true;
}

QUrl SandboxServer::endpoint() const
{
    QUrl url;
    url.setScheme(m_tls ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(m_config.address.toString());
    url.setPort(m_port);
    return url;
}

bool SandboxServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    socket->setProperty(PendingBytes, qint64{0}); // a whole request arrived: count afresh
    if (request.method() == QHttpServerRequest::Method::Get
        && request.url().path() == QLatin1String("/status")) {
        // The sandbox's load (runs running and waiting): no AgentBay action, only ours.
        QHttpServerResponder responder = makeResponder(request, socket);
        writeJson(responder, 200, m_service->statusBody());
        return true;
    }
    if (request.method() != QHttpServerRequest::Method::Post
        || request.url().path() != QLatin1String("/"))
        return false; // missingHandler answers
    auto responder = std::make_shared<QHttpServerResponder>(makeResponder(request, socket));

    if (request.body().size() > m_config.maxRequestBytes) {
        writeJson(*responder, 413,
                  protocol::ResponseEnvelope::errorBody(
                          QUuid::createUuid().toString(QUuid::WithoutBraces).toUpper(),
                          QStringLiteral("RequestTooLarge"),
                          tr("The request body exceeds the sandbox limit of %1 bytes.")
                                  .arg(m_config.maxRequestBytes),
                          m_config.hostId));
        return true;
    }

    const auto rpc = protocol::RpcRequest::decode(request.url().query(QUrl::FullyEncoded).toUtf8(),
                                                  request.body(),
                                                  headerValue(request,
                                                              QByteArrayLiteral("x-acs-action")));
    if (!rpc) {
        writeJson(*responder, 400,
                  protocol::ResponseEnvelope::errorBody(
                          QUuid::createUuid().toString(QUuid::WithoutBraces).toUpper(),
                          QStringLiteral("MissingAction"),
                          tr("No Action in the query string or x-acs-action header."),
                          m_config.hostId));
        return true;
    }

    QPointer<QTcpSocket> liveSocket(socket);
    auto answered = std::make_shared<bool>(false);
    auto disconnectWatch = std::make_shared<QMetaObject::Connection>();
    const bool streamed = rpc->action() == QLatin1String("CallMcpTool")
                          && headerValue(request, StreamHeader) == StreamFormat;
    auto stream = streamed ? std::make_shared<EventStream>(responder, socket) : nullptr;
    SandboxService::Progress progress;
    if (stream)
        progress = [stream](const QJsonObject &event) {
            stream->event(event);
        };
    const auto canceller = m_service->handle(
            *rpc,
            [responder, liveSocket, answered, disconnectWatch, stream](int status,
                                                                       const QByteArray &body) {
                *answered = true;
                QObject::disconnect(*disconnectWatch);
                if (stream)
                    stream->finish(status, body);
                else if (liveSocket && liveSocket->state() == QAbstractSocket::ConnectedState)
                    writeJson(*responder, status, body);
            },
            progress, headerValue(request, AssistHeader) == "1");
    if (!*answered && canceller) {
        *disconnectWatch = connect(socket, &QTcpSocket::disconnected, this,
                                   [canceller, answered, action = rpc->action()] {
                                       if (*answered)
                                           return;
                                       qCInfo(lcServer) << "client left during" << action
                                                        << "- interrupting it";
                                       canceller();
                                   });
    }
    return true;
}

void SandboxServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    socket->setProperty(PendingBytes, qint64{0});
    QHttpServerResponder responder = makeResponder(request, socket);
    writeJson(responder, 404,
              protocol::ResponseEnvelope::errorBody(
                      QUuid::createUuid().toString(QUuid::WithoutBraces).toUpper(),
                      QStringLiteral("InvalidAction.NotFound"), tr("Only POST / is served here."),
                      m_config.hostId));
}

} // namespace agentbay::sandbox
