// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonArray>
#include <QString>
#include <QStringList>

#include <sys/types.h>

namespace agentbay::sandbox {

struct SandboxConfig;

// One layer of isolation and whether it is in force, as the session details report it.
struct IsolationLayer
{
    QString name;
    bool active = false;
    QString detail;
};

// How kernels are confined on this machine: bubblewrap namespaces where they work (no network,
// read-only system, the session's own /workspace, /tmp and home the only writable places, dies
// with the server),
// rlimits, and an unprivileged uid when the server runs as root (so the process limit holds).
// Probed once when the server starts; every layer is reported, including the missing ones.
class IsolationProfile final
{
public:
    static IsolationProfile detect(const SandboxConfig &config);

    bool usesBubblewrap() const { return !m_bubblewrap.isEmpty(); }
    // Where the session's workspace, home and /tmp appear to the code: /workspace, /home/user
    // and /tmp under bubblewrap; the host directories without it.
    QString visibleWorkspace(const QString &hostWorkspace) const;
    QString visibleHome(const QString &hostWorkspace) const;
    QString visibleTmp(const QString &hostWorkspace) const;
    // The command that runs `program arguments` confined to hostWorkspace, starting in cwd
    // (as the code sees it; the workspace itself by default).
    QStringList wrap(const QString &program, const QStringList &arguments,
                     const QString &hostWorkspace, const QString &cwd = {}) const;
    // The unprivileged uid of a session (a different one for each of many sessions, so one
    // session's processes never count against another's limit); the server's own uid when it
    // is not root.
    uid_t uidForSession(quint32 sessionNumber) const;

    // The RLIMIT_NPROC to start a kernel with: the limit itself for the dedicated uid; for a
    // server that is not root, the user's current process count plus the limit (the count is
    // per uid, and the user's own processes must not be starved).
    qint64 processLimitNow() const;
    // Runs in the forked child before exec: rlimits, the CPU priority, then the unprivileged
    // uid. Only async-signal-safe calls.
    void applyInChild(uid_t uid, qint64 processLimit) const;
    // Makes a session's machine: the workspace and, beside it, its tmp/ and home/ directories,
    // given to the session's uid when the server runs as root. False when one cannot be made.
    bool prepareMachine(const QString &hostWorkspace, uid_t uid) const;

    QList<IsolationLayer> layers() const { return m_layers; }
    QJsonArray report() const;
    QStringList warnings() const;

private:
    QString m_bubblewrap;        // empty when not usable
    int m_seccompFd = -1;        // a memfd holding the BPF program bubblewrap loads, or -1
    QStringList m_extraReadOnly; // interpreter prefixes outside /usr
    bool m_switchUid = false;
    uid_t m_uidBase = 0;
    quint32 m_uidCount = 1;
    qint64 m_memoryBytes = 0;
    qint64 m_processes = 0;
    qint64 m_openFiles = 0;
    qint64 m_fileBytes = 0;
    qint64 m_cpuSeconds = 0;
    int m_codeNiceness = 0;
    QList<IsolationLayer> m_layers;
};

} // namespace agentbay::sandbox
