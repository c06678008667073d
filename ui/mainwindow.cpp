// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "codeeditor.h"
#include "dialogs.h"
#include "errorpane.h"
#include "findbar.h"
#include "historypane.h"
#include "leftoversessions.h"
#include "outputpane.h"
#include "playgroundtab.h"
#include "resultspane.h"
#include "sessionpane.h"
#include "settingsdialog.h"
#include "snippetspane.h"
#include "theme.h"

#include "workbench/document.h"
#include "workbench/workbench.h"
#include "workspace/playgroundsettings.h"
#include "workspace/runhistory.h"

#include "agentbayversion.h"

#include <QAction>
#include <QActionGroup>
#include <QCloseEvent>
#include <QDockWidget>
#include <QMenuBar>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>

#include <functional>

namespace agentbay::ui {

using workbench::Document;

namespace {
constexpr char OutputDock[] = "outputDock";
constexpr char ResultsDock[] = "resultsDock";
constexpr char ErrorsDock[] = "errorsDock";
constexpr char SessionDock[] = "sessionDock";
} // namespace

MainWindow::MainWindow(workbench::Workbench *workbench, QWidget *parent)
    : QMainWindow(parent), m_workbench(workbench), m_tabs(new DocumentTabs(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("AgentBay Playground"));
    setWindowIcon(QIcon(QStringLiteral(":/agentbay/icons/agentbay-playground.svg")));
    setCentralWidget(m_tabs);

    createActions();
    createMenus();
    m_runBar = new RunToolBar(m_workbench->settings()->defaultTimeoutSeconds(), this);
    const auto named = [this](const char *name) {
        return action(QLatin1String(name));
    };
    m_runBar->setRunActions(named("runAction"), named("runCellAction"), named("stopAction"),
                            named("pauseSessionAction"), named("resumeSessionAction"));
    m_runBar->addAction(named("restartSessionAction"));
    m_runBar->addAction(named("newTabAction"));
    addToolBar(m_runBar);
    connect(m_runBar, &RunToolBar::profileChosen, this, &MainWindow::chooseProfile);
    createDocks();
    m_status = new RunStatus(statusBar());

    workspace::PlaygroundSettings *settings = m_workbench->settings();
    m_tabs->follow(m_workbench);
    connect(m_tabs, &DocumentTabs::currentTabChanged, this, [this](PlaygroundTab *current) {
        m_runBar->setDocument(current->document());
        m_status->setDocument(current->document());
    });
    connect(settings, &workspace::PlaygroundSettings::themeChanged, this, &MainWindow::applyTheme);
    connect(settings, &workspace::PlaygroundSettings::editorFontChanged, this,
            &MainWindow::applyEditorSettings);
    connect(settings, &workspace::PlaygroundSettings::editorAssistChanged, this,
            &MainWindow::applyEditorSettings);

    connect(m_workbench, &workbench::Workbench::documentAdded, this, &MainWindow::addDocument);
    connect(m_workbench, &workbench::Workbench::message, this,
            [this](const QString &text, int timeoutMs) {
                statusBar()->showMessage(text, timeoutMs);
            });
    connect(m_workbench, &workbench::Workbench::profileProblem, this, [this](const QString &why) {
        Dialogs::explainProfile(this, why, [this] { openSettings(); });
    });
    connect(m_workbench, &workbench::Workbench::sessionEnded, this, &MainWindow::tabSessionEnded);
    connect(m_workbench, &workbench::Workbench::quitFinished, this, [this] {
        m_shutdownDone = true;
        close();
        Q_EMIT shutdownFinished();
    });

    resize(1360, 840);
    restoreGeometry(settings->windowGeometry());
    restoreState(settings->windowState());
    applyTheme(settings->theme());
    applyEditorSettings();
}

MainWindow::~MainWindow() = default;

// --- actions, menus, toolbar, docks -----------------------------------------------------------

void MainWindow::createActions()
{
    const auto make = [this](const char *name, const QString &text, const QList<QKeySequence> &keys,
                             std::function<void()> slot) {
        auto *action = new QAction(text, this);
        action->setObjectName(QLatin1String(name));
        action->setShortcuts(keys);
        action->setShortcutContext(Qt::WindowShortcut);
        connect(action, &QAction::triggered, this, [slot = std::move(slot)] { slot(); });
        QWidget::addAction(action);
        return action;
    };
    // A command for the current tab, and one for its document.
    const auto onTab = [this](std::function<void(PlaygroundTab *)> function) {
        return [this, function = std::move(function)] {
            if (PlaygroundTab *current = currentTab())
                function(current);
        };
    };
    const auto onDocument = [this](void (Document::*method)()) {
        return [this, method] {
            if (Document *document = currentDocument())
                (document->*method)();
        };
    };
    using Key = QKeySequence;
    make("runAction", tr("&Run"), {Key(Qt::CTRL | Qt::Key_Return), Key(Qt::CTRL | Qt::Key_Enter)},
         [this] {
             runCurrent();
         })->setToolTip(tr("Run the whole snippet (Ctrl+Enter)"));
    make("runCellAction", tr("Run Selection or &Cell"),
         {Key(Qt::CTRL | Qt::SHIFT | Qt::Key_Return), Key(Qt::CTRL | Qt::SHIFT | Qt::Key_Enter)},
         onTab([this](PlaygroundTab *tab) {
             if (!m_workbench->isQuitting())
                 tab->runSelectionOrCell();
         }))
            ->setToolTip(tr("Run the selection, or the # %% / // %% cell around the cursor "
                            "(Ctrl+Shift+Enter)"));
    make("stopAction", tr("&Stop"), {Key(Qt::Key_Escape), Key(Qt::CTRL | Qt::Key_Period)},
         onDocument(&Document::stop))
            ->setToolTip(tr("Stop the running snippet (Esc)"));
    make("restartSessionAction", tr("Restart &Session"), {Key(Qt::CTRL | Qt::SHIFT | Qt::Key_R)},
         onDocument(&Document::restartSession))
            ->setToolTip(tr("Delete this tab's session and start a fresh one"));
    make("pauseSessionAction", tr("&Pause Session"), {}, onDocument(&Document::pauseSession))
            ->setToolTip(tr("Pause this tab's idle session; it keeps its state until resumed"));
    make("resumeSessionAction", tr("Res&ume Session"), {}, onDocument(&Document::resumeSession));
    make("newTabAction", tr("&New Session Tab"), {Key(Qt::CTRL | Qt::Key_T), Key::New}, [this] {
        newTab();
    })->setToolTip(tr("A new tab with its own session (Ctrl+T)"));
    make("closeTabAction", tr("&Close Tab"), {Key(Qt::CTRL | Qt::Key_W)},
         [this] { closeTab(m_tabs->currentIndex()); });
    make("saveAction", tr("&Save Snippet"), {Key::Save}, [this] { saveCurrent(); });
    make("saveAsAction", tr("Save Snippet &As…"), {Key(Qt::CTRL | Qt::SHIFT | Qt::Key_S)},
         [this] { askTitleAndSave(tr("Save Snippet As")); });
    make("reopenTabAction", tr("Reopen Closed &Tab"), {Key(Qt::CTRL | Qt::SHIFT | Qt::Key_T)},
         [this] { m_workbench->reopenClosed(); });
    make("quitAction", tr("&Quit"), {Key(Qt::CTRL | Qt::Key_Q)}, [this] { close(); });
    make("settingsAction", tr("Se&ttings…"), {Key(Qt::CTRL | Qt::Key_Comma)},
         [this] { openSettings(); });
    make("findAction", tr("&Find…"), {Key(Qt::CTRL | Qt::Key_F)},
         onTab([](PlaygroundTab *tab) { tab->findBar()->showFind(); }));
    make("replaceAction", tr("&Replace…"), {Key(Qt::CTRL | Qt::Key_H)},
         onTab([](PlaygroundTab *tab) { tab->findBar()->showReplace(); }));
    make("findNextAction", tr("Find &Next"), {Key(Qt::Key_F3)},
         onTab([](PlaygroundTab *tab) { tab->findBar()->findNext(); }));
    make("goToLineAction", tr("&Go to Line…"), {Key(Qt::CTRL | Qt::Key_G)},
         onTab([this](PlaygroundTab *tab) {
             QPointer<CodeEditor> editor = tab->editor();
             Dialogs::askLine(this, editor->lines(), editor->cursorLine(), [editor](int line) {
                 if (editor)
                     editor->goToLine(line);
             });
         }));
    make("toggleCommentAction", tr("Toggle &Comment"), {Key(Qt::CTRL | Qt::Key_Slash)},
         onTab([](PlaygroundTab *tab) { tab->editor()->toggleComment(); }));
    make("zoomInAction", tr("Zoom &In"), {Key::ZoomIn, Key(Qt::CTRL | Qt::Key_Equal)},
         onTab([](PlaygroundTab *tab) { tab->editor()->zoomIn(); }));
    make("zoomOutAction", tr("Zoom &Out"), {Key::ZoomOut},
         onTab([](PlaygroundTab *tab) { tab->editor()->zoomOut(); }));
    make("zoomResetAction", tr("&Reset Zoom"), {Key(Qt::CTRL | Qt::Key_0)},
         onTab([](PlaygroundTab *tab) { tab->editor()->zoomTo(0); }));
    make("clearOutputAction", tr("C&lear Output"), {},
         onTab([](PlaygroundTab *tab) { tab->outputPane()->clear(); }));
    make("fullOutputAction", tr("Full &Output…"), {},
         onTab([](PlaygroundTab *tab) { tab->outputPane()->openFullOutput(); }));

    m_themeGroup = Theme::makeChoices(this, [this](const QString &choice) {
        m_workbench->settings()->setTheme(choice);
    });
}

void MainWindow::createMenus()
{
    const auto addMenu = [this](const QString &title, const QList<const char *> &names) {
        QMenu *menu = menuBar()->addMenu(title);
        for (const char *name : names) {
            if (name)
                menu->addAction(action(QLatin1String(name)));
            else
                menu->addSeparator();
        }
        return menu;
    };
    addMenu(tr("&File"), {"newTabAction", "closeTabAction", "reopenTabAction", nullptr, "saveAction",
                          "saveAsAction", nullptr, "settingsAction", nullptr, "quitAction"});
    addMenu(tr("&Edit"), {"findAction", "replaceAction", "findNextAction", "goToLineAction",
                          "toggleCommentAction"});
    addMenu(tr("&Run"), {"runAction", "runCellAction", "stopAction", nullptr,
                         "restartSessionAction", "pauseSessionAction", "resumeSessionAction",
                         "newTabAction", nullptr, "clearOutputAction", "fullOutputAction"});
    QMenu *view = addMenu(tr("&View"),
                          {"zoomInAction", "zoomOutAction", "zoomResetAction", nullptr});
    view->addMenu(tr("&Theme"))->addActions(m_themeGroup->actions());
    view->addSeparator();
    view->setObjectName(QStringLiteral("viewMenu"));
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About AgentBay Playground"), this, [this] {
        Dialogs::showAbout(this, QStringLiteral(AGENTBAY_VERSION_STRING));
    });
    about->setObjectName(QStringLiteral("aboutAction"));
}

