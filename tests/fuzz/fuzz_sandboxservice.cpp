// SPDX-License-Identifier: GPL-3.0-or-later
// The sandbox's front door in-process, past the key check: any request (an HTTP request as the
// captures are, or "query\nbody\naction-header") is decoded, given the valid API key (most of
// the time) and a live session's id wherever it names a session ("S" or "session-…"), and
// handled. The service must answer each request exactly once with an AgentBay envelope, or not
// at all once the client has left, and never crash: session lookup, tool calls, labels, listing,
// pause/resume and delete are all reached. Kernels are not started (no driver is configured, so
// run_code stops at "no interpreter"); the shell runs, confined as always, and is cancelled
// when one turn of the event loop did not finish it.
#include "protocol/rpcrequest.h"
#include "sandbox/sandboxconfig.h"
#include "sandbox/sandboxservice.h"
#include "sandbox/sessionregistry.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cstdlib>
#include <memory>

using agentbay::protocol::RpcRequest;
using namespace agentbay::sandbox;

namespace {

const QString Key = QStringLiteral("fuzz-key");

struct Harness
{
    QTemporaryDir root;
    SandboxConfig config;
    std::unique_ptr<SandboxService> service;
};

Harness *harness = nullptr;

// The query, body and action header of an input.
struct Parts
{
    QByteArray query;
    QByteArray body;
    QByteArray actionHeader;
};

Parts partsOf(const QByteArray &input)
{
    Parts parts;
    if (input.startsWith("POST ") || input.startsWith("GET ")) {
        const qsizetype lineEnd = input.indexOf('\n');
        const QByteArray requestLine = input.left(lineEnd).trimmed();
        const QByteArray target = requestLine.split(' ').value(1);
        const qsizetype question = target.indexOf('?');
        parts.query = question < 0 ? QByteArray() : target.mid(question + 1);
        const qsizetype headerEnd = input.indexOf("\r\n\r\n");
        const QByteArray headers = input.mid(lineEnd + 1, headerEnd < 0 ? -1 : headerEnd - lineEnd);
        bool chunked = false;
        for (const QByteArray &line : headers.split('\n')) {
            const QByteArray lower = line.toLower();
            if (lower.startsWith("x-acs-action:"))
                parts.actionHeader = line.mid(13).trimmed();
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked"))
                chunked = true;
        }
        QByteArray body = headerEnd < 0 ? QByteArray() : input.mid(headerEnd + 4);
        if (chunked) {
            QByteArray joined;
            while (!body.isEmpty()) {
                const qsizetype sizeEnd = body.indexOf("\r\n");
                if (sizeEnd < 0)
                    break;
                const qsizetype size = body.left(sizeEnd).toLongLong(nullptr, 16);
                if (size <= 0)
                    break;
                joined += body.mid(sizeEnd + 2, size);
                body = body.mid(sizeEnd + 2 + size + 2);
            }
            body = joined;
        }
        parts.body = body;
        return parts;
    }
    const QList<QByteArray> split = input.split('\n');
    parts.query = split.value(0);
    parts.body = split.value(1);
    parts.actionHeader = split.value(2);
    return parts;
}

// Two live sessions to aim at (one of them may be paused, or deleted by the last input).
QString liveSession(bool second)
{
    SessionRegistry *sessions = harness->service->sessions();
    QList<SandboxSession *> all = sessions->sessions();
    while (all.size() < 2) {
        QString why;
        SandboxSession *created = sessions->create(&why);
        if (!created)
            std::abort(); // the limit is far above two: creating must work
        all.append(created);
    }
    // Keep the registry small: inputs that create sessions do not pile them up.
    while (all.size() > 6)
        sessions->remove(all.takeLast()->id());
    std::sort(all.begin(), all.end(),
              [](const SandboxSession *a, const SandboxSession *b) { return a->id() < b->id(); });
    return all.at(second ? 1 : 0)->id();
}

void aimAtLiveSessions(RpcRequest &request)
{
    const auto aimed = [](const QString &value) -> std::optional<QString> {
        if (value == QLatin1String("S") || value.startsWith(QLatin1String("session-")))
            return liveSession(value.endsWith(QLatin1Char('2')));
        return std::nullopt;
    };
    if (const auto field = request.field(QStringLiteral("SessionId"))) {
        if (const auto live = aimed(*field))
            request.setField(QStringLiteral("SessionId"), *live);
    }
    if (const auto field = request.queryField(QStringLiteral("SessionId"))) {
        if (const auto live = aimed(*field))
            request.setQueryField(QStringLiteral("SessionId"), *live);
    }
}

void drainEvents()
{
    QCoreApplication::processEvents(QEventLoop::AllEvents);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static QCoreApplication app(*argc, *argv);
    harness = new Harness;
    harness->config.apiKey = Key;
    harness->config.workspaceRoot = harness->root.path();
    harness->config.drivers = KernelDrivers{}; // no kernels: run_code answers "no interpreter"
    harness->config.maxSessions = 8;
    harness->service = std::make_unique<SandboxService>(harness->config);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray input(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const Parts parts = partsOf(input);
    auto request = RpcRequest::decode(parts.query, parts.body, parts.actionHeader);
    if (!request)
        return 0;
    // The last byte decides whether the input keeps its own key (about one input in eight).
    if ((static_cast<unsigned char>(input.back()) & 7) != 0)
        request->setApiKey(Key);
    aimAtLiveSessions(*request);

    auto answers = std::make_shared<int>(0);
    auto gone = std::make_shared<bool>(false);
    const auto canceller = harness->service->handle(*request, [answers,
                                                               gone](int status,
                                                                     const QByteArray &body) {
        if (*gone || ++*answers > 1)
            std::abort(); // after the client left, or a second answer
        if (status != 200 && status != 400)
            std::abort();
        const QJsonObject envelope = QJsonDocument::fromJson(body).object();
        if (envelope.value(QLatin1String("RequestId")).toString().isEmpty())
            std::abort();
    });
    drainEvents();
    if (*answers == 0) {
        if (!canceller)
            std::abort(); // nothing answered and nothing can be cancelled: a client would hang
        *gone = true;
        canceller();
        drainEvents();
    }
    return 0;
}
