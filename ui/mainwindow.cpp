// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "codeeditor.h"
#include "errorpane.h"
#include "outputpane.h"

#include "client/runcontroller.h"
#include "protocol/language.h"
#include "workspace/playgroundsettings.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QMenuBar>
#include <QSpinBox>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>

namespace agentbay::ui {

using client::RunController;
using client::Session;
namespace Rules = protocol::RunCodeRules;

namespace {
QString welcomeSnippet()
{
    QFile file(QStringLiteral(":/agentbay/snippets/welcome.py"));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll())
                                          : QStringLiteral("print(\"Hello, AgentBay\")\n");
}
} // namespace

MainWindow::MainWindow(RunController *controller, workspace::PlaygroundSettings *settings,
                       QWidget *parent)
    : QMainWindow(parent), m_controller(controller), m_settings(settings),
      m_editor(new CodeEditor(this)), m_output(new OutputPane(this)), m_errors(new ErrorPane(this)),
      m_ticker(new QTimer(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("AgentBay Playground"));
    setWindowIcon(QIcon(QStringLiteral(":/agentbay/icons/agentbay-playground.svg")));
    setCentralWidget(m_editor);
    m_editor->setText(welcomeSnippet());

    createActions();
    createToolBar();
    createDocks();
    createStatusBar();

    m_ticker->setInterval(100);
    connect(m_ticker, &QTimer::timeout, this, &MainWindow::updateTimer);
    connect(m_controller, &RunController::backendReady, this, &MainWindow::onBackendReady);
    connect(m_controller, &RunController::backendFailed, this, &MainWindow::onBackendFailed);
    connect(m_controller, &RunController::sessionStateChanged, this, &MainWindow::onSessionState);
    connect(m_controller, &RunController::runFinished, this, &MainWindow::onRunFinished);
    connect(m_controller, &RunController::shutdownFinished, this, [this] {
        m_shutdownDone = true;
        close();
        Q_EMIT shutdownFinished();
    });

    resize(1100, 720);
    restoreGeometry(m_settings->windowGeometry());
    restoreState(m_settings->windowState());
    if (m_controller->isBackendReady())
        onBackendReady(m_controller->backendDescription());
    updateRunState();
    m_editor->setFocus();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    m_runAction = new QAction(tr("&Run"), this);
    m_runAction->setObjectName(QStringLiteral("runAction"));
    m_runAction->setShortcuts(
            {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    m_runAction->setShortcutContext(Qt::WindowShortcut);
    m_runAction->setToolTip(tr("Run the snippet (Ctrl+Enter)"));
    connect(m_runAction, &QAction::triggered, this, &MainWindow::runCurrent);

    m_stopAction = new QAction(tr("&Stop"), this);
    m_stopAction->setObjectName(QStringLiteral("stopAction"));
    m_stopAction->setShortcuts(
            {QKeySequence(Qt::Key_Escape), QKeySequence(Qt::CTRL | Qt::Key_Period)});
    m_stopAction->setToolTip(tr("Stop the running snippet (Esc)"));
    connect(m_stopAction, &QAction::triggered, this, &MainWindow::stopRun);

    auto *clearAction = new QAction(tr("&Clear Output"), this);
    clearAction->setObjectName(QStringLiteral("clearOutputAction"));
    connect(clearAction, &QAction::triggered, m_output, &OutputPane::clear);

    auto *quitAction = new QAction(tr("&Quit"), this);
    quitAction->setObjectName(QStringLiteral("quitAction"));
    quitAction->setShortcut(QKeySequence::Quit);
    connect(quitAction, &QAction::triggered, this, &QWidget::close);

    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(quitAction);
    QMenu *runMenu = menuBar()->addMenu(tr("&Run"));
    runMenu->addAction(m_runAction);
    runMenu->addAction(m_stopAction);
    runMenu->addSeparator();
    runMenu->addAction(clearAction);
    addAction(m_runAction);
    addAction(m_stopAction);
}

void MainWindow::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Run"));
    bar->setObjectName(QStringLiteral("runToolBar"));
    bar->addAction(m_runAction);
    bar->addAction(m_stopAction);
    bar->addSeparator();

    m_language = new QComboBox(bar);
    m_language->setObjectName(QStringLiteral("languageBox"));
    m_language->addItem(tr("Python"), QStringLiteral("python"));
    m_language->addItem(tr("JavaScript"), QStringLiteral("javascript"));
    m_language->setCurrentIndex(qMax(0, m_language->findData(m_settings->defaultLanguage())));
    m_editor->setLanguage(m_language->currentData().toString());
    connect(m_language, &QComboBox::currentIndexChanged, this,
            [this] { m_editor->setLanguage(m_language->currentData().toString()); });
    bar->addWidget(new QLabel(tr(" Language "), bar));
    bar->addWidget(m_language);

    m_timeout = new QSpinBox(bar);
    m_timeout->setObjectName(QStringLiteral("timeoutBox"));
    m_timeout->setRange(Rules::MinTimeoutSeconds, Rules::MaxTimeoutSeconds);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setValue(m_settings->defaultTimeoutSeconds());
    m_timeout->setToolTip(tr("How long a run may take, 1 to 60 seconds. AgentBay's gateway ends "
                             "every request after 60 seconds, so no run can take longer."));
    bar->addWidget(new QLabel(tr(" Timeout "), bar));
    bar->addWidget(m_timeout);
}

void MainWindow::createDocks()
{
    auto *dock = new QDockWidget(tr("Output"), this);
    dock->setObjectName(QStringLiteral("outputDock"));
    dock->setWidget(m_output);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    auto *errors = new QDockWidget(tr("Errors"), this);
    errors->setObjectName(QStringLiteral("errorsDock"));
    errors->setWidget(m_errors);
    addDockWidget(Qt::BottomDockWidgetArea, errors);
    tabifyDockWidget(dock, errors);
    dock->raise();
    connect(m_errors, &ErrorPane::lineActivated, m_editor, &CodeEditor::goToLine);
}

void MainWindow::createStatusBar()
{
    m_backendLabel = new QLabel(tr("Starting the local sandbox…"), this);
    m_backendLabel->setObjectName(QStringLiteral("backendLabel"));
    m_sessionLabel = new QLabel(this);
    m_sessionLabel->setObjectName(QStringLiteral("sessionLabel"));
    m_sessionLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_timerLabel = new QLabel(this);
    m_timerLabel->setObjectName(QStringLiteral("timerLabel"));
    statusBar()->addWidget(m_backendLabel);
    statusBar()->addWidget(m_sessionLabel, 1);
    statusBar()->addPermanentWidget(m_timerLabel);
}

void MainWindow::runCurrent()
{
    if (m_currentRun != 0 || m_closing) {
        statusBar()->showMessage(tr("A run is already in progress; press Esc to stop it."), 4000);
        return;
    }
    const QString language = m_language->currentData().toString();
    m_runTimeout = m_timeout->value();
    m_output->appendNote(
            tr("▶ Run (%1, timeout %2 s)").arg(m_language->currentText()).arg(m_runTimeout));
    m_editor->clearErrorMarks();
    m_errors->clear();
    m_currentRun = m_controller->run(m_editor->text(), language, m_runTimeout);
    m_runClock.start();
    m_ticker->start();
    updateRunState();
}

void MainWindow::stopRun()
{
    if (m_currentRun == 0)
        return;
    m_controller->stop();
}

void MainWindow::onBackendReady(const QString &description)
{
    m_backendLabel->setText(description);
    updateRunState();
}

void MainWindow::onBackendFailed(const QString &why)
{
    m_backendLabel->setText(tr("Backend unavailable"));
    m_output->appendStderr(tr("The backend is not available: %1\n").arg(why));
    updateRunState();
}

void MainWindow::onSessionState(Session::State state, const QString &sessionId)
{
    const QString name = Session::stateName(state);
    m_sessionLabel->setText(sessionId.isEmpty() ? tr("Session: %1").arg(name)
                                                : tr("Session %1: %2").arg(sessionId, name));
}

void MainWindow::onRunFinished(quint64 runId, const protocol::RunCodeResult &result)
{
    if (runId != m_currentRun)
        return; // an answer for a run that is no longer current
    m_currentRun = 0;
    m_ticker->stop();
    m_output->appendStdout(result.stdoutText());
    m_output->appendStderr(result.stderrText());
    for (const auto &bundle : result.results) {
        const QString text = bundle.text();
        m_output->appendResult(
                text.isEmpty() ? tr("[%1]").arg(bundle.data.keys().join(QStringLiteral(", ")))
                               : text);
    }
    if (result.error) {
        m_errors->showError(*result.error);
        const auto frames = result.error->codeFrames();
        if (!frames.isEmpty())
            m_editor->markErrorLine(frames.last().line); // where it was raised
        const QString &traceback = result.error->traceback;
        if (!traceback.isEmpty() && !result.stderrText().contains(traceback))
            m_output->appendStderr(traceback);
        if (!traceback.contains(result.error->value))
            m_output->appendStderr(result.error->name + QLatin1String(": ") + result.error->value);
    } else if (!result.success) {
        m_output->appendStderr(result.errorMessage);
    }
    const double seconds = m_runClock.elapsed() / 1000.0;
    m_output->appendNote(result.success ? tr("✔ finished in %1 s").arg(seconds, 0, 'f', 2)
                                        : tr("✘ failed after %1 s").arg(seconds, 0, 'f', 2));
    updateRunState();
    Q_EMIT runCompleted(result.success);
}

void MainWindow::updateRunState()
{
    const bool running = m_currentRun != 0;
    m_runAction->setEnabled(!running && !m_closing);
    m_stopAction->setEnabled(running);
    if (!running)
        m_timerLabel->clear();
}

void MainWindow::updateTimer()
{
    const double elapsed = m_runClock.elapsed() / 1000.0;
    m_timerLabel->setText(tr("%1 s of %2 s").arg(elapsed, 0, 'f', 1).arg(m_runTimeout));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_shutdownDone) {
        event->accept();
        return;
    }
    event->ignore();
    if (m_closing)
        return;
    m_closing = true;
    m_settings->setWindowGeometry(saveGeometry());
    m_settings->setWindowState(saveState());
    m_settings->setDefaultLanguage(m_language->currentData().toString());
    m_settings->setDefaultTimeoutSeconds(m_timeout->value());
    m_settings->sync();
    statusBar()->showMessage(tr("Deleting the session…"));
    updateRunState();
    // The window closes when the session is deleted, or after a few seconds at most.
    m_controller->shutdown();
}

} // namespace agentbay::ui
