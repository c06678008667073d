// SPDX-License-Identifier: GPL-3.0-or-later
#include "document.h"

#include "client/runcontroller.h"
#include "protocol/freedmemory.h"
#include "protocol/language.h"

#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <utility>

namespace agentbay::workbench {

using client::RunController;
using client::Session;
namespace Languages = protocol::Languages;

Document::Document(QObject *parent)
    : QObject(parent), m_id(QUuid::createUuid().toString(QUuid::WithoutBraces)),
      m_language(Languages::name(protocol::Language::Python)), m_ticker(new QTimer(this))
{
    m_ticker->setInterval(100);
    connect(m_ticker, &QTimer::timeout, this, &Document::updateTimer);
    m_backendText = tr("Starting…");
}

Document::~Document() = default;

void Document::setTitle(const QString &title)
{
    if (title == m_title)
        return;
    m_title = title;
    Q_EMIT titleChanged(title);
}

void Document::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    updateDirty();
    Q_EMIT contentChanged();
}

void Document::replaceText(const QString &text)
{
    setText(text);
    Q_EMIT textReplaced(text);
}

void Document::setCursor(int line, int index)
{
    if (line == m_cursorLine && index == m_cursorIndex)
        return;
    m_cursorLine = line;
    m_cursorIndex = index;
    Q_EMIT contentChanged();
}

void Document::setLanguage(const QString &language)
{
    const QString canonical = Languages::name(Languages::fromNameOr(language));
    if (canonical == m_language)
        return;
    m_language = canonical;
    Q_EMIT languageChanged(canonical);
    Q_EMIT contentChanged();
}

void Document::setTimeoutSeconds(int seconds)
{
    if (seconds == m_timeoutSeconds)
        return;
    m_timeoutSeconds = seconds;
    Q_EMIT timeoutChanged(seconds);
    Q_EMIT contentChanged();
}

void Document::updateDirty()
{
    // A scratch document is dirty once it has text; a snippet's when it differs from the file.
    const bool dirty = m_text != m_savedText;
    if (dirty == m_dirty)
        return;
    m_dirty = dirty;
    Q_EMIT dirtyChanged(dirty);
}

void Document::markSaved(const QString &snippetFile, const QString &title)
{
    m_snippetFile = snippetFile;
    m_savedText = m_text;
    setTitle(title);
    updateDirty();
    Q_EMIT contentChanged();
}

bool Document::reloadFromLibrary(const QString &content)
{
    if (m_dirty || content == m_text)
        return false;
    m_savedText = content;
    replaceText(content);
    return true;
}

workspace::RecoveredTab Document::snapshot(int order) const
{
    workspace::RecoveredTab saved;
    saved.id = m_id;
    saved.order = order;
    saved.title = m_title;
    saved.text = m_text;
    saved.language = m_language;
    saved.timeoutSeconds = m_timeoutSeconds;
    saved.cursorLine = m_cursorLine;
    saved.cursorIndex = m_cursorIndex;
    saved.snippetFile = m_snippetFile;
    saved.dirty = m_dirty;
    saved.profile = m_profileId;
    saved.journaledAt = QDateTime::currentDateTimeUtc();
    return saved;
}

void Document::restore(const workspace::RecoveredTab &saved)
{
    m_id = saved.id;
    m_snippetFile = saved.snippetFile;
    setLanguage(saved.language);
    setTimeoutSeconds(saved.timeoutSeconds);
    // Unsaved changes stay marked as such: the saved text is unknown here, so it is whatever
    // the document does not hold.
    m_savedText = saved.dirty ? QString() : saved.text;
    if (saved.dirty && saved.text.isEmpty())
        m_savedText = QStringLiteral("(unsaved)");
    replaceText(saved.text);
    m_cursorLine = saved.cursorLine;
    m_cursorIndex = saved.cursorIndex;
    Q_EMIT cursorRestored(saved.cursorLine, saved.cursorIndex);
    setTitle(saved.title);
    updateDirty();
}

// --- running ----------------------------------------------------------------------------------

void Document::setController(RunController *controller, const QString &profileId)
{
    if (m_controller)
        m_controller->disconnect(this);
    m_controller = controller;
    m_profileId = profileId;
    connect(controller, &RunController::backendReady, this, &Document::onBackendReady);
    connect(controller, &RunController::backendFailed, this, &Document::onBackendFailed);
    connect(controller, &RunController::sessionStateChanged, this, &Document::onSessionState);
    connect(controller, &RunController::runFinished, this, &Document::onRunFinished);
    connect(controller, &RunController::runOutput, this, &Document::onRunOutput);
    connect(controller, &RunController::runDisplay, this, &Document::onRunDisplay);
    m_backendText = controller->isBackendReady()
                            ? controller->backendDescription()
                            : tr("Starting %1…")
                                      .arg(controller->isLocal() ? tr("the local sandbox")
                                                                 : tr("the backend"));
    m_sessionText = tr("Session: not started");
    setNotice({});
    Q_EMIT controllerChanged();
    Q_EMIT statusChanged();
}

