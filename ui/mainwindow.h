// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "client/session.h"

#include "protocol/runcoderesult.h"

#include <QElapsedTimer>
#include <QMainWindow>

class QAction;
class QComboBox;
class QLabel;
class QSpinBox;
class QTimer;

namespace agentbay::client {
class RunController;
}
namespace agentbay::workspace {
class PlaygroundSettings;
}

namespace agentbay::ui {

class CodeEditor;
class ErrorPane;
class OutputPane;

// The playground window: the editor, run controls, the output pane and a status bar that says
// where code runs and what the session is doing. All work goes through the RunController.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    MainWindow(client::RunController *controller, workspace::PlaygroundSettings *settings,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    CodeEditor *editor() const { return m_editor; }
    OutputPane *outputPane() const { return m_output; }
    ErrorPane *errorPane() const { return m_errors; }
    QAction *runAction() const { return m_runAction; }
    bool isRunning() const { return m_currentRun != 0; }

public Q_SLOTS:
    // Runs the whole editor text with the chosen language and timeout.
    void runCurrent();
    void stopRun();

Q_SIGNALS:
    void runCompleted(bool success);
    // The session is deleted (or the bound passed) and the window has closed.
    void shutdownFinished();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createToolBar();
    void createDocks();
    void createStatusBar();
    void onBackendReady(const QString &description);
    void onBackendFailed(const QString &why);
    void onSessionState(client::Session::State state, const QString &sessionId);
    void onRunFinished(quint64 runId, const protocol::RunCodeResult &result);
    void updateRunState();
    void updateTimer();

    client::RunController *m_controller;
    workspace::PlaygroundSettings *m_settings;
    CodeEditor *m_editor;
    OutputPane *m_output;
    ErrorPane *m_errors;
    QAction *m_runAction = nullptr;
    QAction *m_stopAction = nullptr;
    QComboBox *m_language = nullptr;
    QSpinBox *m_timeout = nullptr;
    QLabel *m_backendLabel = nullptr;
    QLabel *m_sessionLabel = nullptr;
    QLabel *m_timerLabel = nullptr;
    QTimer *m_ticker;
    QElapsedTimer m_runClock;
    int m_runTimeout = 0;
    quint64 m_currentRun = 0;
    bool m_closing = false;
    bool m_shutdownDone = false;
};

} // namespace agentbay::ui
