// SPDX-License-Identifier: GPL-3.0-or-later
// The captured AgentBay wire fixtures in tests/data/wire (QtCore only).
#pragma once

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>

namespace agentbay::test {

inline QByteArray wireFile(const QString &name)
{
    QFile file(QStringLiteral(AGENTBAY_TEST_DATA_DIR "/wire/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(file.fileName()));
    return file.readAll();
}

inline QJsonObject wireJson(const QString &name)
{
    return QJsonDocument::fromJson(wireFile(name)).object();
}

// One HTTP/1.1 request as it was sent: request line, headers (names lower-cased, in order) and
// the body with any chunked framing removed.
struct HttpRequest
{
    QByteArray method;
    QByteArray target;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers) {
            if (key == name)
                return value;
        }
        return {};
    }
};

inline HttpRequest parseHttpRequest(const QByteArray &raw)
{
    HttpRequest request;
    const qsizetype headerEnd = raw.indexOf("\r\n\r\n");
    const QList<QByteArray> lines = raw.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    request.method = requestLine.value(0);
    request.target = requestLine.value(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        request.headers.append({lines.at(i).left(colon).trimmed().toLower(),
                                lines.at(i).mid(colon + 1).trimmed()});
    }
    QByteArray body = raw.mid(headerEnd + 4);
    if (request.header("transfer-encoding") == "chunked") {
        QByteArray joined;
        while (!body.isEmpty()) {
            const qsizetype sizeEnd = body.indexOf("\r\n");
            const qsizetype size = body.left(sizeEnd).toLongLong(nullptr, 16);
            if (size == 0)
                break;
            joined += body.mid(sizeEnd + 2, size);
            body = body.mid(sizeEnd + 2 + size + 2);
        }
        body = joined;
    }
    request.body = body;
    return request;
}

// A captured request fixture (tests/data/wire/<name>.request.http).
inline HttpRequest capturedRequest(const QString &name)
{
    return parseHttpRequest(wireFile(name + QStringLiteral(".request.http")));
}

} // namespace agentbay::test
