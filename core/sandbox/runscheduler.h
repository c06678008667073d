// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>

#include <functional>

namespace agentbay::sandbox {

// Admits runs to the kernels, at most `limit` at a time across the sandbox. The others wait:
// in the order they came within a session, sessions taking turns, one run per kernel (a session
// and a language) at a time; at most `maxWaiting` wait, and one more is refused. A run's timeout
// counts from its start, so waiting costs it nothing.
class RunScheduler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunScheduler)

public:
    // Called when the run may start, with its ticket; finish(ticket) follows when it ends.
    using Start = std::function<void(quint64 ticket)>;

    RunScheduler(int limit, int maxWaiting, QObject *parent = nullptr);

    // A ticket for a run of `kernel` (any key naming one kernel) in `session`, started at once
    // when a slot and the kernel are free; 0 when `maxWaiting` runs wait already.
    quint64 submit(const QString &session, const QString &kernel, Start start);
    // The run ended or its caller left: a waiting ticket leaves the queue, a running one frees
    // its slot for the next.
    void finish(quint64 ticket);

    int limit() const { return m_limit; }
    int maxWaiting() const { return m_maxWaiting; }
    int running() const { return static_cast<int>(m_running.size()); }
    int waiting() const { return m_waitingCount; }
    int waitingIn(const QString &session) const;
    bool isRunning(quint64 ticket) const { return m_running.contains(ticket); }
    bool isWaiting(quint64 ticket) const;

Q_SIGNALS:
    void countsChanged(int running, int waiting);

private:
    struct Ticket
    {
        quint64 id = 0;
        QString session;
        QString kernel;
        Start start;
    };

    void admit();

    int m_limit;
    int m_maxWaiting;
    quint64 m_nextTicket = 1;
    QHash<QString, QList<Ticket>> m_waiting; // per session, oldest first
    QList<QString> m_turns;                  // sessions with waiting runs, next served first
    int m_waitingCount = 0;
    QHash<quint64, QString> m_running; // ticket -> its kernel
    QSet<QString> m_busyKernels;
    bool m_admitting = false;
};

} // namespace agentbay::sandbox
