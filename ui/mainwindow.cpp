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

#include "client/profiles.h"
#include "client/runcontroller.h"
#include "protocol/language.h"
#include "workbench/sessioncleanup.h"
#include "workspace/playgroundsettings.h"
#include "workspace/secretstore.h"
#include "workspace/sessionjournal.h"
#include "workspace/snippetlibrary.h"

#include "agentbayversion.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace agentbay::ui {

using client::RunController;
using workspace::SecretStore;
namespace Rules = protocol::RunCodeRules;

namespace {
constexpr char OutputDock[] = "outputDock";
constexpr char ResultsDock[] = "resultsDock";
constexpr char ErrorsDock[] = "errorsDock";
constexpr char SessionDock[] = "sessionDock";
constexpr int QuitBoundMs = 5000;
} // namespace

MainWindow::MainWindow(client::BackendPool *backends, workspace::PlaygroundSettings *settings,
                       SecretStore *secrets, QWidget *parent)
    : QMainWindow(parent), m_backends(backends), m_settings(settings), m_secrets(secrets),
      m_environment(QProcessEnvironment::systemEnvironment()), m_tabs(new QTabWidget(this)),
      m_quitBound(new QTimer(this)), m_journalTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("AgentBay Playground"));
    setWindowIcon(QIcon(QStringLiteral(":/agentbay/icons/agentbay-playground.svg")));
    m_tabs->setObjectName(QStringLiteral("snippetTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    setCentralWidget(m_tabs);

    createActions();
    createMenus();
    createToolBar();
    createDocks();
    createStatusBar();

    m_journalTimer->setSingleShot(true);
    connect(m_journalTimer, &QTimer::timeout, this, [this] { journalTabs(false); });
    m_quitBound->setSingleShot(true);
    connect(m_quitBound, &QTimer::timeout, this, [this] {
        qWarning("quit bound reached; leaving without every confirmation");
        finishQuit();
    });
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::onCurrentTabChanged);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeTab);
    connect(m_settings, &workspace::PlaygroundSettings::themeChanged, this, &MainWindow::applyTheme);
    connect(m_settings, &workspace::PlaygroundSettings::editorFontChanged, this,
            &MainWindow::applyEditorFont);
    // Every key the store reads (for this window or the settings dialog) updates the cache.
    connect(m_secrets, &SecretStore::readFinished, this,
            [this](const QString &key, const QString &secret, SecretStore::Status status) {
                for (const client::Profile &profile : client::Profiles::all()) {
                    if (SecretStore::keyForProfile(profile.id) == key) {
                        m_keys.insert(profile.id,
                                      status == SecretStore::Status::Ok ? secret : QString());
                        moveRestoredTabsTo(profile.id);
                    }
                }
            });
    readKeys();

    resize(1360, 840);
    restoreGeometry(m_settings->windowGeometry());
    restoreState(m_settings->windowState());
    applyTheme(m_settings->theme());
}

MainWindow::~MainWindow() = default;

// --- actions, menus, toolbar, docks -----------------------------------------------------------

QAction *MainWindow::addAction(const QString &name, const QString &text, const QKeySequence &key,
                               void (MainWindow::*slot)())
{
    auto *action = new QAction(text, this);
    action->setObjectName(name);
    if (!key.isEmpty())
        action->setShortcut(key);
    action->setShortcutContext(Qt::WindowShortcut);
    connect(action, &QAction::triggered, this, slot);
    QWidget::addAction(action);
    return action;
}

QAction *MainWindow::action(const QString &objectName) const
{
    return findChild<QAction *>(objectName);
}

