// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

namespace agentbay::workspace {

// A session that may still exist on a backend (and cost money there): it was not confirmed
// deleted when its tab closed or the app quit.
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

// The list of sessions to clean up at the next launch, kept as a small readable JSON file
// (written atomically) under QStandardPaths::AppDataLocation.
class SessionJournal
{
public:
    // An empty path uses AppDataLocation/sessions/unconfirmed.json.
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
