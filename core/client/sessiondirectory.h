// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/actionresults.h"

#include <QObject>
#include <QPair>

namespace agentbay::client {

class AgentBayApi;

// The sessions an API key owns, beyond the one a window works in: every page of ListSession,
// and deleting a session by id with the SDKs' confirmation polling.
class SessionDirectory final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionDirectory)

public:
    explicit SessionDirectory(AgentBayApi *api, QObject *parent = nullptr);
    ~SessionDirectory() override;

    // Walks NextToken until the last page (at most maxPages); listed() follows once.
    void listAll(const QList<QPair<QString, QString>> &labels = {}, int pageSize = 50,
                 int maxPages = 100);
    // What deleting a session the backend no longer knows means: an error for someone who named
    // it (the runner's --delete-session), done for a cleanup of what may be left.
    enum class IfGone { Fail, Succeed };
    // DeleteSessionAsync, then GetSessionDetail every second until FINISH or NotFound.
    void deleteSession(const QString &sessionId, int pollLimitMs = 300000,
                       IfGone ifGone = IfGone::Fail);

Q_SIGNALS:
    void listed(const QList<agentbay::protocol::SessionSummary> &sessions,
                const agentbay::protocol::ApiError &error);
    void deleted(const QString &sessionId, bool confirmed, const QString &why);

private:
    void fetchPage(const QString &nextToken, int pagesLeft);

    AgentBayApi *m_api;
    QList<QPair<QString, QString>> m_labels;
    int m_pageSize = 50;
    QList<protocol::SessionSummary> m_collected;
};

} // namespace agentbay::client