void Document::setAssistant(client::CodeAssistant *assistant)
{
    m_assistant = assistant;
    assistant->setParent(this);
    connect(assistant, &client::CodeAssistant::answered, this,
            [this](quint64, const protocol::AssistAnswer &answer, double) {
                Q_EMIT assistAnswered(answer);
            });
    // The analysis kernel loads its analyser (jedi: about half a second of CPU) before the first
    // keystroke needs it: asked once the local sandbox is up and this document runs nothing
    // (never beside a run, which would get less of the machine), then for each new language.
    auto *warmer = new QTimer(this);
    warmer->setInterval(WarmRetryMs);
    connect(warmer, &QTimer::timeout, this, [this, warmer] {
        if (m_warmedLanguages.contains(m_language) || ++m_warmTries > WarmTries) {
            warmer->stop();
            return;
        }
        if (isRunning())
            return;
        if (m_assistant
            && m_assistant->request({protocol::AssistKind::Warm, m_language, {}, 1, 0, {}, {}}) != 0)
            m_warmedLanguages.insert(m_language);
    });
    connect(this, &Document::languageChanged, warmer, [this, warmer] {
        m_warmTries = 0;
        warmer->start();
    });
    warmer->start();
}

quint64 Document::requestAssist(protocol::AssistKind kind, int line, int column)
{
    // Lint is Python's (its parser and pyflakes); other languages are not linted.
    if (!m_assistant
        || (kind == protocol::AssistKind::Lint && m_language != QLatin1String("python")))
        return 0;
    client::CodeAssistant::Request request;
    request.kind = kind;
    request.language = m_language;
    request.code = m_text;
    request.line = line;
    request.column = column;
    // The live namespace only where the code runs: a cloud session's kernel is never asked.
    if (m_controller && m_controller->isLocal())
        request.sessionId = m_sessionId;
    request.path = QStringLiteral("/playground/%1.%2")
                           .arg(m_id, m_language == QLatin1String("python") ? QStringLiteral("py")
                                                                            : QStringLiteral("js"));
    return m_assistant->request(request);
}

void Document::cancelAssist()
{
    if (m_assistant)
        m_assistant->cancel(protocol::AssistKind::Complete);
}

void Document::runAll()
{
    run(m_text, 1, tr("Run"));
}

void Document::run(const QString &code, int firstLine, const QString &what)
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
    m_runCode = code;
    m_runLanguage = m_language;
    m_runStartedAt = QDateTime::currentDateTimeUtc();
    m_streamedStdout.clear();
    m_streamedStderr.clear();
    m_streamedResults.clear();
    setNotice({});
    Q_EMIT runStarted(
            tr("%1 (%2, timeout %3 s)")
                    .arg(what, Languages::info(Languages::fromNameOr(m_language)).displayName)
                    .arg(m_runTimeout));
    if (!m_controller->isLocal() && !std::exchange(m_toldCloudOutput, true))
        Q_EMIT note(tr("AgentBay returns a run's output when the run ends; the local sandbox shows "
                       "it as it is printed."));
    m_currentRun = m_controller->run(code, m_language, m_runTimeout);
    m_runClock.start();
    m_ticker->start();
    updateTimer();
    Q_EMIT runningChanged(true);
}

void Document::stop()
{
    if (m_currentRun == 0 || !m_controller)
        return;
    m_controller->stop();
    if (!m_controller->isLocal()) {
        setNotice(tr("Stopped waiting for the run. AgentBay may keep running it until its %1 s "
                     "timeout; Restart Session ends it now.")
                          .arg(m_runTimeout));
    }
}

void Document::restartSession()
{
    if (!m_controller)
        return;
    Q_EMIT note(tr("↻ Restarting the session: the old one is deleted, a new one starts with the "
                   "next run."));
    setNotice({});
    m_controller->restartSession();
}

void Document::pauseSession()
{
    if (!m_controller || m_currentRun != 0)
        return;
    if (m_state != Session::State::Ready) {
        Q_EMIT message(tr("Only an idle session can be paused; run something first."));
        return;
    }
    m_controller->pauseSession();
}

void Document::resumeSession()
{
    if (m_controller && m_state == Session::State::Paused)
        m_controller->resumeSession();
}

void Document::setNotice(const QString &notice)
{
    if (notice == m_notice)
        return;
    m_notice = notice;
    Q_EMIT noticeChanged(notice);
}

void Document::onBackendReady(const QString &description)
{
    m_backendText = description;
    Q_EMIT statusChanged();
}

