// SPDX-License-Identifier: GPL-3.0-or-later
#include "sessioncleanup.h"

#include "workspace/secretstore.h"

#include "client/agentbayclient.h"
#include "client/profiles.h"
#include "client/sessiondirectory.h"

#include <QDir>
#include <QLoggingCategory>
#include <QTimer>

#include <memory>

Q_LOGGING_CATEGORY(lcCleanup, "agentbay.cleanup")

namespace agentbay::workbench {

SessionCleanup::SessionCleanup(SessionJournal journal, SecretStore *secrets,
                               QProcessEnvironment environment, QObject *parent)
    : QObject(parent), m_journal(std::move(journal)), m_secrets(secrets),
      m_environment(std::move(environment))
{}

SessionCleanup::~SessionCleanup() = default;

void SessionCleanup::start(int perSessionLimitMs)
{
    const QList<JournaledSession> entries = m_journal.entries();
    m_pending = static_cast<int>(entries.size());
    if (m_pending == 0) {
        QTimer::singleShot(0, this, [this] { Q_EMIT finished(0, 0); });
        return;
    }
    for (const JournaledSession &entry : entries)
        readKeyThenCleanUp(entry, perSessionLimitMs);
}

void SessionCleanup::deleteOne(const JournaledSession &entry, int limitMs)
{
    ++m_pending;
    readKeyThenCleanUp(entry, limitMs);
}

void SessionCleanup::readKeyThenCleanUp(const JournaledSession &entry, int limitMs)
{
    const QString key = SecretStore::keyForProfile(entry.profile);
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(m_secrets, &SecretStore::readFinished, this,
                          [this, entry, key, connection, limitMs](const QString &read,
                                                                  const QString &secret) {
                              if (read != key)
                                  return;
                              disconnect(*connection);
                              cleanUp(entry, secret, limitMs);
                          });
    m_secrets->read(key);
}

void SessionCleanup::cleanUp(const JournaledSession &entry, const QString &apiKey, int limitMs)
{
    const QString profile = entry.profile.isEmpty() ? QStringLiteral("custom") : entry.profile;
    const client::ProfileConfig config = client::Profiles::resolve(profile, entry.endpoint,
                                                                   entry.regionId, apiKey,
                                                                   m_environment,
                                                                   QDir::currentPath());
    if (!config.usable()) {
        settle(entry.sessionId, false, config.problem);
        return;
    }
    client::AgentBayApi *api = nullptr;
    if (m_apiFactory) {
        api = m_apiFactory(profile, config.resolved.config);
    } else {
        auto *http = new client::AgentBayClient;
        http->setConfig(config.resolved.config);
        api = http;
    }
    api->setParent(this);
    auto *directory = new client::SessionDirectory(api, api);
    connect(directory, &client::SessionDirectory::deleted, this,
            [this, api](const QString &id, bool confirmed, const QString &why) {
                api->deleteLater();
                settle(id, confirmed, why);
            });
    directory->deleteSession(entry.sessionId, limitMs, client::SessionDirectory::IfGone::Succeed);
}

void SessionCleanup::settle(const QString &sessionId, bool deleted, const QString &why)
{
    if (deleted) {
        QString error;
        if (!m_journal.remove(sessionId, &error))
            qCWarning(lcCleanup) << "deleted" << sessionId << "but cannot update" << error;
        ++m_deleted;
        qCInfo(lcCleanup) << "deleted session left by an earlier run:" << sessionId;
        Q_EMIT sessionDeleted(sessionId);
    } else {
        ++m_left;
        qCWarning(lcCleanup) << "session" << sessionId << "is still recorded:" << why;
        Q_EMIT sessionLeft(sessionId, why);
    }
    if (--m_pending == 0)
        Q_EMIT finished(m_deleted, m_left);
}

} // namespace agentbay::workbench
