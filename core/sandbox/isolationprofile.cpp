// SPDX-License-Identifier: GPL-3.0-or-later
#include "isolationprofile.h"

#include "sandboxconfig.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QStandardPaths>

#include <algorithm>
#include <cstdio>
#include <fcntl.h>
#include <grp.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcIsolation, "agentbay.sandbox.isolation")

namespace agentbay::sandbox {

namespace {

const QString InsideWorkspace = QStringLiteral("/workspace");
const QString InsideHome = QStringLiteral("/home/user");
const QString InsideTmp = QStringLiteral("/tmp");

// A session's machine: its directory holds workspace/, tmp/ and home/ (see SessionRegistry).
QString machinePart(const QString &hostWorkspace, const char *part)
{
    return QFileInfo(hostWorkspace).absolutePath() + QLatin1Char('/') + QLatin1String(part);
}

QString tr(const char *text)
{
    return QCoreApplication::translate("IsolationProfile", text);
}

// The read-only view of the system every kernel gets (Debian's merged /usr).
QStringList systemBinds(const QStringList &extraReadOnly)
{
    QStringList args{QStringLiteral("--unshare-all"), QStringLiteral("--die-with-parent"),
                     QStringLiteral("--ro-bind"), QStringLiteral("/usr"), QStringLiteral("/usr")};
    for (const char *link : {"lib", "lib64", "bin", "sbin"}) {
        const QString path = QStringLiteral("/") + QLatin1String(link);
        const QFileInfo info(path);
        if (info.isSymLink())
            args << QStringLiteral("--symlink") << info.symLinkTarget().mid(1) << path;
        else if (info.isDir())
            args << QStringLiteral("--ro-bind") << path << path;
    }
    // What matplotlib, fontconfig, the dynamic loader and R read from /etc, when present.
    for (const char *file : {"/etc/alternatives", "/etc/ld.so.cache", "/etc/fonts",
                             "/etc/matplotlibrc", "/etc/localtime", "/etc/mime.types", "/etc/R"})
        args << QStringLiteral("--ro-bind-try") << QLatin1String(file) << QLatin1String(file);
    // A JDK's configuration (java.security among it), which its conf/ links to.
    for (const QString &jdk :
         QDir(QStringLiteral("/etc")).entryList({QStringLiteral("java-*")}, QDir::Dirs)) {
        const QString path = QStringLiteral("/etc/") + jdk;
        args << QStringLiteral("--ro-bind") << path << path;
    }
    for (const QString &path : extraReadOnly)
        args << QStringLiteral("--ro-bind") << path << path;
    args << QStringLiteral("--proc") << QStringLiteral("/proc") << QStringLiteral("--dev")
         << QStringLiteral("/dev");
    return args;
}

// Where a kernel's child finds its copy of the seccomp program (see applyInChild).
constexpr int SeccompChildFd = 10;

// System calls no snippet needs and an escape would: debugging other processes, mounting,
// loading kernel code, keyrings, BPF, perf, userfaultfd. They fail with EPERM. The program is
// exported into a memfd once; returns -1 (and says why) when that is not possible.
int buildSeccompProgram(QString *why)
{
    scmp_filter_ctx context = ::seccomp_init(SCMP_ACT_ALLOW);
    if (!context) {
        *why = QStringLiteral("seccomp_init failed");
        return -1;
    }
    const char *denied[] = {"ptrace",
                            "process_vm_readv",
                            "process_vm_writev",
                            "mount",
                            "umount2",
                            "pivot_root",
                            "swapon",
                            "swapoff",
                            "reboot",
                            "kexec_load",
                            "kexec_file_load",
                            "init_module",
                            "finit_module",
                            "delete_module",
                            "bpf",
                            "perf_event_open",
                            "keyctl",
                            "add_key",
                            "request_key",
                            "userfaultfd",
                            "acct",
                            "quotactl",
                            "settimeofday",
                            "clock_settime",
                            "open_by_handle_at",
                            "name_to_handle_at",
                            "lookup_dcookie",
                            "fanotify_init",
                            "syslog"};
    for (const char *name : denied) {
        const int number = ::seccomp_syscall_resolve_name(name);
        if (number != __NR_SCMP_ERROR)
            ::seccomp_rule_add(context, SCMP_ACT_ERRNO(EPERM), number, 0);
    }
    const int fd = ::memfd_create("agentbay-seccomp", MFD_CLOEXEC);
    const bool exported = fd >= 0 && ::seccomp_export_bpf(context, fd) == 0;
    ::seccomp_release(context);
    if (!exported) {
        *why = QStringLiteral("cannot export the seccomp program");
        if (fd >= 0)
            ::close(fd);
        return -1;
    }
    return fd;
}

QString mebibytes(qint64 bytes)
{
    return QString::number(bytes / (1024 * 1024)) + QStringLiteral(" MiB");
}

} // namespace

IsolationProfile IsolationProfile::detect(const SandboxConfig &config)
{
    IsolationProfile profile;
    profile.m_memoryBytes = config.memoryLimitBytes;
    profile.m_processes = config.processLimit;
    profile.m_openFiles = 512;
    profile.m_fileBytes = qint64{256} * 1024 * 1024;
    profile.m_cpuSeconds = 3600;
    profile.m_codeNiceness = std::clamp(config.codeNiceness, 0, 19);
    if (::geteuid() == 0) {
        profile.m_switchUid = true;
        profile.m_uidBase = static_cast<uid_t>(config.sandboxUidBase);
        profile.m_uidCount = static_cast<quint32>(std::max(1, config.sandboxUidCount));
    }
    // Interpreters installed outside /usr are made visible read-only, with their prefix.
    for (const QString &interpreter : {config.pythonInterpreter, config.nodeInterpreter}) {
        const QString resolved = QFileInfo(interpreter).canonicalFilePath();
        if (!resolved.isEmpty() && !resolved.startsWith(QLatin1String("/usr/"))) {
            QDir prefix = QFileInfo(resolved).dir();
            prefix.cdUp();
            profile.m_extraReadOnly.append(prefix.absolutePath());
        }
    }

    QString bubblewrap;
    QString why;
    if (!config.useBubblewrap) {
        why = tr("disabled with --no-bubblewrap");
    } else {
        bubblewrap = QStandardPaths::findExecutable(QStringLiteral("bwrap"));
        if (bubblewrap.isEmpty())
            why = tr("bwrap is not installed (Debian package bubblewrap)");
    }
    QString seccompWhy;
    if (!bubblewrap.isEmpty())
        profile.m_seccompFd = buildSeccompProgram(&seccompWhy);
    else
        seccompWhy = tr("applied through bubblewrap, which is not in use");
    if (!bubblewrap.isEmpty()) {
        // Probe once at start-up, before serving: the same confinement a kernel gets, as the
        // same uid, running `true`.
        QProcess probe;
        probe.setProgram(bubblewrap);
        QStringList probeArguments = systemBinds(profile.m_extraReadOnly);
        probeArguments << QStringLiteral("--tmpfs") << InsideTmp << QStringLiteral("--remount-ro")
                       << QStringLiteral("/");
        if (profile.m_seccompFd >= 0)
            probeArguments << QStringLiteral("--seccomp") << QString::number(SeccompChildFd);
        probe.setArguments(probeArguments << QStringLiteral("--")
                                          << QStringLiteral("/usr/bin/true"));
        probe.setChildProcessModifier(
                [profile, uid = profile.uidForSession(0), processes = profile.processLimitNow()] {
                    profile.applyInChild(uid, processes);
                });
        probe.start();
        const bool finished = probe.waitForFinished(10000);
        if (!finished || probe.exitStatus() != QProcess::NormalExit || probe.exitCode() != 0) {
            why = tr("bwrap does not work here: %1")
                          .arg(QString::fromLocal8Bit(probe.readAllStandardError()).trimmed());
            if (!finished)
                probe.kill();
            bubblewrap.clear();
        }
    }
    profile.m_bubblewrap = bubblewrap;

    profile.m_layers.append(
            {QStringLiteral("bubblewrap"), profile.usesBubblewrap(),
             profile.usesBubblewrap()
                     ? tr("namespaces: no network, a read-only system, /workspace, /tmp and "
                          "/home/user the session's own and the only writable places, private "
                          "/proc, dies with the server")
                     : tr("not in use (%1): code can read your files and use the network").arg(why)});
    profile.m_layers.append(
            {QStringLiteral("rlimits"), true,
             tr("memory %1, processes %2, open files %3, file size %4, CPU %5 s per kernel")
                     .arg(mebibytes(profile.m_memoryBytes))
                     .arg(profile.m_switchUid
                                  ? QString::number(profile.m_processes)
                                  : tr("%1 more than the user has").arg(profile.m_processes))
                     .arg(profile.m_openFiles)
                     .arg(mebibytes(profile.m_fileBytes))
                     .arg(profile.m_cpuSeconds)});
    profile.m_layers.append({QStringLiteral("unprivileged-uid"), profile.m_switchUid,
                             profile.m_switchUid
                                     ? tr("each session's kernels run as a uid of their own (from "
                                          "%1 up), so the process limit holds per session")
                                               .arg(profile.m_uidBase)
                                     : tr("the server is not root: kernels run as its own uid")});
    profile.m_layers.append({QStringLiteral("process-group"), true,
                             tr("a run past its deadline is interrupted, then its whole "
                                "process group is killed and the kernel restarted")});
    profile.m_layers.append(
            {QStringLiteral("cpu-priority"), profile.m_codeNiceness > 0,
             profile.m_codeNiceness > 0
                     ? tr("code runs at niceness %1, in a scheduler group of its own at the same "
                          "niceness: idle cycles are its, a busy loop gives way to the window and "
                          "the server")
                               .arg(profile.m_codeNiceness)
                     : tr("code runs at the server's priority (--code-niceness 0)")});
    profile.m_layers.append({QStringLiteral("output-cap"), true,
                             tr("at most %1 characters of output a run, then a truncation marker")
                                     .arg(config.maxOutputCharacters)});
    profile.m_layers.append(
            {QStringLiteral("seccomp"), profile.usesBubblewrap() && profile.m_seccompFd >= 0,
             profile.usesBubblewrap() && profile.m_seccompFd >= 0
                     ? tr("ptrace, mount, kexec, kernel modules, bpf, perf, keyrings, userfaultfd "
                          "and similar calls fail with EPERM")
                     : tr("not applied: %1").arg(seccompWhy)});
    for (const QString &warning : profile.warnings())
        qCWarning(lcIsolation).noquote() << warning;
    return profile;
}

QString IsolationProfile::visibleWorkspace(const QString &hostWorkspace) const
{
    return usesBubblewrap() ? InsideWorkspace : hostWorkspace;
}

QString IsolationProfile::visibleHome(const QString &hostWorkspace) const
{
    return usesBubblewrap() ? InsideHome : machinePart(hostWorkspace, "home");
}

QString IsolationProfile::visibleTmp(const QString &hostWorkspace) const
{
    return usesBubblewrap() ? InsideTmp : machinePart(hostWorkspace, "tmp");
}

QStringList IsolationProfile::wrap(const QString &program, const QStringList &arguments,
                                   const QString &hostWorkspace, const QString &cwd) const
{
    if (!usesBubblewrap())
        return QStringList{program} + arguments;
    QStringList command{m_bubblewrap};
    command += systemBinds(m_extraReadOnly);
    // One machine per session: every kernel, shell and file tool of it sees the same /workspace,
    // /tmp and home, and nothing else it can write.
    command << QStringLiteral("--bind") << hostWorkspace << InsideWorkspace
            << QStringLiteral("--bind") << machinePart(hostWorkspace, "tmp") << InsideTmp
            << QStringLiteral("--bind") << machinePart(hostWorkspace, "home") << InsideHome
            << QStringLiteral("--remount-ro") << QStringLiteral("/") << QStringLiteral("--chdir")
            << (cwd.isEmpty() ? InsideWorkspace : cwd);
    if (m_seccompFd >= 0)
        command << QStringLiteral("--seccomp") << QString::number(SeccompChildFd);
    command << QStringLiteral("--") << program;
    return command + arguments;
}

qint64 IsolationProfile::processLimitNow() const
{
    if (m_switchUid)
        return m_processes;
    qint64 mine = 0;
    const QStringList entries = QDir(QStringLiteral("/proc"))
                                        .entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool isPid = false;
        entry.toLongLong(&isPid);
        if (isPid && QFileInfo(QStringLiteral("/proc/") + entry).ownerId() == ::getuid())
            ++mine;
    }
    return mine + m_processes;
}

