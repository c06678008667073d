// SPDX-License-Identifier: GPL-3.0-or-later
// The sandbox's admission of runs: never more than the limit at once, the rest in a fair queue
// (in order within a session, sessions taking turns, one run per kernel), bounded.
#include "sandbox/runscheduler.h"

#include <QSignalSpy>
#include <QTest>

using agentbay::sandbox::RunScheduler;

class TestRunScheduler final : public QObject
{
    Q_OBJECT

private:
    QStringList m_started; // names, in the order their runs started
    QHash<QString, quint64> m_tickets;

    void submit(RunScheduler &scheduler, const QString &session, const QString &kernel,
                const QString &name)
    {
        const quint64 ticket = scheduler.submit(session, kernel,
                                                [this, name](quint64) { m_started.append(name); });
        QVERIFY2(ticket != 0, qPrintable(name));
        m_tickets.insert(name, ticket);
    }

private Q_SLOTS:
    void init()
    {
        m_started.clear();
        m_tickets.clear();
    }

    void theLimit_holds_andAFreedSlotGoesToTheNext()
    {
        RunScheduler scheduler(2, 10);
        for (int i = 0; i < 5; ++i)
            submit(scheduler, QStringLiteral("s%1").arg(i), QStringLiteral("s%1/py").arg(i),
                   QStringLiteral("r%1").arg(i));
        QCOMPARE(m_started, (QStringList{QStringLiteral("r0"), QStringLiteral("r1")}));
        QCOMPARE(scheduler.running(), 2);
        QCOMPARE(scheduler.waiting(), 3);
        scheduler.finish(m_tickets.value(QStringLiteral("r1")));
        QCOMPARE(m_started.constLast(), QStringLiteral("r2"));
        QCOMPARE(scheduler.running(), 2);
        scheduler.finish(m_tickets.value(QStringLiteral("r0")));
        scheduler.finish(m_tickets.value(QStringLiteral("r2")));
        QCOMPARE(m_started.size(), 5);
        QCOMPARE(scheduler.running(), 2);
        QCOMPARE(scheduler.waiting(), 0);
        scheduler.finish(m_tickets.value(QStringLiteral("r3")));
        scheduler.finish(m_tickets.value(QStringLiteral("r4")));
        QCOMPARE(scheduler.running(), 0);
    }

    void aSessionsRuns_keepTheirOrder_oneAtATimePerKernel()
    {
        RunScheduler scheduler(4, 10);
        submit(scheduler, QStringLiteral("a"), QStringLiteral("a/py"), QStringLiteral("a1"));
        submit(scheduler, QStringLiteral("a"), QStringLiteral("a/py"), QStringLiteral("a2"));
        submit(scheduler, QStringLiteral("a"), QStringLiteral("a/js"), QStringLiteral("a3"));
        submit(scheduler, QStringLiteral("b"), QStringLiteral("b/py"), QStringLiteral("b1"));
        // a2 waits for a1's kernel, and a3 waits behind a2 (its session's order), although both
        // a slot and a3's kernel are free; b is not held up by them.
        QCOMPARE(m_started, (QStringList{QStringLiteral("a1"), QStringLiteral("b1")}));
        QCOMPARE(scheduler.waitingIn(QStringLiteral("a")), 2);
        scheduler.finish(m_tickets.value(QStringLiteral("a1")));
        // a2 starts on the freed kernel, then a3 behind it on its own.
        QCOMPARE(m_started, (QStringList{QStringLiteral("a1"), QStringLiteral("b1"),
                                         QStringLiteral("a2"), QStringLiteral("a3")}));
        QCOMPARE(scheduler.running(), 3);
    }

