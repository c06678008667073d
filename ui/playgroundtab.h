// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "client/runcontroller.h"
#include "client/session.h"

#include "protocol/runcoderesult.h"
#include "workspace/recoveryjournal.h"
#include "workspace/runhistory.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QPointer>
#include <QWidget>

class QTimer;

namespace agentbay::ui {

class CodeEditor;
class ErrorPane;
class FindBar;
class OutputPane;
class ResultsPane;
class SessionPane;

// One snippet tab: its editor and find bar, its own session (through its RunController) and
// its own output, results, errors and session timeline, which the window's docks show while
// the tab is current. Tabs run in parallel; a tab runs one thing at a time.
class PlaygroundTab final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlaygroundTab)

public:
    PlaygroundTab(const QString &profileId, QWidget *parent = nullptr);
    ~PlaygroundTab() override;

    CodeEditor *editor() const { return m_editor; }
    FindBar *findBar() const { return m_findBar; }
    OutputPane *outputPane() const { return m_output; }
    ResultsPane *resultsPane() const { return m_results; }
    ErrorPane *errorPane() const { return m_errors; }
    SessionPane *sessionPane() const { return m_session; }
    client::RunController *controller() const { return m_controller; }

    // The controller this tab runs through; the tab does not own it (the window ends it).
    void setController(client::RunController *controller, const QString &profileId);
    QString profileId() const { return m_profileId; }

    // Identity and persistence: a stable id for the recovery journal, the library snippet the
    // tab edits (empty for a scratch tab), its title, and whether the text differs from what
    // was last saved there.
    QString tabId() const { return m_tabId; }
    QString snippetFile() const { return m_snippetFile; }
    QString title() const { return m_title; }
    void setTitle(const QString &title);
    bool isDirty() const { return m_dirty; }
    // The text now in the editor was saved as this snippet.
    void markSaved(const QString &snippetFile, const QString &title);
    // The snippet's file changed on disk: take its text unless the tab has unsaved changes.
    bool reloadFromLibrary(const QString &content);
    workspace::RecoveredTab snapshot(int order) const;
    void restore(const workspace::RecoveredTab &tab);

    QString language() const;
    void setLanguage(const QString &language);
    int timeoutSeconds() const { return m_timeoutSeconds; }
    void setTimeoutSeconds(int seconds);

    bool isRunning() const { return m_currentRun != 0; }
    QString backendText() const { return m_backendText; }
    QString sessionText() const { return m_sessionText; }
    QString timerText() const { return m_timerText; }
    QString lastOutcome() const { return m_lastOutcome; }

    // Each refuses visibly (message()) while a run is in progress.
    void runAll();
    void runSelectionOrCell();
    void stop();
    void restartSession();
    void pauseSession();
    void resumeSession();
    client::Session::State sessionState() const { return m_state; }

Q_SIGNALS:
    void runCompleted(bool success);
    // Everything about the run that just ended, for the run history.
    void runRecordReady(const agentbay::workspace::RunRecord &run);
    // The text, cursor, language or timeout changed: time to journal the tab.
    void contentChanged();
    void dirtyChanged(bool dirty);
    void titleChanged(const QString &title);
    void runningChanged(bool running);
    // Backend, session state, timer or outcome text changed.
    void statusChanged();
    // A passing message for the status bar.
    void message(const QString &text);

private:
    void run(const QString &code, int firstLine, const QString &what);
    void onBackendReady(const QString &description);
    void onBackendFailed(const QString &why);
    void onSessionState(client::Session::State state, const QString &sessionId);
    void onRunFinished(quint64 runId, const protocol::RunCodeResult &result);
    void updateTimer();
    void updateDirty();

    QString m_profileId;
    QString m_tabId;
    QString m_snippetFile;
    QString m_title;
    QString m_savedText;
    bool m_dirty = false;
    CodeEditor *m_editor;
    FindBar *m_findBar;
    OutputPane *m_output;
    ResultsPane *m_results;
    ErrorPane *m_errors;
    SessionPane *m_session;
    QList<QPointer<QWidget>> m_panes;
    QPointer<client::RunController> m_controller;
    QTimer *m_ticker;
    QElapsedTimer m_runClock;
    int m_timeoutSeconds = 30;
    int m_runTimeout = 0;
    int m_lineOffset = 0; // editor line of the submitted code's line 1, minus one
    QString m_runCode;
    QString m_runLanguage;
    QDateTime m_runStartedAt;
    quint64 m_currentRun = 0;
    client::Session::State m_state = client::Session::State::NotStarted;
    QString m_backendText;
    QString m_sessionText;
    QString m_timerText;
    QString m_lastOutcome;
};

} // namespace agentbay::ui
