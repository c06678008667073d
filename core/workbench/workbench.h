// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "workspace/sessionjournal.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QProcessEnvironment>
#include <QSet>

class QTimer;

namespace agentbay::client {
class BackendPool;
class RunController;
} // namespace agentbay::client

namespace agentbay::workspace {
class PlaygroundSettings;
class RecoveryJournal;
class RunHistory;
class SecretStore;
class SnippetLibrary;
struct RecoveredTab;
struct RunRecord;
} // namespace agentbay::workspace

namespace agentbay::workbench {

class Document;
class SessionCleanup;

// The application without its window: the open documents (in tab order) and where each runs
// (profile routing, with API keys read from the keychain), the journal of live cloud sessions,
// autosave and restore, snippet open and save, run-history recording, the sessions an earlier
// run left, and the quit sequence. The window observes it through signals and calls it; it
// decides nothing the window could not show.
class Workbench final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Workbench)

public:
    Workbench(client::BackendPool *backends, workspace::PlaygroundSettings *settings,
              workspace::SecretStore *secrets, QObject *parent = nullptr);
    ~Workbench() override;

    client::BackendPool *backends() const { return m_backends; }
    workspace::PlaygroundSettings *settings() const { return m_settings; }
    workspace::SecretStore *secrets() const { return m_secrets; }
    // Environment used for profile resolution (AGENTBAY_API_KEY …; tests inject one).
    void setEnvironment(const QProcessEnvironment &environment) { m_environment = environment; }
    QProcessEnvironment environment() const { return m_environment; }

    // The user's data, each optional: snippets (open and save), the recovery area (autosave of
    // every document, restore after a crash or a quit), and the run history.
    void setSnippetLibrary(workspace::SnippetLibrary *library);
    workspace::SnippetLibrary *snippetLibrary() const { return m_library; }
    // A snippet's file was renamed in the library: the documents editing it follow.
    void snippetRenamed(const QString &from, const QString &to);
    void setRecoveryJournal(workspace::RecoveryJournal *journal) { m_recovery = journal; }
    void setRunHistory(workspace::RunHistory *history);

    // --- documents ---
    QList<Document *> documents() const { return m_documents; }
    int indexOf(const Document *document) const;
    // Opens a document on a profile (empty: the settings' current one), or on a controller
    // made for it. A cloud profile that cannot be used (no key yet) falls back to the local
    // sandbox and says why (message()).
    Document *newDocument(const QString &code = {}, const QString &language = {},
                          const QString &profileId = {},
                          client::RunController *controller = nullptr);
    // The document the user works in (the window's current tab). A new scratch document runs
    // where it runs (the settings' profile when there is none); quitting remembers its
    // language and timeout as the defaults of the next start.
    void setCurrentDocument(Document *document);
    Document *currentDocument() const;
    Document *newScratch(const QString &code = {}, const QString &language = {});
    // Deletes its session in the background (recorded if it cannot be confirmed) and keeps its
    // text for reopenClosed(); the last document closed is replaced by an empty one.
    void closeDocument(Document *document);
    // The window's tabs were reordered; the journal keeps their order.
    void moveDocument(int from, int to);
    // Brings back the documents the recovery area holds; returns how many.
    int restoreDocuments();
    Document *reopenClosed();
    // The document of a snippet: the open one (documentActivated()), or a new one.
    Document *openSnippet(const QString &fileName);
    // A new document holding a run from the history.
    Document *openRun(const workspace::RunRecord &run);

    // --- saving ---
    enum class SaveResult { Saved, NeedsTitle, Failed };
    // Into the document's snippet; a scratch document needs a title (saveAs). On failure the
    // document keeps its text, marked unsaved, and lastSaveError() says why.
    SaveResult save(Document *document);
    bool saveAs(Document *document, const QString &title);
    QString lastSaveError() const { return m_lastSaveError; }
    // Writes every document (or only those changed) to the recovery area now.
    void journal(bool all);

    // --- profiles ---
    // Moves an idle document to a profile; false, with message() or profileProblem(), when it
    // is running or the profile cannot be used.
    bool chooseProfile(Document *document, const QString &profileId);
    QString lastProfileProblem() const { return m_lastProfileProblem; }
    // The keys were changed in the settings: read them again.
    void reloadKeys();

    // --- sessions an earlier run left ---
    void deleteLeftover(const workspace::JournaledSession &entry);
    Document *reattachLeftover(const workspace::JournaledSession &entry);

    // --- quitting ---
    // Remembers the current document's language and timeout, journals every document, deletes
    // every session and stops the backends; quitFinished() follows when all are done or the
    // bound passed.
    void quit();
    bool isQuitting() const { return m_quitStarted; }

Q_SIGNALS:
    void documentAdded(agentbay::workbench::Document *document);
    // About to go (closed); the window drops its view of it.
    void documentClosing(agentbay::workbench::Document *document);
    // An open document was asked for again (openSnippet): the window shows it.
    void documentActivated(agentbay::workbench::Document *document);
    // Documents are about to be written to the recovery area: views that hold state the
    // documents only learn of lazily (an editor's cursor) hand it over now.
    void aboutToJournal();
    // A passing message for the status bar, shown for timeoutMs.
    void message(const QString &text, int timeoutMs);
    // A profile cannot be used, and the user should be told how to fix it (a key, an endpoint).
    void profileProblem(const QString &problem);
    // A leftover session was deleted or reattached / could not be deleted.
    void leftoverResolved(const QString &sessionId);
    void leftoverLeft(const QString &sessionId, const QString &why);
    // A document's session shutdown ended; deleted is false when it may be left behind.
    void sessionEnded(bool deleted);
    void quitFinished();

private:
    static constexpr int QuitBoundMs = 5000;
    static constexpr int SessionBoundMs = 3000;

    void adopt(Document *document);
    client::RunController *makeController(const QString &profileId, QString *problem,
                                          const QString &endpointOverride = {});
    void retire(client::RunController *controller, const QString &profileId);
    void scheduleJournal(Document *document);
    Document *restoreDocument(const workspace::RecoveredTab &saved);
    void moveRestoredDocumentsTo(const QString &profileId);
    void onLibraryChanged();
    void finishQuit();

    client::BackendPool *m_backends;
    workspace::PlaygroundSettings *m_settings;
    workspace::SecretStore *m_secrets;
    QProcessEnvironment m_environment;
    workspace::SnippetLibrary *m_library = nullptr;
    workspace::RecoveryJournal *m_recovery = nullptr;
    workspace::RunHistory *m_history = nullptr;
    SessionCleanup *m_cleanup = nullptr;
    QList<Document *> m_documents;
    QPointer<Document> m_current;
    QHash<QString, QString> m_keys;           // profile -> API key read from the keychain
    QSet<client::RunController *> m_retiring; // sessions being deleted in the background
    QSet<QString> m_journalPending;           // document ids changed since the last journaling
    QHash<QString, QString> m_wantedProfiles; // restored document id -> the profile it ran on
    QTimer *m_journalTimer;
    QTimer *m_quitBound;
    QString m_lastJournalError;
    QString m_lastSaveError;
    QString m_lastProfileProblem;
    int m_nextNumber = 1;
    bool m_quitStarted = false;
    bool m_retiringAll = false;
    bool m_quitDone = false;
};

} // namespace agentbay::workbench
