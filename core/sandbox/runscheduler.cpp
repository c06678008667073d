// SPDX-License-Identifier: GPL-3.0-or-later
#include "runscheduler.h"

#include <algorithm>
#include <utility>

namespace agentbay::sandbox {

RunScheduler::RunScheduler(int limit, int maxWaiting, QObject *parent)
    : QObject(parent), m_limit(std::max(1, limit)), m_maxWaiting(std::max(0, maxWaiting))
{}

quint64 RunScheduler::submit(const QString &session, const QString &kernel, Start start)
{
    // Waiting runs are all held by a busy kernel while a slot is free, so a run that would not
    // wait starts whatever the queue's length.
    const bool startsNow = running() < m_limit && !m_busyKernels.contains(kernel)
                           && !m_waiting.contains(session);
    if (!startsNow && m_waitingCount >= m_maxWaiting)
        return 0;
    const quint64 id = m_nextTicket++;
    QList<Ticket> &queue = m_waiting[session];
    if (queue.isEmpty())
        m_turns.append(session);
    queue.append({id, session, kernel, std::move(start)});
    ++m_waitingCount;
    admit();
    Q_EMIT countsChanged(running(), waiting());
    return id;
}

void RunScheduler::finish(quint64 ticket)
{
    if (const auto running = m_running.constFind(ticket); running != m_running.cend()) {
        m_busyKernels.remove(running.value());
        m_running.erase(running);
        admit();
        Q_EMIT countsChanged(this->running(), waiting());
        return;
    }
    for (auto it = m_waiting.begin(); it != m_waiting.end(); ++it) {
        QList<Ticket> &queue = it.value();
        const auto found = std::find_if(queue.begin(), queue.end(),
                                        [ticket](const Ticket &t) { return t.id == ticket; });
        if (found == queue.end())
            continue;
        queue.erase(found);
        --m_waitingCount;
        if (queue.isEmpty()) {
            m_turns.removeOne(it.key());
            m_waiting.erase(it);
        }
        // The run behind it in its session may be free to start now.
        admit();
        Q_EMIT countsChanged(running(), waiting());
        return;
    }
}

bool RunScheduler::isWaiting(quint64 ticket) const
{
    for (const QList<Ticket> &queue : m_waiting) {
        for (const Ticket &waiting : queue) {
            if (waiting.id == ticket)
                return true;
        }
    }
    return false;
}

int RunScheduler::waitingIn(const QString &session) const
{
    return static_cast<int>(m_waiting.value(session).size());
}

void RunScheduler::admit()
{
    // A start may finish its run at once (its session went away), which calls back here: the
    // loop below carries on with the freed slot instead.
    if (m_admitting)
        return;
    m_admitting = true;
    while (running() < m_limit) {
        // The first session in turn whose next run's kernel is free; it goes to the back.
        qsizetype turn = 0;
        while (turn < m_turns.size()
               && m_busyKernels.contains(m_waiting.value(m_turns.at(turn)).constFirst().kernel))
            ++turn;
        if (turn == m_turns.size())
            break;
        const QString session = m_turns.takeAt(turn);
        QList<Ticket> &queue = m_waiting[session];
        Ticket ticket = queue.takeFirst();
        --m_waitingCount;
        if (queue.isEmpty())
            m_waiting.remove(session);
        else
            m_turns.append(session);
        m_running.insert(ticket.id, ticket.kernel);
        m_busyKernels.insert(ticket.kernel);
        ticket.start(ticket.id);
    }
    m_admitting = false;
}

} // namespace agentbay::sandbox
