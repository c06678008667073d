// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "workspace/sessionjournal.h"

#include <QObject>
#include <QProcessEnvironment>

#include <functional>

namespace agentbay::client {
class AgentBayApi;
struct ClientConfig;
} // namespace agentbay::client

namespace agentbay::workspace {
class SecretStore;
}

namespace agentbay::workbench {

using workspace::JournaledSession;
using workspace::SecretStore;
using workspace::SessionJournal;

// Deletes the sessions a previous run recorded as not confirmed deleted (SessionJournal), each
// on its own backend with its profile's key, and drops them from the journal once the backend
// confirms. What cannot be deleted (no key, backend unreachable) stays recorded, with why.
class SessionCleanup final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionCleanup)

public:
    SessionCleanup(SessionJournal journal, SecretStore *secrets, QProcessEnvironment environment,
                   QObject *parent = nullptr);
    ~SessionCleanup() override;

    // finished() follows once every entry is deleted or left; at once when there are none.
    void start(int perSessionLimitMs = 60000);
    // Deletes one recorded session; sessionDeleted() or sessionLeft() follows (and finished()).
    void deleteOne(const JournaledSession &entry, int limitMs = 60000);
    int pending() const { return m_pending; }
    // Where the API each deletion talks to comes from (default: an HTTP client); the cleanup
    // owns what it returns.
    using ApiFactory = std::function<client::AgentBayApi *(const QString &profileId,
                                                           const client::ClientConfig &config)>;
    void setApiFactory(ApiFactory factory) { m_apiFactory = std::move(factory); }

Q_SIGNALS:
    void sessionDeleted(const QString &sessionId);
    void sessionLeft(const QString &sessionId, const QString &why);
    void finished(int deleted, int left);

private:
    void cleanUp(const JournaledSession &entry, const QString &apiKey, int limitMs);
    void readKeyThenCleanUp(const JournaledSession &entry, int limitMs);
    void settle(const QString &sessionId, bool deleted, const QString &why);

    SessionJournal m_journal;
    SecretStore *m_secrets;
    QProcessEnvironment m_environment;
    ApiFactory m_apiFactory;
    int m_pending = 0;
    int m_deleted = 0;
    int m_left = 0;
};

} // namespace agentbay::workbench