void MainWindow::createActions()
{
    QAction *run = addAction(QStringLiteral("runAction"), tr("&Run"), {}, &MainWindow::runCurrent);
    run->setShortcuts(
            {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    run->setToolTip(tr("Run the whole snippet (Ctrl+Enter)"));
    QAction *cell = addAction(QStringLiteral("runCellAction"), tr("Run Selection or &Cell"), {},
                              &MainWindow::runSelectionOrCell);
    cell->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return),
                        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Enter)});
    cell->setToolTip(tr("Run the selection, or the # %% / // %% cell around the cursor "
                        "(Ctrl+Shift+Enter)"));
    QAction *stop = addAction(QStringLiteral("stopAction"), tr("&Stop"), {}, &MainWindow::stopRun);
    stop->setShortcuts({QKeySequence(Qt::Key_Escape), QKeySequence(Qt::CTRL | Qt::Key_Period)});
    stop->setToolTip(tr("Stop the running snippet (Esc)"));
    addAction(QStringLiteral("restartSessionAction"), tr("Restart &Session"),
              QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), &MainWindow::restartSession)
            ->setToolTip(tr("Delete this tab's session and start a fresh one"));
    addAction(QStringLiteral("pauseSessionAction"), tr("&Pause Session"), {},
              &MainWindow::pauseSession)
            ->setToolTip(tr("Pause this tab's idle session; it keeps its state until resumed"));
    addAction(QStringLiteral("resumeSessionAction"), tr("Res&ume Session"), {},
              &MainWindow::resumeSession);
    auto *newSession = new QAction(tr("&New Session Tab"), this);
    newSession->setObjectName(QStringLiteral("newTabAction"));
    newSession->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_T), QKeySequence::New});
    newSession->setToolTip(tr("A new tab with its own session (Ctrl+T)"));
    connect(newSession, &QAction::triggered, this, [this] { newTab(); });
    QWidget::addAction(newSession);
    auto *closeTabAction = new QAction(tr("&Close Tab"), this);
    closeTabAction->setObjectName(QStringLiteral("closeTabAction"));
    closeTabAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_W));
    connect(closeTabAction, &QAction::triggered, this, [this] { closeTab(m_tabs->currentIndex()); });
    QWidget::addAction(closeTabAction);
    addAction(QStringLiteral("saveAction"), tr("&Save Snippet"), QKeySequence::Save,
              &MainWindow::saveCurrentSlot);
    addAction(QStringLiteral("saveAsAction"), tr("Save Snippet &As…"),
              QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), &MainWindow::saveAsSlot);
    addAction(QStringLiteral("reopenTabAction"), tr("Reopen Closed &Tab"),
              QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T), &MainWindow::reopenClosedTab);
    auto *quit = new QAction(tr("&Quit"), this);
    quit->setObjectName(QStringLiteral("quitAction"));
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    connect(quit, &QAction::triggered, this, &QWidget::close);
    QWidget::addAction(quit);
    auto *settings = new QAction(tr("Se&ttings…"), this);
    settings->setObjectName(QStringLiteral("settingsAction"));
    settings->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    connect(settings, &QAction::triggered, this, [this] { openSettings(); });
    QWidget::addAction(settings);

    const auto editorAction = [this](const QString &name, const QString &text,
                                     const QKeySequence &key, auto function) {
        auto *action = new QAction(text, this);
        action->setObjectName(name);
        action->setShortcut(key);
        connect(action, &QAction::triggered, this, [this, function] {
            if (PlaygroundTab *tab = currentTab())
                function(tab);
        });
        QWidget::addAction(action);
        return action;
    };
    editorAction(QStringLiteral("findAction"), tr("&Find…"), QKeySequence(Qt::CTRL | Qt::Key_F),
                 [](PlaygroundTab *tab) { tab->findBar()->showFind(); });
    editorAction(QStringLiteral("replaceAction"), tr("&Replace…"),
                 QKeySequence(Qt::CTRL | Qt::Key_H),
                 [](PlaygroundTab *tab) { tab->findBar()->showReplace(); });
    editorAction(QStringLiteral("findNextAction"), tr("Find &Next"), QKeySequence(Qt::Key_F3),
                 [](PlaygroundTab *tab) { tab->findBar()->findNext(); });
    addAction(QStringLiteral("goToLineAction"), tr("&Go to Line…"),
              QKeySequence(Qt::CTRL | Qt::Key_G), &MainWindow::goToLine);
    editorAction(QStringLiteral("toggleCommentAction"), tr("Toggle &Comment"),
                 QKeySequence(Qt::CTRL | Qt::Key_Slash),
                 [](PlaygroundTab *tab) { tab->editor()->toggleComment(); });
    editorAction(QStringLiteral("zoomInAction"), tr("Zoom &In"), QKeySequence::ZoomIn,
                 [](PlaygroundTab *tab) { tab->editor()->zoomIn(); })
            ->setShortcuts({QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)});
    editorAction(QStringLiteral("zoomOutAction"), tr("Zoom &Out"), QKeySequence::ZoomOut,
                 [](PlaygroundTab *tab) { tab->editor()->zoomOut(); });
    editorAction(QStringLiteral("zoomResetAction"), tr("&Reset Zoom"),
                 QKeySequence(Qt::CTRL | Qt::Key_0),
                 [](PlaygroundTab *tab) { tab->editor()->zoomTo(0); });
    editorAction(QStringLiteral("clearOutputAction"), tr("C&lear Output"), {},
                 [](PlaygroundTab *tab) { tab->outputPane()->clear(); });
    editorAction(QStringLiteral("fullOutputAction"), tr("Full &Output…"), {},
                 [](PlaygroundTab *tab) { tab->outputPane()->openFullOutput(); });

    m_themeGroup = new QActionGroup(this);
    const QList<QPair<QString, QString>> themes{{QStringLiteral("system"),
                                                 tr("Follow the &System")},
                                                {QStringLiteral("light"), tr("&Light")},
                                                {QStringLiteral("dark"), tr("&Dark")}};
    for (const auto &[id, text] : themes) {
        auto *action = new QAction(text, m_themeGroup);
        action->setObjectName(QStringLiteral("theme_") + id);
        action->setCheckable(true);
        action->setData(id);
        connect(action, &QAction::triggered, this, [this, id] { m_settings->setTheme(id); });
    }
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(action(QStringLiteral("newTabAction")));
    file->addAction(action(QStringLiteral("closeTabAction")));
    file->addAction(action(QStringLiteral("reopenTabAction")));
    file->addSeparator();
    file->addAction(action(QStringLiteral("saveAction")));
    file->addAction(action(QStringLiteral("saveAsAction")));
    file->addSeparator();
    file->addAction(action(QStringLiteral("settingsAction")));
    file->addSeparator();
    file->addAction(action(QStringLiteral("quitAction")));
    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    for (const char *name :
         {"findAction", "replaceAction", "findNextAction", "goToLineAction", "toggleCommentAction"})
        edit->addAction(action(QLatin1String(name)));
    QMenu *run = menuBar()->addMenu(tr("&Run"));
    for (const char *name : {"runAction", "runCellAction", "stopAction"})
        run->addAction(action(QLatin1String(name)));
    run->addSeparator();
    run->addAction(action(QStringLiteral("restartSessionAction")));
    run->addAction(action(QStringLiteral("pauseSessionAction")));
    run->addAction(action(QStringLiteral("resumeSessionAction")));
    run->addAction(action(QStringLiteral("newTabAction")));
    run->addSeparator();
    run->addAction(action(QStringLiteral("clearOutputAction")));
    run->addAction(action(QStringLiteral("fullOutputAction")));
    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (const char *name : {"zoomInAction", "zoomOutAction", "zoomResetAction"})
        view->addAction(action(QLatin1String(name)));
    view->addSeparator();
    QMenu *theme = view->addMenu(tr("&Theme"));
    theme->addActions(m_themeGroup->actions());
    m_themeGroup->setObjectName(QStringLiteral("themeGroup"));
    view->addSeparator();
    view->setObjectName(QStringLiteral("viewMenu"));
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About AgentBay Playground"), this, [this] {
        Dialogs::showInformation(
                this, tr("About AgentBay Playground"),
                tr("<b>AgentBay Playground %1</b><p>Write Python or JavaScript and run it in "
                   "AgentBay code sessions, or offline in the local sandbox.</p>"
                   "<p>GPL-3.0-or-later.</p>")
                        .arg(QStringLiteral(AGENTBAY_VERSION_STRING)));
    });
    about->setObjectName(QStringLiteral("aboutAction"));
}

