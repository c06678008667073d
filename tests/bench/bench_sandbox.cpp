// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmarks of the local sandbox through the project's own client; prints a table. Not a timed
// test: figures vary with the machine, so compare them within one run.
//   warm round trip   1 + 1 in one session, N runs: p50 / p99 / mean
//   cold start        create a session and get the first result, M sessions: p50 / p99
//   concurrency       16 sessions each running time.sleep(1) at once with a limit of 16 running
//                     runs (wall time about 1 s), and 32 sessions with a limit of 8 (the others
//                     wait their turn: about 4 s)
//   flood bytes       a run printing 1 000 000 lines, asked as the SDKs ask: the bytes of its
//                     answer on the wire against the bytes it printed
#include "benchsupport.h"
#include "client/agentbayclient.h"
#include "client/localsandboxlauncher.h"
#include "client/session.h"
#include "protocol/coderesultcodec.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTextStream>
#include <QUrl>

#include <algorithm>
#include <memory>
#include <vector>

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

// Sessions created and warmed first, then all sleep one second at once: the wall time in
// seconds, or -1 (with *problem) when a run failed.
double sleepWall(AgentBayClient &client, int count, QString *problem)
{
    std::vector<std::unique_ptr<Session>> sessions;
    for (int i = 0; i < count; ++i) {
        sessions.push_back(std::make_unique<Session>(&client));
        if (timedRun(*sessions.back(), QStringLiteral("import time")) < 0) {
            *problem = QStringLiteral("concurrent session %1 failed to start").arg(i);
            return -1;
        }
    }
    int finished = 0;
    int failed = 0;
    QElapsedTimer wall;
    wall.start();
    for (auto &session : sessions) {
        QObject::connect(session.get(), &Session::runFinished, session.get(),
                         [&](quint64, const RunCodeResult &result) {
                             ++finished;
                             failed += result.success ? 0 : 1;
                         });
        session->runCode(QStringLiteral("time.sleep(1)"), QStringLiteral("python"), 10);
    }
    QElapsedTimer guard;
    guard.start();
    while (finished < count && guard.elapsed() < 60000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
    const double seconds = static_cast<double>(wall.nsecsElapsed()) / 1e9;
    if (finished < count || failed > 0) {
        *problem = QStringLiteral("%1 of %2 sleeping runs failed or did not answer")
                           .arg(failed + count - finished)
                           .arg(count);
        return -1;
    }
    return seconds;
}

struct FloodBytes
{
    qint64 wire = 0;    // the HTTP answer, headers and body
    qint64 printed = 0; // the output's UTF-8 bytes
    qint64 lines = 0;
};

// A flood run sent as the SDKs send it (no stream), its answer read off the socket.
FloodBytes floodBytes(const QUrl &endpoint, const QString &apiKey, const QString &sessionId,
                      int lines)
{
    FloodBytes figures;
    const QJsonObject args{{QStringLiteral("code"),
                            QStringLiteral("for i in range(%1): print('line', i)").arg(lines)},
                           {QStringLiteral("language"), QStringLiteral("python")},
                           {QStringLiteral("timeout_s"), 60}};
    const QByteArray body = "Args="
                            + QUrl::toPercentEncoding(QString::fromUtf8(
                                    QJsonDocument(args).toJson(QJsonDocument::Compact)))
                            + "&Authorization="
                            + QUrl::toPercentEncoding(QStringLiteral("Bearer ") + apiKey)
                            + "&Name=run_code&Server=&SessionId=" + sessionId.toLatin1();
    QTcpSocket socket;
    socket.connectToHost(endpoint.host(), static_cast<quint16>(endpoint.port()));
    if (!socket.waitForConnected(5000))
        return figures;
    socket.write("POST /?Action=CallMcpTool HTTP/1.1\r\nHost: bench\r\n"
                 "x-acs-action: CallMcpTool\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                 "Content-Length: "
                 + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QByteArray answer;
    qsizetype headerEnd = -1;
    qint64 length = -1;
    while (socket.waitForReadyRead(60000)) {
        answer += socket.readAll();
        if (headerEnd < 0 && (headerEnd = answer.indexOf("\r\n\r\n")) >= 0) {
            for (const QByteArray &line : answer.left(headerEnd).split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
        }
        if (headerEnd >= 0 && length >= 0 && answer.size() >= headerEnd + 4 + length)
            break;
    }
    figures.wire = answer.size();
    const QJsonObject envelope = QJsonDocument::fromJson(answer.mid(headerEnd + 4)).object();
    const RunCodeResult result = agentbay::protocol::CodeResultCodec::parseToolData(
            envelope.value(QLatin1String("Data")));
    for (const QString &chunk : result.stdoutChunks) {
        figures.printed += chunk.toUtf8().size();
        figures.lines += chunk.count(QLatin1Char('\n'));
    }
    return figures;
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

    const FloodBytes flood = floodBytes(launcher.endpoint(), launcher.apiKey(), warm.id(), 1000000);

    // Concurrency: within the limit, then twice the limit's worth waiting their turn.
    QString problem;
    const double wallSeconds = sleepWall(client, concurrent, &problem);
    if (wallSeconds < 0) {
        out << "bench: " << problem << "\n";
        return 1;
    }
    const int queuedLimit = 8;
    const int queued = 32;
    LocalSandboxLauncher limited;
    limited.setExtraArguments({QStringLiteral("--max-concurrent-runs"), QString::number(queuedLimit),
                               QStringLiteral("--max-sessions"), QString::number(queued + 2)});
    QSignalSpy limitedReady(&limited, &LocalSandboxLauncher::ready);
    limited.start();
    if (!limitedReady.wait(20000)) {
        out << "bench: the second local sandbox did not start\n";
        return 1;
    }
    AgentBayClient limitedClient;
    limitedClient.setConfig({limited.endpoint(), limited.apiKey(), {}, 60000});
    const double queuedSeconds = sleepWall(limitedClient, queued, &problem);
    if (queuedSeconds < 0) {
        out << "bench: " << problem << "\n";
        return 1;
    }

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
                    .arg(QStringLiteral("%1 x sleep(1), limit %1, wall (s)").arg(concurrent), -44)
                    .arg(wallSeconds, 10, 'f', 3)
                    .arg(QString(), 10)
                    .arg(QString(), 10)
                    .arg(QStringLiteral("<= 1.3"), 12);
    out << QStringLiteral("%1 %2 %3 %4 %5\n")
                    .arg(QStringLiteral("%1 x sleep(1), limit %2, wall (s)")
                                 .arg(queued)
                                 .arg(queuedLimit),
                         -44)
                    .arg(queuedSeconds, 10, 'f', 3)
                    .arg(QString(), 10)
                    .arg(QString(), 10)
                    .arg(QStringLiteral("about %1").arg(queued / queuedLimit), 12);
    out << QStringLiteral("flood of 1 000 000 lines, asked without the stream: %1 lines back\n")
                    .arg(flood.lines);
    out << QStringLiteral("  bytes printed %1, bytes of the answer on the wire %2 (%3 x)\n")
                    .arg(flood.printed)
                    .arg(flood.wire)
                    .arg(flood.printed > 0 ? static_cast<double>(flood.wire)
                                                     / static_cast<double>(flood.printed)
                                           : 0.0,
                         0, 'f', 2);
    out.flush();
    QSignalSpy limitedStopped(&limited, &LocalSandboxLauncher::stopped);
    limited.stop();
    limitedStopped.wait(5000);
    QSignalSpy stopped(&launcher, &LocalSandboxLauncher::stopped);
    launcher.stop();
    stopped.wait(5000);
    return 0;
}
