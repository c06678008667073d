// SPDX-License-Identifier: GPL-3.0-or-later
// Network helpers shared by the tests: a real agentbay-sandbox process, raw HTTP, replays.
#pragma once

#include "fixtures.h"

#include <QDir>
#include <QFile>
#include <QHash>

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>
#include <functional>

namespace agentbay::test {

// A real agentbay-sandbox process on 127.0.0.1:0 with a known API key.
class SandboxProcess
{
public:
    // runAs: a command that runs the sandbox as another user (setpriv …), or empty.
    explicit SandboxProcess(const QString &apiKey, const QStringList &extraArguments = {},
                            const QStringList &runAs = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("AGENTBAY_SANDBOX_API_KEY"), apiKey);
        m_process.setProcessEnvironment(env);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QStringList command = runAs;
        command << QStringLiteral(AGENTBAY_SANDBOX_PROGRAM) << QStringLiteral("--listen")
                << QStringLiteral("127.0.0.1:0") << extraArguments;
        m_process.start(command.takeFirst(), command);
        if (!m_process.waitForStarted(10000) || !m_process.waitForReadyRead(15000))
            return;
        while (!m_process.canReadLine() && m_process.waitForReadyRead(5000)) {
        }
        const QJsonObject ready = QJsonDocument::fromJson(m_process.readLine()).object();
        m_endpoint = QUrl(ready.value(QLatin1String("endpoint")).toString());
    }
    ~SandboxProcess()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
    }
    Q_DISABLE_COPY_MOVE(SandboxProcess)

    QUrl endpoint() const { return m_endpoint; }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
    QUrl m_endpoint;
};

// Processes whose ancestor is the given one (a sandbox's kernels, tools and their bubblewraps),
// optionally only those whose command line contains a marker.
inline int descendantsOf(qint64 ancestor, const QByteArray &marker = {})
{
    int count = 0;
    const QStringList entries = QDir(QStringLiteral("/proc"))
                                        .entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool numeric = false;
        entry.toLongLong(&numeric);
        if (!numeric)
            continue;
        if (!marker.isEmpty()) {
            QFile cmdline(QStringLiteral("/proc/") + entry + QStringLiteral("/cmdline"));
            if (!cmdline.open(QIODevice::ReadOnly) || !cmdline.readAll().contains(marker))
                continue;
        }
        QString pid = entry;
        for (int depth = 0; depth < 12 && pid != QLatin1String("1") && !pid.isEmpty(); ++depth) {
            QFile status(QStringLiteral("/proc/") + pid + QStringLiteral("/status"));
            if (!status.open(QIODevice::ReadOnly))
                break;
            const QByteArray text = status.readAll();
            const qsizetype at = text.indexOf("PPid:");
            pid = QString::fromLatin1(text.mid(at + 5, text.indexOf('\n', at) - at - 5).trimmed());
            if (pid.toLongLong() == ancestor) {
                ++count;
                break;
            }
        }
    }
    return count;
}

// Under AddressSanitizer freed memory sits in a quarantine of hundreds of MB, so resident memory
// says nothing about leaks there; memory checks apply to the release build.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool UnderAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool UnderAddressSanitizer = true;
#else
inline constexpr bool UnderAddressSanitizer = false;
#endif
#else
inline constexpr bool UnderAddressSanitizer = false;
#endif

// Resident memory of a process in KiB (VmRSS), or -1.
inline qint64 residentKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = status.readAll();
    const qsizetype at = text.indexOf("VmRSS:");
    if (at < 0)
        return -1;
    return text.mid(at + 6, text.indexOf('\n', at) - at - 6).replace("kB", "").trimmed().toLongLong();
}

struct RawResponse
{
    int status = 0;
    QByteArray headers;
    QByteArray body;
};

// Sends bytes exactly as given and reads one HTTP/1.1 answer with a Content-Length body.
inline RawResponse sendRaw(const QUrl &endpoint, const QByteArray &request)
{
    RawResponse response;
    QTcpSocket socket;
    socket.connectToHost(endpoint.host(), static_cast<quint16>(endpoint.port()));
    if (!socket.waitForConnected(5000))
        return response;
    socket.write(request);
    QByteArray data;
    qsizetype headerEnd = -1;
    qsizetype length = -1;
    while (socket.waitForReadyRead(30000)) {
        data += socket.readAll();
        if (headerEnd < 0 && (headerEnd = data.indexOf("\r\n\r\n")) >= 0) {
            response.headers = data.left(headerEnd);
            response.status = response.headers.mid(9, 3).toInt();
            const auto lines = response.headers.split('\n');
            for (const QByteArray &line : lines) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
        }
        if (headerEnd >= 0 && length >= 0 && data.size() >= headerEnd + 4 + length)
            break;
    }
    response.body = data.mid(headerEnd + 4, length);
    return response;
}

// A loopback HTTP server that replays captured AgentBay answers: each request is recorded raw and
// answered by the handler (an empty answer keeps the connection silent, for timeout tests).
class ReplayServer final : public QTcpServer
{
public:
    using Handler = std::function<QByteArray(const QByteArray &request)>;
    // Answers whenever it likes (or never): reply() writes to the request's connection, if it
    // is still open.
    using Reply = std::function<void(const QByteArray &answer)>;
    using DeferredHandler = std::function<void(const QByteArray &request, Reply reply)>;

    explicit ReplayServer(Handler handler) : m_handler(std::move(handler)) { listenOnLoopback(); }
    explicit ReplayServer(DeferredHandler handler) : m_deferred(std::move(handler))
    {
        listenOnLoopback();
    }

    void listenOnLoopback()
    {
        listen(QHostAddress::LocalHost, 0);
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onData(socket); });
            }
        });
    }

    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(serverPort())); }
    QList<QByteArray> requests;

    // An HTTP/1.1 answer with a JSON body.
    static QByteArray answer(int status, const QByteArray &body,
                             const QByteArray &type = "application/json;charset=utf-8")
    {
        return "HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Type: " + type
               + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    }

    // The captured answer of a fixture (tests/data/wire/<name>.response.json).
    static QByteArray fixtureAnswer(const QString &name)
    {
        const QJsonObject response = wireJson(name + QStringLiteral(".response.json"));
        return answer(response.value(QLatin1String("http_status")).toInt(),
                      QJsonDocument(response.value(QLatin1String("body")).toObject()).toJson());
    }

private:
    void onData(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        qsizetype length = 0;
        const auto lines = buffer.left(headerEnd).split('\n');
        for (const QByteArray &line : lines) {
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        }
        if (buffer.size() < headerEnd + 4 + length)
            return;
        const QByteArray request = buffer.left(headerEnd + 4 + length);
        buffer.remove(0, request.size());
        requests.append(request);
        if (m_deferred) {
            QPointer<QTcpSocket> live(socket);
            m_deferred(request, [live](const QByteArray &answer) {
                if (live && live->state() == QAbstractSocket::ConnectedState)
                    live->write(answer);
            });
            return;
        }
        const QByteArray reply = m_handler(request);
        if (!reply.isEmpty())
            socket->write(reply);
    }

    Handler m_handler;
    DeferredHandler m_deferred;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace agentbay::test
