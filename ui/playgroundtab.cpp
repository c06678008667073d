// SPDX-License-Identifier: GPL-3.0-or-later
#include "playgroundtab.h"

#include "codeeditor.h"
#include "errorpane.h"
#include "findbar.h"
#include "outputpane.h"
#include "resultspane.h"
#include "sessionpane.h"

#include "client/runcontroller.h"
#include "client/sessiontimeline.h"
#include "present/resultcard.h"

#include "protocol/language.h"

#include <QDateTime>
#include <QTimer>
#include <QUuid>
#include <QVBoxLayout>

namespace agentbay::ui {

using client::RunController;
using client::Session;

PlaygroundTab::PlaygroundTab(const QString &profileId, QWidget *parent)
    : QWidget(parent), m_profileId(profileId), m_editor(new CodeEditor(this)),
      m_findBar(new FindBar(m_editor, this)), m_output(new OutputPane), m_results(new ResultsPane),
      m_errors(new ErrorPane), m_session(new SessionPane), m_ticker(new QTimer(this))
{
    m_tabId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    setObjectName(QStringLiteral("playgroundTab"));
    m_panes = {m_output, m_results, m_errors, m_session};
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_editor, 1);
    layout->addWidget(m_findBar);
    setFocusProxy(m_editor);

    m_ticker->setInterval(100);
    connect(m_ticker, &QTimer::timeout, this, &PlaygroundTab::updateTimer);
    connect(m_errors, &ErrorPane::lineActivated, this,
            [this](int line) { m_editor->goToLine(line + m_lineOffset); });
    connect(m_session, &SessionPane::restartRequested, this, &PlaygroundTab::restartSession);
    connect(m_editor, &QsciScintilla::textChanged, this, &PlaygroundTab::updateDirty);
    connect(m_editor, &QsciScintilla::textChanged, this, &PlaygroundTab::contentChanged);
    connect(m_editor, &QsciScintilla::cursorPositionChanged, this, &PlaygroundTab::contentChanged);
    m_backendText = tr("Starting…");
}

PlaygroundTab::~PlaygroundTab()
{
    // The panes live in the window's docks, not in this widget; the docks may have gone first.
    for (const QPointer<QWidget> &pane : std::as_const(m_panes))
        delete pane.data();
}

void PlaygroundTab::setController(RunController *controller, const QString &profileId)
{
    if (m_controller)
        m_controller->disconnect(this);
    m_controller = controller;
    m_profileId = profileId;
    m_session->setTimeline(controller->timeline());
    m_session->setNotice({});
    connect(controller, &RunController::backendReady, this, &PlaygroundTab::onBackendReady);
    connect(controller, &RunController::backendFailed, this, &PlaygroundTab::onBackendFailed);
    connect(controller, &RunController::sessionStateChanged, this, &PlaygroundTab::onSessionState);
    connect(controller, &RunController::runFinished, this, &PlaygroundTab::onRunFinished);
    m_backendText = controller->isBackendReady()
                            ? controller->backendDescription()
                            : tr("Starting %1…")
                                      .arg(controller->isLocal() ? tr("the local sandbox")
                                                                 : tr("the backend"));
    m_sessionText = tr("Session: not started");
    Q_EMIT statusChanged();
}

void PlaygroundTab::setTimeoutSeconds(int seconds)
{
    if (seconds == m_timeoutSeconds)
        return;
    m_timeoutSeconds = seconds;
    Q_EMIT contentChanged();
}

void PlaygroundTab::setTitle(const QString &title)
{
    if (title == m_title)
        return;
    m_title = title;
    Q_EMIT titleChanged(title);
}

void PlaygroundTab::updateDirty()
{
    // A scratch tab is dirty once it has text; a snippet's tab when it differs from the file.
    const bool dirty = m_editor->text() != m_savedText;
    if (dirty == m_dirty)
        return;
    m_dirty = dirty;
    Q_EMIT dirtyChanged(dirty);
}

void PlaygroundTab::markSaved(const QString &snippetFile, const QString &title)
{
    m_snippetFile = snippetFile;
    m_savedText = m_editor->text();
    setTitle(title);
    updateDirty();
    Q_EMIT contentChanged();
}

bool PlaygroundTab::reloadFromLibrary(const QString &content)
{
    if (m_dirty || content == m_editor->text())
        return false;
    int line = 0, index = 0;
    m_editor->getCursorPosition(&line, &index);
    m_savedText = content;
    m_editor->setText(content);
    m_editor->setCursorPosition(qMin(line, qMax(0, m_editor->lines() - 1)), 0);
    updateDirty();
    return true;
}

