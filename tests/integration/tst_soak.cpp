// SPDX-License-Identifier: GPL-3.0-or-later
// A soak of the real agentbay-sandbox: eight sessions kept busy at once with mixed runs (Python,
// JavaScript, errors, sleeps, large output), restarts, pauses and resumes, interrupts, deletes and
// kernels that die, for AGENTBAY_SOAK_SECONDS (30 by default; the closing figures of a longer run
// come from AGENTBAY_SOAK_SECONDS=1800 with QTEST_FUNCTION_TIMEOUT=2400000, since QtTest ends a test
// function after 300 s by default). Then: the server is alive, every run was answered, and
// answered right, no kernel process or workspace directory is left, and the server's memory is
// within 10 % of what it was once the load had warmed up.
#include "client/agentbayclient.h"
#include "client/session.h"

#include "testsupport.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>

using agentbay::client::AgentBayClient;
using agentbay::client::Session;
using agentbay::protocol::RunCodeResult;

namespace {

const QString Key = QStringLiteral("akm-soak-test-key");

struct Stats
{
    int sent = 0;
    int answered = 0;
    QStringList wrong; // what did not come back as it should
    QMap<QString, int> operations;
};

// One client that keeps its own session busy: one operation at a time, each chosen at random
// when the previous one has finished, until the deadline.
class Worker final : public QObject
{
    Q_OBJECT

public:
    Worker(AgentBayClient *client, int index, QDeadlineTimer deadline, Stats *stats)
        : m_client(client), m_index(index), m_deadline(deadline), m_stats(stats),
          m_random(static_cast<quint32>(20261130 + index))
    {
        newSession();
    }

    void start() { next(); }
    bool isDone() const { return m_done; }

Q_SIGNALS:
    void done();

private:
    using Then = std::function<void(const RunCodeResult &)>;

    void newSession()
    {
        Session *session = new Session(m_client, this);
        m_session = session;
        // Run ids are per session: a replaced session's runs still answer under its own key.
        connect(session, &Session::runFinished, this,
                [this, session](quint64 id, const RunCodeResult &result) {
                    const auto key = qMakePair(session, id);
                    if (!m_waiting.contains(key))
                        return;
                    ++m_stats->answered;
                    m_waiting.take(key)(result);
                });
    }

    void expect(bool ok, const QString &what, const RunCodeResult &result)
    {
        if (!ok) {
            m_stats->wrong.append(QStringLiteral("worker %1, %2: success=%3 stdout=%4 error=%5 %6")
                                          .arg(m_index)
                                          .arg(what)
                                          .arg(result.success)
                                          .arg(result.stdoutText().left(80),
                                               result.error ? result.error->name : QString(),
                                               result.errorMessage.left(200)));
        }
    }

    void run(const QString &code, const QString &language, int timeoutSeconds, Then then)
    {
        ++m_stats->sent;
        m_waiting.insert(qMakePair(m_session, m_session->runCode(code, language, timeoutSeconds)),
                         std::move(then));
    }

    // Runs code that must print what it is given back.
    void echo(const QString &what, std::function<void()> after)
    {
        const QString marker = QStringLiteral("%1-%2").arg(m_index).arg(++m_counter);
        run(QStringLiteral("print('%1')").arg(marker), QStringLiteral("python"), 20,
            [this, marker, what, after = std::move(after)](const RunCodeResult &result) {
                expect(result.success && result.stdoutText() == marker + QLatin1Char('\n'), what,
                       result);
                after();
            });
    }

    void replaceSession(std::function<void()> after)
    {
        Session *old = m_session;
        connect(old, &Session::removed, this, [this, old, after = std::move(after)](bool confirmed) {
            if (!confirmed)
                m_stats->wrong.append(
                        QStringLiteral("worker %1: a deletion was not confirmed").arg(m_index));
            old->deleteLater();
            after();
        });
        newSession();
        old->remove(20000);
    }

