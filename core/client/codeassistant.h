// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/assist.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

namespace agentbay::client {

class ApiCall;
class BackendPool;

// The editor's helper for one document: completion, signatures, documentation and lint from
// the local sandbox's assist extension (README). Requests are asynchronous; a new one cancels
// the one before it on the same channel (lint has its own), and one that takes longer than its
// deadline is dropped, so a slow answer never pops up after the user typed on. On a local
// profile with a live session the candidates come from the session's kernel; otherwise (no
// session yet, an AgentBay cloud profile) the local sandbox reads the buffer alone, so no
// cloud run is ever spent on it. Without a local sandbox that offers the extension, requests
// are dropped at once.
class CodeAssistant final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CodeAssistant)

public:
    explicit CodeAssistant(BackendPool *pool, QObject *parent = nullptr);
    ~CodeAssistant() override;

    struct Request
    {
        protocol::AssistKind kind = protocol::AssistKind::Complete;
        QString language; // canonical
        QString code;
        int line = 1;      // 1-based
        int column = 0;    // 0-based, characters (code points)
        QString sessionId; // the live local session, or empty
        QString path;      // a stable name for the buffer (the analyser caches by it)
    };

    // Sends it and returns its id (0 when it is dropped at once: answered() does not follow).
    quint64 request(const Request &request);
    // Drops the request in flight on kind's channel.
    void cancel(protocol::AssistKind kind);

    // Completion, signatures and documentation are shown only if they arrive this fast.
    static constexpr int DeadlineMs = 150;
    static constexpr int LintDeadlineMs = 3000;
    static constexpr int WarmDeadlineMs = 15000;
    // The sandbox's answer when an edit names a buffer it does not hold.
    static constexpr char BufferUnknownCode[] = "InvalidParameter.BufferUnknown";

Q_SIGNALS:
    void answered(quint64 id, const agentbay::protocol::AssistAnswer &answer, double elapsedMs);
    // Cancelled by a newer request, past its deadline, or failed.
    void dropped(quint64 id, const QString &why);

private:
    struct Channel
    {
        QPointer<ApiCall> call;
        quint64 id = 0;
    };
    Channel &channelFor(protocol::AssistKind kind);

    BackendPool *m_pool;
    Channel m_typing; // complete, signature, doc
    Channel m_lint;
    Channel m_warm;
    quint64 m_nextId = 1;
    // The buffer the sandbox holds for this document: its token, text and path.
    QString m_heldToken;
    QString m_heldText;
    QString m_heldPath;
};

} // namespace agentbay::client