void Document::onBackendFailed(const QString &why)
{
    m_backendText = tr("Backend unavailable");
    Q_EMIT backendFailed(why);
    Q_EMIT statusChanged();
}

void Document::onSessionState(Session::State state, const QString &sessionId)
{
    m_state = state;
    m_sessionId = state == Session::State::Ready || state == Session::State::Running ? sessionId
                                                                                     : QString();
    const QString name = Session::stateName(state);
    m_sessionText = sessionId.isEmpty() ? tr("Session: %1").arg(name)
                                        : tr("Session %1: %2").arg(sessionId, name);
    Q_EMIT statusChanged();
}

void Document::onRunFinished(quint64 runId, const protocol::RunCodeResult &answer)
{
    if (runId != m_currentRun)
        return; // an answer for a run that is no longer current
    // A stopped run's answer may lack what it displayed before the stop; what was shown stays.
    protocol::RunCodeResult result = answer;
    if (result.results.size() < m_streamedResults.size())
        result.results = m_streamedResults;
    m_currentRun = 0;
    m_ticker->stop();
    m_timerText.clear();
    const double seconds = static_cast<double>(m_runClock.elapsed()) / 1000.0;
    if (result.cancelled)
        m_lastOutcome = tr("stopped after %1 s").arg(seconds, 0, 'f', 2);
    else if (result.timedOut)
        m_lastOutcome = tr("timed out after %1 s").arg(seconds, 0, 'f', 2);
    else if (result.success)
        m_lastOutcome = tr("finished in %1 s").arg(seconds, 0, 'f', 2);
    else
        m_lastOutcome = tr("failed after %1 s").arg(seconds, 0, 'f', 2);

    workspace::RunRecord record;
    record.startedAt = m_runStartedAt;
    record.durationMs = m_runClock.elapsed();
    record.tabId = m_id;
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

    Q_EMIT runFinished(result);
    // Shown and recorded: what was streamed is not needed any more.
    m_streamedStdout.clear();
    m_streamedStderr.clear();
    m_streamedResults.clear();
    Q_EMIT statusChanged();
    Q_EMIT runningChanged(false);
    Q_EMIT runRecorded(record);
    Q_EMIT runCompleted(result.success);
    qsizetype characters = 0;
    for (const QStringList *chunks : {&result.stdoutChunks, &result.stderrChunks})
        for (const QString &chunk : *chunks)
            characters += chunk.size();
    if (characters > protocol::FreedMemory::LargeOutputCharacters)
        protocol::FreedMemory::releaseSoon();
}

namespace {

// What `all` adds after `shown` when `shown` is its start (both in pieces, cut anywhere); all of
// `all` when it is not.
QString rest(const QStringList &all, const QStringList &shown)
{
    qsizetype piece = 0;
    qsizetype offset = 0; // in all.at(piece)
    for (const QString &seen : shown) {
        qsizetype at = 0;
        while (at < seen.size()) {
            if (piece == all.size())
                return all.join(QString());
            const QStringView mine = QStringView(all.at(piece)).sliced(offset);
            const QStringView theirs = QStringView(seen).sliced(at);
            const qsizetype length = std::min(mine.size(), theirs.size());
            if (mine.first(length) != theirs.first(length))
                return all.join(QString());
            at += length;
            offset += length;
            if (offset == all.at(piece).size()) {
                ++piece;
                offset = 0;
            }
        }
    }
    QString added = piece < all.size() ? QStringView(all.at(piece)).sliced(offset).toString()
                                       : QString();
    for (qsizetype i = piece + 1; i < all.size(); ++i)
        added += all.at(i);
    return added;
}

} // namespace

QString Document::unstreamedStdout(const protocol::RunCodeResult &result) const
{
    return rest(result.stdoutChunks, m_streamedStdout);
}

QString Document::unstreamedStderr(const protocol::RunCodeResult &result) const
{
    return rest(result.stderrChunks, m_streamedStderr);
}

void Document::onRunOutput(quint64 runId, bool isStderr, const QString &text)
{
    if (runId != m_currentRun)
        return;
    (isStderr ? m_streamedStderr : m_streamedStdout) += text;
    Q_EMIT output(isStderr, text);
}

void Document::onRunDisplay(quint64 runId, const protocol::MimeBundle &bundle)
{
    if (runId != m_currentRun)
        return;
    m_streamedResults.append(bundle);
    Q_EMIT displayed(m_streamedResults);
}

void Document::updateTimer()
{
    const double elapsed = static_cast<double>(m_runClock.elapsed()) / 1000.0;
    const double remaining = qMax(0.0, m_runTimeout - elapsed);
    m_timerText = tr("%1 s elapsed, %2 s left").arg(elapsed, 0, 'f', 1).arg(remaining, 0, 'f', 1);
    Q_EMIT statusChanged();
}

} // namespace agentbay::workbench
