// SPDX-License-Identifier: GPL-3.0-or-later
#include "workbench.h"

#include "client/codeassistant.h"

#include "document.h"
#include "sessioncleanup.h"

#include "client/backend.h"
#include "client/profiles.h"
#include "client/runcontroller.h"
#include "workspace/playgroundsettings.h"
#include "workspace/recoveryjournal.h"
#include "workspace/runhistory.h"
#include "workspace/secretstore.h"
#include "workspace/snippetlibrary.h"

#include <QDateTime>
#include <QDir>
#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcWorkbench, "agentbay.workbench")

namespace agentbay::workbench {

using client::RunController;
using workspace::SecretStore;

Workbench::Workbench(client::BackendPool *backends, workspace::PlaygroundSettings *settings,
                     SecretStore *secrets, QObject *parent)
    : QObject(parent), m_backends(backends), m_settings(settings), m_secrets(secrets),
      m_environment(QProcessEnvironment::systemEnvironment()), m_journalTimer(new QTimer(this)),
      m_quitBound(new QTimer(this))
{
    m_journalTimer->setSingleShot(true);
    connect(m_journalTimer, &QTimer::timeout, this, [this] { journal(false); });
    m_quitBound->setSingleShot(true);
    connect(m_quitBound, &QTimer::timeout, this, [this] {
        qCWarning(lcWorkbench, "quit bound reached; leaving without every confirmation");
        finishQuit();
    });
    // Every key the store reads (for the workbench or the settings dialog) updates the cache.
    connect(m_secrets, &SecretStore::readFinished, this,
            [this](const QString &key, const QString &secret, SecretStore::Status status) {
                for (const client::Profile &profile : client::Profiles::all()) {
                    if (SecretStore::keyForProfile(profile.id) == key) {
                        m_keys.insert(profile.id,
                                      status == SecretStore::Status::Ok ? secret : QString());
                        moveRestoredDocumentsTo(profile.id);
                    }
                }
            });
    reloadKeys();
}

Workbench::~Workbench() = default;

void Workbench::setSnippetLibrary(workspace::SnippetLibrary *library)
{
    m_library = library;
    connect(m_settings, &workspace::PlaygroundSettings::snippetFolderChanged, this,
            [this](const QString &folder) {
                m_library->open(folder.isEmpty() ? workspace::SnippetLibrary::defaultFolder()
                                                 : folder);
            });
    connect(library, &workspace::SnippetLibrary::changed, this, &Workbench::onLibraryChanged);
}

void Workbench::snippetRenamed(const QString &from, const QString &to)
{
    for (Document *each : std::as_const(m_documents)) {
        if (each->snippetFile() == from)
            each->markSaved(to, m_library->snippet(to).title);
    }
}

void Workbench::onLibraryChanged()
{
    // Edits made outside the app reach the documents that have no unsaved changes of their own.
    for (Document *each : std::as_const(m_documents)) {
        if (each->snippetFile().isEmpty())
            continue;
        const int index = m_library->indexOf(each->snippetFile());
        if (index >= 0 && each->reloadFromLibrary(m_library->snippets().at(index).content))
            Q_EMIT message(tr("%1 changed on disk and was reloaded.").arg(each->snippetFile()),
                           6000);
    }
}

void Workbench::setRunHistory(workspace::RunHistory *history)
{
    m_history = history;
    const auto applyRetention = [this] {
        m_history->setRetention(m_settings->historyMaximumRuns(),
                                qint64{m_settings->historyMaximumMiB()} * 1024 * 1024);
    };
    applyRetention();
    connect(m_settings, &workspace::PlaygroundSettings::historyRetentionChanged, this,
            applyRetention);
    connect(history, &workspace::RunHistory::failed, this, [this](const QString &error) {
        Q_EMIT message(tr("The run could not be recorded in the history: %1").arg(error), 10000);
    });
}

// --- documents ----------------------------------------------------------------------------------

int Workbench::indexOf(const Document *document) const
{
    return static_cast<int>(m_documents.indexOf(document));
}

Document *Workbench::newDocument(const QString &code, const QString &language,
                                 const QString &profileId, RunController *controller)
{
    QString profile = profileId.isEmpty() ? m_settings->currentProfile() : profileId;
    QString problem;
    if (!controller)
        controller = makeController(profile, &problem);
    if (!controller) {
        // The remembered cloud profile cannot be used (no key yet): say why, run locally.
        m_lastProfileProblem = problem;
        Q_EMIT message(problem, 10000);
        profile = QStringLiteral("local");
        controller = makeController(profile, &problem);
    }
    auto *document = new Document(this);
    document->setLanguage(language.isEmpty() ? m_settings->defaultLanguage() : language);
    document->setTimeoutSeconds(m_settings->defaultTimeoutSeconds());
    document->setText(code);
    document->setController(controller, profile);
    document->setTitle(tr("Snippet %1").arg(m_nextNumber++));
    adopt(document);
    return document;
}

void Workbench::setCurrentDocument(Document *document)
{
    m_current = document;
}

Document *Workbench::currentDocument() const
{
    return m_current;
}

Document *Workbench::newScratch(const QString &code, const QString &language)
{
    return newDocument(code, language, m_current ? m_current->profileId() : QString());
}

void Workbench::adopt(Document *document)
{
    m_documents.append(document);
    document->setAssistant(new client::CodeAssistant(m_backends, document));
    connect(document, &Document::contentChanged, this,
            [this, document] { scheduleJournal(document); });
    connect(document, &Document::runRecorded, this, [this](const workspace::RunRecord &run) {
        if (m_history)
            m_history->record(run);
    });
    Q_EMIT documentAdded(document);
    scheduleJournal(document);
}

void Workbench::closeDocument(Document *document)
{
    const int index = indexOf(document);
    if (index < 0 || m_quitStarted)
        return;
    if (RunController *controller = document->controller())
        retire(controller, document->profileId());
    if (m_recovery) {
        // Closing keeps the text: the document's journal goes to closed/, for reopenClosed().
        Q_EMIT aboutToJournal();
        QString error;
        m_recovery->write(document->snapshot(index), &error);
        m_recovery->close(document->id());
        m_journalPending.remove(document->id());
    }
    Q_EMIT documentClosing(document);
    m_documents.removeAt(index);
    document->deleteLater();
    if (m_documents.isEmpty())
        newDocument();
}

void Workbench::moveDocument(int from, int to)
{
    if (from < 0 || to < 0 || from >= m_documents.size() || to >= m_documents.size())
        return;
    m_documents.move(from, to);
    for (Document *each : std::as_const(m_documents))
        scheduleJournal(each);
}

int Workbench::restoreDocuments()
{
    if (!m_recovery)
        return 0;
    const QList<workspace::RecoveredTab> saved = m_recovery->openTabs();
    for (const workspace::RecoveredTab &each : saved)
        restoreDocument(each);
    return static_cast<int>(saved.size());
}

Document *Workbench::reopenClosed()
{
    if (m_recovery) {
        if (const auto saved = m_recovery->reopenLastClosed())
            return restoreDocument(*saved);
    }
    Q_EMIT message(tr("No closed tab to reopen."), 4000);
    return nullptr;
}

Document *Workbench::restoreDocument(const workspace::RecoveredTab &saved)
{
    // Back on the profile it ran on, when that profile can still be used (else where new
    // documents go).
    QString problem;
    RunController *controller = nullptr;
    if (!saved.profile.isEmpty() && client::Profiles::byId(saved.profile).id == saved.profile)
        controller = makeController(saved.profile, &problem);
    Document *restored = controller ? newDocument({}, {}, saved.profile, controller)
                                    : newDocument();
    if (!controller && !saved.profile.isEmpty())
        m_wantedProfiles.insert(saved.id, saved.profile); // its key may still be on its way
    m_journalPending.remove(restored->id());
    restored->restore(saved);
    // A document whose snippet still exists is clean when its text matches the file.
    if (!saved.snippetFile.isEmpty() && m_library && m_library->indexOf(saved.snippetFile) >= 0
        && m_library->snippet(saved.snippetFile).content == saved.text)
        restored->markSaved(saved.snippetFile, saved.title);
    return restored;
}

Document *Workbench::openSnippet(const QString &fileName)
{
    for (Document *each : std::as_const(m_documents)) {
        if (each->snippetFile() == fileName) {
            Q_EMIT documentActivated(each);
            return each;
        }
    }
    if (!m_library || m_library->indexOf(fileName) < 0)
        return nullptr;
    const workspace::Snippet snippet = m_library->snippet(fileName);
    Document *opened = newDocument(snippet.content, snippet.language);
    opened->setTimeoutSeconds(snippet.timeoutSeconds);
    opened->markSaved(fileName, snippet.title);
    return opened;
}

Document *Workbench::openRun(const workspace::RunRecord &run)
{
    Document *opened = newDocument(run.code, run.language);
    opened->setTimeoutSeconds(run.timeoutSeconds);
    opened->setTitle(tr("%1 (from history)").arg(run.tabTitle));
    return opened;
}

// --- saving and recovery --------------------------------------------------------------------------

Workbench::SaveResult Workbench::save(Document *document)
{
    if (!document || !m_library)
        return SaveResult::Failed;
    if (document->snippetFile().isEmpty())
        return SaveResult::NeedsTitle;
    QString error;
    if (!m_library->save(document->snippetFile(), document->text(), &error)) {
        m_lastSaveError = error; // nothing is lost: the document keeps its text, unsaved
        return SaveResult::Failed;
    }
    workspace::Snippet meta = m_library->snippet(document->snippetFile());
    if (meta.timeoutSeconds != document->timeoutSeconds()) {
        meta.timeoutSeconds = document->timeoutSeconds();
        m_library->saveMetadata(meta, &error);
    }
    document->markSaved(document->snippetFile(), meta.title);
    Q_EMIT message(tr("Saved %1").arg(document->snippetFile()), 4000);
    return SaveResult::Saved;
}

bool Workbench::saveAs(Document *document, const QString &title)
{
    if (!document || !m_library)
        return false;
    QString error;
    const QString file = m_library->create(title, document->language(), document->text(), &error,
                                           {}, document->timeoutSeconds());
    if (file.isEmpty()) {
        m_lastSaveError = error;
        return false;
    }
    document->markSaved(file, m_library->snippet(file).title);
    Q_EMIT message(tr("Saved as %1").arg(file), 4000);
    return true;
}

void Workbench::scheduleJournal(Document *document)
{
    if (!m_recovery || m_quitStarted)
        return;
    m_journalPending.insert(document->id());
    if (!m_journalTimer->isActive())
        m_journalTimer->start(m_settings->autosaveIntervalSeconds() * 1000);
}

void Workbench::journal(bool all)
{
    if (!m_recovery)
        return;
    Q_EMIT aboutToJournal();
    QString firstError;
    for (int i = 0; i < m_documents.size(); ++i) {
        const Document *each = m_documents.at(i);
        if (!all && !m_journalPending.contains(each->id()))
            continue;
        QString error;
        if (!m_recovery->write(each->snapshot(i), &error) && firstError.isEmpty())
            firstError = error;
    }
    m_journalPending.clear();
    if (!firstError.isEmpty() && firstError != m_lastJournalError) {
        Q_EMIT message(tr("Autosave failed: %1").arg(firstError), 10000);
        qCWarning(lcWorkbench, "autosave failed: %s", qPrintable(firstError));
    }
    m_lastJournalError = firstError;
}

// --- profiles and backends ------------------------------------------------------------------------

void Workbench::reloadKeys()
{
    m_keys.clear();
    for (const client::Profile &profile : client::Profiles::all()) {
        if (!profile.isLocal)
            m_secrets->read(SecretStore::keyForProfile(profile.id));
    }
}

RunController *Workbench::makeController(const QString &profileId, QString *problem,
                                         const QString &endpointOverride)
{
    const client::Profile profile = client::Profiles::byId(profileId);
    if (profile.isLocal) {
        auto *controller = new RunController(this);
        controller->setSessionLabels(
                {{QStringLiteral("app"), QStringLiteral("agentbay-playground")}});
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
        return nullptr;
    }
    auto *controller = new RunController(this);
    controller->setSessionLabels({{QStringLiteral("app"), QStringLiteral("agentbay-playground")}});
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
                    qCWarning(lcWorkbench, "cannot journal session %s: %s", qPrintable(id),
                              qPrintable(error));
            });
    connect(controller, &RunController::sessionRemoved, this, [](const QString &id, bool confirmed) {
        if (confirmed)
            workspace::SessionJournal().remove(id);
    });
    return controller;
}