    void next()
    {
        if (m_deadline.hasExpired()) {
            finish();
            return;
        }
        const auto again = [this] {
            QTimer::singleShot(0, this, &Worker::next);
        };
        const int choice = static_cast<int>(m_random.bounded(100));
        const auto count = [this](const char *name) {
            ++m_stats->operations[QString::fromLatin1(name)];
        };
        if (choice < 30) {
            count("python run");
            echo(QStringLiteral("python run"), again);
        } else if (choice < 42) {
            count("javascript run");
            const QString marker = QStringLiteral("js-%1-%2").arg(m_index).arg(++m_counter);
            run(QStringLiteral("console.log('%1')").arg(marker), QStringLiteral("javascript"), 20,
                [this, marker, again](const RunCodeResult &result) {
                    expect(result.success && result.stdoutText() == marker + QLatin1Char('\n'),
                           QStringLiteral("javascript run"), result);
                    again();
                });
        } else if (choice < 50) {
            count("error");
            run(QStringLiteral("raise ValueError('soak')"), QStringLiteral("python"), 20,
                [this, again](const RunCodeResult &result) {
                    expect(result.error && result.error->name == QLatin1String("ValueError"),
                           QStringLiteral("error"), result);
                    again();
                });
        } else if (choice < 58) {
            count("large output");
            run(QStringLiteral("print('x' * 200000)"), QStringLiteral("python"), 20,
                [this, again](const RunCodeResult &result) {
                    expect(result.success && result.stdoutText().size() == 200001,
                           QStringLiteral("large output"), result);
                    again();
                });
        } else if (choice < 65) {
            count("sleep");
            run(QStringLiteral("import time\ntime.sleep(0.3)\n'slept'"), QStringLiteral("python"),
                20, [this, again](const RunCodeResult &result) {
                    expect(result.success
                                   && result.results.value(0).text() == QLatin1String("'slept'"),
                           QStringLiteral("sleep"), result);
                    again();
                });
        } else if (choice < 72) {
            count("interrupt");
            run(QStringLiteral("import time\ntime.sleep(10)"), QStringLiteral("python"), 20,
                [this, again](const RunCodeResult &result) {
                    expect(result.cancelled, QStringLiteral("interrupt"), result);
                    echo(QStringLiteral("run after an interrupt"), again);
                });
            QTimer::singleShot(150 + static_cast<int>(m_random.bounded(200)), m_session,
                               [session = m_session] { session->cancelRuns(); });
        } else if (choice < 78) {
            count("kernel death");
            // An exit of its own, or SIGKILL as the memory limit or another process deals it.
            run(m_random.bounded(2) == 0 ? QStringLiteral("import os\nos._exit(3)")
                                         : QStringLiteral("import os\nos.kill(os.getpid(), 9)"),
                QStringLiteral("python"), 20, [this, again](const RunCodeResult &result) {
                    expect(result.error && result.error->name == QLatin1String("KernelDied"),
                           QStringLiteral("kernel death"), result);
                    echo(QStringLiteral("run after a kernel death"), again);
                });
        } else if (choice < 86) {
            count("pause and resume");
            const int value = ++m_counter;
            run(QStringLiteral("soak_state = %1").arg(value), QStringLiteral("python"), 20,
                [this, value, again](const RunCodeResult &set) {
                    expect(set.success, QStringLiteral("state before a pause"), set);
                    auto pausedWatch = std::make_shared<QMetaObject::Connection>();
                    *pausedWatch = connect(
                            m_session, &Session::paused, this,
                            [this, value, again, pausedWatch](bool ok, const QString &why) {
                                disconnect(*pausedWatch);
                                if (!ok) {
                                    m_stats->wrong.append(QStringLiteral("worker %1: pause: %2")
                                                                  .arg(m_index)
                                                                  .arg(why));
                                }
                                auto resumedWatch = std::make_shared<QMetaObject::Connection>();
                                *resumedWatch = connect(
                                        m_session, &Session::resumed, this,
                                        [this, value, again, resumedWatch,
                                         ok](bool resumed, const QString &why2) {
                                            disconnect(*resumedWatch);
                                            if (ok && !resumed) {
                                                m_stats->wrong.append(
                                                        QStringLiteral("worker %1: resume: %2")
                                                                .arg(m_index)
                                                                .arg(why2));
                                            }
                                            run(QStringLiteral("soak_state"),
                                                QStringLiteral("python"), 20,
                                                [this, value, again](const RunCodeResult &got) {
                                                    expect(got.results.value(0).text()
                                                                   == QString::number(value),
                                                           QStringLiteral("state after a resume"),
                                                           got);
                                                    again();
                                                });
                                        });
                                m_session->resume(100, 20000);
                            });
                    m_session->pause(100, 20000);
                });
        } else if (choice < 93) {
            count("restart");
            replaceSession([this, again] { echo(QStringLiteral("run after a restart"), again); });
        } else {
            count("delete while running");
            run(QStringLiteral("import time\ntime.sleep(5)"), QStringLiteral("python"), 20,
                [this](const RunCodeResult &result) {
                    expect(!result.success, QStringLiteral("run ended by a delete"), result);
                });
            QTimer::singleShot(100 + static_cast<int>(m_random.bounded(200)), this, [this, again] {
                replaceSession([this, again] { echo(QStringLiteral("run after a delete"), again); });
            });
        }
    }

