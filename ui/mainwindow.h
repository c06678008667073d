// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QProcessEnvironment>
#include <QSet>

class QAction;
class QActionGroup;
class QComboBox;
class QDockWidget;
class QLabel;
class QSpinBox;
class QStackedWidget;
class QTabWidget;
class QTimer;

namespace agentbay::client {
class BackendPool;
class RunController;
} // namespace agentbay::client
namespace agentbay::workbench {
class SessionCleanup;
}

namespace agentbay::workspace {
class PlaygroundSettings;
class RecoveryJournal;
class RunHistory;
class SecretStore;
class SnippetLibrary;
struct JournaledSession;
struct RecoveredTab;
} // namespace agentbay::workspace

namespace agentbay::ui {

class LeftoverSessions;
class PlaygroundTab;
class SettingsDialog;

// The playground window: snippet tabs (each with its own session, running in parallel), the
// run controls, docks for output, results, errors and the session timeline (showing the
// current tab's), and a status bar that says where code runs, what the session is doing and
// how long the run has left. Quitting deletes every session within a bound.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    MainWindow(client::BackendPool *backends, workspace::PlaygroundSettings *settings,
               workspace::SecretStore *secrets, QWidget *parent = nullptr);
    ~MainWindow() override;

    // The snippet library (adds the Snippets dock, Save and Save As) and the recovery area
    // (autosave of every tab, restore after a crash or a quit). Both optional.
    void setSnippetLibrary(workspace::SnippetLibrary *library);
    void setRecoveryJournal(workspace::RecoveryJournal *journal);
    // Cloud sessions an earlier run left (the live-session journal at start): listed in the
    // Session pane with Delete and Reattach.
    void showLeftoverSessions(const QList<workspace::JournaledSession> &entries);
    void deleteLeftoverSession(const workspace::JournaledSession &entry);
    PlaygroundTab *reattachLeftoverSession(const workspace::JournaledSession &entry);
    // The run history (adds the History dock; every run of every tab is recorded).
    void setRunHistory(workspace::RunHistory *history);
    // Brings back the tabs the recovery area holds; returns how many.
    int restoreTabs();
    PlaygroundTab *openSnippet(const QString &fileName);
    // Save: into the tab's snippet, or (for a scratch tab) asks for a title. False on failure,
    // and then the tab keeps its text, marked unsaved.
    bool saveCurrent();
    bool saveCurrentAs(const QString &title);
    QString lastSaveError() const { return m_lastSaveError; }
    // Writes every tab (or only those changed) to the recovery area now.
    void journalTabs(bool all);

    // Opens a tab on the current profile; an empty code opens an empty snippet.
    PlaygroundTab *newTab(const QString &code = {}, const QString &language = {},
                          client::RunController *controller = nullptr,
                          const QString &controllerProfile = {});
    // Deletes the tab's session in the background (recorded if it cannot be confirmed).
    void closeTab(int index);
    PlaygroundTab *currentTab() const;
    PlaygroundTab *tab(int index) const;
    int tabCount() const;
    QTabWidget *tabs() const { return m_tabs; }

    QAction *action(const QString &objectName) const;
    QComboBox *profileBox() const { return m_profile; }
    QComboBox *languageBox() const { return m_language; }
    QSpinBox *timeoutBox() const { return m_timeout; }
    QDockWidget *dock(const QString &objectName) const;
    QString statusText() const; // backend, session and timer, as the status bar shows them
    bool isDarkTheme() const { return m_dark; }
    // The last explanation a profile change showed (no key, no endpoint).
    QString lastProfileProblem() const { return m_lastProfileProblem; }
    // Environment used for profile resolution (tests inject one).
    void setEnvironment(const QProcessEnvironment &environment) { m_environment = environment; }

public Q_SLOTS:
    void runCurrent();
    void runSelectionOrCell();
    void stopRun();
    void restartSession();
    void pauseSession();
    void resumeSession();
    // Switches the current tab to a profile; explains and stays put when it cannot be used.
    bool chooseProfile(const QString &profileId);
    SettingsDialog *openSettings();
    void applyTheme(const QString &choice);
    void goToLine();
    void reopenClosedTab();

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
    void createToolBar();
    void createDocks();
    void createStatusBar();
    QAction *addAction(const QString &name, const QString &text, const QKeySequence &key,
                       void (MainWindow::*slot)());
    client::RunController *makeController(const QString &profileId, QString *problem,
                                          const QString &endpointOverride = {});
    void retire(client::RunController *controller, const QString &profileId);
    void explainProfile(const QString &problem);
    void onCurrentTabChanged();
    void updateLanguages();
    void updateStatus();
    void updateRunState();
    void applyEditorFont();
    void readKeys();
    void finishQuit();
    void updateTabTitle(PlaygroundTab *tab);
    void moveRestoredTabsTo(const QString &profileId);
    void scheduleJournal(PlaygroundTab *tab);
    PlaygroundTab *restoreTab(const workspace::RecoveredTab &saved);
    void saveCurrentSlot() { saveCurrent(); }
    void saveAsSlot();

    client::BackendPool *m_backends;
    workspace::PlaygroundSettings *m_settings;
    workspace::SecretStore *m_secrets;
    QProcessEnvironment m_environment;
    QTabWidget *m_tabs;
    QHash<QString, QStackedWidget *> m_stacks; // dock object name -> the tabs' panes
    QHash<QString, QString> m_keys;            // profile -> API key read from the keychain
    QSet<client::RunController *> m_retiring;  // sessions being deleted in the background
    QComboBox *m_profile = nullptr;
    QComboBox *m_language = nullptr;
    QSpinBox *m_timeout = nullptr;
    QActionGroup *m_themeGroup = nullptr;
    QLabel *m_backendLabel = nullptr;
    QLabel *m_sessionLabel = nullptr;
    QLabel *m_timerLabel = nullptr;
    QTimer *m_quitBound;
    QTimer *m_journalTimer;
    workspace::SnippetLibrary *m_library = nullptr;
    workspace::RecoveryJournal *m_recovery = nullptr;
    workspace::RunHistory *m_history = nullptr;
    workbench::SessionCleanup *m_cleanup = nullptr;
    LeftoverSessions *m_leftovers = nullptr;
    QSet<QString> m_journalPending;           // tab ids changed since the last journaling
    QHash<QString, QString> m_wantedProfiles; // restored tab id -> the profile it ran on
    QString m_lastJournalError;
    QString m_lastSaveError;
    QPointer<SettingsDialog> m_settingsDialog;
    QString m_lastProfileProblem;
    int m_nextTabNumber = 1;
    bool m_dark = false;
    bool m_closing = false;
    bool m_quitStarted = false;
    bool m_retiringAll = false;
    bool m_shownOnce = false;
    bool m_shutdownDone = false;
};

} // namespace agentbay::ui