void MainWindow::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Run"));
    bar->setObjectName(QStringLiteral("runToolBar"));

    m_profile = new QComboBox(bar);
    m_profile->setObjectName(QStringLiteral("profileBox"));
    for (const client::Profile &profile : client::Profiles::all())
        m_profile->addItem(profile.name, profile.id);
    m_profile->setToolTip(tr("Where code runs: the local sandbox on this machine, or an AgentBay "
                             "gateway (needs an API key)"));
    connect(m_profile, &QComboBox::activated, this,
            [this] { chooseProfile(m_profile->currentData().toString()); });
    bar->addWidget(new QLabel(tr(" Profile "), bar));
    bar->addWidget(m_profile);

    m_language = new QComboBox(bar);
    m_language->setObjectName(QStringLiteral("languageBox"));
    connect(m_language, &QComboBox::activated, this, [this] {
        if (PlaygroundTab *tab = currentTab())
            tab->setLanguage(m_language->currentData().toString());
    });
    bar->addWidget(new QLabel(tr(" Language "), bar));
    bar->addWidget(m_language);

    m_timeout = new QSpinBox(bar);
    m_timeout->setObjectName(QStringLiteral("timeoutBox"));
    m_timeout->setRange(Rules::MinTimeoutSeconds, Rules::MaxTimeoutSeconds);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setValue(m_settings->defaultTimeoutSeconds());
    m_timeout->setToolTip(tr("How long a run may take, 1 to 60 seconds. AgentBay's gateway ends "
                             "every request after 60 seconds, so no run can take longer."));
    connect(m_timeout, &QSpinBox::valueChanged, this, [this](int seconds) {
        if (PlaygroundTab *tab = currentTab())
            tab->setTimeoutSeconds(seconds);
    });
    bar->addWidget(new QLabel(tr(" Timeout "), bar));
    bar->addWidget(m_timeout);
    bar->addSeparator();
    for (const char *name :
         {"runAction", "runCellAction", "stopAction", "restartSessionAction", "newTabAction"})
        bar->addAction(action(QLatin1String(name)));
}

void MainWindow::createDocks()
{
    const auto makeDock = [this](const char *name, const QString &title, Qt::DockWidgetArea area) {
        auto *dock = new QDockWidget(title, this);
        dock->setObjectName(QLatin1String(name));
        auto *stack = new QStackedWidget(dock);
        dock->setWidget(stack);
        m_stacks.insert(QLatin1String(name), stack);
        addDockWidget(area, dock);
        findChild<QMenu *>(QStringLiteral("viewMenu"))->addAction(dock->toggleViewAction());
        return dock;
    };
    QDockWidget *output = makeDock(OutputDock, tr("Output"), Qt::BottomDockWidgetArea);
    QDockWidget *errors = makeDock(ErrorsDock, tr("Errors"), Qt::BottomDockWidgetArea);
    QDockWidget *session = makeDock(SessionDock, tr("Session"), Qt::BottomDockWidgetArea);
    // Sessions an earlier run left on a cloud backend are listed above every tab's timeline.
    auto *sessionBox = new QWidget(session);
    auto *sessionLayout = new QVBoxLayout(sessionBox);
    sessionLayout->setContentsMargins(0, 0, 0, 0);
    m_leftovers = new LeftoverSessions(sessionBox);
    sessionLayout->addWidget(m_leftovers);
    sessionLayout->addWidget(m_stacks.value(QLatin1String(SessionDock)), 1);
    session->setWidget(sessionBox);
    connect(m_leftovers, &LeftoverSessions::deleteRequested, this,
            &MainWindow::deleteLeftoverSession);
    connect(m_leftovers, &LeftoverSessions::reattachRequested, this,
            &MainWindow::reattachLeftoverSession);
    QDockWidget *results = makeDock(ResultsDock, tr("Results"), Qt::RightDockWidgetArea);
    tabifyDockWidget(output, errors);
    tabifyDockWidget(errors, session);
    output->raise();
    resizeDocks({output}, {260}, Qt::Vertical);
    resizeDocks({results}, {480}, Qt::Horizontal);
    // Results run the full height on the right; the text panes share the bottom.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
}

QDockWidget *MainWindow::dock(const QString &objectName) const
{
    return findChild<QDockWidget *>(objectName);
}

