// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmarks of the window, printed as a table (never a pass/fail on speed):
//   huge output   a snippet printing N lines (default 1,000,000) in a real window tab against
//                 the local sandbox: the longest event-loop stall while the run is in flight and
//                 shown, the time until the output is fully shown, and whether it is complete
//   cold start    `agentbay-playground --report-startup` (QPA from the environment): time to
//                 the first paint and resident memory once idle, the sandbox reported apart
#include "client/backend.h"
#include "client/profiles.h"
#include "ui/mainwindow.h"
#include "ui/outputpane.h"
#include "ui/playgroundtab.h"
#include "workbench/workbench.h"
#include "workspace/playgroundsettings.h"
#include "workspace/secretstore.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>

using namespace agentbay;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

void hugeOutput(int lines)
{
    QTemporaryDir dir;
    workspace::PlaygroundSettings settings(dir.filePath(QStringLiteral("settings.ini")));
    workspace::SecretStore secrets(QStringLiteral("agentbay-playground-bench"));
    client::BackendPool backends;
    workbench::Workbench bench(&backends, &settings, &secrets);
    ui::MainWindow window(&bench);
    ui::PlaygroundTab *tab = window.newTab(
            QStringLiteral("for i in range(%1):\n    print('line', i)\n").arg(lines));
    tab->setTimeoutSeconds(60);
    window.show();
    QSignalSpy ready(backends.local(), &client::Backend::ready);
    if (!backends.local()->isReady() && !ready.wait(30000)) {
        out() << "huge output: the local sandbox did not start\n";
        return;
    }
    QSignalSpy completed(&window, &ui::MainWindow::runCompleted);

    // A heartbeat every 2 ms: the longest gap between beats is the longest stall.
    QElapsedTimer clock;
    qint64 lastBeat = 0;
    qint64 longestStall = 0;
    QTimer heartbeat;
    heartbeat.setInterval(2);
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        longestStall = std::max(longestStall, now - lastBeat);
        lastBeat = now;
    });
    clock.start();
    heartbeat.start();
    tab->runAll();
    if (!completed.wait(120000)) {
        out() << "huge output: the run did not finish\n";
        return;
    }
    const qint64 answered = clock.elapsed();
    // Fully shown: the run's answer is in the pane and the next paint has happened.
    QCoreApplication::processEvents();
    window.repaint();
    const qint64 shown = clock.elapsed();
    // Keep beating a little: a stall right after showing counts too.
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 200)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    heartbeat.stop();

    const QString full = tab->outputPane()->fullText();
    const qsizetype printed = full.count(QLatin1String("\nline "))
                              + (full.startsWith(QLatin1String("line ")) ? 1 : 0);
    const bool truncatedNotice = full.contains(QLatin1String("dropped"));
    out() << QStringLiteral("huge output (%1 lines)\n").arg(lines);
    out() << QStringLiteral("  run answered after        %1 ms\n").arg(answered);
    out() << QStringLiteral("  fully shown after         %1 ms\n").arg(shown);
    out() << QStringLiteral("  longest event-loop stall  %1 ms   (target <= 100 ms)\n")
                     .arg(longestStall);
    out() << QStringLiteral("  lines kept in full text   %1 of %2%3\n")
                     .arg(printed)
                     .arg(lines)
                     .arg(truncatedNotice ? QStringLiteral(" (with a truncation notice)")
                                          : QString());
    out() << QStringLiteral("  lines in the live view    %1\n").arg(tab->outputPane()->shownLines());
    out().flush();
    QSignalSpy closed(&window, &ui::MainWindow::shutdownFinished);
    window.close();
    closed.wait(10000);
}

void coldStart(const QString &program, int rounds)
{
    QList<double> paints;
    QList<double> spawnToPaint; // measured from here: spawn time to the paint's wall clock
    qint64 rss = 0;
    qint64 sandboxRss = 0;
    for (int i = 0; i < rounds; ++i) {
        QTemporaryDir home;
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"),
                           home.filePath(QStringLiteral("config")));
        environment.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
        environment.insert(QStringLiteral("XDG_CACHE_HOME"),
                           home.filePath(QStringLiteral("cache")));
        environment.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                           QStringLiteral("unix:path=/nonexistent/agentbay-bench-bus"));
        process.setProcessEnvironment(environment);
        const qint64 spawned = QDateTime::currentMSecsSinceEpoch();
        process.start(program, {QStringLiteral("--report-startup")});
        if (!process.waitForFinished(60000)) {
            out() << "cold start: the window did not report\n";
            process.kill();
            return;
        }
        const QByteArray line = process.readAllStandardOutput().trimmed().split('\n').constLast();
        const QJsonObject figures = QJsonDocument::fromJson(line).object();
        paints.append(figures.value(QLatin1String("firstPaintMs")).toDouble());
        spawnToPaint.append(static_cast<double>(
                figures.value(QLatin1String("firstPaintEpochMs")).toInteger() - spawned));
        rss = std::max<qint64>(rss, figures.value(QLatin1String("idleRssKiB")).toInteger());
        sandboxRss = std::max<qint64>(sandboxRss,
                                      figures.value(QLatin1String("sandboxRssKiB")).toInteger());
    }
    std::sort(paints.begin(), paints.end());
    std::sort(spawnToPaint.begin(), spawnToPaint.end());
    out() << QStringLiteral("cold start (%1 launches, QPA %2)\n")
                     .arg(rounds)
                     .arg(qEnvironmentVariable("QT_QPA_PLATFORM", QStringLiteral("default")));
    out() << QStringLiteral("  first paint, median       %1 ms   (target <= 300 ms)\n")
                     .arg(paints.at(paints.size() / 2), 0, 'f', 0);
    out() << QStringLiteral("  first paint, worst        %1 ms\n").arg(paints.constLast(), 0, 'f', 0);
    out() << QStringLiteral("  spawn to first paint      %1 ms median, measured from outside\n")
                     .arg(spawnToPaint.at(spawnToPaint.size() / 2), 0, 'f', 0);
    out() << QStringLiteral("  idle memory (window)      %1 MB   (target <= 80 MB)\n")
                     .arg(static_cast<double>(rss) / 1024.0, 0, 'f', 1);
    out() << QStringLiteral("  idle memory (sandbox)     %1 MB   (reported apart)\n")
                     .arg(static_cast<double>(sandboxRss) / 1024.0, 0, 'f', 1);
    out().flush();
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    const QStringList arguments = QCoreApplication::arguments();
    const int lines = arguments.value(1, QStringLiteral("1000000")).toInt();
    const int launches = arguments.value(2, QStringLiteral("5")).toInt();
    if (lines > 0)
        hugeOutput(lines);
    coldStart(QStringLiteral(AGENTBAY_PLAYGROUND_PROGRAM), launches);
    return 0;
}
