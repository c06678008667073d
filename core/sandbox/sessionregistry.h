// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "isolationprofile.h"
#include "sandboxconfig.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTemporaryDir>
#include <QThreadPool>

#include <memory>

namespace agentbay::sandbox {

class KernelProcess;

// One session of the local sandbox: its own workspace directory and, per language, one kernel.
class SandboxSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SandboxSession)

public:
    SandboxSession(QString id, QString workspace, uid_t uid, const SandboxConfig &config,
                   const IsolationProfile &isolation, QObject *parent = nullptr);
    ~SandboxSession() override;

    QString id() const { return m_id; }
    QString workspace() const { return m_workspace; }
    QDateTime createdAt() const { return m_createdAt; }
    QMap<QString, QString> labels;
    QString imageId;
    QDateTime lastActivity;    // any request that named the session
    QJsonObject fileToolState; // what the file tools keep between calls (get_file_change's looks)

    // The session's kernel for a canonical language, started on first use; null when the
    // interpreter is missing on this machine.
    KernelProcess *kernel(const QString &language);
    // The kernel for a language if one was started already, else null (nothing is started).
    KernelProcess *existingKernel(const QString &language) const
    {
        return m_kernels.value(language);
    }
    QList<KernelProcess *> kernels() const { return m_kernels.values(); }
    uid_t uid() const { return m_uid; }
    const IsolationProfile &isolation() const { return m_isolation; }
    bool isPaused() const { return m_paused; }
    void setPaused(bool paused);
    // Kernels executing a run right now.
    int activeRuns() const;

private:
    QString m_id;
    QString m_workspace;
    uid_t m_uid;
    QDateTime m_createdAt;
    const SandboxConfig &m_config;
    const IsolationProfile &m_isolation;
    QMap<QString, KernelProcess *> m_kernels;
    bool m_paused = false;
};

// The live sessions of one server, each with a workspace under one root.
class SessionRegistry final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionRegistry)

public:
    explicit SessionRegistry(const SandboxConfig &config, QObject *parent = nullptr);
    ~SessionRegistry() override;

    // Null (with *why filled) when the limit is reached or the workspace cannot be made.
    SandboxSession *create(QString *why);
    SandboxSession *find(const QString &id) const { return m_sessions.value(id); }
    // Ends the session's kernels and removes its machine. For a short while afterwards the id
    // reads as DELETING (isDeleting), then, to a status poll, as FINISH for a grace period
    // (isFinished), then as not found, as the cloud's lifecycle does.
    bool remove(const QString &id);
    bool isDeleting(const QString &id) const { return m_deleting.contains(id); }
    bool isFinished(const QString &id) const { return m_finished.contains(id); }

    static constexpr int DeletingMs = 150;
    static constexpr int FinishedGraceMs = 3000;
    QList<SandboxSession *> sessions() const { return m_sessions.values(); }
    int activeRuns() const;
    // Releases sessions idle longer than the configured timeout (none running code).
    void releaseIdle();
    const IsolationProfile &isolation() const { return m_isolation; }
    // A machine of its own, isolated like a session's, that no listing shows and no limit
    // counts: its kernels only analyse code for the assist extension (they run none). Made on
    // first use; null when its workspace cannot be made.
    SandboxSession *analysisSession();

private:
    void discardWorkspace(const QString &workspace);

    const SandboxConfig &m_config;
    IsolationProfile m_isolation;
    std::unique_ptr<QTemporaryDir> m_temporaryRoot;
    QString m_root;
    QHash<QString, SandboxSession *> m_sessions;
    SandboxSession *m_analysis = nullptr;
    quint32 m_sessionsCreated = 0;
    QSet<QString> m_deleting;
    QSet<QString> m_finished;
    QThreadPool m_remover; // one thread: deletes workspaces off the server's event loop
};

} // namespace agentbay::sandbox