void MainWindow::createStatusBar()
{
    m_backendLabel = new QLabel(this);
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

// --- tabs ---------------------------------------------------------------------------------------

PlaygroundTab *MainWindow::newTab(const QString &code, const QString &language,
                                  RunController *controller, const QString &controllerProfile)
{
    QString profile = controller     ? controllerProfile
                      : currentTab() ? currentTab()->profileId()
                                     : m_settings->currentProfile();
    QString problem;
    if (!controller)
        controller = makeController(profile, &problem);
    if (!controller) {
        // The remembered cloud profile cannot be used (no key yet): say why, run locally.
        m_lastProfileProblem = problem;
        statusBar()->showMessage(problem, 10000);
        profile = QStringLiteral("local");
        controller = makeController(profile, &problem);
    }
    auto *tab = new PlaygroundTab(profile, m_tabs);
    tab->setLanguage(language.isEmpty() ? m_settings->defaultLanguage() : language);
    tab->setTimeoutSeconds(m_settings->defaultTimeoutSeconds());
    tab->editor()->setText(code);
    tab->editor()->applyTheme(m_dark);
    tab->editor()->setEditorFont(m_settings->editorFontFamily(), m_settings->editorFontSize());
    tab->setController(controller, profile);
    m_stacks.value(QLatin1String(OutputDock))->addWidget(tab->outputPane());
    m_stacks.value(QLatin1String(ResultsDock))->addWidget(tab->resultsPane());
    m_stacks.value(QLatin1String(ErrorsDock))->addWidget(tab->errorPane());
    m_stacks.value(QLatin1String(SessionDock))->addWidget(tab->sessionPane());
    connect(tab, &PlaygroundTab::statusChanged, this, [this, tab] {
        if (tab == currentTab()) {
            updateStatus();
            updateRunState();
        }
    });
    connect(tab, &PlaygroundTab::runningChanged, this, [this, tab] {
        updateTabTitle(tab);
        if (tab == currentTab())
            updateRunState();
    });
    connect(tab, &PlaygroundTab::dirtyChanged, this, [this, tab] { updateTabTitle(tab); });
    connect(tab, &PlaygroundTab::titleChanged, this, [this, tab] { updateTabTitle(tab); });
    connect(tab, &PlaygroundTab::contentChanged, this, [this, tab] { scheduleJournal(tab); });
    connect(tab, &PlaygroundTab::runRecordReady, this, [this](const workspace::RunRecord &run) {
        if (m_history)
            m_history->record(run);
    });
    connect(tab, &PlaygroundTab::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 6000); });
    connect(tab, &PlaygroundTab::runCompleted, this, [this, tab](bool success) {
        if (tab == currentTab() && tab->errorPane()->frameCount() > 0)
            dock(QLatin1String(ErrorsDock))->raise();
        else if (tab == currentTab())
            dock(QLatin1String(OutputDock))->raise();
        Q_EMIT runCompleted(success);
    });
    if (tab->title().isEmpty())
        tab->setTitle(tr("Snippet %1").arg(m_nextTabNumber++));
    const int index = m_tabs->addTab(tab, tab->title());
    updateTabTitle(tab);
    m_tabs->setCurrentIndex(index);
    tab->editor()->setFocus();
    scheduleJournal(tab);
    return tab;
}

void MainWindow::updateTabTitle(PlaygroundTab *tab)
{
    const int index = m_tabs->indexOf(tab);
    if (index < 0)
        return;
    QString text = tab->title();
    if (tab->isDirty())
        text += QLatin1Char('*');
    if (tab->isRunning())
        text += QStringLiteral(" ●");
    m_tabs->setTabText(index, text);
    m_tabs->setTabToolTip(index, tab->snippetFile().isEmpty()
                                         ? tr("Not saved in the library yet (Ctrl+S saves it)")
                                         : tab->snippetFile());
}

// --- snippets, saving and recovery --------------------------------------------------------------

