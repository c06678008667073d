// SPDX-License-Identifier: GPL-3.0-or-later
#include "sessionregistry.h"

#include "kernelprocess.h"

#include "protocol/language.h"
#include "protocol/randomtoken.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcSessions, "agentbay.sandbox.sessions")

namespace agentbay::sandbox {

SandboxSession::SandboxSession(QString id, QString workspace, uid_t uid,
                               const SandboxConfig &config, const IsolationProfile &isolation,
                               QObject *parent)
    : QObject(parent), m_id(std::move(id)), m_workspace(std::move(workspace)), m_uid(uid),
      m_createdAt(QDateTime::currentDateTimeUtc()), m_config(config), m_isolation(isolation)
{}

SandboxSession::~SandboxSession() = default;

void SandboxSession::setPaused(bool paused)
{
    m_paused = paused;
    for (KernelProcess *kernel : std::as_const(m_kernels))
        kernel->setPaused(paused);
}

KernelProcess *SandboxSession::kernel(const QString &language)
{
    if (auto *existing = m_kernels.value(language))
        return existing;
    const QString explicitPath = protocol::Languages::fromName(language)
                                                 == protocol::Language::Python
                                         ? m_config.pythonInterpreter
                                         : m_config.nodeInterpreter;
    KernelSpec spec = KernelSpec::forLanguage(language, explicitPath, m_config.drivers, m_workspace,
                                              m_isolation);
    if (spec.interpreter.isEmpty())
        return nullptr;
    spec.maxOutputCharacters = m_config.maxOutputCharacters;
    spec.uid = m_uid;
    auto *kernel = new KernelProcess(std::move(spec), this);
    m_kernels.insert(language, kernel);
    return kernel;
}

int SandboxSession::activeRuns() const
{
    return static_cast<int>(
            std::count_if(m_kernels.begin(), m_kernels.end(),
                          [](const KernelProcess *kernel) { return kernel->isBusy(); }));
}

namespace {

const QLatin1String OwnerFile("owner.pid");

// Temporary roots of sandboxes that died without cleaning up (killed, crashed) are removed by
// the next one to start. A root is stale when the pid it names no longer exists.
void removeStaleTemporaryRoots()
{
    const QDir temp(QDir::tempPath());
    const QStringList roots = temp.entryList({QStringLiteral("agentbay-sandbox-*")},
                                             QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &name : roots) {
        QDir root(temp.filePath(name));
        QFile owner(root.filePath(OwnerFile));
        if (QFileInfo(root.path()).ownerId() != ::getuid() || !owner.open(QIODevice::ReadOnly))
            continue;
        bool ok = false;
        const auto pid = static_cast<pid_t>(owner.readAll().trimmed().toLongLong(&ok));
        owner.close();
        if (ok && pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) {
            qCInfo(lcSessions) << "removing" << root.path() << "left by a sandbox that died";
            root.removeRecursively();
        }
    }
}

} // namespace

SessionRegistry::SessionRegistry(const SandboxConfig &config, QObject *parent)
    : QObject(parent), m_config(config), m_isolation(IsolationProfile::detect(config))
{
    m_remover.setMaxThreadCount(1);
    if (config.workspaceRoot.isEmpty()) {
        removeStaleTemporaryRoots();
        m_temporaryRoot = std::make_unique<QTemporaryDir>(
                QDir::tempPath() + QStringLiteral("/agentbay-sandbox-XXXXXX"));
        m_root = m_temporaryRoot->path();
        QFile owner(QDir(m_root).filePath(OwnerFile));
        if (owner.open(QIODevice::WriteOnly))
            owner.write(QByteArray::number(QCoreApplication::applicationPid()));
    } else {
        m_root = QDir(config.workspaceRoot).absolutePath();
        QDir().mkpath(m_root);
        // Workspaces a killed sandbox was still removing.
        const QStringList leftovers = QDir(m_root).entryList({QStringLiteral(".deleting-*")},
                                                             QDir::Dirs | QDir::Hidden
                                                                     | QDir::NoDotAndDotDot);
        for (const QString &name : leftovers)
            discardWorkspace(m_root + QLatin1Char('/') + name);
    }
}

SessionRegistry::~SessionRegistry()
{
    const auto ids = m_sessions.keys();
    for (const QString &id : ids)
        remove(id);
    if (m_analysis) {
        for (KernelProcess *kernel : m_analysis->kernels())
            kernel->shutdown();
        const QString machine = QFileInfo(m_analysis->workspace()).absolutePath();
        delete m_analysis;
        discardWorkspace(machine);
    }
    // Every workspace is gone before the root is (and before the process exits).
    m_remover.waitForDone();
}

namespace {

// Code may take write or search permission away from its own directories (chmod 500); a server
// that is not root could then not remove their entries. Each directory gets them back first,
// symlinks never followed.
void makeRemovable(const QString &directory)
{
    QFile::setPermissions(directory, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    const QFileInfoList entries = QDir(directory).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot
                                                                | QDir::Hidden | QDir::System);
    for (const QFileInfo &entry : entries) {
        if (!entry.isSymLink())
            makeRemovable(entry.filePath());
    }
}

} // namespace

void SessionRegistry::discardWorkspace(const QString &workspace)
{
    // A rename is one quick system call: the id's directory is free at once. Deleting the
    // contents (thousands of files, maybe) happens on the remover thread, so the server keeps
    // answering every other session meanwhile.
    const QString doomed = m_root + QStringLiteral("/.deleting-")
                           + QString::fromLatin1(protocol::RandomToken::hex(8));
    const QString target = QDir().rename(workspace, doomed) ? doomed : workspace;
    m_remover.start([target] {
        makeRemovable(target);
        QDir(target).removeRecursively();
    });
    qCDebug(lcSessions) << "removing" << target << "in the background";
}

SandboxSession *SessionRegistry::create(QString *why)
{
    if (m_sessions.size() >= m_config.maxSessions) {
        *why = QCoreApplication::translate("SessionRegistry",
                                           "the sandbox already runs %1 sessions, its limit; "
                                           "delete one first")
                       .arg(m_config.maxSessions);
        return nullptr;
    }
    QString id;
    do {
        id = QStringLiteral("session-") + QString::fromLatin1(protocol::RandomToken::hex(10));
    } while (m_sessions.contains(id));

    // The session's machine: <root>/<id>/ holds its workspace, tmp and home.
    const QString workspace = m_root + QLatin1Char('/') + id + QStringLiteral("/workspace");
    const uid_t uid = m_isolation.uidForSession(m_sessionsCreated++);
    if (!m_isolation.prepareMachine(workspace, uid)) {
        *why = QCoreApplication::translate("SessionRegistry",
                                           "could not create the session workspace %1")
                       .arg(workspace);
        return nullptr;
    }
    auto *session = new SandboxSession(id, workspace, uid, m_config, m_isolation, this);
    session->lastActivity = QDateTime::currentDateTimeUtc();
    m_sessions.insert(id, session);
    qCInfo(lcSessions) << "created" << id << "in" << workspace;
    return session;
}

SandboxSession *SessionRegistry::analysisSession()
{
    if (m_analysis)
        return m_analysis;
    const QString id = QStringLiteral("analysis-")
                       + QString::fromLatin1(protocol::RandomToken::hex(6));
    const QString workspace = m_root + QLatin1Char('/') + id + QStringLiteral("/workspace");
    const uid_t uid = m_isolation.uidForSession(m_sessionsCreated++);
    if (!m_isolation.prepareMachine(workspace, uid))
        return nullptr;
    m_analysis = new SandboxSession(id, workspace, uid, m_config, m_isolation, this);
    qCInfo(lcSessions) << "analysis machine in" << workspace;
    return m_analysis;
}

int SessionRegistry::activeRuns() const
{
    int active = 0;
    for (const SandboxSession *session : m_sessions)
        active += session->activeRuns();
    return active;
}

void SessionRegistry::releaseIdle()
{
    if (m_config.idleTimeoutSeconds <= 0)
        return;
    const QDateTime limit = QDateTime::currentDateTimeUtc().addSecs(-m_config.idleTimeoutSeconds);
    const auto sessions = m_sessions.values();
    for (SandboxSession *session : sessions) {
        if (session->activeRuns() == 0 && session->lastActivity < limit) {
            qCInfo(lcSessions) << "releasing" << session->id() << "after"
                               << m_config.idleTimeoutSeconds << "s without a request";
            remove(session->id());
        }
    }
}

bool SessionRegistry::remove(const QString &id)
{
    SandboxSession *session = m_sessions.take(id);
    if (!session)
        return false;
    session->setPaused(false); // a stopped process group still dies, but continue it first
    const auto kernels = session->kernels();
    for (KernelProcess *kernel : kernels)
        kernel->shutdown();
    const QString machine = QFileInfo(session->workspace()).absolutePath();
    delete session;
    discardWorkspace(machine); // the workspace, tmp and home together
    m_deleting.insert(id);
    QTimer::singleShot(DeletingMs, this, [this, id] {
        m_deleting.remove(id);
        m_finished.insert(id);
        QTimer::singleShot(FinishedGraceMs, this, [this, id] { m_finished.remove(id); });
    });
    qCInfo(lcSessions) << "deleted" << id;
    return true;
}

} // namespace agentbay::sandbox
