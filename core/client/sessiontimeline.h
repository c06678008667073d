// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

namespace agentbay::client {

// One moment in a session's life, as the Session pane lists it.
struct TimelineEntry
{
    enum class Event {
        Backend,     // where the session lives: endpoint, region
        Creating,    // CreateMcpSession sent
        Ready,       // the session exists (id, request id)
        Isolation,   // one isolation layer the backend reports
        Running,     // a run was sent
        Output,      // a streamed run's first output arrived
        Idle,        // a run finished; the session waits
        Interrupted, // a run was stopped by the user
        TimedOut,    // a run hit its timeout
        Pausing,
        Paused,
        Resuming,
        Deleting,
        Deleted,
        Failed,
        KernelLost, // a kernel died (exit, signal, memory limit): its variables are gone
        LateError,  // code raised after its run had answered (a timer, a thread)
        Runtime,    // what the backend runs code with: interpreters and packages
    };

    QDateTime time;
    Event event = Event::Backend;
    QString detail;
    QString sessionId;
    QString requestId;
    qint64 durationMs = -1; // how long the step took, when it has a length

    static QString eventName(Event event);
};

// The lifecycle of the sessions one tab used, in order, with times: what the Session pane shows
// and copies. Bounded: the oldest entries go first once MaximumEntries is reached.
class SessionTimeline final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionTimeline)

public:
    explicit SessionTimeline(QObject *parent = nullptr);
    ~SessionTimeline() override;

    void record(TimelineEntry::Event event, const QString &detail, const QString &sessionId = {},
                const QString &requestId = {}, qint64 durationMs = -1);
    const QList<TimelineEntry> &entries() const { return m_entries; }
    void clear();

    // Tab-separated lines (time, event, session, request, duration, detail) for the clipboard.
    QString toText() const;
    static QString formatEntry(const TimelineEntry &entry);

    static constexpr int MaximumEntries = 5000;

Q_SIGNALS:
    void entryAdded(const agentbay::client::TimelineEntry &entry);
    void entriesDropped(int count); // from the front, when the bound was reached
    void cleared();

private:
    QList<TimelineEntry> m_entries;
};

} // namespace agentbay::client