QDockWidget *MainWindow::addPaneDock(const QString &name, const QString &title, QWidget *widget,
                                     Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(name);
    dock->setWidget(widget);
    addDockWidget(area, dock);
    findChild<QMenu *>(QStringLiteral("viewMenu"))->addAction(dock->toggleViewAction());
    return dock;
}

void MainWindow::createDocks()
{
    // Each dock shows the current tab's pane from a stack holding every tab's.
    const auto makeDock = [this](DocumentTabs::Pane pane, const char *name, const QString &title,
                                 Qt::DockWidgetArea area) {
        auto *stack = new QStackedWidget;
        m_tabs->setPaneStack(pane, stack);
        return addPaneDock(QLatin1String(name), title, stack, area);
    };
    QDockWidget *output = makeDock(DocumentTabs::Output, OutputDock, tr("Output"),
                                   Qt::BottomDockWidgetArea);
    QDockWidget *errors = makeDock(DocumentTabs::Errors, ErrorsDock, tr("Errors"),
                                   Qt::BottomDockWidgetArea);
    QDockWidget *session = makeDock(DocumentTabs::Session, SessionDock, tr("Session"),
                                    Qt::BottomDockWidgetArea);
    // Sessions an earlier run left on a cloud backend are listed above every tab's timeline.
    m_leftovers = new LeftoverSessions;
    session->setWidget(m_leftovers->stackedAbove(session->widget()));
    m_leftovers->follow(m_workbench);
    QDockWidget *results = makeDock(DocumentTabs::Results, ResultsDock, tr("Results"),
                                    Qt::RightDockWidgetArea);
    tabifyDockWidget(output, errors);
    tabifyDockWidget(errors, session);
    output->raise();
    resizeDocks({output}, {260}, Qt::Vertical);
    resizeDocks({results}, {480}, Qt::Horizontal);
    // Results run the full height on the right; the text panes share the bottom.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
}

