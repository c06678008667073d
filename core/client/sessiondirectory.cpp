// SPDX-License-Identifier: GPL-3.0-or-later
#include "sessiondirectory.h"

#include "agentbayapi.h"
#include "apicall.h"
#include "session.h"

namespace agentbay::client {

SessionDirectory::SessionDirectory(AgentBayApi *api, QObject *parent) : QObject(parent), m_api(api)
{}

SessionDirectory::~SessionDirectory() = default;

void SessionDirectory::listAll(const QList<QPair<QString, QString>> &labels, int pageSize,
                               int maxPages)
{
    m_labels = labels;
    m_pageSize = pageSize;
    m_collected.clear();
    fetchPage(QString(), maxPages);
}

void SessionDirectory::fetchPage(const QString &nextToken, int pagesLeft)
{
    ApiCall *call = m_api->listSessions(m_labels, m_pageSize, nextToken);
    call->setParent(this);
    connect(call, &ApiCall::finished, this, [this, call, pagesLeft](const ApiCallResult &result) {
        call->deleteLater();
        if (result.error.isError()) {
            Q_EMIT listed(m_collected, result.error);
            return;
        }
        const protocol::SessionPage page = protocol::ActionResults::parseSessionPage(
                result.envelope.body);
        m_collected += page.sessions;
        if (!page.nextToken.isEmpty() && !page.sessions.isEmpty() && pagesLeft > 1) {
            fetchPage(page.nextToken, pagesLeft - 1);
            return;
        }
        Q_EMIT listed(m_collected, {});
    });
}

void SessionDirectory::deleteSession(const QString &sessionId, int pollLimitMs, IfGone ifGone)
{
    auto *session = new Session(m_api, this);
    connect(session, &Session::attached, this,
            [this, session, sessionId, pollLimitMs, ifGone](bool ok, const QString &why) {
                if (ok) {
                    session->remove(pollLimitMs);
                    return;
                }
                if (session->state() == Session::State::Deleting)
                    return; // already being deleted: removed() follows when it is gone
                // A session the backend no longer knows is as deleted as it gets, for a cleanup.
                const bool gone = session->state() == Session::State::Deleted
                                  && ifGone == IfGone::Succeed;
                session->deleteLater();
                Q_EMIT deleted(sessionId, gone, gone ? QString() : why);
            });
    connect(session, &Session::removed, this, [this, session, sessionId](bool confirmed) {
        session->deleteLater();
        Q_EMIT deleted(sessionId, confirmed,
                       confirmed ? QString() : tr("the deletion was not confirmed in time"));
    });
    session->attach(sessionId);
}

} // namespace agentbay::client
