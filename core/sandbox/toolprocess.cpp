// SPDX-License-Identifier: GPL-3.0-or-later
#include "toolprocess.h"

#include <QDir>
#include <QTimer>

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace agentbay::sandbox {

ToolProcess::ToolProcess(IsolationProfile isolation, uid_t uid, QString hostWorkspace,
                         QObject *parent)
    : QObject(parent), m_isolation(std::move(isolation)), m_uid(uid),
      m_hostWorkspace(std::move(hostWorkspace)), m_process(new QProcess(this)),
      m_deadline(new QTimer(this))
{
    m_deadline->setSingleShot(true);
    connect(m_deadline, &QTimer::timeout, this, [this] {
        m_timedOut = true;
        killGroup();
    });
    connect(m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus status) {
        if (m_done)
            return;
        m_done = true;
        m_deadline->stop();
        Outcome outcome;
        outcome.exitCode = status == QProcess::NormalExit ? exitCode : -1;
        outcome.timedOut = m_timedOut;
        outcome.stdoutText = QString::fromUtf8(
                m_process->readAllStandardOutput().left(MaxOutputCharacters));
        outcome.stderrText = QString::fromUtf8(
                m_process->readAllStandardError().left(MaxOutputCharacters));
        killGroup(); // anything it left running in the background goes with it
        Q_EMIT finished(outcome);
    });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart || m_done)
            return;
        m_done = true;
        Outcome outcome;
        outcome.failure = m_process->errorString();
        Q_EMIT finished(outcome);
    });
}

ToolProcess::~ToolProcess()
{
    m_done = true;
    killGroup();
}

void ToolProcess::start(const QString &program, const QStringList &arguments,
                        const QByteArray &input, int timeoutMs, const QString &cwd,
                        const QList<QPair<QString, QString>> &environment)
{
    const QString inside = cwd.isEmpty() ? m_isolation.visibleWorkspace(m_hostWorkspace) : cwd;
    QStringList command = m_isolation.wrap(program, arguments, m_hostWorkspace, inside);
    m_process->setProgram(command.takeFirst());
    m_process->setArguments(command);
    // bubblewrap changes into cwd inside its view; without it, cwd is a host path already.
    m_process->setWorkingDirectory(m_isolation.usesBubblewrap() ? m_hostWorkspace : inside);
    QProcessEnvironment env;
    env.insert(QStringLiteral("PATH"), QStringLiteral("/usr/local/bin:/usr/bin:/bin"));
    env.insert(QStringLiteral("HOME"), m_isolation.visibleHome(m_hostWorkspace));
    env.insert(QStringLiteral("TMPDIR"), m_isolation.visibleTmp(m_hostWorkspace));
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    for (const auto &[name, value] : environment)
        env.insert(name, value);
    m_process->setProcessEnvironment(env);
    m_process->setChildProcessModifier(
            [isolation = m_isolation, uid = m_uid, processes = m_isolation.processLimitNow()] {
                ::setsid();
                ::prctl(PR_SET_PDEATHSIG, SIGKILL);
                isolation.applyInChild(uid, processes);
            });
    m_deadline->start(timeoutMs);
    m_process->start();
    m_process->write(input);
    m_process->closeWriteChannel();
}

void ToolProcess::cancel()
{
    m_done = true;
    killGroup();
}

void ToolProcess::killGroup()
{
    const qint64 pid = m_process->processId();
    if (pid > 0)
        ::kill(-static_cast<pid_t>(pid), SIGKILL);
}

} // namespace agentbay::sandbox