void MainWindow::setSnippetLibrary(workspace::SnippetLibrary *library)
{
    m_library = library;
    auto *pane = new SnippetsPane(library, this);
    auto *dock = new QDockWidget(tr("Snippets"), this);
    dock->setObjectName(QStringLiteral("snippetsDock"));
    dock->setWidget(pane);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    resizeDocks({dock}, {300}, Qt::Horizontal);
    findChild<QMenu *>(QStringLiteral("viewMenu"))->addAction(dock->toggleViewAction());
    restoreState(m_settings->windowState()); // the new dock takes its saved place
    connect(pane, &SnippetsPane::openRequested, this, &MainWindow::openSnippet);
    connect(pane, &SnippetsPane::newRequested, this, [this] { newTab(); });
    connect(pane, &SnippetsPane::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    connect(pane, &SnippetsPane::renamed, this, [this](const QString &from, const QString &to) {
        for (int i = 0; i < m_tabs->count(); ++i) {
            if (tab(i)->snippetFile() == from)
                tab(i)->markSaved(to, m_library->snippet(to).title);
        }
    });
    connect(m_settings, &workspace::PlaygroundSettings::snippetFolderChanged, this,
            [this](const QString &folder) {
                m_library->open(folder.isEmpty() ? workspace::SnippetLibrary::defaultFolder()
                                                 : folder);
            });
    connect(library, &workspace::SnippetLibrary::changed, this, [this] {
        // Edits made outside the app reach the tabs that have no unsaved changes of their own.
        for (int i = 0; i < m_tabs->count(); ++i) {
            PlaygroundTab *each = tab(i);
            if (each->snippetFile().isEmpty())
                continue;
            const int index = m_library->indexOf(each->snippetFile());
            if (index >= 0 && each->reloadFromLibrary(m_library->snippets().at(index).content))
                statusBar()->showMessage(tr("%1 changed on disk and was reloaded.")
                                                 .arg(each->snippetFile()),
                                         6000);
        }
    });
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

void MainWindow::deleteLeftoverSession(const workspace::JournaledSession &entry)
{
    if (!m_cleanup) {
        m_cleanup = new workbench::SessionCleanup(workspace::SessionJournal(), m_secrets,
                                                  m_environment, this);
        m_cleanup->setApiFactory([backends = m_backends](const QString &profile,
                                                         const client::ClientConfig &config) {
            return backends->newApi(profile, config);
        });
        connect(m_cleanup, &workbench::SessionCleanup::sessionDeleted, this,
                [this](const QString &id) {
                    m_leftovers->removeEntry(id);
                    statusBar()->showMessage(tr("Session %1 deleted.").arg(id), 6000);
                });
        connect(m_cleanup, &workbench::SessionCleanup::sessionLeft, this,
                [this](const QString &id, const QString &why) {
                    m_leftovers->setProblem(id, tr("not deleted: %1").arg(why));
                });
    }
    m_leftovers->setProblem(entry.sessionId, tr("deleting…"));
    m_cleanup->deleteOne(entry);
}

PlaygroundTab *MainWindow::reattachLeftoverSession(const workspace::JournaledSession &entry)
{
    QString problem;
    RunController *controller = makeController(entry.profile, &problem, entry.endpoint);
    if (!controller) {
        explainProfile(problem);
        return nullptr;
    }
    controller->attachSession(entry.sessionId);
    controller->setKeepSession(false); // adopted: closing this tab deletes it
    auto *opened = newTab({}, {}, controller, entry.profile);
    opened->setTitle(tr("Reattached %1").arg(entry.sessionId.right(8)));
    m_leftovers->removeEntry(entry.sessionId);
    onCurrentTabChanged();
    return opened;
}

void MainWindow::setRecoveryJournal(workspace::RecoveryJournal *journal)
{
    m_recovery = journal;
}

void MainWindow::setRunHistory(workspace::RunHistory *history)
{
    m_history = history;
    auto *pane = new HistoryPane(history, this);
    auto *dock = new QDockWidget(tr("History"), this);
    dock->setObjectName(QStringLiteral("historyDock"));
    dock->setWidget(pane);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    tabifyDockWidget(this->dock(QLatin1String(SessionDock)), dock);
    findChild<QMenu *>(QStringLiteral("viewMenu"))->addAction(dock->toggleViewAction());
    restoreState(m_settings->windowState());
    const auto openRun = [this](const workspace::RunRecord &run) {
        PlaygroundTab *opened = newTab(run.code, run.language);
        opened->setTimeoutSeconds(run.timeoutSeconds);
        opened->setTitle(tr("%1 (from history)").arg(run.tabTitle));
        onCurrentTabChanged();
        return opened;
    };
    connect(pane, &HistoryPane::openRequested, this, openRun);
    connect(pane, &HistoryPane::runAgainRequested, this,
            [openRun](const workspace::RunRecord &run) { openRun(run)->runAll(); });
    const auto applyRetention = [this] {
        m_history->setRetention(m_settings->historyMaximumRuns(),
                                qint64{m_settings->historyMaximumMiB()} * 1024 * 1024);
    };
    applyRetention();
    connect(m_settings, &workspace::PlaygroundSettings::historyRetentionChanged, this,
            applyRetention);
    connect(history, &workspace::RunHistory::failed, this, [this](const QString &error) {
        statusBar()->showMessage(tr("The run could not be recorded in the history: %1").arg(error),
                                 10000);
    });
}

PlaygroundTab *MainWindow::openSnippet(const QString &fileName)
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (tab(i)->snippetFile() == fileName) {
            m_tabs->setCurrentIndex(i);
            return tab(i);
        }
    }
    if (!m_library || m_library->indexOf(fileName) < 0)
        return nullptr;
    const workspace::Snippet snippet = m_library->snippet(fileName);
    PlaygroundTab *opened = newTab(snippet.content, snippet.language);
    opened->setTimeoutSeconds(snippet.timeoutSeconds);
    opened->markSaved(fileName, snippet.title);
    onCurrentTabChanged();
    return opened;
}

bool MainWindow::saveCurrent()
{
    PlaygroundTab *current = currentTab();
    if (!current || !m_library)
        return false;
    if (current->snippetFile().isEmpty()) {
        Dialogs::askText(this, tr("Save Snippet"), tr("Title:"), current->title(),
                         [this](const QString &title) { saveCurrentAs(title); });
        return false;
    }
    QString error;
    if (!m_library->save(current->snippetFile(), current->editor()->text(), &error)) {
        // Nothing is lost: the tab keeps its text and stays marked unsaved.
        Dialogs::showProblem(this, tr("Save Snippet"),
                             tr("The snippet could not be saved, and the tab keeps your text: %1")
                                     .arg(error));
        m_lastSaveError = error;
        return false;
    }
    workspace::Snippet meta = m_library->snippet(current->snippetFile());
    if (meta.timeoutSeconds != current->timeoutSeconds()) {
        meta.timeoutSeconds = current->timeoutSeconds();
        m_library->saveMetadata(meta, &error);
    }
    current->markSaved(current->snippetFile(), meta.title);
    statusBar()->showMessage(tr("Saved %1").arg(current->snippetFile()), 4000);
    return true;
}

bool MainWindow::saveCurrentAs(const QString &title)
{
    PlaygroundTab *current = currentTab();
    if (!current || !m_library)
        return false;
    QString error;
    const QString file = m_library->create(title, current->language(), current->editor()->text(),
                                           &error, {}, current->timeoutSeconds());
    if (file.isEmpty()) {
        Dialogs::showProblem(this, tr("Save Snippet"),
                             tr("The snippet could not be saved, and the tab keeps your text: %1")
                                     .arg(error));
        m_lastSaveError = error;
        return false;
    }
    current->markSaved(file, m_library->snippet(file).title);
    statusBar()->showMessage(tr("Saved as %1").arg(file), 4000);
    return true;
}

void MainWindow::scheduleJournal(PlaygroundTab *tab)
{
    if (!m_recovery || m_closing)
        return;
    m_journalPending.insert(tab->tabId());
    if (!m_journalTimer->isActive())
        m_journalTimer->start(m_settings->autosaveIntervalSeconds() * 1000);
}

