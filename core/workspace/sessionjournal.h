// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

namespace agentbay::workspace {

// A cloud session that exists, or may still exist, on a backend (and costs money there): recorded
// when it is created, removed once its deletion is confirmed. Whatever is still recorded at the
// next start was left by a crash or an unconfirmed deletion.
struct JournaledSession
{
    QString sessionId;
    QString profile;  // "shanghai", "singapore", "custom"
    QString endpoint; // where it lives
    QString regionId;
    QDateTime recordedAt;
    QString reason;
    bool operator==(const JournaledSession &other) const = default;
};

// The journal of live cloud sessions, a small readable JSON file (written atomically) under
// QStandardPaths::AppDataLocation: sessions/cloud-sessions.json. Its one writer is the
// application's main thread: every add and remove is a whole read-modify-write there.
class SessionJournal
{
public:
    // An empty path uses AppDataLocation/sessions/cloud-sessions.json.
    explicit SessionJournal(const QString &filePath = {});

    QString fileName() const { return m_path; }
    QList<JournaledSession> entries() const;
    // Adds or replaces (by session id); false with *error when the file cannot be written.
    bool add(const JournaledSession &session, QString *error = nullptr);
    bool remove(const QString &sessionId, QString *error = nullptr);

private:
    bool save(const QList<JournaledSession> &entries, QString *error) const;

    QString m_path;
};

} // namespace agentbay::workspace