    void sessions_takeTurns()
    {
        RunScheduler scheduler(1, 10);
        submit(scheduler, QStringLiteral("x"), QStringLiteral("x/py"), QStringLiteral("x0"));
        for (int i = 1; i <= 3; ++i)
            submit(scheduler, QStringLiteral("a"), QStringLiteral("a/k%1").arg(i),
                   QStringLiteral("a%1").arg(i));
        for (int i = 1; i <= 2; ++i)
            submit(scheduler, QStringLiteral("b"), QStringLiteral("b/k%1").arg(i),
                   QStringLiteral("b%1").arg(i));
        // One slot: each finished run hands it to the next session in turn.
        while (scheduler.running() > 0)
            scheduler.finish(m_tickets.value(m_started.constLast()));
        QCOMPARE(m_started,
                 (QStringList{QStringLiteral("x0"), QStringLiteral("a1"), QStringLiteral("b1"),
                              QStringLiteral("a2"), QStringLiteral("b2"), QStringLiteral("a3")}));
    }

    void theQueue_isBounded_butARunThatNeedNotWaitIsTaken()
    {
        RunScheduler scheduler(1, 2);
        submit(scheduler, QStringLiteral("s0"), QStringLiteral("s0/py"), QStringLiteral("r0"));
        submit(scheduler, QStringLiteral("s1"), QStringLiteral("s1/py"), QStringLiteral("r1"));
        submit(scheduler, QStringLiteral("s2"), QStringLiteral("s2/py"), QStringLiteral("r2"));
        QCOMPARE(scheduler.waiting(), 2);
        QCOMPARE(scheduler.submit(QStringLiteral("s3"), QStringLiteral("s3/py"),
                                  [](quint64) { QFAIL("a refused run must never start"); }),
                 quint64{0});
        QCOMPARE(scheduler.waiting(), 2);

        RunScheduler none(2, 0); // no queue at all: a free slot still takes a run
        QVERIFY(none.submit(QStringLiteral("a"), QStringLiteral("a/py"), [](quint64) {}) != 0);
        QVERIFY(none.submit(QStringLiteral("b"), QStringLiteral("b/py"), [](quint64) {}) != 0);
        QCOMPARE(none.submit(QStringLiteral("c"), QStringLiteral("c/py"), [](quint64) {}),
                 quint64{0});
    }

    void aWaitingRunWhoseCallerLeft_neverStarts()
    {
        RunScheduler scheduler(1, 10);
        submit(scheduler, QStringLiteral("s0"), QStringLiteral("s0/py"), QStringLiteral("r0"));
        submit(scheduler, QStringLiteral("s1"), QStringLiteral("s1/py"), QStringLiteral("r1"));
        submit(scheduler, QStringLiteral("s2"), QStringLiteral("s2/py"), QStringLiteral("r2"));
        QSignalSpy counts(&scheduler, &RunScheduler::countsChanged);
        scheduler.finish(m_tickets.value(QStringLiteral("r1"))); // waiting: it leaves
        QCOMPARE(scheduler.waiting(), 1);
        QCOMPARE(counts.size(), 1);
        scheduler.finish(m_tickets.value(QStringLiteral("r0")));
        QCOMPARE(m_started, (QStringList{QStringLiteral("r0"), QStringLiteral("r2")}));
        scheduler.finish(12345); // unknown: nothing happens
        QCOMPARE(scheduler.running(), 1);
    }

    void aRunThatEndsAsItStarts_handsItsSlotOn()
    {
        // A start may end its run at once (its session was deleted while it waited).
        RunScheduler scheduler(1, 10);
        submit(scheduler, QStringLiteral("s0"), QStringLiteral("s0/py"), QStringLiteral("r0"));
        RunScheduler *self = &scheduler;
        QStringList started;
        for (int i = 1; i <= 3; ++i) {
            const QString name = QStringLiteral("gone%1").arg(i);
            QVERIFY(scheduler.submit(QStringLiteral("g%1").arg(i), QStringLiteral("g%1/py").arg(i),
                                     [self, &started, name](quint64 ticket) {
                                         started.append(name);
                                         self->finish(ticket);
                                     })
                    != 0);
        }
        submit(scheduler, QStringLiteral("s9"), QStringLiteral("s9/py"), QStringLiteral("last"));
        scheduler.finish(m_tickets.value(QStringLiteral("r0")));
        QCOMPARE(started.size(), 3);
        QCOMPARE(m_started.constLast(), QStringLiteral("last"));
        QCOMPARE(scheduler.running(), 1);
        QCOMPARE(scheduler.waiting(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRunScheduler)
#include "tst_runscheduler.moc"
