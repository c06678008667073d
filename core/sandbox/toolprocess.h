// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "isolationprofile.h"

#include <QObject>
#include <QProcess>

class QTimer;

namespace agentbay::sandbox {

// One short-lived command (the shell tool, a file tool) in a session's isolation: the same
// namespaces, uid and rlimits as its kernels, the workspace as its only writable place. Its
// process group is killed at the deadline; its output is capped.
class ToolProcess final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ToolProcess)

public:
    struct Outcome
    {
        int exitCode = -1;
        QString stdoutText;
        QString stderrText;
        bool timedOut = false;
        QString failure; // could not run at all
    };

    ToolProcess(IsolationProfile isolation, uid_t uid, QString hostWorkspace,
                QObject *parent = nullptr);
    ~ToolProcess() override;

    // cwd is as the code sees it (inside the workspace); finished() follows exactly once.
    void start(const QString &program, const QStringList &arguments, const QByteArray &input,
               int timeoutMs, const QString &cwd = {},
               const QList<QPair<QString, QString>> &environment = {});
    // Kills it; finished() is not emitted.
    void cancel();

    static constexpr qint64 MaxOutputCharacters = 8 * 1024 * 1024;

Q_SIGNALS:
    void finished(const agentbay::sandbox::ToolProcess::Outcome &outcome);

private:
    void killGroup();

    IsolationProfile m_isolation;
    uid_t m_uid;
    QString m_hostWorkspace;
    QProcess *m_process;
    QTimer *m_deadline;
    bool m_timedOut = false;
    bool m_done = false;
};

} // namespace agentbay::sandbox