// --- the user's data ----------------------------------------------------------------------------

void MainWindow::setSnippetLibrary(workspace::SnippetLibrary *library)
{
    m_workbench->setSnippetLibrary(library);
    auto *pane = new SnippetsPane(library, this);
    QDockWidget *snippets = addPaneDock(QStringLiteral("snippetsDock"), tr("Snippets"), pane,
                                        Qt::LeftDockWidgetArea);
    resizeDocks({snippets}, {300}, Qt::Horizontal);
    restoreState(m_workbench->settings()->windowState()); // the new dock takes its saved place
    connect(pane, &SnippetsPane::openRequested, this, &MainWindow::openSnippet);
    connect(pane, &SnippetsPane::newRequested, this, [this] { newTab(); });
    connect(pane, &SnippetsPane::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    connect(pane, &SnippetsPane::renamed, m_workbench, &workbench::Workbench::snippetRenamed);
}

void MainWindow::setRunHistory(workspace::RunHistory *history)
{
    m_workbench->setRunHistory(history);
    auto *pane = new HistoryPane(history, this);
    QDockWidget *historyDock = addPaneDock(QStringLiteral("historyDock"), tr("History"), pane,
                                           Qt::BottomDockWidgetArea);
    tabifyDockWidget(dock(QLatin1String(SessionDock)), historyDock);
    restoreState(m_workbench->settings()->windowState());
    connect(pane, &HistoryPane::openRequested, m_workbench, &workbench::Workbench::openRun);
    connect(pane, &HistoryPane::runAgainRequested, this,
            [this](const workspace::RunRecord &run) { m_workbench->openRun(run)->runAll(); });
}

void MainWindow::showLeftoverSessions(const QList<workspace::JournaledSession> &entries)
{
    m_leftovers->setEntries(entries);
    if (!entries.isEmpty()) {
        dock(QLatin1String(SessionDock))->raise();
        statusBar()->showMessage(tr("%1 cloud session(s) left by an earlier run: see the Session "
                                    "pane.")
                                         .arg(entries.size()),
                                 15000);
    }
}

PlaygroundTab *MainWindow::reattachLeftoverSession(const workspace::JournaledSession &entry)
{
    return m_tabs->tabOf(m_workbench->reattachLeftover(entry));
}

int MainWindow::restoreTabs()
{
    const int restored = m_workbench->restoreDocuments();
    if (restored > 0)
        m_tabs->setCurrentIndex(0);
    return restored;
}

PlaygroundTab *MainWindow::openSnippet(const QString &fileName)
{
    return m_tabs->tabOf(m_workbench->openSnippet(fileName));
}

bool MainWindow::saveCurrent()
{
    Document *document = currentDocument();
    if (!document || !m_workbench->snippetLibrary())
        return false;
    using SaveResult = workbench::Workbench::SaveResult;
    const SaveResult result = m_workbench->save(document);
    if (result == SaveResult::NeedsTitle)
        askTitleAndSave(tr("Save Snippet"));
    else if (result == SaveResult::Failed)
        reportSaveFailure();
    return result == SaveResult::Saved;
}

void MainWindow::reportSaveFailure()
{
    Dialogs::showProblem(this, tr("Save Snippet"),
                         tr("The snippet could not be saved, and the tab keeps your text: %1")
                                 .arg(m_workbench->lastSaveError()));
}

bool MainWindow::saveCurrentAs(const QString &title)
{
    Document *document = currentDocument();
    if (!document || !m_workbench->snippetLibrary())
        return false;
    if (m_workbench->saveAs(document, title))
        return true;
    reportSaveFailure();
    return false;
}

void MainWindow::askTitleAndSave(const QString &caption)
{
    if (PlaygroundTab *current = currentTab())
        Dialogs::askText(this, caption, tr("Title:"), current->title(),
                         [this](const QString &title) { saveCurrentAs(title); });
}

// --- tabs ---------------------------------------------------------------------------------------

PlaygroundTab *MainWindow::newTab(const QString &code, const QString &language)
{
    return m_tabs->tabOf(m_workbench->newScratch(code, language));
}

void MainWindow::addDocument(Document *document)
{
    connect(document, &Document::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 6000); });
    PlaygroundTab *tab = m_tabs->addDocument(document);
    connect(document, &Document::runCompleted, this, [this, tab](bool success) {
        if (tab == currentTab())
            dock(QLatin1String(tab->errorPane()->frameCount() > 0 ? ErrorsDock : OutputDock))
                    ->raise();
        Q_EMIT runCompleted(success);
    });
}