workspace::RecoveredTab PlaygroundTab::snapshot(int order) const
{
    workspace::RecoveredTab tab;
    tab.id = m_tabId;
    tab.order = order;
    tab.title = m_title;
    tab.text = m_editor->text();
    tab.language = m_editor->language();
    tab.timeoutSeconds = m_timeoutSeconds;
    m_editor->getCursorPosition(&tab.cursorLine, &tab.cursorIndex);
    tab.snippetFile = m_snippetFile;
    tab.dirty = m_dirty;
    tab.profile = m_profileId;
    tab.journaledAt = QDateTime::currentDateTimeUtc();
    return tab;
}

void PlaygroundTab::restore(const workspace::RecoveredTab &tab)
{
    m_tabId = tab.id;
    m_snippetFile = tab.snippetFile;
    setLanguage(protocol::Languages::name(protocol::Languages::fromNameOr(tab.language)));
    m_timeoutSeconds = tab.timeoutSeconds;
    // Unsaved changes stay marked as such: the saved text is unknown here, so it is whatever
    // the tab does not hold.
    m_savedText = tab.dirty ? QString() : tab.text;
    m_editor->setText(tab.text);
    if (tab.dirty && tab.text.isEmpty())
        m_savedText = QStringLiteral("(unsaved)");
    m_editor->setCursorPosition(tab.cursorLine, tab.cursorIndex);
    setTitle(tab.title);
    updateDirty();
}

QString PlaygroundTab::language() const
{
    return m_editor->language();
}

void PlaygroundTab::setLanguage(const QString &language)
{
    m_editor->setLanguage(language);
}

void PlaygroundTab::runAll()
{
    run(m_editor->text(), 1, tr("Run"));
}

void PlaygroundTab::runSelectionOrCell()
{
    int firstLine = 1;
    const bool selection = m_editor->hasSelectedText();
    const QString code = m_editor->selectionOrCell(&firstLine);
    run(code, firstLine,
        selection ? tr("Run selection (from line %1)").arg(firstLine)
                  : tr("Run cell (from line %1)").arg(firstLine));
}

void PlaygroundTab::run(const QString &code, int firstLine, const QString &what)
{
    if (!m_controller)
        return;
    if (m_currentRun != 0) {
        Q_EMIT message(tr("A run is already in progress in this tab; press Esc to stop it, or "
                          "open a new tab to run in parallel."));
        return;
    }
    if (m_state == Session::State::Paused || m_state == Session::State::Pausing
        || m_state == Session::State::Resuming) {
        Q_EMIT message(tr("This tab's session is paused; resume it (Run ▸ Resume Session) to "
                          "run code."));
        return;
    }
    m_runTimeout = m_timeoutSeconds;
    m_lineOffset = firstLine - 1;
    const QString languageName = protocol::Languages::info(
                                         protocol::Languages::fromNameOr(m_editor->language()))
                                         .displayName;
    m_output->beginRun(tr("▶ %1 (%2, timeout %3 s)").arg(what, languageName).arg(m_runTimeout));
    m_editor->clearErrorMarks();
    m_errors->clear();
    m_session->setNotice({});
    m_runCode = code;
    m_runLanguage = m_editor->language();
    m_runStartedAt = QDateTime::currentDateTimeUtc();
    m_currentRun = m_controller->run(code, m_editor->language(), m_runTimeout);
    m_runClock.start();
    m_ticker->start();
    updateTimer();
    Q_EMIT runningChanged(true);
}

void PlaygroundTab::stop()
{
    if (m_currentRun == 0 || !m_controller)
        return;
    m_controller->stop();
    if (!m_controller->isLocal()) {
        m_session->setNotice(
                tr("Stopped waiting for the run. AgentBay may keep running it until its %1 s "
                   "timeout; Restart Session ends it now.")
                        .arg(m_runTimeout));
    }
}

void PlaygroundTab::restartSession()
{
    if (!m_controller)
        return;
    m_output->appendNote(tr("↻ Restarting the session: the old one is deleted, a new one starts "
                            "with the next run."));
    m_session->setNotice({});
    m_controller->restartSession();
}

void PlaygroundTab::pauseSession()
{
    if (!m_controller || m_currentRun != 0)
        return;
    if (m_state != Session::State::Ready) {
        Q_EMIT message(tr("Only an idle session can be paused; run something first."));
        return;
    }
    m_controller->pauseSession();
}

