// SPDX-License-Identifier: GPL-3.0-or-later
// agentbay-playground: the desktop window. Wires the local sandbox, the client and the window.
#include "client/backend.h"
#include "client/localsandboxlauncher.h"
#include "client/profiles.h"
#include "client/runcontroller.h"
#include "ui/codeeditor.h"
#include "ui/mainwindow.h"
#include "ui/playgroundtab.h"
#include "workbench/document.h"
#include "workbench/workbench.h"
#include "workspace/applicationlog.h"
#include "workspace/playgroundsettings.h"
#include "workspace/recoveryjournal.h"
#include "workspace/runhistory.h"
#include "workspace/secretstore.h"
#include "workspace/sessionjournal.h"
#include "workspace/snippetlibrary.h"

#include "agentbayversion.h"

#include "protocol/freedmemory.h"
#include "protocol/language.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScreen>
#include <QStatusBar>
#include <QTimer>
#include <QWindow>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <unistd.h>

namespace {

bool hasArgument(int argc, char *argv[], const char *name)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], name) == 0)
            return true;
    }
    return false;
}

// Without a display Qt aborts with a plugin error; say what to do instead, in one line.
bool displayAvailable(int argc, char *argv[])
{
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD)
    return !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")
           || !qEnvironmentVariableIsEmpty("DISPLAY")
           || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
           || hasArgument(argc, argv, "-platform");
#else
    Q_UNUSED(argc);
    Q_UNUSED(argv);
    return true;
#endif
}

// Where this program lives ("/usr/bin/", "/home/me/src/build/bin/"), read before Qt starts.
std::string programDirectory()
{
    std::error_code error;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error || !self.has_parent_path())
        return {};
    return self.parent_path().string() + '/';
}

// Milliseconds since this process started (from /proc/self/stat and the boot clock).
double processUptimeMs()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = stat.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    const double startTicks = fields.value(19).toDouble(); // field 22: starttime
    timespec now{};
    clock_gettime(CLOCK_BOOTTIME, &now);
    const double ticksPerSecond = static_cast<double>(sysconf(_SC_CLK_TCK));
    return (static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9
            - startTicks / ticksPerSecond)
           * 1000.0;
}

QString welcomeSnippet()
{
    QFile file(QStringLiteral(":/agentbay/snippets/welcome.py"));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll())
                                          : QStringLiteral("print(\"Hello, AgentBay\")\n");
}

