// SPDX-License-Identifier: GPL-3.0-or-later
#include "sessionjournal.h"

#include "atomicfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

namespace agentbay::workspace {

SessionJournal::SessionJournal(const QString &filePath)
    : m_path(filePath.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                                          + QStringLiteral("/sessions/cloud-sessions.json")
                                : filePath)
{}

QList<JournaledSession> SessionJournal::entries() const
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<JournaledSession> out;
    const QJsonArray array = QJsonDocument::fromJson(file.readAll())
                                     .object()
                                     .value(QLatin1String("sessions"))
                                     .toArray();
    for (const QJsonValue &value : array) {
        const QJsonObject object = value.toObject();
        JournaledSession session;
        session.sessionId = object.value(QLatin1String("sessionId")).toString();
        session.profile = object.value(QLatin1String("profile")).toString();
        session.endpoint = object.value(QLatin1String("endpoint")).toString();
        session.regionId = object.value(QLatin1String("regionId")).toString();
        session.recordedAt
                = QDateTime::fromString(object.value(QLatin1String("recordedAt")).toString(),
                                        Qt::ISODateWithMs);
        session.reason = object.value(QLatin1String("reason")).toString();
        if (!session.sessionId.isEmpty())
            out.append(session);
    }
    return out;
}

bool SessionJournal::add(const JournaledSession &session, QString *error)
{
    QList<JournaledSession> all = entries();
    all.removeIf([&](const JournaledSession &s) { return s.sessionId == session.sessionId; });
    all.append(session);
    return save(all, error);
}

bool SessionJournal::remove(const QString &sessionId, QString *error)
{
    QList<JournaledSession> all = entries();
    if (all.removeIf([&](const JournaledSession &s) { return s.sessionId == sessionId; }) == 0)
        return true;
    return save(all, error);
}

bool SessionJournal::save(const QList<JournaledSession> &entries, QString *error) const
{
    QJsonArray array;
    for (const JournaledSession &session : entries) {
        array.append(QJsonObject{{QStringLiteral("sessionId"), session.sessionId},
                                 {QStringLiteral("profile"), session.profile},
                                 {QStringLiteral("endpoint"), session.endpoint},
                                 {QStringLiteral("regionId"), session.regionId},
                                 {QStringLiteral("recordedAt"),
                                  session.recordedAt.toString(Qt::ISODateWithMs)},
                                 {QStringLiteral("reason"), session.reason}});
    }
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    return AtomicFile::write(m_path,
                             QJsonDocument(QJsonObject{{QStringLiteral("version"), 1},
                                                       {QStringLiteral("sessions"), array}})
                                     .toJson(QJsonDocument::Indented),
                             error);
}

} // namespace agentbay::workspace
