// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmarks of the local sandbox through the project's own client; prints a table. Not a timed
// test: figures vary with the machine, so compare them within one run.
//   warm round trip   1 + 1 in one session, N runs: p50 / p99 / mean
//   cold start        create a session and get the first result, M sessions: p50 / p99
//   concurrency       16 sessions each running time.sleep(1) at once: wall time
#include "benchsupport.h"
#include "client/agentbayclient.h"
#include "client/localsandboxlauncher.h"
#include "client/session.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTextStream>

#include <algorithm>

using agentbay::client::AgentBayClient;
using agentbay::client::LocalSandboxLauncher;
using agentbay::client::Session;
using agentbay::protocol::RunCodeResult;

using agentbay::bench::percentile;

namespace {

// Runs code and waits for its answer; the elapsed milliseconds, or -1 on failure.
double timedRun(Session &session, const QString &code, int timeoutSeconds = 10)
{
    QSignalSpy spy(&session, &Session::runFinished);
    QElapsedTimer clock;
    clock.start();
    session.runCode(code, QStringLiteral("python"), timeoutSeconds);
    if (!spy.wait(timeoutSeconds * 1000 + 10000)
        || !spy.first().at(1).value<RunCodeResult>().success)
        return -1;
    return static_cast<double>(clock.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int warmRuns = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 1000;
    const int coldSessions = 20;
    const int concurrent = 16;
    QTextStream out(stdout);

    LocalSandboxLauncher launcher;
    launcher.setExtraArguments({QStringLiteral("--max-concurrent-runs"),
                                QString::number(concurrent), QStringLiteral("--max-sessions"),
                                QString::number(concurrent + coldSessions + 2)});
    QSignalSpy ready(&launcher, &LocalSandboxLauncher::ready);
    launcher.start();
    if (!ready.wait(20000)) {
        out << "bench: the local sandbox did not start\n";
        return 1;
    }
    AgentBayClient client;
    client.setConfig({launcher.endpoint(), launcher.apiKey(), {}, 60000});

    // Warm round trip.
    Session warm(&client);
    if (timedRun(warm, QStringLiteral("1 + 1")) < 0) {
        out << "bench: the first run failed\n";
        return 1;
    }
    QList<double> warmTimes;
    for (int i = 0; i < warmRuns; ++i) {
        const double ms = timedRun(warm, QStringLiteral("1 + 1"));
        if (ms < 0) {
            out << "bench: warm run " << i << " failed\n";
            return 1;
        }
        warmTimes.append(ms);
    }

    // Cold start: a new session each time, created by its first run.
    QList<double> coldTimes;
    for (int i = 0; i < coldSessions; ++i) {
        Session cold(&client);
        const double ms = timedRun(cold, QStringLiteral("1 + 1"));
        if (ms < 0) {
            out << "bench: cold session " << i << " failed\n";
            return 1;
        }
        coldTimes.append(ms);
        QSignalSpy removed(&cold, &Session::removed);
        cold.remove();
        removed.wait(5000);
    }

    // Concurrency: sessions created and warmed first, then all sleep at once.
    std::vector<std::unique_ptr<Session>> sessions;
    for (int i = 0; i < concurrent; ++i) {
        sessions.push_back(std::make_unique<Session>(&client));
        if (timedRun(*sessions.back(), QStringLiteral("import time")) < 0) {
            out << "bench: concurrent session " << i << " failed to start\n";
            return 1;
        }
    }
    int finished = 0;
    int failed = 0;
    QElapsedTimer wall;
    wall.start();
    for (auto &session : sessions) {
        QObject::connect(session.get(), &Session::runFinished, &app,
                         [&](quint64, const RunCodeResult &result) {
                             ++finished;
                             failed += result.success ? 0 : 1;
                         });
        session->runCode(QStringLiteral("time.sleep(1)"), QStringLiteral("python"), 10);
    }
    QElapsedTimer guard;
    guard.start();
    while (finished < concurrent && guard.elapsed() < 30000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
    const double wallSeconds = static_cast<double>(wall.nsecsElapsed()) / 1e9;

    out << "\nagentbay-sandbox benchmark (" << launcher.endpoint().toString() << ")\n";
    out << QStringLiteral("%1 %2 %3 %4 %5\n")
                    .arg(QStringLiteral("measure"), -44)
                    .arg(QStringLiteral("p50"), 10)
                    .arg(QStringLiteral("p99"), 10)
                    .arg(QStringLiteral("mean"), 10)
                    .arg(QStringLiteral("target"), 12);
    const auto mean = [](const QList<double> &values) {
        double sum = 0;
        for (double v : values)
            sum += v;
        return values.isEmpty() ? 0 : sum / static_cast<double>(values.size());
    };
    out << QStringLiteral("%1 %2 %3 %4 %5\n")
                    .arg(QStringLiteral("warm run 1+1, %1 runs (ms)").arg(warmRuns), -44)
                    .arg(percentile(warmTimes, 0.5), 10, 'f', 3)
                    .arg(percentile(warmTimes, 0.99), 10, 'f', 3)
                    .arg(mean(warmTimes), 10, 'f', 3)
                    .arg(QStringLiteral("p50 <= 3"), 12);
    out << QStringLiteral("%1 %2 %3 %4 %5\n")
                    .arg(QStringLiteral("create to first result, %1 sessions (ms)").arg(coldSessions),
                         -44)
                    .arg(percentile(coldTimes, 0.5), 10, 'f', 1)
                    .arg(percentile(coldTimes, 0.99), 10, 'f', 1)
                    .arg(mean(coldTimes), 10, 'f', 1)
                    .arg(QStringLiteral("<= 150"), 12);
    out << QStringLiteral("%1 %2 %3 %4 %5\n")
                    .arg(QStringLiteral("%1 sessions x sleep(1), wall (s)").arg(concurrent), -44)
                    .arg(wallSeconds, 10, 'f', 3)
                    .arg(QString(), 10)
                    .arg(QString(), 10)
                    .arg(QStringLiteral("<= 1.3"), 12);
    out << QStringLiteral("failed concurrent runs: %1 of %2\n").arg(failed).arg(concurrent);
    out.flush();
    sessions.clear();
    QSignalSpy stopped(&launcher, &LocalSandboxLauncher::stopped);
    launcher.stop();
    stopped.wait(5000);
    return finished == concurrent && failed == 0 ? 0 : 1;
}
