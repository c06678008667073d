// SPDX-License-Identifier: GPL-3.0-or-later
// agentbay-playground: the desktop window. Wires the local sandbox, the client and the window.
#include "client/runcontroller.h"
#include "ui/mainwindow.h"
#include "workspace/applicationlog.h"
#include "workspace/playgroundsettings.h"

#include "agentbayversion.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QScreen>
#include <QTimer>
#include <QWindow>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

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

} // namespace

int main(int argc, char *argv[])
{
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
    QApplication::setDesktopFileName(QStringLiteral("agentbay-playground"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
            "main", "Write Python or JavaScript and run it in AgentBay code sessions; a local "
                    "sandbox is started for you."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption
            screenshot(QStringLiteral("screenshot"),
                       QApplication::translate("main",
                                               "Run the snippet once the sandbox is ready, save a "
                                               "screenshot of the window to FILE and quit."),
                       QStringLiteral("FILE"));
    parser.addOption(screenshot);
    parser.process(app);

    const QString logPath = agentbay::workspace::ApplicationLog::install(
            QStringLiteral("agentbay-playground"));
    qInfo("AgentBay Playground %s starting; log: %s", AGENTBAY_VERSION_STRING, qPrintable(logPath));

    agentbay::workspace::PlaygroundSettings settings;
    agentbay::client::RunController controller;
    agentbay::ui::MainWindow window(&controller, &settings);
    controller.useLocalSandbox();
    window.show();

    if (parser.isSet(screenshot)) {
        const QString target = parser.value(screenshot);
        auto *watchdog = new QTimer(&app);
        watchdog->setSingleShot(true);
        QObject::connect(watchdog, &QTimer::timeout, &app, [] {
            std::fprintf(stderr, "agentbay-playground: screenshot run did not finish in time\n");
            QCoreApplication::exit(1);
        });
        watchdog->start(60000);
        QObject::connect(&controller, &agentbay::client::RunController::backendReady, &window,
                         &agentbay::ui::MainWindow::runCurrent);
        QObject::connect(&window, &agentbay::ui::MainWindow::runCompleted, &app, [&window, target] {
            // Let the output paint, then take the pixels from the display server itself.
            QTimer::singleShot(500, &window, [&window, target] {
                QScreen *screen = window.screen();
                const QPixmap shot = screen ? screen->grabWindow(window.winId()) : window.grab();
                if (!shot.save(target, "PNG")) {
                    std::fprintf(stderr, "agentbay-playground: cannot write %s\n",
                                 qPrintable(target));
                    QCoreApplication::exit(1);
                    return;
                }
                window.close();
            });
        });
    }
    return app.exec();
}
