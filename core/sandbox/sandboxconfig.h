// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "kerneldrivers.h"

#include <QHostAddress>
#include <QString>

namespace agentbay::sandbox {

// Everything the local sandbox can be told, with the defaults it runs with.
struct SandboxConfig
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0; // 0: the system picks one, and the server prints it
    QString apiKey;
    int maxSessions = 16;
    int maxConcurrentRuns = 8;  // runs executing at once, across sessions
    int maxWaitingRuns = 256;   // runs waiting for one of those slots (more are refused)
    int idleTimeoutSeconds = 0; // release sessions idle this long (0: never)
    QString tlsCertificate;     // PEM files; both set: HTTPS only
    QString tlsKey;
    qint64 maxRequestBytes = qint64{4} * 1024 * 1024;
    qint64 maxOutputCharacters = qint64{32} * 1024 * 1024; // stdout + stderr of one run
    QString workspaceRoot; // empty: a private temporary directory, removed at exit
    QString pythonInterpreter;
    QString nodeInterpreter;
    KernelDrivers drivers = KernelDrivers::builtIn(); // the scripts the kernels run
    QString hostId = QStringLiteral("agentbay-sandbox.local");
    bool useBubblewrap = true;
    qint64 memoryLimitBytes = qint64{2048} * 1024 * 1024; // RLIMIT_AS of each kernel
    qint64 processLimit = 256;                            // RLIMIT_NPROC of the sandbox uid
    // The niceness code (kernels, commands, file tools) runs at, 0-19, given to its scheduler
    // autogroup too: the playground's own sandbox uses 10, so a flood or a busy loop gives way to
    // the window; a shared server leaves it at 0.
    int codeNiceness = 0;
    int sandboxUidBase = 3000000; // when the server is root: session n runs as base + n % count
    int sandboxUidCount = 100000;
};

} // namespace agentbay::sandbox
