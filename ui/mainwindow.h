// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "documenttabs.h"
#include "runstatus.h"
#include "runtoolbar.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QActionGroup;
class QComboBox;
class QDockWidget;
class QSpinBox;
class QStackedWidget;
class QTabWidget;

namespace agentbay::workbench {
class Document;
class Workbench;
} // namespace agentbay::workbench
namespace agentbay::workspace {
class RunHistory;
class SnippetLibrary;
struct JournaledSession;
} // namespace agentbay::workspace

namespace agentbay::ui {

class LeftoverSessions;
class PlaygroundTab;
class SettingsDialog;

// The playground window: a view of the workbench. One tab per open document (each with its own
// session, running in parallel), the run controls, docks for output, results, errors and the
// session timeline (showing the current tab's), and a status bar that says where code runs,
// what the session is doing and how long the run has left. It keeps menus, docks and layout;
// what happens when a control is used is the workbench's (or the document's) to decide.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(workbench::Workbench *workbench, QWidget *parent = nullptr);
    ~MainWindow() override;

    workbench::Workbench *workbench() const { return m_workbench; }
    // The user's data, each optional: the snippet library (the workbench's, with the Snippets
    // dock, Save and Save As) and the run history (the workbench's, with the History dock).
    void setSnippetLibrary(workspace::SnippetLibrary *library);
    void setRunHistory(workspace::RunHistory *history);
    // Cloud sessions an earlier run left: listed in the Session pane with Delete and Reattach.
    void showLeftoverSessions(const QList<workspace::JournaledSession> &entries);
    PlaygroundTab *reattachLeftoverSession(const workspace::JournaledSession &entry);
    // Brings back the tabs the recovery area holds; returns how many.
    int restoreTabs();
    PlaygroundTab *openSnippet(const QString &fileName);
    // Save: into the tab's snippet, or (for a scratch tab) asks for a title. False on failure
    // (the workbench says why), and then the tab keeps its text, marked unsaved.
    bool saveCurrent();
    bool saveCurrentAs(const QString &title);

    // Opens a scratch tab (on the current tab's profile); an empty code opens an empty snippet.
    PlaygroundTab *newTab(const QString &code = {}, const QString &language = {});
    void closeTab(int index);
    PlaygroundTab *currentTab() const { return m_tabs->current(); }
    PlaygroundTab *tab(int index) const { return m_tabs->tab(index); }
    int tabCount() const { return m_tabs->count(); }
    QTabWidget *tabs() const { return m_tabs; }

    QAction *action(const QString &objectName) const;
    QComboBox *profileBox() const { return m_runBar->profileBox(); }
    QComboBox *languageBox() const { return m_runBar->languageBox(); }
    QSpinBox *timeoutBox() const { return m_runBar->timeoutBox(); }
    QDockWidget *dock(const QString &objectName) const;
    // Backend, session and timer, as the status bar shows them.
    QString statusText() const { return m_status->text(); }
    bool isDarkTheme() const { return m_dark; }

public Q_SLOTS:
    void runCurrent();
    // Switches the current tab to a profile; explains and stays put when it cannot be used.
    bool chooseProfile(const QString &profileId);
    SettingsDialog *openSettings();
    void applyTheme(const QString &choice);

Q_SIGNALS:
    void runCompleted(bool success);
    // Every session is deleted (or the bound passed) and the window has closed.
    void shutdownFinished();
    // A tab's session shutdown ended; deleted is false when it may be left behind.
    void tabSessionEnded(bool deleted);

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createDocks();
    QDockWidget *addPaneDock(const QString &name, const QString &title, QWidget *widget,
                             Qt::DockWidgetArea area);
    void addDocument(workbench::Document *document);
    workbench::Document *currentDocument() const;
    void applyEditorSettings();
    void askTitleAndSave(const QString &caption);
    void reportSaveFailure();

    workbench::Workbench *m_workbench;
    DocumentTabs *m_tabs;
    RunToolBar *m_runBar = nullptr;
    RunStatus *m_status = nullptr;
    QActionGroup *m_themeGroup = nullptr;
    LeftoverSessions *m_leftovers = nullptr;
    QPointer<SettingsDialog> m_settingsDialog;
    bool m_dark = false;
    bool m_shownOnce = false;
    bool m_shutdownDone = false;
};

} // namespace agentbay::ui
