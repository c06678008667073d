// SPDX-License-Identifier: GPL-3.0-or-later
#include "kernelprocess.h"

#include "protocol/coderesultcodec.h"
#include "protocol/freedmemory.h"
#include "protocol/language.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>
#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcKernel, "agentbay.sandbox.kernel")

namespace agentbay::sandbox {

using protocol::RunCodeResult;

namespace {

constexpr char FrameMarker = '\x1e';
// Java's single-file source mode needs the driver as a file: written to a private directory of
// the session's /tmp, which the driver removes once compiled. SIGINT, which the kernels inherit
// ignored, is restored for the JVM (a JVM leaves an ignored SIGINT ignored), so the driver can stop
// a snippet with it. The JVM is sized to fit the kernel's address-space limit: a small heap, one
// compiler thread, and two malloc arenas (each thread's 64 MiB arena counts against it).
constexpr char JavaLauncher[]
        = "dir=$(mktemp -d \"${TMPDIR:-/tmp}/.agentbay-java-XXXXXX\") || exit 3\n"
          "printf '%s' \"$2\" > \"$dir/JavaKernel.java\" || exit 3\n"
          "exec env --default-signal=INT MALLOC_ARENA_MAX=2 \"$1\" -Xmx512m -Xss4m "
          "-XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=256m "
          "-XX:CompressedClassSpaceSize=128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "
          "-XX:CICompilerCount=1 -Xshare:auto --source 17 \"$dir/JavaKernel.java\" \"$dir\"\n";

constexpr const char *RLibraries[] = {"/usr/lib/R/site-library", "/usr/lib/R/library",
                                      "/usr/local/lib/R/site-library"};

QString firstExisting(const QStringList &candidates)
{
    for (const QString &candidate : candidates) {
        if (candidate.isEmpty())
            continue;
        const QFileInfo info(candidate);
        if (info.isAbsolute() && info.isExecutable())
            return info.absoluteFilePath();
        if (!info.isAbsolute()) {
            QString found = QStandardPaths::findExecutable(candidate);
            if (!found.isEmpty())
                return found;
        }
    }
    return {};
}

} // namespace

QString KernelSpec::interpreterFor(const QString &language, const QString &explicitInterpreter)
{
    // Debian's interpreters first: they start fast and see Debian's packages (matplotlib).
    const auto known = protocol::Languages::fromName(language);
    if (!known || !protocol::Languages::info(*known).runsLocally())
        return {};
    const QString program = protocol::Languages::info(*known).kernelProgram;
    return firstExisting({explicitInterpreter, QStringLiteral("/usr/bin/") + program, program});
}

KernelSpec KernelSpec::forLanguage(const QString &language, const QString &explicitInterpreter,
                                   const KernelDrivers &drivers, const QString &workingDirectory,
                                   const IsolationProfile &isolation)
{
    KernelSpec spec;
    spec.language = language;
    spec.workingDirectory = workingDirectory;
    spec.isolation = isolation;
    spec.visibleWorkspace = isolation.visibleWorkspace(workingDirectory);
    spec.interpreter = interpreterFor(language, explicitInterpreter);
    switch (protocol::Languages::fromNameOr(language, protocol::Language::R)) {
    case protocol::Language::Python:
        spec.arguments = {QStringLiteral("-I"), QStringLiteral("-u"), QStringLiteral("-c"),
                          drivers.python};
        break;
    case protocol::Language::JavaScript:
        spec.arguments = {QStringLiteral("-e"), drivers.javascript};
        break;
    case protocol::Language::R:
        // --vanilla: no site or user profile runs before the driver (nor between runs).
        spec.arguments = {QStringLiteral("--vanilla"), QStringLiteral("-e"), drivers.r};
        break;
    case protocol::Language::Java:
        if (!spec.interpreter.isEmpty() && !drivers.java.isEmpty()) {
            // JShell (module jdk.jshell) comes with the JDK, not the runtime alone.
            const QFileInfo java(QFileInfo(spec.interpreter).canonicalFilePath());
            if (QFileInfo(java.dir().filePath(QStringLiteral("jshell"))).isExecutable()) {
                spec.arguments = {QStringLiteral("-c"), QString::fromLatin1(JavaLauncher),
                                  QStringLiteral("java-kernel"), spec.interpreter, drivers.java};
                spec.interpreter = QStringLiteral("/bin/sh");
            }
        }
        break;
    }
    if (spec.arguments.isEmpty() || spec.arguments.constLast().isEmpty())
        spec.interpreter.clear();
    return spec;
}

QStringList KernelSpec::availableLanguages(const KernelDrivers &drivers,
                                           const QString &pythonInterpreter,
                                           const QString &nodeInterpreter)
{
    QStringList available;
    for (const protocol::LanguageInfo &info : protocol::Languages::all()) {
        const QString explicitInterpreter = info.language == protocol::Language::Python
                                                    ? pythonInterpreter
                                            : info.language == protocol::Language::JavaScript
                                                    ? nodeInterpreter
                                                    : QString();
        if (forLanguage(info.name, explicitInterpreter, drivers, {}).interpreter.isEmpty())
            continue;
        if (info.language == protocol::Language::R) {
            // Where Debian's r-cran-jsonlite and a site install put it.
            const bool jsonlite = std::any_of(std::begin(RLibraries), std::end(RLibraries),
                                              [](const char *library) {
                                                  return QFileInfo::exists(
                                                          QLatin1String(library)
                                                          + QStringLiteral(
                                                                  "/jsonlite/DESCRIPTION"));
                                              });
            if (!jsonlite)
                continue;
        }
        available.append(info.name);
    }
    return available;
}

KernelProcess::KernelProcess(KernelSpec spec, QObject *parent)
    : QObject(parent), m_spec(std::move(spec)), m_deadline(new QTimer(this)),
      m_grace(new QTimer(this))
{
    m_deadline->setSingleShot(true);
    m_grace->setSingleShot(true);
    connect(m_deadline, &QTimer::timeout, this, &KernelProcess::onDeadline);
    connect(m_grace, &QTimer::timeout, this, &KernelProcess::onGraceExpired);
}

KernelProcess::~KernelProcess()
{
    m_shuttingDown = true;
    if (m_process && m_process->state() != QProcess::NotRunning) {
        signalGroup(SIGKILL);
        reapDetached();
    }
}

void KernelProcess::reapDetached()
{
    // The killed process is reaped when it has gone, without blocking the server's event loop.
    QProcess *process = m_process;
    m_process = nullptr;
    process->disconnect(this);
    // Owned by the application meanwhile, so a server that exits first still frees it.
    process->setParent(QCoreApplication::instance());
    connect(process, &QProcess::finished, process, &QObject::deleteLater);
}

void KernelProcess::ensureStarted()
{
    if (m_process && m_process->state() != QProcess::NotRunning)
        return;
    if (m_process) {
        m_process->disconnect(this);
        m_process->deleteLater();
    }
    m_stdoutBuffer.clear();
    m_skippedFrameBytes = -1;
    m_process = new QProcess(this);
    QStringList command = m_spec.isolation.wrap(m_spec.interpreter, m_spec.arguments,
                                                m_spec.workingDirectory);
    m_process->setProgram(command.takeFirst());
    m_process->setArguments(command);
    m_process->setWorkingDirectory(m_spec.workingDirectory);

    // A clean environment: nothing of the server's (API keys included) reaches user code.
    QProcessEnvironment env;
    env.insert(QStringLiteral("PATH"), QStringLiteral("/usr/local/bin:/usr/bin:/bin"));
    // The session's machine: its home and /tmp are shared with its other kernels and tools.
    const QString tmp = m_spec.isolation.visibleTmp(m_spec.workingDirectory);
    env.insert(QStringLiteral("HOME"), m_spec.isolation.visibleHome(m_spec.workingDirectory));
    env.insert(QStringLiteral("TMPDIR"), tmp);
    env.insert(QStringLiteral("MPLCONFIGDIR"), tmp + QStringLiteral("/matplotlib"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    env.insert(QStringLiteral("MPLBACKEND"), QStringLiteral("Agg"));
    env.insert(QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1"));
    env.insert(QStringLiteral("PYTHONIOENCODING"), QStringLiteral("utf-8"));
    m_process->setProcessEnvironment(env);

    m_process->setChildProcessModifier([isolation = m_spec.isolation, uid = m_spec.uid,
                                        processes = m_spec.isolation.processLimitNow()] {
        // Own process group, so a timeout can end everything the snippet started; die with the
        // server, whatever way the server ends; then the rlimits and the unprivileged uid.
        ::setsid();
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        // The interrupt sent to the group must stop the code, not the bwrap processes around
        // it: they inherit "ignore", and the drivers install their own SIGINT handler.
        ::signal(SIGINT, SIG_IGN);
        isolation.applyInChild(uid, processes);
    });

    connect(m_process, &QProcess::readyReadStandardOutput, this, &KernelProcess::onStdout);
    connect(m_process, &QProcess::readyReadStandardError, this, &KernelProcess::onStderr);
    connect(m_process, &QProcess::finished, this, &KernelProcess::onProcessFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        qCWarning(lcKernel) << "kernel failed to start:" << m_spec.interpreter
                            << m_process->errorString();
        RunCodeResult result;
        result.error = protocol::ExecutionError{QStringLiteral("KernelUnavailable"),
                                                tr("the %1 interpreter could not be started (%2)")
                                                        .arg(m_spec.interpreter,
                                                             m_process->errorString()),
                                                QString()};
        result.executionError = result.error->name + QLatin1String(": ") + result.error->value;
        result.errorMessage = result.executionError;
        if (m_current)
            finishCurrent(result);
    });
    qCDebug(lcKernel) << "starting" << m_spec.language << "kernel:" << m_spec.interpreter;
    m_process->start();
}

quint64 KernelProcess::submit(const QString &code, int timeoutSeconds)
{
    Run run;
    run.id = m_nextId++;
    run.code = code;
    run.timeoutSeconds = timeoutSeconds;
    m_queue.enqueue(run);
    const quint64 id = run.id;
    // Start on the next turn of the event loop, so callers can connect to finished() first.
    QTimer::singleShot(0, this, &KernelProcess::startNext);
    return id;
}

void KernelProcess::startNext()
{
    if (m_current || m_queue.isEmpty() || m_shuttingDown)
        return;
    m_current = m_queue.dequeue();
    ensureStarted();
    m_current->clock.start();
    if (!m_deathNote.isEmpty()) {
        // Said first, so a streamed run shows it where the final answer has it.
        const QString note = QStringLiteral("[kernel restarted] %1\n").arg(m_deathNote);
        m_deathNote.clear();
        m_current->stderrText = note;
        Q_EMIT output(m_current->id, true, note);
    }
    const QJsonObject request{{QLatin1String("id"), static_cast<qint64>(m_current->id)},
                              {QLatin1String("code"), m_current->code},
                              {QLatin1String("maxOutput"), m_spec.maxOutputCharacters}};
    m_process->write(QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n');
    m_deadline->start(m_current->timeoutSeconds * 1000);
}

bool KernelProcess::isStarted() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

quint64 KernelProcess::assist(QJsonObject request)
{
    ensureStarted();
    const quint64 id = m_nextAssistId++;
    request.insert(QLatin1String("type"), QLatin1String("assist"));
    request.insert(QLatin1String("id"), static_cast<qint64>(id));
    m_process->write(QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n');
    return id;
}

void KernelProcess::cancel(quint64 runId)
{
    for (qsizetype i = 0; i < m_queue.size(); ++i) {
        if (m_queue.at(i).id == runId) {
            m_queue.removeAt(i);
            Q_EMIT finished(runId, cancelledResult());
            return;
        }
    }
    if (m_current && m_current->id == runId && !m_current->cancelled) {
        m_current->cancelled = true;
        signalGroup(SIGINT);
        m_grace->start(InterruptGraceMs);
    }
}

void KernelProcess::shutdown()
{
    m_shuttingDown = true;
    m_deadline->stop();
    m_grace->stop();
    if (m_process && m_process->state() != QProcess::NotRunning) {
        signalGroup(SIGKILL);
        reapDetached();
    }
    const auto pending = m_queue;
    m_queue.clear();
    if (m_current) {
        const quint64 id = m_current->id;
        m_current.reset();
        Q_EMIT finished(id, cancelledResult());
    }
    for (const Run &run : pending)
        Q_EMIT finished(run.id, cancelledResult());
}

void KernelProcess::setPaused(bool paused)
{
    signalGroup(paused ? SIGSTOP : SIGCONT);
}

RunCodeResult KernelProcess::cancelledResult()
{
    RunCodeResult result;
    result.error = protocol::ExecutionError{QStringLiteral("Cancelled"),
                                            tr("the run was cancelled"), QString()};
    result.executionError = QStringLiteral("Cancelled: ") + result.error->value;
    result.errorMessage = result.executionError;
    return result;
}

void KernelProcess::signalGroup(int signal)
{
    if (!m_process)
        return;
    const qint64 pid = m_process->processId();
    if (pid > 0)
        ::kill(-static_cast<pid_t>(pid), signal);
}

void KernelProcess::onDeadline()
{
    if (!m_current)
        return;
    qCInfo(lcKernel) << "run" << m_current->id << "reached its" << m_current->timeoutSeconds
                     << "s deadline; interrupting";
    m_current->timedOut = true;
    signalGroup(SIGINT);
    m_grace->start(InterruptGraceMs);
}

void KernelProcess::onGraceExpired()
{
    if (!m_current)
        return;
    qCWarning(lcKernel) << "kernel ignored the interrupt; killing its process group";
    signalGroup(SIGKILL);
    // onProcessFinished reports the run; the next run starts a fresh kernel.
}

void KernelProcess::onStdout()
{
    m_stdoutBuffer += m_process->readAllStandardOutput();
    const qint64 frameLimit = m_spec.maxOutputCharacters + 1024;
    for (;;) {
        const qsizetype newline = m_stdoutBuffer.indexOf('\n');
        if (m_skippedFrameBytes >= 0) {
            // The tail of an oversized frame: dropped unread, up to the line that ends it.
            if (newline < 0) {
                m_skippedFrameBytes += m_stdoutBuffer.size();
                m_stdoutBuffer.clear();
                return;
            }
            m_skippedFrameBytes += newline;
            m_stdoutBuffer.remove(0, newline + 1);
            onOversizedFrame(m_skippedFrameBytes);
            m_skippedFrameBytes = -1;
            continue;
        }
        if (newline < 0) {
            if (m_stdoutBuffer.size() <= frameLimit)
                return;
            if (m_stdoutBuffer.startsWith(FrameMarker)) {
                // A frame bigger than any answer may be (a huge display()): never buffered whole.
                m_skippedFrameBytes = m_stdoutBuffer.size();
                m_stdoutBuffer.clear();
                return;
            }
            // A stray line longer than the whole budget is output, not a frame: keep its head.
            appendOutput(false, QString::fromUtf8(m_stdoutBuffer));
            m_stdoutBuffer.clear();
            return;
        }
        const QByteArray line = m_stdoutBuffer.left(newline);
        m_stdoutBuffer.remove(0, newline + 1);
        if (line.size() > frameLimit && line.startsWith(FrameMarker))
            onOversizedFrame(line.size());
        else if (line.startsWith(FrameMarker))
            onFrame(line.mid(1));
        else if (m_current)
            appendOutput(false, QString::fromUtf8(line) + QLatin1Char('\n'));
    }
}

void KernelProcess::onOversizedFrame(qint64 bytes)
{
    // Only a run's last frame carries its results; a stream frame is never this large. The run
    // ends now, with what it printed and a reason, instead of waiting for its deadline.
    if (!m_current)
        return;
    qCWarning(lcKernel) << "run" << m_current->id << "produced a result of" << bytes
                        << "bytes; the limit is" << m_spec.maxOutputCharacters;
    RunCodeResult result;
    result.error = protocol::ExecutionError{
            QStringLiteral("ResultTooLarge"),
            tr("the run's results (display() and the last value) came to %1 bytes, more than "
               "the sandbox's limit of %2; they were dropped. Display less (a summary, a "
               "smaller image) or raise the limit with agentbay-sandbox --max-output")
                    .arg(bytes)
                    .arg(m_spec.maxOutputCharacters),
            QString()};
    finishCurrent(result);
}

void KernelProcess::onStderr()
{
    const QString text = QString::fromUtf8(m_process->readAllStandardError());
    if (m_current)
        appendOutput(true, text);
    else if (!text.trimmed().isEmpty())
        qCDebug(lcKernel) << "kernel stderr between runs:" << text.left(500);
}

void KernelProcess::onFrame(const QByteArray &json)
{
    const QJsonObject frame = QJsonDocument::fromJson(json).object();
    const QString type = frame.value(QLatin1String("type")).toString();
    if (type == QLatin1String("ready")) {
        m_version = frame.value(QLatin1String("version")).toString();
        return;
    }
    if (type == QLatin1String("assist")) {
        Q_EMIT assisted(static_cast<quint64>(frame.value(QLatin1String("id")).toInteger()),
                        frame.value(QLatin1String("answer")).toObject());
        return;
    }
    if (!m_current
        || static_cast<quint64>(frame.value(QLatin1String("id")).toInteger()) != m_current->id)
        return;
    if (type == QLatin1String("stream")) {
        const bool isStderr = frame.value(QLatin1String("name")).toString()
                              == QLatin1String("stderr");
        appendOutput(isStderr, frame.value(QLatin1String("text")).toString());
        return;
    }
    if (type == QLatin1String("display")) {
        Q_EMIT displayed(m_current->id, frame.value(QLatin1String("data")).toObject());
        return;
    }
    if (type != QLatin1String("done"))
        return;

    RunCodeResult result;
    m_current->droppedCharacters += frame.value(QLatin1String("droppedOutput")).toInteger();
    const QJsonArray items = frame.value(QLatin1String("result")).toArray();
    for (const auto &item : items)
        result.results.append(protocol::CodeResultCodec::bundleFromJson(item.toObject()));
    result.executionCount = frame.value(QLatin1String("executionCount")).toInt(-1);
    result.executionTimeSeconds = frame.value(QLatin1String("executionTime")).toDouble(-1);
    const QJsonObject error = frame.value(QLatin1String("error")).toObject();
    if (!error.isEmpty()) {
        result.error = protocol::ExecutionError{error.value(QLatin1String("name")).toString(),
                                                error.value(QLatin1String("value")).toString(),
                                                error.value(QLatin1String("traceback")).toString()};
    }
    finishCurrent(result);
}

QString KernelProcess::languageName() const
{
    return protocol::Languages::info(protocol::Languages::fromNameOr(m_spec.language)).displayName;
}

void KernelProcess::onProcessFinished(int exitCode, QProcess::ExitStatus status)
{
    qCInfo(lcKernel) << m_spec.language << "kernel exited" << exitCode << status;
    const QString how = status == QProcess::CrashExit
                                ? tr("was killed (by a signal, or by its memory limit)")
                                : tr("exited with status %1").arg(exitCode);
    if (!m_current) {
        // Between runs (a thread's os._exit, a timer's process.exit): the next run says so.
        if (!m_shuttingDown) {
            m_deathNote = tr("the %1 kernel %2 after its last run: variables are lost; this run "
                             "started a fresh kernel")
                                  .arg(languageName(), how);
        }
        return;
    }
    RunCodeResult result;
    result.error = protocol::ExecutionError{QStringLiteral("KernelDied"),
                                            tr("the %1 kernel %2: variables are lost; the next "
                                               "run starts a fresh kernel")
                                                    .arg(languageName(), how),
                                            QString()};
    finishCurrent(result);
}

QString KernelProcess::Run::append(QString &stream, const QString &text, qint64 limit)
{
    const qint64 room = std::max<qint64>(0, limit - keptCharacters);
    const qint64 kept = std::min<qint64>(room, text.size());
    const QString keptText = kept == text.size() ? text : text.left(kept);
    stream += keptText;
    keptCharacters += kept;
    droppedCharacters += text.size() - kept;
    return keptText;
}

void KernelProcess::appendOutput(bool isStderr, const QString &text)
{
    if (!m_current)
        return;
    const QString kept = m_current->append(isStderr ? m_current->stderrText : m_current->stdoutText,
                                           text, m_spec.maxOutputCharacters);
    if (!kept.isEmpty())
        Q_EMIT output(m_current->id, isStderr, kept);
}

QStringList KernelProcess::chunksOf(const QString &text)
{
    constexpr qsizetype MaxChunk = 16384;
    QStringList chunks;
    qsizetype position = 0;
    while (position < text.size()) {
        qsizetype end = std::min(position + MaxChunk, text.size());
        if (end < text.size()) {
            const qsizetype newline = text.lastIndexOf(QLatin1Char('\n'), end - 1);
            if (newline >= position)
                end = newline + 1;
        }
        chunks.append(text.mid(position, end - position));
        position = end;
    }
    return chunks;
}

void KernelProcess::finishCurrent(RunCodeResult result)
{
    m_deadline->stop();
    m_grace->stop();
    Run run = std::move(*m_current);
    m_current.reset();
    if (!m_deathNote.isEmpty()) {
        const QString note = QStringLiteral("[kernel restarted] %1\n").arg(m_deathNote);
        m_deathNote.clear();
        run.stderrText = note + run.stderrText;
    }
    result.stdoutChunks = chunksOf(run.stdoutText);
    result.stderrChunks = chunksOf(run.stderrText);
    if (run.droppedCharacters > 0) {
        // Said where the output stops, so nobody mistakes the cut for the program's own end.
        result.stdoutChunks.append(
                tr("\n[output truncated: %1 more characters were dropped; a run may print at most "
                   "%2 characters]\n")
                        .arg(run.droppedCharacters)
                        .arg(m_spec.maxOutputCharacters));
        result.droppedOutputCharacters = run.droppedCharacters;
    }
    if (run.timedOut) {
        // Whatever the kernel said (KeyboardInterrupt, or it died), the cause is the deadline.
        result.timedOut = true;
        result.error = protocol::ExecutionError{
                QStringLiteral("TimeoutError"),
                tr("execution exceeded the %1 s timeout and was stopped after %2 s")
                        .arg(run.timeoutSeconds)
                        .arg(run.clock.elapsed() / 1000.0, 0, 'f', 1),
                result.error ? result.error->traceback : QString()};
    } else if (run.cancelled) {
        result.error = protocol::ExecutionError{QStringLiteral("Cancelled"),
                                                tr("the run was interrupted on request"),
                                                result.error ? result.error->traceback : QString()};
    }
    if (result.executionTimeSeconds < 0)
        result.executionTimeSeconds = run.clock.elapsed() / 1000.0;
    if (result.error) {
        result.executionError = result.error->name + QLatin1String(": ") + result.error->value;
        result.errorMessage = result.executionError;
    }
    result.success = !result.error;
    Q_EMIT finished(run.id, result);
    // Its answer is on its way: the megabytes a flood took go back to the system soon after.
    if (run.keptCharacters > protocol::FreedMemory::LargeOutputCharacters)
        protocol::FreedMemory::releaseSoon();
    QTimer::singleShot(0, this, &KernelProcess::startNext);
}

} // namespace agentbay::sandbox
