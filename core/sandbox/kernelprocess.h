// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/runcoderesult.h"

#include "isolationprofile.h"
#include "kerneldrivers.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QProcess>
#include <QQueue>
#include <QString>

class QTimer;

namespace agentbay::sandbox {

// How to start one language's kernel: the interpreter, its arguments and the driver source.
struct KernelSpec
{
    QString language;    // canonical: python, javascript
    QString interpreter; // absolute path
    QStringList arguments;
    QString workingDirectory; // on the host
    QString visibleWorkspace; // as the code sees it (/workspace when confined)
    IsolationProfile isolation;
    uid_t uid = 0;                                // the session's unprivileged uid
    qint64 maxOutputCharacters = 8 * 1024 * 1024; // stdout + stderr of one run

    // The interpreter for a canonical language: the explicit path, else Debian's, else PATH;
    // empty when there is none.
    static QString interpreterFor(const QString &language, const QString &explicitInterpreter);
    // The interpreter and the language's driver from drivers. Returns an empty interpreter when
    // the language cannot run here.
    static KernelSpec forLanguage(const QString &language, const QString &explicitInterpreter,
                                  const KernelDrivers &drivers, const QString &workingDirectory,
                                  const IsolationProfile &isolation = {});
    // The languages this machine can run locally with these drivers and interpreters (R also
    // needs its jsonlite package), by canonical name.
    static QStringList availableLanguages(const KernelDrivers &drivers,
                                          const QString &pythonInterpreter,
                                          const QString &nodeInterpreter);
};

// One persistent interpreter process for one session and language (state survives between
// runs). Runs execute one at a time, in the order submitted; each has a deadline after which it
// is interrupted, and killed with its process group if it does not stop within a short grace.
class KernelProcess final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KernelProcess)

public:
    explicit KernelProcess(KernelSpec spec, QObject *parent = nullptr);
    ~KernelProcess() override;

    const KernelSpec &spec() const { return m_spec; }
    QString interpreterVersion() const { return m_version; }
    bool isBusy() const { return m_current.has_value(); }

    // Queues a run; finished(runId, result) follows exactly once.
    quint64 submit(const QString &code, int timeoutSeconds);
    // A queued run finishes as cancelled; the running one is interrupted.
    void cancel(quint64 runId);
    // Ends the process (and its group) without waiting; pending runs finish as cancelled.
    void shutdown();
    // Stops or continues the whole process group (a paused kernel keeps its state).
    void setPaused(bool paused);
    // The process is up (it has been started and has not ended).
    bool isStarted() const;
    // An editor request of the assist extension (complete, signature, doc, lint, warm; the
    // Python and JavaScript drivers answer it), written at once, a run in progress or not:
    // the Python driver answers on its own thread, so neither waits for the other. Starts the
    // kernel if needed. assisted(id, answer) follows unless the kernel ends first.
    quint64 assist(QJsonObject request);

    static constexpr int InterruptGraceMs = 2000;

Q_SIGNALS:
    // Output of a run as the kernel sends it (within the run's output cap), before finished().
    void output(quint64 runId, bool isStderr, const QString &text);
    // A display()ed value or a figure, as the run produces it (its answer repeats it).
    void displayed(quint64 runId, const QJsonObject &bundle);
    void finished(quint64 runId, const agentbay::protocol::RunCodeResult &result);
    void assisted(quint64 assistId, const QJsonObject &answer);

private:
    struct Run
    {
        quint64 id = 0;
        QString code;
        int timeoutSeconds = 0;
        bool timedOut = false;
        bool cancelled = false;
        QString stdoutText;
        QString stderrText;
        qint64 keptCharacters = 0;
        qint64 droppedCharacters = 0;
        QElapsedTimer clock;

        // Keeps what fits in the run's output budget and counts the rest.
        // Keeps what fits in the run's output cap; returns what was kept.
        QString append(QString &stream, const QString &text, qint64 limit);
    };

    void ensureStarted();
    void startNext();
    void onStdout();
    void onStderr();
    void onFrame(const QByteArray &json);
    // Adds output to the current run and reports what was kept.
    void appendOutput(bool isStderr, const QString &text);
    void onOversizedFrame(qint64 bytes);
    QString languageName() const;
    void onProcessFinished(int exitCode, QProcess::ExitStatus status);
    void onDeadline();
    void onGraceExpired();
    void signalGroup(int signal);
    void reapDetached();
    void finishCurrent(agentbay::protocol::RunCodeResult result);
    static agentbay::protocol::RunCodeResult cancelledResult();
    // Output as chunk lists: pieces of at most 16 KiB that end at a line break when they can.
    static QStringList chunksOf(const QString &text);

    KernelSpec m_spec;
    QProcess *m_process = nullptr;
    QTimer *m_deadline = nullptr;
    QTimer *m_grace = nullptr;
    QByteArray m_stdoutBuffer;
    qint64 m_skippedFrameBytes = -1; // >= 0 while dropping the rest of an oversized frame
    QString m_version;
    QQueue<Run> m_queue;
    std::optional<Run> m_current;
    quint64 m_nextId = 1;
    quint64 m_nextAssistId = 1;
    bool m_shuttingDown = false;
    QString m_deathNote; // the kernel died between runs: said with the next run
};

} // namespace agentbay::sandbox