void MainWindow::closeTab(int index)
{
    if (PlaygroundTab *closing = tab(index))
        m_workbench->closeDocument(closing->document());
}

// What the window shows, for the workbench's documents and for tests.
QAction *MainWindow::action(const QString &objectName) const
{
    return findChild<QAction *>(objectName);
}

QDockWidget *MainWindow::dock(const QString &objectName) const
{
    return findChild<QDockWidget *>(objectName);
}

Document *MainWindow::currentDocument() const
{
    return m_workbench->currentDocument();
}

// --- running and profiles -------------------------------------------------------------------------

void MainWindow::runCurrent()
{
    if (Document *document = currentDocument(); document && !m_workbench->isQuitting())
        document->runAll();
}

bool MainWindow::chooseProfile(const QString &profileId)
{
    Document *document = currentDocument();
    const bool moved = m_workbench->chooseProfile(document, profileId);
    m_runBar->refresh(); // the box shows where the tab runs, whether or not it moved
    return moved;
}

// --- settings and appearance --------------------------------------------------------------------

SettingsDialog *MainWindow::openSettings()
{
    if (m_settingsDialog) {
        m_settingsDialog->raise();
        return m_settingsDialog;
    }
    auto *dialog = new SettingsDialog(m_workbench->settings(), m_workbench->secrets(),
                                      m_workbench->environment(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (PlaygroundTab *tab = currentTab())
        dialog->selectProfile(tab->profileId());
    // The store answers from the keychain or its in-memory fallback.
    connect(dialog, &SettingsDialog::apiKeysChanged, m_workbench, &workbench::Workbench::reloadKeys);
    m_settingsDialog = dialog;
    dialog->open();
    return dialog;
}

void MainWindow::applyTheme(const QString &choice)
{
    m_dark = Theme::apply(choice);
    Theme::showChoice(m_themeGroup, choice);
    m_tabs->setEditorTheme(m_dark);
}

void MainWindow::applyEditorSettings()
{
    const workspace::PlaygroundSettings *settings = m_workbench->settings();
    m_tabs->setEditorFont(settings->editorFontFamily(), settings->editorFontSize());
    m_tabs->setEditorAssist(settings->autoComplete(), settings->lintWhileTyping());
}

// --- quitting ---------------------------------------------------------------------------------

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_shutdownDone) {
        event->accept();
        return;
    }
    event->ignore();
    if (m_workbench->isQuitting())
        return;
    m_workbench->settings()->setWindowGeometry(saveGeometry());
    m_workbench->settings()->setWindowState(saveState());
    statusBar()->showMessage(tr("Deleting the sessions…"));
    m_workbench->quit();
    m_runBar->setQuitting(true);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_shownOnce)
        return;
    m_shownOnce = true;
    // Without a saved layout, give the editor most of the width (docks size to their contents,
    // which for lists is wide).
    if (m_workbench->settings()->windowState().isEmpty())
        QTimer::singleShot(0, this, [this] {
            QList<QDockWidget *> docks;
            QList<int> widths;
            if (QDockWidget *snippets = dock(QStringLiteral("snippetsDock"))) {
                docks << snippets;
                widths << 280;
            }
            docks << dock(QLatin1String(ResultsDock));
            widths << 460;
            resizeDocks(docks, widths, Qt::Horizontal);
        });
}

} // namespace agentbay::ui
