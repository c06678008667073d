// SPDX-License-Identifier: GPL-3.0-or-later
#include "playgroundtab.h"

#include "codeeditor.h"
#include "errorpane.h"
#include "findbar.h"
#include "outputpane.h"
#include "resultspane.h"
#include "sessionpane.h"

#include "present/resultcard.h"

#include <QVBoxLayout>

namespace agentbay::ui {

using workbench::Document;

PlaygroundTab::PlaygroundTab(Document *document, QWidget *parent)
    : QWidget(parent), m_document(document), m_editor(new CodeEditor(this)),
      m_findBar(new FindBar(m_editor, this)), m_output(new OutputPane), m_results(new ResultsPane),
      m_errors(new ErrorPane), m_session(new SessionPane)
{
    setObjectName(QStringLiteral("playgroundTab"));
    m_panes = {m_output, m_results, m_errors, m_session};
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_editor, 1);
    layout->addWidget(m_findBar);
    setFocusProxy(m_editor);

    m_editor->setLanguage(document->language());
    m_editor->setText(document->text());
    m_editor->setCursorPosition(document->cursorLine(), document->cursorIndex());
    onControllerChanged();

    // The editor feeds the document; the document's own changes reach the editor.
    connect(m_editor, &QsciScintilla::textChanged, document,
            [this] { m_document->setText(m_editor->text()); });
    connect(m_editor, &QsciScintilla::cursorPositionChanged, document,
            [this](int line, int index) { m_document->setCursor(line, index); });
    connect(document, &Document::textReplaced, this, [this](const QString &text) {
        if (text == m_editor->text())
            return;
        int line = 0, index = 0;
        m_editor->getCursorPosition(&line, &index);
        m_editor->setText(text);
        m_editor->setCursorPosition(qMin(line, qMax(0, m_editor->lines() - 1)), 0);
    });
    connect(document, &Document::cursorRestored, m_editor, &CodeEditor::setCursorPosition);
    connect(document, &Document::languageChanged, m_editor, &CodeEditor::setLanguage);
    // The editor's helper: the editor says what it wants, the document asks the sandbox, the
    // answer comes back to the editor.
    connect(m_editor, &CodeEditor::assistWanted, document,
            [this](protocol::AssistKind kind, int line, int column) {
                m_document->requestAssist(kind, line, column); // textChanged keeps its text
            });
    connect(m_editor, &CodeEditor::assistCancelled, document, &Document::cancelAssist);
    connect(document, &Document::assistAnswered, m_editor, &CodeEditor::showAssistAnswer);

    connect(document, &Document::controllerChanged, this, &PlaygroundTab::onControllerChanged);
    connect(document, &Document::runStarted, this, &PlaygroundTab::onRunStarted);
    connect(document, &Document::runFinished, this, &PlaygroundTab::onRunFinished);
    connect(document, &Document::noticeChanged, m_session, &SessionPane::setNotice);
    connect(document, &Document::note, m_output, &OutputPane::appendNote);
    connect(document, &Document::output, this, [this](bool isStderr, const QString &text) {
        if (isStderr)
            m_output->appendStderr(text);
        else
            m_output->appendStdout(text);
    });
    connect(document, &Document::displayed, this,
            [this](const QList<protocol::MimeBundle> &bundles) {
                protocol::RunCodeResult partial;
                partial.results = bundles;
                m_results->showResults(present::ResultCards::fromResult(partial));
            });
    connect(document, &Document::backendFailed, this, [this](const QString &why) {
        m_output->appendStderr(tr("The backend is not available: %1\n").arg(why));
    });
    connect(m_errors, &ErrorPane::lineActivated, this,
            [this](int line) { m_editor->goToLine(line + m_document->lineOffset()); });
    connect(m_session, &SessionPane::restartRequested, document, &Document::restartSession);
}

PlaygroundTab::~PlaygroundTab()
{
    // The panes live in the window's docks, not in this widget; the docks may have gone first.
    for (const QPointer<QWidget> &pane : std::as_const(m_panes))
        delete pane.data();
}

void PlaygroundTab::syncCursor()
{
    int line = 0, index = 0;
    m_editor->getCursorPosition(&line, &index);
    m_document->setCursor(line, index);
}

void PlaygroundTab::runSelectionOrCell()
{
    int firstLine = 1;
    const bool selection = m_editor->hasSelectedText();
    const QString code = m_editor->selectionOrCell(&firstLine);
    m_document->run(code, firstLine,
                    selection ? tr("Run selection (from line %1)").arg(firstLine)
                              : tr("Run cell (from line %1)").arg(firstLine));
}

void PlaygroundTab::onControllerChanged()
{
    if (m_document->controller())
        m_session->setTimeline(m_document->controller()->timeline());
    m_session->setNotice(m_document->notice());
}

void PlaygroundTab::onRunStarted(const QString &heading)
{
    m_output->beginRun(QStringLiteral("▶ ") + heading);
    m_editor->clearErrorMarks();
    m_errors->clear();
}

void PlaygroundTab::onRunFinished(const protocol::RunCodeResult &result)
{
    // What was streamed is on screen already; the answer adds the rest.
    m_output->appendStdout(m_document->unstreamedStdout(result));
    m_output->appendStderr(m_document->unstreamedStderr(result));
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
            m_editor->markErrorLine(frame->line + m_document->lineOffset());
        const QString &traceback = result.error->traceback;
        if (!traceback.isEmpty() && !result.stderrText().contains(traceback))
            m_output->appendStderr(traceback);
        if (!traceback.contains(result.error->value))
            m_output->appendStderr(result.error->name + QLatin1String(": ") + result.error->value);
    } else if (!result.success) {
        m_output->appendStderr(result.errorMessage);
    }
    m_output->appendNote((result.success ? QStringLiteral("✔ ") : QStringLiteral("✘ "))
                         + m_document->lastOutcome());
}

} // namespace agentbay::ui
