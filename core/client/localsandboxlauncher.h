// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QProcess>
#include <QUrl>

class QTimer;

namespace agentbay::client {

// Starts the agentbay-sandbox process on 127.0.0.1 with a port it picks and a fresh random API
// key, reads the endpoint from its first line, and ends it on stop() or when this app dies.
class LocalSandboxLauncher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalSandboxLauncher)

public:
    explicit LocalSandboxLauncher(QObject *parent = nullptr);
    ~LocalSandboxLauncher() override;

    // Extra agentbay-sandbox flags (limits), before start().
    void setExtraArguments(const QStringList &arguments) { m_extraArguments = arguments; }
    void start();
    // Asks the server to end (it deletes its sessions); stopped() follows, at most ~3 s later.
    void stop();
    bool isRunning() const;
    qint64 processId() const { return m_process ? m_process->processId() : 0; }
    QUrl endpoint() const { return m_endpoint; }
    QString apiKey() const { return m_apiKey; }
    // The protocol extensions the running sandbox offers ("stream").
    QStringList extensions() const { return m_extensions; }
    // The languages it has kernels for on this machine ("python", "javascript", "r").
    QStringList languages() const { return m_languages; }

    // AGENTBAY_SANDBOX_PROGRAM, else agentbay-sandbox beside this program, else on PATH.
    static QString locateProgram();

    static constexpr int StartTimeoutMs = 15000;
    static constexpr int StopGraceMs = 3000;

Q_SIGNALS:
    void ready(const QUrl &endpoint, const QString &apiKey);
    void failed(const QString &why);
    void stopped();

private:
    void onStdout();
    void onStderr();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void fail(const QString &why);

    QProcess *m_process = nullptr;
    QTimer *m_startTimer;
    QTimer *m_stopTimer;
    QByteArray m_stdout;
    QStringList m_extraArguments;
    QUrl m_endpoint;
    QString m_apiKey;
    QStringList m_extensions;
    QStringList m_languages;
    bool m_ready = false;
    bool m_stopping = false;
};

} // namespace agentbay::client