bool Workbench::chooseProfile(Document *document, const QString &profileId)
{
    if (!document || profileId == document->profileId())
        return true;
    if (document->isRunning()) {
        Q_EMIT message(tr("Stop the run before changing where this tab runs."), 6000);
        return false;
    }
    QString problem;
    RunController *controller = makeController(profileId, &problem);
    if (!controller) {
        m_lastProfileProblem = problem;
        Q_EMIT profileProblem(problem);
        return false;
    }
    if (document->controller())
        retire(document->controller(), document->profileId());
    document->setController(controller, profileId);
    document->announce(tr("This tab now runs on %1; its previous session is being deleted.")
                               .arg(client::Profiles::byId(profileId).name));
    m_settings->setCurrentProfile(profileId);
    return true;
}

void Workbench::moveRestoredDocumentsTo(const QString &profileId)
{
    // Restored documents that ran on this profile go back to it once its key is known, as long
    // as nothing has run in them since.
    for (Document *each : std::as_const(m_documents)) {
        if (m_wantedProfiles.value(each->id()) != profileId || each->isRunning()
            || (each->controller() && each->controller()->session()
                && each->controller()->session()->state() != client::Session::State::NotStarted))
            continue;
        QString problem;
        RunController *controller = makeController(profileId, &problem);
        if (!controller)
            continue;
        m_wantedProfiles.remove(each->id());
        if (each->controller())
            retire(each->controller(), each->profileId());
        each->setController(controller, profileId);
    }
}