uid_t IsolationProfile::uidForSession(quint32 sessionNumber) const
{
    if (!m_switchUid)
        return ::getuid();
    return m_uidBase + sessionNumber % m_uidCount;
}

void IsolationProfile::applyInChild(uid_t uid, qint64 processLimit) const
{
    if (m_seccompFd >= 0) {
        // A descriptor of our own (a fresh read offset) on the number bubblewrap is told.
        char path[64];
        std::snprintf(path, sizeof path, "/proc/self/fd/%d", m_seccompFd);
        const int fd = ::open(path, O_RDONLY);
        if (fd < 0 || ::dup2(fd, SeccompChildFd) < 0)
            ::_exit(126);
        if (fd != SeccompChildFd)
            ::close(fd);
    }
    const auto limit = [](int resource, qint64 value) {
        if (value <= 0)
            return;
        const rlimit bound{static_cast<rlim_t>(value), static_cast<rlim_t>(value)};
        ::setrlimit(resource, &bound);
    };
    limit(RLIMIT_AS, m_memoryBytes);
    limit(RLIMIT_NPROC, processLimit);
    limit(RLIMIT_NOFILE, m_openFiles);
    limit(RLIMIT_FSIZE, m_fileBytes);
    limit(RLIMIT_CPU, m_cpuSeconds);
    const rlimit noCore{0, 0};
    ::setrlimit(RLIMIT_CORE, &noCore);
    // Kernels and tools lead a session of their own (setsid), which the scheduler's autogroups
    // weigh as a whole: the niceness is given to that group too, else it would only order the
    // code's own threads. Only a session leader does so: any other child shares the server's
    // group (and the desktop session's), which must keep its own weight.
    if (m_codeNiceness > 0)
        ::setpriority(PRIO_PROCESS, 0, m_codeNiceness);
    if (const int group = m_codeNiceness > 0 && ::getsid(0) == ::getpid()
                                  ? ::open("/proc/self/autogroup", O_WRONLY | O_CLOEXEC)
                                  : -1;
        group >= 0) {
        const char niceness[] = {static_cast<char>('0' + m_codeNiceness / 10),
                                 static_cast<char>('0' + m_codeNiceness % 10)};
        [[maybe_unused]] const ssize_t written = ::write(group, niceness, sizeof niceness);
        ::close(group);
    }
    if (m_switchUid) {
        // Groups first, then gid, then uid: after setuid nothing else may be changed. If any
        // step fails the child must not run code as root.
        if (::setgroups(0, nullptr) != 0 || ::setgid(uid) != 0 || ::setuid(uid) != 0)
            ::_exit(127);
    }
}