    void finish()
    {
        connect(m_session, &Session::removed, this, [this] {
            m_done = true;
            Q_EMIT done();
        });
        m_session->remove(20000);
    }

    AgentBayClient *m_client;
    int m_index;
    QDeadlineTimer m_deadline;
    Stats *m_stats;
    QRandomGenerator m_random;
    Session *m_session = nullptr;
    QHash<QPair<Session *, quint64>, Then> m_waiting;
    int m_counter = 0;
    bool m_done = false;
};

} // namespace

class TestSoak final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eightBusySessions_leaveNothingBehind()
    {
        const int seconds = qEnvironmentVariableIntValue("AGENTBAY_SOAK_SECONDS") > 0
                                    ? qEnvironmentVariableIntValue("AGENTBAY_SOAK_SECONDS")
                                    : 30;
        QTemporaryDir root;
        // The concurrency limit is not what this soaks: an interrupted run may still be winding
        // down when its session's next run arrives, so leave room for both.
        agentbay::test::SandboxProcess sandbox(Key, {QStringLiteral("--workspace-root"), root.path(),
                                                     QStringLiteral("--max-concurrent-runs"),
                                                     QStringLiteral("16")});
        QVERIFY(sandbox.endpoint().isValid());
        const qint64 pid = sandbox.process().processId();
        AgentBayClient client;
        client.setConfig({sandbox.endpoint(), Key, {}, 60000});

        Stats stats;
        const QDeadlineTimer deadline{std::chrono::seconds(seconds)};
        QList<Worker *> workers;
        for (int i = 0; i < 8; ++i)
            workers.append(new Worker(&client, i, deadline, &stats));
        for (Worker *worker : std::as_const(workers))
            worker->start();

        // The baseline once every session has its kernels and the load is steady.
        qint64 warmedUp = -1;
        qint64 peak = 0;
        QElapsedTimer clock;
        clock.start();
        QTimer sampler;
        connect(&sampler, &QTimer::timeout, this, [&] {
            const qint64 rss = agentbay::test::residentKiB(pid);
            peak = std::max(peak, rss);
            if (warmedUp < 0 && clock.elapsed() >= seconds * 1000 / 4)
                warmedUp = rss;
        });
        sampler.start(250);
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(workers.begin(), workers.end(),
                                             [](const Worker *w) { return w->isDone(); }),
                                 (seconds + 120) * 1000);
        sampler.stop();
        QCOMPARE(sandbox.process().state(), QProcess::Running);

        QStringList operations;
        for (auto it = stats.operations.begin(); it != stats.operations.end(); ++it)
            operations.append(QStringLiteral("%1 %2").arg(it.value()).arg(it.key()));
        qInfo("%d s: %d runs sent, %d answered; %s", seconds, stats.sent, stats.answered,
              qPrintable(operations.join(QStringLiteral(", "))));
        for (const QString &wrong : std::as_const(stats.wrong))
            qWarning("%s", qPrintable(wrong));
        QCOMPARE(stats.answered, stats.sent);
        QVERIFY(stats.wrong.isEmpty());
        QVERIFY(stats.sent > 8 * 5);

        // Nothing left: kernels, tools and workspaces went with their sessions.
        QTRY_COMPARE_WITH_TIMEOUT(agentbay::test::descendantsOf(pid), 0, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(QDir(root.path())
                                          .entryList(QDir::AllEntries | QDir::Hidden
                                                     | QDir::NoDotAndDotDot)
                                          .size(),
                                  0, 30000);
        QTest::qWait(1000);
        const qint64 after = agentbay::test::residentKiB(pid);
        qInfo("server RSS: %lld KiB once warmed up, %lld KiB at peak, %lld KiB after", warmedUp,
              peak, after);
        QVERIFY(warmedUp > 0);
        if (agentbay::test::UnderAddressSanitizer) {
            qDeleteAll(workers);
            return; // its quarantine holds freed memory: the release build checks memory
        }
        QVERIFY2(after <= warmedUp * 11 / 10,
                 qPrintable(QStringLiteral("RSS %1 KiB after, %2 KiB warmed up")
                                    .arg(after)
                                    .arg(warmedUp)));
        qDeleteAll(workers);
    }
};

QTEST_GUILESS_MAIN(TestSoak)
#include "tst_soak.moc"
