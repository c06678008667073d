// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "workbench/document.h"

#include <QPointer>
#include <QWidget>

namespace agentbay::ui {

class CodeEditor;
class ErrorPane;
class FindBar;
class OutputPane;
class ResultsPane;
class SessionPane;

// The view of one open document: its editor and find bar, and its output, results, errors and
// session panes, which the window's docks show while the tab is current. The editor feeds the
// document its text and cursor; the panes show what the document's runs report. Every decision
// (running, refusing, saving, where it runs) is the document's or the workbench's.
class PlaygroundTab final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlaygroundTab)

public:
    explicit PlaygroundTab(workbench::Document *document, QWidget *parent = nullptr);
    ~PlaygroundTab() override;

    workbench::Document *document() const { return m_document; }
    CodeEditor *editor() const { return m_editor; }
    FindBar *findBar() const { return m_findBar; }
    OutputPane *outputPane() const { return m_output; }
    ResultsPane *resultsPane() const { return m_results; }
    ErrorPane *errorPane() const { return m_errors; }
    SessionPane *sessionPane() const { return m_session; }

    // The document's facts, as the window and its tests read them.
    client::RunController *controller() const { return m_document->controller(); }
    QString profileId() const { return m_document->profileId(); }
    QString tabId() const { return m_document->id(); }
    QString snippetFile() const { return m_document->snippetFile(); }
    QString title() const { return m_document->title(); }
    void setTitle(const QString &title) { m_document->setTitle(title); }
    bool isDirty() const { return m_document->isDirty(); }
    QString language() const { return m_document->language(); }
    void setLanguage(const QString &language) { m_document->setLanguage(language); }
    int timeoutSeconds() const { return m_document->timeoutSeconds(); }
    void setTimeoutSeconds(int seconds) { m_document->setTimeoutSeconds(seconds); }
    bool isRunning() const { return m_document->isRunning(); }
    QString lastOutcome() const { return m_document->lastOutcome(); }
    client::Session::State sessionState() const { return m_document->sessionState(); }

    void runAll() { m_document->runAll(); }
    // Hands the editor's cursor to the document (the editor reports moves only as it repaints).
    void syncCursor();
    // The selection, or the # %% / // %% cell around the cursor.
    void runSelectionOrCell();

private:
    void onRunStarted(const QString &heading);
    void onRunFinished(const protocol::RunCodeResult &result);
    void onControllerChanged();

    QPointer<workbench::Document> m_document;
    CodeEditor *m_editor;
    FindBar *m_findBar;
    OutputPane *m_output;
    ResultsPane *m_results;
    ErrorPane *m_errors;
    SessionPane *m_session;
    QList<QPointer<QWidget>> m_panes;
};

} // namespace agentbay::ui
