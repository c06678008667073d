// SPDX-License-Identifier: GPL-3.0-or-later
// RunController with the real local sandbox: runs wait for the backend, a dead sandbox fails
// what was running and comes back on the next run, and shutdown is bounded even when the
// sandbox is wedged.
#include "client/localsandboxlauncher.h"
#include "client/runcontroller.h"
#include "client/sessiontimeline.h"

#include <QDir>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <csignal>

using agentbay::client::LocalSandboxLauncher;
using agentbay::client::RunController;
using agentbay::client::Session;
using agentbay::protocol::RunCodeResult;

namespace {
RunCodeResult resultOf(QSignalSpy &spy, quint64 runId, int timeoutMs = 20000)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        for (const auto &arguments : std::as_const(spy)) {
            if (arguments.at(0).toULongLong() == runId)
                return arguments.at(1).value<RunCodeResult>();
        }
        spy.wait(timeoutMs - static_cast<int>(clock.elapsed()));
    }
    RunCodeResult none;
    none.errorMessage = QStringLiteral("no answer");
    return none;
}

// The temporary workspace roots that name pid as their owner.
QStringList rootsOwnedBy(qint64 pid)
{
    QStringList owned;
    const QDir temp(QDir::tempPath());
    const QStringList roots = temp.entryList({QStringLiteral("agentbay-sandbox-*")}, QDir::Dirs);
    for (const QString &name : roots) {
        QFile owner(temp.filePath(name + QStringLiteral("/owner.pid")));
        if (owner.open(QIODevice::ReadOnly) && owner.readAll().trimmed().toLongLong() == pid)
            owned.append(name);
    }
    return owned;
}

LocalSandboxLauncher *launcherOf(RunController &controller)
{
    return controller.findChild<LocalSandboxLauncher *>();
}
} // namespace