void MainWindow::journalTabs(bool all)
{
    if (!m_recovery)
        return;
    QString firstError;
    for (int i = 0; i < m_tabs->count(); ++i) {
        PlaygroundTab *each = tab(i);
        if (!all && !m_journalPending.contains(each->tabId()))
            continue;
        QString error;
        if (!m_recovery->write(each->snapshot(i), &error) && firstError.isEmpty())
            firstError = error;
    }
    m_journalPending.clear();
    if (!firstError.isEmpty() && firstError != m_lastJournalError) {
        statusBar()->showMessage(tr("Autosave failed: %1").arg(firstError), 10000);
        qWarning("autosave failed: %s", qPrintable(firstError));
    }
    m_lastJournalError = firstError;
}

int MainWindow::restoreTabs()
{
    if (!m_recovery)
        return 0;
    const QList<workspace::RecoveredTab> tabs = m_recovery->openTabs();
    for (const workspace::RecoveredTab &saved : tabs)
        restoreTab(saved);
    if (!tabs.isEmpty())
        m_tabs->setCurrentIndex(0);
    return static_cast<int>(tabs.size());
}

PlaygroundTab *MainWindow::restoreTab(const workspace::RecoveredTab &saved)
{
    // Back on the profile it ran on, when that profile can still be used (else where new tabs go).
    QString problem;
    RunController *controller = nullptr;
    if (!saved.profile.isEmpty() && client::Profiles::byId(saved.profile).id == saved.profile)
        controller = makeController(saved.profile, &problem);
    PlaygroundTab *restored = controller ? newTab({}, {}, controller, saved.profile) : newTab();
    if (!controller && !saved.profile.isEmpty())
        m_wantedProfiles.insert(saved.id, saved.profile); // its key may still be on its way
    const QString newId = restored->tabId();
    restored->restore(saved);
    if (newId != restored->tabId())
        m_journalPending.remove(newId);
    // A tab whose snippet still exists is clean when its text matches the file.
    if (!saved.snippetFile.isEmpty() && m_library && m_library->indexOf(saved.snippetFile) >= 0
        && m_library->snippet(saved.snippetFile).content == saved.text)
        restored->markSaved(saved.snippetFile, saved.title);
    restored->editor()->setCursorPosition(saved.cursorLine, saved.cursorIndex);
    onCurrentTabChanged();
    return restored;
}

void MainWindow::saveAsSlot()
{
    if (PlaygroundTab *current = currentTab())
        Dialogs::askText(this, tr("Save Snippet As"), tr("Title:"), current->title(),
                         [this](const QString &title) { saveCurrentAs(title); });
}

void MainWindow::reopenClosedTab()
{
    if (!m_recovery)
        return;
    if (const auto saved = m_recovery->reopenLastClosed())
        restoreTab(*saved);
    else
        statusBar()->showMessage(tr("No closed tab to reopen."), 4000);
}

void MainWindow::closeTab(int index)
{
    PlaygroundTab *tab = this->tab(index);
    if (!tab || m_closing)
        return;
    if (RunController *controller = tab->controller())
        retire(controller, tab->profileId());
    if (m_recovery) {
        // Closing keeps the text: the tab's journal goes to closed/, for Reopen Closed Tab.
        QString error;
        m_recovery->write(tab->snapshot(index), &error);
        m_recovery->close(tab->tabId());
        m_journalPending.remove(tab->tabId());
    }
    m_tabs->removeTab(index);
    tab->deleteLater();
    if (m_tabs->count() == 0)
        newTab();
}

PlaygroundTab *MainWindow::currentTab() const
{
    return qobject_cast<PlaygroundTab *>(m_tabs->currentWidget());
}

PlaygroundTab *MainWindow::tab(int index) const
{
    return qobject_cast<PlaygroundTab *>(m_tabs->widget(index));
}

int MainWindow::tabCount() const
{
    return m_tabs->count();
}

void MainWindow::onCurrentTabChanged()
{
    PlaygroundTab *tab = currentTab();
    if (!tab)
        return;
    m_stacks.value(QLatin1String(OutputDock))->setCurrentWidget(tab->outputPane());
    m_stacks.value(QLatin1String(ResultsDock))->setCurrentWidget(tab->resultsPane());
    m_stacks.value(QLatin1String(ErrorsDock))->setCurrentWidget(tab->errorPane());
    m_stacks.value(QLatin1String(SessionDock))->setCurrentWidget(tab->sessionPane());
    m_profile->setCurrentIndex(qMax(0, m_profile->findData(tab->profileId())));
    updateLanguages();
    const QSignalBlocker blocker(m_timeout);
    m_timeout->setValue(tab->timeoutSeconds());
    updateStatus();
    updateRunState();
}

void MainWindow::updateLanguages()
{
    PlaygroundTab *tab = currentTab();
    const QSignalBlocker blocker(m_language);
    m_language->clear();
    // R and Java only where the backend offers them: AgentBay's code_latest, not the sandbox.
    const bool cloud = tab && !client::Profiles::byId(tab->profileId()).isLocal;
    for (const protocol::LanguageInfo &language : protocol::Languages::all()) {
        if (cloud || language.runsLocally())
            m_language->addItem(language.displayName, language.name);
    }
    if (tab) {
        int index = m_language->findData(tab->language());
        if (index < 0) {
            tab->setLanguage(protocol::Languages::name(protocol::Language::Python));
            index = 0;
        }
        m_language->setCurrentIndex(index);
    }
}

// --- backends and profiles ------------------------------------------------------------------------

void MainWindow::readKeys()
{
    for (const client::Profile &profile : client::Profiles::all()) {
        if (!profile.isLocal)
            m_secrets->read(SecretStore::keyForProfile(profile.id));
    }
}

