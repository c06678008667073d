// SPDX-License-Identifier: GPL-3.0-or-later
#include "recoveryjournal.h"

#include "atomicfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

#include <algorithm>

namespace agentbay::workspace {

namespace {
constexpr char ClosedFolder[] = "closed";

QByteArray toJson(const RecoveredTab &tab)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("id"), tab.id},
                                     {QStringLiteral("order"), tab.order},
                                     {QStringLiteral("title"), tab.title},
                                     {QStringLiteral("text"), tab.text},
                                     {QStringLiteral("language"), tab.language},
                                     {QStringLiteral("timeoutSeconds"), tab.timeoutSeconds},
                                     {QStringLiteral("cursorLine"), tab.cursorLine},
                                     {QStringLiteral("cursorIndex"), tab.cursorIndex},
                                     {QStringLiteral("snippetFile"), tab.snippetFile},
                                     {QStringLiteral("dirty"), tab.dirty},
                                     {QStringLiteral("profile"), tab.profile},
                                     {QStringLiteral("journaledAt"),
                                      tab.journaledAt.toUTC().toString(Qt::ISODateWithMs)}})
            .toJson(QJsonDocument::Indented);
}
} // namespace

RecoveryJournal::RecoveryJournal(const QString &folder)
    : m_folder(folder.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                                          + QStringLiteral("/recovery")
                                : folder)
{}

QString RecoveryJournal::pathFor(const QString &id) const
{
    return m_folder + QStringLiteral("/tab-") + id + QStringLiteral(".json");
}

bool RecoveryJournal::write(const RecoveredTab &tab, QString *error)
{
    if (!QDir().mkpath(m_folder)) {
        *error = QStringLiteral("%1 cannot be created").arg(m_folder);
        return false;
    }
    return AtomicFile::write(pathFor(tab.id), toJson(tab), error);
}

std::optional<RecoveredTab> RecoveryJournal::read(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject object = QJsonDocument::fromJson(file.readAll()).object();
    if (object.isEmpty())
        return std::nullopt; // not ours, or damaged: ignored rather than guessed at
    RecoveredTab tab;
    tab.id = object.value(QLatin1String("id")).toString();
    tab.order = object.value(QLatin1String("order")).toInt();
    tab.title = object.value(QLatin1String("title")).toString();
    tab.text = object.value(QLatin1String("text")).toString();
    tab.language = object.value(QLatin1String("language")).toString();
    tab.timeoutSeconds = std::clamp(object.value(QLatin1String("timeoutSeconds")).toInt(30), 1, 60);
    tab.cursorLine = object.value(QLatin1String("cursorLine")).toInt();
    tab.cursorIndex = object.value(QLatin1String("cursorIndex")).toInt();
    tab.snippetFile = object.value(QLatin1String("snippetFile")).toString();
    tab.dirty = object.value(QLatin1String("dirty")).toBool();
    tab.profile = object.value(QLatin1String("profile")).toString();
    tab.journaledAt = QDateTime::fromString(object.value(QLatin1String("journaledAt")).toString(),
                                            Qt::ISODateWithMs);
    if (tab.id.isEmpty())
        return std::nullopt;
    return tab;
}

QList<RecoveredTab> RecoveryJournal::openTabs() const
{
    QList<RecoveredTab> tabs;
    const QDir dir(m_folder);
    for (const QString &name : dir.entryList({QStringLiteral("tab-*.json")}, QDir::Files)) {
        if (auto tab = read(dir.filePath(name)))
            tabs.append(*tab);
    }
    std::stable_sort(tabs.begin(), tabs.end(), [](const RecoveredTab &a, const RecoveredTab &b) {
        return a.order < b.order;
    });
    return tabs;
}

bool RecoveryJournal::close(const QString &id)
{
    const QString path = pathFor(id);
    if (!QFile::exists(path))
        return false;
    const QDir closed(m_folder + QLatin1Char('/') + QLatin1String(ClosedFolder));
    QDir().mkpath(closed.path());
    // Names sort in closing order, even for tabs closed within the same millisecond: the stamp
    // is the time, or one past the newest already there.
    qint64 stamp = QDateTime::currentDateTimeUtc()
                           .toString(QStringLiteral("yyyyMMddHHmmsszzz"))
                           .toLongLong();
    const QStringList existing = closed.entryList({QStringLiteral("*.json")}, QDir::Files,
                                                  QDir::Name);
    if (!existing.isEmpty())
        stamp = qMax(stamp, existing.constLast().section(QLatin1Char('-'), 0, 0).toLongLong() + 1);
    const QString target = closed.filePath(QStringLiteral("%1-%2.json").arg(stamp).arg(id));
    QFile::remove(target);
    const bool moved = QFile::rename(path, target);
    // Keep the newest few closed tabs only.
    QStringList all = closed.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    while (all.size() > MaximumClosed)
        QFile::remove(closed.filePath(all.takeFirst()));
    return moved;
}

std::optional<RecoveredTab> RecoveryJournal::reopenLastClosed()
{
    const QDir closed(m_folder + QLatin1Char('/') + QLatin1String(ClosedFolder));
    const QStringList all = closed.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    if (all.isEmpty())
        return std::nullopt;
    const QString path = closed.filePath(all.constLast());
    auto tab = read(path);
    QFile::remove(path);
    return tab;
}

int RecoveryJournal::closedCount() const
{
    return static_cast<int>(QDir(m_folder + QLatin1Char('/') + QLatin1String(ClosedFolder))
                                    .entryList({QStringLiteral("*.json")}, QDir::Files)
                                    .size());
}

} // namespace agentbay::workspace
