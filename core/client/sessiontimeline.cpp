// SPDX-License-Identifier: GPL-3.0-or-later
#include "sessiontimeline.h"

namespace agentbay::client {

QString TimelineEntry::eventName(Event event)
{
    switch (event) {
    case Event::Backend:
        return QStringLiteral("backend");
    case Event::Creating:
        return QStringLiteral("creating");
    case Event::Ready:
        return QStringLiteral("ready");
    case Event::Isolation:
        return QStringLiteral("isolation");
    case Event::Running:
        return QStringLiteral("running");
    case Event::Output:
        return QStringLiteral("output");
    case Event::Idle:
        return QStringLiteral("idle");
    case Event::Interrupted:
        return QStringLiteral("interrupted");
    case Event::TimedOut:
        return QStringLiteral("timed out");
    case Event::Pausing:
        return QStringLiteral("pausing");
    case Event::Paused:
        return QStringLiteral("paused");
    case Event::Resuming:
        return QStringLiteral("resuming");
    case Event::Deleting:
        return QStringLiteral("deleting");
    case Event::Deleted:
        return QStringLiteral("deleted");
    case Event::Failed:
        return QStringLiteral("failed");
    case Event::KernelLost:
        return QStringLiteral("kernel lost");
    case Event::LateError:
        return QStringLiteral("late error");
    case Event::Runtime:
        return QStringLiteral("runtime");
    }
    return {};
}

SessionTimeline::SessionTimeline(QObject *parent) : QObject(parent) {}

SessionTimeline::~SessionTimeline() = default;

void SessionTimeline::record(TimelineEntry::Event event, const QString &detail,
                             const QString &sessionId, const QString &requestId, qint64 durationMs)
{
    if (m_entries.size() >= MaximumEntries) {
        const int drop = MaximumEntries / 10;
        m_entries.remove(0, drop);
        Q_EMIT entriesDropped(drop);
    }
    TimelineEntry entry;
    entry.time = QDateTime::currentDateTime();
    entry.event = event;
    entry.detail = detail;
    entry.sessionId = sessionId;
    entry.requestId = requestId;
    entry.durationMs = durationMs;
    m_entries.append(entry);
    Q_EMIT entryAdded(entry);
}

void SessionTimeline::clear()
{
    m_entries.clear();
    Q_EMIT cleared();
}

QString SessionTimeline::formatEntry(const TimelineEntry &entry)
{
    const QString duration = entry.durationMs < 0
                                     ? QString()
                                     : QString::number(entry.durationMs / 1000.0, 'f', 3)
                                               + QStringLiteral(" s");
    return QStringList{entry.time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")),
                       TimelineEntry::eventName(entry.event),
                       entry.sessionId,
                       entry.requestId,
                       duration,
                       entry.detail}
            .join(QLatin1Char('\t'));
}

QString SessionTimeline::toText() const
{
    QStringList lines{QStringLiteral("time\tevent\tsession\trequest\tduration\tdetail")};
    for (const TimelineEntry &entry : m_entries)
        lines.append(formatEntry(entry));
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace agentbay::client
