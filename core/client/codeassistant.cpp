// SPDX-License-Identifier: GPL-3.0-or-later
#include "codeassistant.h"

#include "agentbayclient.h"
#include "apicall.h"
#include "backend.h"
#include "localsandboxlauncher.h"
#include "profiles.h"

#include <QJsonObject>

namespace agentbay::client {

using protocol::AssistKind;

CodeAssistant::CodeAssistant(BackendPool *pool, QObject *parent) : QObject(parent), m_pool(pool) {}

CodeAssistant::~CodeAssistant()
{
    for (Channel *channel : {&m_typing, &m_lint, &m_warm}) {
        if (channel->call)
            channel->call->deleteLater(); // aborts it; nothing is reported any more
    }
}

namespace {

// The local sandbox's client, when it is up and offers the extension.
AgentBayClient *assistClient(BackendPool *pool)
{
    if (!pool)
        return nullptr;
    Backend *local = pool->local(); // started on first use, also for a cloud profile's tab
    if (!local->isReady() || !local->launcher()
        || !local->launcher()->extensions().contains(QLatin1String("assist")))
        return nullptr;
    return qobject_cast<AgentBayClient *>(local->api());
}

} // namespace

CodeAssistant::Channel &CodeAssistant::channelFor(AssistKind kind)
{
    if (kind == AssistKind::Lint)
        return m_lint;
    if (kind == AssistKind::Warm)
        return m_warm;
    return m_typing;
}

void CodeAssistant::cancel(AssistKind kind)
{
    Channel &channel = channelFor(kind);
    if (!channel.call)
        return;
    const quint64 id = channel.id;
    ApiCall *call = channel.call;
    channel.call = nullptr;
    call->disconnect(this);
    call->cancel();
    call->deleteLater();
    Q_EMIT dropped(id, tr("cancelled by a newer request"));
}

quint64 CodeAssistant::request(const Request &request)
{
    cancel(request.kind);
    AgentBayClient *client = assistClient(m_pool);
    if (!client)
        return 0;
    const int deadline = request.kind == AssistKind::Lint   ? LintDeadlineMs
                         : request.kind == AssistKind::Warm ? WarmDeadlineMs
                                                            : DeadlineMs;
    // After the first answer the sandbox holds the buffer: each later request sends what
    // changed since (a keystroke's worth), not the whole text again.
    std::optional<protocol::AssistBufferEdit> edit;
    if (!m_heldToken.isEmpty() && m_heldPath == request.path && request.kind != AssistKind::Warm)
        edit = protocol::AssistCodec::editBetween(m_heldToken, m_heldText, request.code);
    ApiCall *call = client->assist(protocol::AssistCodec::kindName(request.kind), request.language,
                                   request.code, request.line, request.column, request.sessionId,
                                   request.path, deadline, edit);
    const quint64 id = m_nextId++;
    Channel &channel = channelFor(request.kind);
    channel.call = call;
    channel.id = id;
    QElapsedTimer clock;
    clock.start();
    const AssistKind kind = request.kind;
    connect(call, &ApiCall::finished, this,
            [this, call, id, kind, clock, request,
             edited = edit.has_value()](const ApiCallResult &result) {
                Channel &current = channelFor(kind);
                if (current.call == call)
                    current.call = nullptr;
                call->deleteLater();
                const double elapsed = static_cast<double>(clock.nsecsElapsed()) / 1e6;
                if (!result.ok()) {
                    if (edited && result.envelope.code == QLatin1String(BufferUnknownCode)) {
                        // The sandbox no longer holds that buffer (restarted, or it made room):
                        // the whole text goes again.
                        m_heldToken.clear();
                        m_heldText.clear();
                        Q_EMIT dropped(id, tr("sent again in full"));
                        this->request(request);
                        return;
                    }
                    Q_EMIT dropped(id, result.error.message);
                    return;
                }
                const protocol::AssistAnswer answer
                        = protocol::AssistCodec::decode(kind, result.envelope.data.toObject());
                if (!answer.bufferToken.isEmpty() && kind != AssistKind::Warm) {
                    m_heldToken = answer.bufferToken;
                    m_heldText = request.code;
                    m_heldPath = request.path;
                }
                // The transfer timeout is generous on a loaded machine; the editor's is not.
                if (kind != AssistKind::Lint && kind != AssistKind::Warm && elapsed > DeadlineMs) {
                    Q_EMIT dropped(id, tr("answered after %1 ms, past the %2 ms deadline")
                                               .arg(qRound(elapsed))
                                               .arg(DeadlineMs));
                    return;
                }
                Q_EMIT answered(id, answer, elapsed);
            });
    return id;
}

} // namespace agentbay::client