bool IsolationProfile::prepareMachine(const QString &hostWorkspace, uid_t uid) const
{
    const QStringList writable{hostWorkspace, machinePart(hostWorkspace, "tmp"),
                               machinePart(hostWorkspace, "home")};
    for (const QString &directory : writable) {
        if (!QDir().mkpath(directory))
            return false;
    }
    if (!m_switchUid)
        return true;
    for (const QString &directory : writable) {
        const QByteArray path = QFile::encodeName(directory);
        if (::chown(path.constData(), uid, uid) != 0)
            qCWarning(lcIsolation) << "cannot give" << directory << "to uid" << uid;
    }
    // The unprivileged uid must be able to pass through the roots to its directories.
    const QString machine = QFileInfo(hostWorkspace).absolutePath();
    for (const QString &root : {machine, QFileInfo(machine).absolutePath()})
        ::chmod(QFile::encodeName(root).constData(), 0711);
    return true;
}

QJsonArray IsolationProfile::report() const
{
    QJsonArray layers;
    for (const IsolationLayer &layer : m_layers) {
        layers.append(QJsonObject{{QStringLiteral("layer"), layer.name},
                                  {QStringLiteral("active"), layer.active},
                                  {QStringLiteral("detail"), layer.detail}});
    }
    return layers;
}

QStringList IsolationProfile::warnings() const
{
    QStringList out;
    for (const IsolationLayer &layer : m_layers) {
        if (!layer.active && layer.name == QLatin1String("bubblewrap"))
            out.append(tr("WARNING: kernels run without bubblewrap: %1").arg(layer.detail));
    }
    return out;
}

} // namespace agentbay::sandbox