void Workbench::retire(RunController *controller, const QString &profileId)
{
    if (!controller || m_retiring.contains(controller))
        return;
    m_retiring.insert(controller);
    for (Document *each : std::as_const(m_documents))
        controller->disconnect(each);
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
                        qCWarning(lcWorkbench, "cannot record session %s for cleanup: %s",
                                  qPrintable(id), qPrintable(error));
                }
                m_retiring.remove(controller);
                controller->deleteLater();
                Q_EMIT sessionEnded(deleted);
                // The backends stop once the last session is dealt with, not while documents
                // are still being retired (one without a session finishes at once).
                if (m_quitStarted && !m_retiringAll && m_retiring.isEmpty())
                    m_backends->stopAll();
            });
    controller->shutdown(SessionBoundMs);
}

// --- sessions an earlier run left -------------------------------------------------------------------

void Workbench::deleteLeftover(const workspace::JournaledSession &entry)
{
    if (!m_cleanup) {
        m_cleanup = new SessionCleanup(workspace::SessionJournal(), m_secrets, m_environment, this);
        m_cleanup->setApiFactory([backends = m_backends](const QString &profile,
                                                         const client::ClientConfig &config) {
            return backends->newApi(profile, config);
        });
        connect(m_cleanup, &SessionCleanup::sessionDeleted, this, [this](const QString &id) {
            Q_EMIT leftoverResolved(id);
            Q_EMIT message(tr("Session %1 deleted.").arg(id), 6000);
        });
        connect(m_cleanup, &SessionCleanup::sessionLeft, this, &Workbench::leftoverLeft);
    }
    m_cleanup->deleteOne(entry);
}