// Resident memory of a process from /proc, in KiB (0 when unknown).
qint64 residentKiB(qint64 pid)
{
    QFile status(pid > 0 ? QStringLiteral("/proc/%1/status").arg(pid)
                         : QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return 0;
}

// --report-startup: the first paint's time since the process started, then, once the sandbox
// is up and the window idle, the resident memory of both processes.
void reportStartupFigures(agentbay::ui::MainWindow *window, agentbay::client::BackendPool *pool)
{
    struct PaintWatcher : QObject
    {
        std::function<void()> onPaint;
        bool eventFilter(QObject *, QEvent *event) override
        {
            if (event->type() == QEvent::Paint && onPaint) {
                auto callback = std::move(onPaint);
                onPaint = nullptr;
                callback();
            }
            return false;
        }
    };
    auto *watcher = new PaintWatcher;
    watcher->setParent(window);
    auto firstPaintMs = std::make_shared<double>(-1);
    auto firstPaintEpochMs = std::make_shared<qint64>(0);
    watcher->onPaint = [firstPaintMs, firstPaintEpochMs] {
        *firstPaintMs = processUptimeMs();
        *firstPaintEpochMs = QDateTime::currentMSecsSinceEpoch();
    };
    window->installEventFilter(watcher);
    agentbay::client::Backend *local = pool->local();
    const auto report = [window, local, firstPaintMs, firstPaintEpochMs] {
        QTimer::singleShot(1500, window, [window, local, firstPaintMs, firstPaintEpochMs] {
            const qint64 sandboxPid = local->launcher() ? local->launcher()->processId() : 0;
            QJsonArray tabs;
            for (int i = 0; i < window->tabCount(); ++i) {
                const auto tab = window->tab(i)->document()->snapshot(i);
                tabs.append(QJsonObject{{QStringLiteral("title"), tab.title},
                                        {QStringLiteral("text"), tab.text},
                                        {QStringLiteral("language"), tab.language},
                                        {QStringLiteral("timeoutSeconds"), tab.timeoutSeconds},
                                        {QStringLiteral("cursorLine"), tab.cursorLine},
                                        {QStringLiteral("cursorIndex"), tab.cursorIndex},
                                        {QStringLiteral("dirty"), tab.dirty}});
            }
            const QJsonObject figures{{QStringLiteral("tabs"), tabs},
                                      {QStringLiteral("firstPaintMs"), *firstPaintMs},
                                      {QStringLiteral("firstPaintEpochMs"), *firstPaintEpochMs},
                                      {QStringLiteral("idleRssKiB"), residentKiB(0)},
                                      {QStringLiteral("sandboxRssKiB"), residentKiB(sandboxPid)}};
            std::printf("%s\n", QJsonDocument(figures).toJson(QJsonDocument::Compact).constData());
            std::fflush(stdout);
            window->close();
        });
    };
    if (local->isReady())
        report();
    else
        QObject::connect(local, &agentbay::client::Backend::ready, window, report);
}

// --screenshot: run the first tab when the backend is ready, then grab the window.
void takeScreenshotAfterRun(agentbay::ui::MainWindow *window, const QString &target)
{
    auto *watchdog = new QTimer(window);
    watchdog->setSingleShot(true);
    QObject::connect(watchdog, &QTimer::timeout, window, [] {
        std::fprintf(stderr, "agentbay-playground: screenshot run did not finish in time\n");
        QCoreApplication::exit(1);
    });
    watchdog->start(60000);
    agentbay::ui::PlaygroundTab *tab = window->currentTab();
    QObject::connect(tab->document(), &agentbay::workbench::Document::statusChanged, window,
                     [window, tab] {
                         static bool started = false;
                         if (!started && tab->controller() && tab->controller()->isBackendReady()) {
                             started = true;
                             window->runCurrent();
                         }
                     });
    QObject::connect(window, &agentbay::ui::MainWindow::runCompleted, window, [window, target] {
        // Let the output paint, then take the pixels from the display server itself.
        QTimer::singleShot(700, window, [window, target] {
            QScreen *screen = window->screen();
            const QPixmap shot = screen ? screen->grabWindow(window->winId()) : window->grab();
            if (!shot.save(target, "PNG")) {
                std::fprintf(stderr, "agentbay-playground: cannot write %s\n", qPrintable(target));
                QCoreApplication::exit(1);
                return;
            }
            window->close();
        });
    });
}

} // namespace