RunController *MainWindow::makeController(const QString &profileId, QString *problem,
                                          const QString &endpointOverride)
{
    const client::Profile profile = client::Profiles::byId(profileId);
    auto *controller = new RunController(this);
    controller->setSessionLabels({{QStringLiteral("app"), QStringLiteral("agentbay-playground")}});
    if (profile.isLocal) {
        controller->useBackend(m_backends->local());
        return controller;
    }
    const client::ProfileConfig config
            = client::Profiles::resolve(profileId,
                                        endpointOverride.isEmpty()
                                                ? m_settings->profileEndpoint(profileId)
                                                : endpointOverride,
                                        m_settings->profileRegion(profileId),
                                        m_keys.value(profileId), m_environment,
                                        QDir::currentPath());
    if (!config.usable()) {
        *problem = config.problem;
        delete controller;
        return nullptr;
    }
    controller->useBackend(m_backends->endpoint(profileId, config.resolved.config));
    // Every cloud session is journaled while it lives, so a crash cannot leave one unnoticed.
    connect(controller, &RunController::sessionCreated, this,
            [controller, profileId](const QString &id) {
                workspace::JournaledSession entry;
                entry.sessionId = id;
                entry.profile = profileId;
                entry.endpoint = controller->backendConfig().endpoint.toString();
                entry.regionId = controller->backendConfig().regionId;
                entry.recordedAt = QDateTime::currentDateTimeUtc();
                entry.reason = tr("running when the app last stopped");
                QString error;
                if (!workspace::SessionJournal().add(entry, &error))
                    qWarning("cannot journal session %s: %s", qPrintable(id), qPrintable(error));
            });
    connect(controller, &RunController::sessionRemoved, this, [](const QString &id, bool confirmed) {
        if (confirmed)
            workspace::SessionJournal().remove(id);
    });
    return controller;
}

bool MainWindow::chooseProfile(const QString &profileId)
{
    PlaygroundTab *tab = currentTab();
    if (!tab || profileId == tab->profileId()) {
        m_profile->setCurrentIndex(qMax(0, m_profile->findData(tab ? tab->profileId() : profileId)));
        return true;
    }
    if (tab->isRunning()) {
        statusBar()->showMessage(tr("Stop the run before changing where this tab runs."), 6000);
        m_profile->setCurrentIndex(qMax(0, m_profile->findData(tab->profileId())));
        return false;
    }
    QString problem;
    RunController *controller = makeController(profileId, &problem);
    if (!controller) {
        m_profile->setCurrentIndex(qMax(0, m_profile->findData(tab->profileId())));
        explainProfile(problem);
        return false;
    }
    if (tab->controller())
        retire(tab->controller(), tab->profileId());
    tab->setController(controller, profileId);
    tab->outputPane()->appendNote(tr("This tab now runs on %1; its previous session is being "
                                     "deleted.")
                                          .arg(client::Profiles::byId(profileId).name));
    m_settings->setCurrentProfile(profileId);
    updateLanguages();
    updateStatus();
    return true;
}

void MainWindow::moveRestoredTabsTo(const QString &profileId)
{
    // Restored tabs that ran on this profile go back to it once its key is known, as long as
    // nothing has run in them since.
    for (int i = 0; i < m_tabs->count(); ++i) {
        PlaygroundTab *each = tab(i);
        if (m_wantedProfiles.value(each->tabId()) != profileId || each->isRunning()
            || (each->controller() && each->controller()->session()
                && each->controller()->session()->state() != client::Session::State::NotStarted))
            continue;
        QString problem;
        RunController *controller = makeController(profileId, &problem);
        if (!controller)
            continue;
        m_wantedProfiles.remove(each->tabId());
        if (each->controller())
            retire(each->controller(), each->profileId());
        each->setController(controller, profileId);
        if (each == currentTab()) {
            onCurrentTabChanged();
        }
    }
}