Document *Workbench::reattachLeftover(const workspace::JournaledSession &entry)
{
    QString problem;
    RunController *controller = makeController(entry.profile, &problem, entry.endpoint);
    if (!controller) {
        m_lastProfileProblem = problem;
        Q_EMIT profileProblem(problem);
        return nullptr;
    }
    controller->attachSession(entry.sessionId);
    controller->setKeepSession(false); // adopted: closing its document deletes it
    Document *opened = newDocument({}, {}, entry.profile, controller);
    opened->setTitle(tr("Reattached %1").arg(entry.sessionId.right(8)));
    Q_EMIT leftoverResolved(entry.sessionId);
    return opened;
}

// --- quitting ---------------------------------------------------------------------------------------

void Workbench::quit()
{
    if (m_quitStarted)
        return;
    if (m_current) {
        m_settings->setDefaultLanguage(m_current->language());
        m_settings->setDefaultTimeoutSeconds(m_current->timeoutSeconds());
    }
    m_settings->sync();
    m_journalTimer->stop();
    journal(true); // the next start brings these documents back
    m_quitStarted = true;
    m_quitBound->start(QuitBoundMs);
    connect(m_backends, &client::BackendPool::stopped, this, &Workbench::finishQuit);
    m_retiringAll = true;
    for (Document *each : std::as_const(m_documents))
        retire(each->controller(), each->profileId());
    m_retiringAll = false;
    if (m_retiring.isEmpty())
        m_backends->stopAll();
}

void Workbench::finishQuit()
{
    if (m_quitDone)
        return;
    m_quitDone = true;
    m_quitBound->stop();
    Q_EMIT quitFinished();
}

} // namespace agentbay::workbench