int main(int argc, char *argv[])
{
    agentbay::protocol::FreedMemory::configure();
    // Answered before any display is needed, so scripts and CI can ask on a headless machine.
    if (hasArgument(argc, argv, "--version")) {
        std::printf("agentbay-playground %s\n", AGENTBAY_VERSION_STRING);
        return 0;
    }
    if (!hasArgument(argc, argv, "--help") && !displayAvailable(argc, argv)) {
        const std::string directory = programDirectory();
        std::fprintf(stderr,
                     "agentbay-playground: no display (DISPLAY and WAYLAND_DISPLAY are unset); "
                     "run code headless with `%sagentbay-run FILE` instead, or start the window "
                     "under Xvfb with `xvfb-run -a %sagentbay-playground`.\n",
                     directory.c_str(), directory.c_str());
        return 2;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("agentbay-playground"));
    QApplication::setApplicationDisplayName(QStringLiteral("AgentBay Playground"));
    QApplication::setApplicationVersion(QStringLiteral(AGENTBAY_VERSION_STRING));
    // The installed desktop entry's name (the AppStream id), so desktops match windows to it.
    QApplication::setDesktopFileName(QStringLiteral(AGENTBAY_APP_ID));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
            "main", "Write Python or JavaScript and run it in AgentBay code sessions; a local "
                    "sandbox is started for you."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption
            openFile(QStringLiteral("open"),
                     QApplication::translate("main",
                                             "Open FILE in a tab (its language from the suffix)."),
                     QStringLiteral("FILE"));
    const QCommandLineOption
            theme(QStringLiteral("theme"),
                  QApplication::translate("main", "Use this theme now: system, light or dark."),
                  QStringLiteral("THEME"));
    const QCommandLineOption
            screenshot(QStringLiteral("screenshot"),
                       QApplication::translate("main",
                                               "Run the first tab once the sandbox is ready, save "
                                               "a screenshot of the window to FILE and quit."),
                       QStringLiteral("FILE"));
    const QCommandLineOption reportStartup(
            QStringLiteral("report-startup"),
            QApplication::translate("main", "Print the time to the first paint and the memory "
                                            "use once idle, as one JSON line, and quit."));
    parser.addOptions({openFile, theme, screenshot, reportStartup});
    parser.addPositionalArgument(
            QStringLiteral("FILE"),
            QApplication::translate("main", "Files to open in tabs, as with --open (this is how "
                                            "the desktop entry opens .py and .js files)."),
            QStringLiteral("[FILE...]"));
    parser.process(app);

    const QString logPath = agentbay::workspace::ApplicationLog::install(
            QStringLiteral("agentbay-playground"));
    qInfo("AgentBay Playground %s starting; log: %s", AGENTBAY_VERSION_STRING, qPrintable(logPath));

    agentbay::workspace::PlaygroundSettings settings;
    if (parser.isSet(theme))
        settings.setTheme(parser.value(theme));
    agentbay::workspace::SecretStore secrets;
    agentbay::client::BackendPool backends;
    // The user's data, declared before the window so that it outlives it.
    agentbay::workspace::SnippetLibrary library;
    agentbay::workspace::RecoveryJournal recovery;
    agentbay::workspace::RunHistory history;
    agentbay::workbench::Workbench workbench(&backends, &settings, &secrets);
    agentbay::ui::MainWindow window(&workbench);
    library.open(settings.snippetFolder().isEmpty()
                         ? agentbay::workspace::SnippetLibrary::defaultFolder()
                         : settings.snippetFolder());
    QObject::connect(&library, &agentbay::workspace::SnippetLibrary::problem, &window,
                     [&window](const QString &text) {
                         window.statusBar()->showMessage(text, 15000);
                     });
    window.setSnippetLibrary(&library);
    workbench.setRecoveryJournal(&recovery);
    window.setRunHistory(&history);

    // The tabs of the last session (after a crash or a quit) come back as they were; then the
    // files named on the command line; the welcome snippet only on the very first run.
    const int restored = window.restoreTabs();
    const QStringList files = parser.values(openFile) + parser.positionalArguments();
    QStringList unreadable;
    for (const QString &path : files) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "agentbay-playground: cannot open %s: %s\n", qPrintable(path),
                         qPrintable(file.errorString()));
            unreadable.append(QStringLiteral("%1 (%2)").arg(path, file.errorString()));
            continue;
        }
        namespace Languages = agentbay::protocol::Languages;
        window.newTab(QString::fromUtf8(file.readAll()),
                      Languages::name(Languages::fromFileName(path).value_or(
                              agentbay::protocol::Language::Python)));
    }
    if (!unreadable.isEmpty()) {
        window.statusBar()->showMessage(QApplication::translate("main", "Could not open: %1")
                                                .arg(unreadable.join(QLatin1String(", "))),
                                        30000);
    }
    const bool openedFiles = files.size() > unreadable.size();
    if (!openedFiles && restored == 0 && !settings.welcomeShown()) {
        window.newTab(welcomeSnippet(),
                      agentbay::protocol::Languages::name(agentbay::protocol::Language::Python));
        settings.setWelcomeShown(true);
        settings.sync();
    } else if (!openedFiles && restored == 0) {
        window.newTab();
    }
    window.show();
    // Cloud sessions an earlier run left (a crash, an unconfirmed deletion): listed with
    // Delete and Reattach before this run journals any of its own.
    window.showLeftoverSessions(agentbay::workspace::SessionJournal().entries());

    if (parser.isSet(reportStartup))
        reportStartupFigures(&window, &backends);
    if (parser.isSet(screenshot))
        takeScreenshotAfterRun(&window, parser.value(screenshot));
    return app.exec();
}