class TestRunController final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qputenv("AGENTBAY_SANDBOX_PROGRAM", AGENTBAY_SANDBOX_PROGRAM); }

    void runAskedBeforeTheBackendIsReady_waitsAndRuns()
    {
        RunController controller;
        QSignalSpy finished(&controller, &RunController::runFinished);
        controller.useLocalSandbox();
        QVERIFY(!controller.isBackendReady());
        const quint64 id = controller.run(QStringLiteral("print('early')"),
                                          QStringLiteral("python"), 10);
        const RunCodeResult result = resultOf(finished, id);
        QVERIFY2(result.success, qPrintable(result.errorMessage));
        QCOMPARE(result.stdoutText(), QStringLiteral("early\n"));
        QVERIFY(controller.backendDescription().startsWith(
                QLatin1String("Local sandbox (127.0.0.1:")));
    }

    void deadSandbox_failsTheRunningRun_andTheNextRunBringsItBack()
    {
        RunController controller;
        QSignalSpy finished(&controller, &RunController::runFinished);
        QSignalSpy failedSpy(&controller, &RunController::backendFailed);
        QSignalSpy ready(&controller, &RunController::backendReady);
        controller.useLocalSandbox();
        QVERIFY(ready.wait(20000));
        QVERIFY(resultOf(finished,
                         controller.run(QStringLiteral("x = 1"), QStringLiteral("python"), 10))
                        .success);

        const quint64 longRun = controller.run(QStringLiteral("import time\ntime.sleep(30)"),
                                               QStringLiteral("python"), 60);
        QTRY_COMPARE(controller.session()->state(), Session::State::Running);
        const qint64 pid = launcherOf(controller)->processId();
        QVERIFY(pid > 0);
        ::kill(static_cast<pid_t>(pid), SIGKILL);

        const RunCodeResult lost = resultOf(finished, longRun, 10000);
        QVERIFY(!lost.success);
        QVERIFY2(!lost.errorMessage.isEmpty(), "a lost run says why");
        QTRY_COMPARE(failedSpy.size(), 1);
        QVERIFY(!controller.isBackendReady());
        QCOMPARE(rootsOwnedBy(pid).size(), 1); // the killed server could not clean up

        // The next run starts a new sandbox and a new session (the old state is gone).
        const RunCodeResult again = resultOf(finished,
                                             controller.run(QStringLiteral("print('back')"),
                                                            QStringLiteral("python"), 10));
        QVERIFY2(again.success, qPrintable(again.errorMessage));
        QCOMPARE(again.stdoutText(), QStringLiteral("back\n"));
        QCOMPARE(ready.size(), 2);
        QVERIFY(launcherOf(controller)->processId() != pid);
        QVERIFY(rootsOwnedBy(pid).isEmpty()); // the new one swept it away
    }

    void whatHappensBetweenRuns_isOnTheTimeline()
    {
        // An error raised after a run answered, and a kernel that died between runs, are each a
        // Session-pane event when the next run reports them.
        RunController controller;
        controller.useLocalSandbox();
        QSignalSpy finished(&controller, &RunController::runFinished);
        const auto eventsOf = [&controller](agentbay::client::TimelineEntry::Event event) {
            QStringList details;
            for (const auto &entry : controller.timeline()->entries()) {
                if (entry.event == event)
                    details.append(entry.detail);
            }
            return details;
        };
        using Event = agentbay::client::TimelineEntry::Event;
        quint64 id = controller.run(QStringLiteral(
                                            "setImmediate(() => { throw new Error('late') }); 1"),
                                    QStringLiteral("javascript"), 10);
        QVERIFY(resultOf(finished, id).success);
        QTest::qWait(200);
        id = controller.run(QStringLiteral("2"), QStringLiteral("javascript"), 10);
        QVERIFY(resultOf(finished, id).success);
        QCOMPARE(eventsOf(Event::LateError).size(), 1);
        QVERIFY2(eventsOf(Event::LateError)
                         .first()
                         .contains(QLatin1String("error raised after run 1")),
                 qPrintable(eventsOf(Event::LateError).first()));

        id = controller.run(QStringLiteral("import os\nos._exit(3)"), QStringLiteral("python"), 10);
        const RunCodeResult died = resultOf(finished, id);
        QCOMPARE(died.error->name, QStringLiteral("KernelDied"));
        QVERIFY2(died.error->value.contains(
                         QLatin1String("the Python kernel exited with status 3")),
                 qPrintable(died.error->value));
        QCOMPARE(eventsOf(Event::KernelLost).size(), 1);
        id = controller.run(QStringLiteral("print('fresh')"), QStringLiteral("python"), 10);
        QCOMPARE(resultOf(finished, id).stdoutText(), QStringLiteral("fresh\n"));
        // The Session pane says what the code runs with: interpreters and the data stack (found
        // by the sandbox once it is quiet, which a busy machine may take a while to be).
        QTRY_VERIFY2_WITH_TIMEOUT(eventsOf(Event::Runtime).size() >= 2,
                                  qPrintable(controller.timeline()->toText().right(1500)), 15000);
        const QString runtimes = eventsOf(Event::Runtime).join(QLatin1Char('\n'));
        QVERIFY2(runtimes.contains(QLatin1String("python 3.")), qPrintable(runtimes));
        QVERIFY2(runtimes.contains(QLatin1String("numpy ")), qPrintable(runtimes));
        QVERIFY2(runtimes.contains(QLatin1String("javascript v")), qPrintable(runtimes));
        QSignalSpy done(&controller, &RunController::shutdownFinished);
        controller.shutdown(5000);
        QVERIFY(done.wait(8000));
    }

    void shutdown_deletesTheSessionAndEndsTheSandbox()
    {
        RunController controller;
        QSignalSpy finished(&controller, &RunController::runFinished);
        controller.useLocalSandbox();
        QVERIFY(resultOf(finished, controller.run(QStringLiteral("1"), QStringLiteral("python"), 10))
                        .success);
        QSignalSpy done(&controller, &RunController::shutdownFinished);
        controller.shutdown();
        QVERIFY(done.wait(5000));
        QCOMPARE(done.first().first().toBool(), true);
        QCOMPARE(controller.session()->state(), Session::State::Deleted);
        QVERIFY(!launcherOf(controller)->isRunning());
        // Nothing runs after shutdown.
        const RunCodeResult refused = resultOf(finished,
                                               controller.run(QStringLiteral("1"),
                                                              QStringLiteral("python"), 10));
        QVERIFY(!refused.success);
    }

    void shutdown_isBoundedEvenWhenTheSandboxIsWedged()
    {
        RunController controller;
        QSignalSpy finished(&controller, &RunController::runFinished);
        controller.useLocalSandbox();
        QVERIFY(resultOf(finished, controller.run(QStringLiteral("1"), QStringLiteral("python"), 10))
                        .success);
        const qint64 pid = launcherOf(controller)->processId();
        ::kill(static_cast<pid_t>(pid), SIGSTOP); // answers nothing, ends nothing
        QSignalSpy done(&controller, &RunController::shutdownFinished);
        QElapsedTimer clock;
        clock.start();
        controller.shutdown(1000);
        QVERIFY(done.wait(5000));
        QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(done.first().first().toBool(), false); // not confirmed, and it says so
        // The launcher kills a sandbox that does not stop in time (a stopped one included).
        QTRY_VERIFY_WITH_TIMEOUT(!launcherOf(controller)->isRunning(), 10000);
        QCOMPARE(::kill(static_cast<pid_t>(pid), 0), -1); // gone
    }
};

QTEST_GUILESS_MAIN(TestRunController)
#include "tst_runcontroller.moc"