void MainWindow::explainProfile(const QString &problem)
{
    m_lastProfileProblem = problem;
    auto *box = new QMessageBox(QMessageBox::Information, tr("AgentBay needs a key"), problem,
                                QMessageBox::Close, this);
    box->setObjectName(QStringLiteral("profileExplanation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *settings = box->addButton(tr("Open Settings…"), QMessageBox::AcceptRole);
    connect(settings, &QPushButton::clicked, this, [this] { openSettings(); });
    box->open();
}

void MainWindow::retire(RunController *controller, const QString &profileId)
{
    if (!controller || m_retiring.contains(controller))
        return;
    m_retiring.insert(controller);
    for (int i = 0; i < m_tabs->count(); ++i)
        controller->disconnect(tab(i));
    connect(controller, &RunController::shutdownFinished, this,
            [this, controller, profileId](bool deleted) {
                const QString id = controller->session() ? controller->session()->id() : QString();
                if (!deleted && !controller->isLocal() && !id.isEmpty()) {
                    // It may still run (and cost) on AgentBay: remember it for the next start.
                    workspace::JournaledSession entry;
                    entry.sessionId = id;
                    entry.endpoint = controller->backendConfig().endpoint.toString();
                    entry.regionId = controller->backendConfig().regionId;
                    entry.recordedAt = QDateTime::currentDateTimeUtc();
                    entry.reason = tr("deletion not confirmed before the tab closed");
                    entry.profile = profileId;
                    QString error;
                    if (!workspace::SessionJournal().add(entry, &error))
                        qWarning("cannot record session %s for cleanup: %s", qPrintable(id),
                                 qPrintable(error));
                }
                m_retiring.remove(controller);
                controller->deleteLater();
                Q_EMIT tabSessionEnded(deleted);
                // The backends stop once the last session is dealt with, not while tabs are still
                // being retired (a tab without a session finishes at once).
                if (m_quitStarted && !m_retiringAll && m_retiring.isEmpty())
                    m_backends->stopAll();
            });
    controller->shutdown(3000);
}

// --- running ----------------------------------------------------------------------------------

void MainWindow::runCurrent()
{
    if (PlaygroundTab *tab = currentTab(); tab && !m_closing)
        tab->runAll();
}

void MainWindow::runSelectionOrCell()
{
    if (PlaygroundTab *tab = currentTab(); tab && !m_closing)
        tab->runSelectionOrCell();
}

void MainWindow::stopRun()
{
    if (PlaygroundTab *tab = currentTab())
        tab->stop();
}

void MainWindow::restartSession()
{
    if (PlaygroundTab *tab = currentTab())
        tab->restartSession();
}

void MainWindow::pauseSession()
{
    if (PlaygroundTab *tab = currentTab())
        tab->pauseSession();
}

void MainWindow::resumeSession()
{
    if (PlaygroundTab *tab = currentTab())
        tab->resumeSession();
}

void MainWindow::goToLine()
{
    PlaygroundTab *tab = currentTab();
    if (!tab)
        return;
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("goToLineDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Go to Line"));
    dialog->setLabelText(tr("Line (1 to %1):").arg(tab->editor()->lines()));
    dialog->setInputMode(QInputDialog::IntInput);
    dialog->setIntRange(1, qMax(1, tab->editor()->lines()));
    dialog->setIntValue(tab->editor()->cursorLine());
    connect(dialog, &QInputDialog::intValueSelected, tab->editor(), &CodeEditor::goToLine);
    dialog->open();
}

void MainWindow::updateStatus()
{
    PlaygroundTab *tab = currentTab();
    if (!tab)
        return;
    m_backendLabel->setText(tab->backendText());
    m_sessionLabel->setText(
            tab->lastOutcome().isEmpty()
                    ? tab->sessionText()
                    : tr("%1 · last run %2").arg(tab->sessionText(), tab->lastOutcome()));
    m_timerLabel->setText(tab->timerText());
}

QString MainWindow::statusText() const
{
    return QStringList{m_backendLabel->text(), m_sessionLabel->text(), m_timerLabel->text()}.join(
            QStringLiteral(" | "));
}

void MainWindow::updateRunState()
{
    PlaygroundTab *tab = currentTab();
    const bool running = tab && tab->isRunning();
    action(QStringLiteral("runAction"))->setEnabled(!running && !m_closing);
    action(QStringLiteral("runCellAction"))->setEnabled(!running && !m_closing);
    action(QStringLiteral("stopAction"))->setEnabled(running);
    const client::Session::State state = tab ? tab->sessionState()
                                             : client::Session::State::NotStarted;
    action(QStringLiteral("pauseSessionAction"))
            ->setEnabled(!running && !m_closing && state == client::Session::State::Ready);
    action(QStringLiteral("resumeSessionAction"))
            ->setEnabled(!m_closing && state == client::Session::State::Paused);
    m_profile->setEnabled(!running && !m_closing);
}

// --- settings and appearance --------------------------------------------------------------------

SettingsDialog *MainWindow::openSettings()
{
    if (m_settingsDialog) {
        m_settingsDialog->raise();
        return m_settingsDialog;
    }
    auto *dialog = new SettingsDialog(m_settings, m_secrets, m_environment, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (PlaygroundTab *tab = currentTab())
        dialog->selectProfile(tab->profileId());
    connect(dialog, &SettingsDialog::apiKeysChanged, this, [this](const QStringList &) {
        m_keys.clear();
        readKeys(); // the store answers from the keychain or its in-memory fallback
    });
    m_settingsDialog = dialog;
    dialog->open();
    return dialog;
}

void MainWindow::applyTheme(const QString &choice)
{
    m_dark = Theme::apply(choice);
    for (QAction *action : m_themeGroup->actions())
        action->setChecked(action->data().toString() == choice);
    for (int i = 0; i < m_tabs->count(); ++i)
        tab(i)->editor()->applyTheme(m_dark);
}

void MainWindow::applyEditorFont()
{
    for (int i = 0; i < m_tabs->count(); ++i)
        tab(i)->editor()->setEditorFont(m_settings->editorFontFamily(),
                                        m_settings->editorFontSize());
}

// --- quitting ---------------------------------------------------------------------------------

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
    if (PlaygroundTab *tab = currentTab()) {
        m_settings->setDefaultLanguage(tab->language());
        m_settings->setDefaultTimeoutSeconds(tab->timeoutSeconds());
    }
    m_settings->sync();
    m_journalTimer->stop();
    journalTabs(true); // the next start brings these tabs back
    statusBar()->showMessage(tr("Deleting the sessions…"));
    updateRunState();
    m_quitStarted = true;
    m_quitBound->start(QuitBoundMs);
    connect(m_backends, &client::BackendPool::stopped, this, &MainWindow::finishQuit);
    m_retiringAll = true;
    for (int i = 0; i < m_tabs->count(); ++i)
        retire(tab(i)->controller(), tab(i)->profileId());
    m_retiringAll = false;
    if (m_retiring.isEmpty())
        m_backends->stopAll();
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_shownOnce)
        return;
    m_shownOnce = true;
    // Without a saved layout, give the editor most of the width (docks size to their contents,
    // which for lists is wide).
    if (m_settings->windowState().isEmpty())
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

void MainWindow::finishQuit()
{
    if (m_shutdownDone)
        return;
    m_shutdownDone = true;
    m_quitBound->stop();
    close();
    Q_EMIT shutdownFinished();
}

} // namespace agentbay::ui