void PlaygroundTab::resumeSession()
{
    if (m_controller && m_state == Session::State::Paused)
        m_controller->resumeSession();
}

void PlaygroundTab::onBackendReady(const QString &description)
{
    m_backendText = description;
    Q_EMIT statusChanged();
}

void PlaygroundTab::onBackendFailed(const QString &why)
{
    m_backendText = tr("Backend unavailable");
    m_output->appendStderr(tr("The backend is not available: %1\n").arg(why));
    Q_EMIT statusChanged();
}

void PlaygroundTab::onSessionState(Session::State state, const QString &sessionId)
{
    m_state = state;
    const QString name = Session::stateName(state);
    m_sessionText = sessionId.isEmpty() ? tr("Session: %1").arg(name)
                                        : tr("Session %1: %2").arg(sessionId, name);
    Q_EMIT statusChanged();
}

void PlaygroundTab::onRunFinished(quint64 runId, const protocol::RunCodeResult &result)
{
    if (runId != m_currentRun)
        return; // an answer for a run that is no longer current
    m_currentRun = 0;
    m_ticker->stop();
    m_timerText.clear();
    m_output->appendStdout(result.stdoutText());
    m_output->appendStderr(result.stderrText());
    if (result.droppedOutputCharacters > 0) {
        m_output->appendNote(tr("[the backend dropped %1 more characters of output: its per-run "
                                "limit]")
                                     .arg(result.droppedOutputCharacters));
    }
    const QList<present::ResultCard> cards = present::ResultCards::fromResult(result);
    for (const present::ResultCard &card : cards) {
        const bool plain = card.kind == present::ResultCard::Kind::Text;
        m_output->appendResult(plain ? card.text : tr("[%1 — see Results]").arg(card.title));
    }
    m_results->showResults(cards);
    if (result.error) {
        m_errors->showError(*result.error, result.executionCount);
        // Where this run raised; a frame in code of an earlier run is not in the editor.
        if (const auto frame = result.error->raisingFrame(result.executionCount))
            m_editor->markErrorLine(frame->line + m_lineOffset);
        const QString &traceback = result.error->traceback;
        if (!traceback.isEmpty() && !result.stderrText().contains(traceback))
            m_output->appendStderr(traceback);
        if (!traceback.contains(result.error->value))
            m_output->appendStderr(result.error->name + QLatin1String(": ") + result.error->value);
    } else if (!result.success) {
        m_output->appendStderr(result.errorMessage);
    }
    const double seconds = m_runClock.elapsed() / 1000.0;
    if (result.cancelled)
        m_lastOutcome = tr("stopped after %1 s").arg(seconds, 0, 'f', 2);
    else if (result.timedOut)
        m_lastOutcome = tr("timed out after %1 s").arg(seconds, 0, 'f', 2);
    else if (result.success)
        m_lastOutcome = tr("finished in %1 s").arg(seconds, 0, 'f', 2);
    else
        m_lastOutcome = tr("failed after %1 s").arg(seconds, 0, 'f', 2);
    m_output->appendNote((result.success ? QStringLiteral("✔ ") : QStringLiteral("✘ "))
                         + m_lastOutcome);
    Q_EMIT statusChanged();
    Q_EMIT runningChanged(false);

    workspace::RunRecord record;
    record.startedAt = m_runStartedAt;
    record.durationMs = m_runClock.elapsed();
    record.tabId = m_tabId;
    record.tabTitle = m_title;
    record.snippetFile = m_snippetFile;
    record.code = m_runCode;
    record.language = m_runLanguage;
    record.timeoutSeconds = m_runTimeout;
    record.profile = m_profileId;
    if (m_controller) {
        record.endpoint = m_controller->backendConfig().endpoint.toString();
        if (m_controller->session())
            record.sessionId = m_controller->session()->id();
    }
    record.requestId = result.requestId;
    record.result = result;
    record.status = workspace::RunRecord::statusOf(result);
    Q_EMIT runRecordReady(record);
    Q_EMIT runCompleted(result.success);
}

void PlaygroundTab::updateTimer()
{
    const double elapsed = m_runClock.elapsed() / 1000.0;
    const double remaining = qMax(0.0, m_runTimeout - elapsed);
    m_timerText = tr("%1 s elapsed, %2 s left").arg(elapsed, 0, 'f', 1).arg(remaining, 0, 'f', 1);
    Q_EMIT statusChanged();
}

} // namespace agentbay::ui
