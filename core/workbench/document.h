// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "client/codeassistant.h"
#include "client/runcontroller.h"
#include "client/session.h"
#include "protocol/runcoderesult.h"
#include "workspace/recoveryjournal.h"
#include "workspace/runhistory.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSet>

class QTimer;

namespace agentbay::workbench {

// One open tab, without its widgets: its text and where it was saved, its language and
// timeout, the profile it runs on with the run controller (and so the session) it runs
// through, the run in progress, and what the status bar says about it. The window's tab is a
// view of it: the editor feeds it text and cursor, and follows textReplaced(); the panes follow
// the run signals. Runs in one document happen one at a time; documents run in parallel.
class Document final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Document)

public:
    explicit Document(QObject *parent = nullptr);
    ~Document() override;

    // Identity and persistence: a stable id for the recovery journal, the library snippet it
    // edits (empty for a scratch document), its title, and whether the text differs from what
    // was last saved there.
    QString id() const { return m_id; }
    QString title() const { return m_title; }
    void setTitle(const QString &title);
    QString snippetFile() const { return m_snippetFile; }
    bool isDirty() const { return m_dirty; }
    // The text now held was saved as this snippet.
    void markSaved(const QString &snippetFile, const QString &title);
    // The snippet's file changed on disk: take its text unless there are unsaved changes.
    bool reloadFromLibrary(const QString &content);
    workspace::RecoveredTab snapshot(int order) const;
    void restore(const workspace::RecoveredTab &saved);

    QString text() const { return m_text; }
    // What the editor now holds (the editor calls this as the user types).
    void setText(const QString &text);
    // Replaces the text from outside the editor (textReplaced() follows).
    void replaceText(const QString &text);
    int cursorLine() const { return m_cursorLine; }
    int cursorIndex() const { return m_cursorIndex; }
    void setCursor(int line, int index);

    // The canonical language name ("python", "javascript", …).
    QString language() const { return m_language; }
    void setLanguage(const QString &language);
    int timeoutSeconds() const { return m_timeoutSeconds; }
    void setTimeoutSeconds(int seconds);

    // Where it runs. The document does not own the controller: the workbench ends it.
    client::RunController *controller() const { return m_controller; }
    void setController(client::RunController *controller, const QString &profileId);
    QString profileId() const { return m_profileId; }

    bool isRunning() const { return m_currentRun != 0; }
    client::Session::State sessionState() const { return m_state; }
    QString backendText() const { return m_backendText; }
    QString sessionText() const { return m_sessionText; }
    QString timerText() const { return m_timerText; }
    QString lastOutcome() const { return m_lastOutcome; }
    QString notice() const { return m_notice; }
    // The editor line of the running (or last) code's line 1, minus one.
    int lineOffset() const { return m_lineOffset; }
    // What the running run has streamed so far; its final result repeats it.
    QString streamedStdout() const { return m_streamedStdout.join(QString()); }
    QString streamedStderr() const { return m_streamedStderr.join(QString()); }
    // What a finished run's answer adds to what it streamed (all of it if the two differ):
    // compared piece by piece, so a flood's answer is never joined into one more copy.
    QString unstreamedStdout(const protocol::RunCodeResult &result) const;
    QString unstreamedStderr(const protocol::RunCodeResult &result) const;

    // Each refuses visibly (message()) while a run is in progress or the session is paused.
    void run(const QString &code, int firstLine, const QString &what);
    void runAll();
    void stop();
    void restartSession();
    void pauseSession();
    void resumeSession();
    // The editor's helper (completion, signatures, documentation, lint); the document owns it.
    void setAssistant(client::CodeAssistant *assistant);
    client::CodeAssistant *assistant() const { return m_assistant; }
    // Asks about the text now held, at a 1-based line and 0-based column (characters): from
    // the live session's kernel when the document runs on the local sandbox and its session is
    // up, else from the buffer alone. assistAnswered() follows unless a newer request of the
    // same kind, the deadline or a failure drops it. Returns 0 when no helper is available.
    quint64 requestAssist(protocol::AssistKind kind, int line, int column);
    // Drops what is in flight for the typing requests (complete, signature, doc).
    void cancelAssist();
    // A line for the output pane (announcements: a profile change, a restart).
    void announce(const QString &text) { Q_EMIT note(text); }

Q_SIGNALS:
    // The text was replaced from outside the editor (reload, restore): the editor follows.
    void textReplaced(const QString &text);
    void cursorRestored(int line, int index);
    void languageChanged(const QString &language);
    void timeoutChanged(int seconds);
    // Text, cursor, language or timeout changed: time to journal the document.
    void contentChanged();
    void dirtyChanged(bool dirty);
    void titleChanged(const QString &title);
    // A new controller (profile change, restore): the session pane shows its timeline.
    void controllerChanged();
    void runningChanged(bool running);
    // Backend, session state, timer or outcome text changed.
    void statusChanged();
    void noticeChanged(const QString &notice);
    // A passing message for the status bar.
    void message(const QString &text);
    void note(const QString &text);
    void backendFailed(const QString &why);
    // A run was submitted: its heading ("Run (Python, timeout 30 s)").
    void runStarted(const QString &heading);
    // Output of the run in progress, as the backend streams it.
    void output(bool isStderr, const QString &text);
    // What the run in progress has display()ed so far (all of it, in order).
    void displayed(const QList<agentbay::protocol::MimeBundle> &bundles);
    void runFinished(const agentbay::protocol::RunCodeResult &result);
    // Everything about the run that just ended, for the run history.
    void runRecorded(const agentbay::workspace::RunRecord &run);
    // Last of a run's signals: the panes, the status and the history have all been told.
    void runCompleted(bool success);
    void assistAnswered(const agentbay::protocol::AssistAnswer &answer);

private:
    void onBackendReady(const QString &description);
    void onBackendFailed(const QString &why);
    void onSessionState(client::Session::State state, const QString &sessionId);
    void onRunFinished(quint64 runId, const protocol::RunCodeResult &result);
    void onRunOutput(quint64 runId, bool isStderr, const QString &text);
    void onRunDisplay(quint64 runId, const protocol::MimeBundle &bundle);
    void setNotice(const QString &notice);
    void updateTimer();
    void updateDirty();

    QString m_id;
    QString m_title;
    QString m_snippetFile;
    QString m_text;
    QString m_savedText;
    QString m_language;
    QString m_profileId;
    int m_timeoutSeconds = 30;
    int m_cursorLine = 0;
    int m_cursorIndex = 0;
    bool m_dirty = false;
    QPointer<client::RunController> m_controller;
    QTimer *m_ticker;
    QElapsedTimer m_runClock;
    int m_runTimeout = 0;
    int m_lineOffset = 0;
    QString m_runCode;
    QString m_runLanguage;
    QDateTime m_runStartedAt;
    quint64 m_currentRun = 0;
    client::Session::State m_state = client::Session::State::NotStarted;
    QString m_backendText;
    QString m_sessionText;
    QString m_timerText;
    QString m_lastOutcome;
    QString m_notice;
    QStringList m_streamedStdout; // in the pieces they came in: a flood is never copied whole
    QStringList m_streamedStderr;
    QList<protocol::MimeBundle> m_streamedResults;
    bool m_toldCloudOutput = false;
    QString m_sessionId; // of the live session, while it is up
    QSet<QString> m_warmedLanguages;
    int m_warmTries = 0;
    static constexpr int WarmRetryMs = 1000;
    static constexpr int WarmTries = 120; // the local sandbox did not come up: stop asking
    QPointer<client::CodeAssistant> m_assistant;
};

} // namespace agentbay::workbench
