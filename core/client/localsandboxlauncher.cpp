// SPDX-License-Identifier: GPL-3.0-or-later
#include "localsandboxlauncher.h"

#include "protocol/randomtoken.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QTimer>

#include <csignal>
#include <sys/prctl.h>

Q_LOGGING_CATEGORY(lcLauncher, "agentbay.client.sandbox")

namespace agentbay::client {

LocalSandboxLauncher::LocalSandboxLauncher(QObject *parent)
    : QObject(parent), m_startTimer(new QTimer(this)), m_stopTimer(new QTimer(this))
{
    m_startTimer->setSingleShot(true);
    m_stopTimer->setSingleShot(true);
    connect(m_startTimer, &QTimer::timeout, this, [this] {
        fail(tr("the local sandbox did not report its endpoint within %1 s")
                     .arg(StartTimeoutMs / 1000));
    });
    connect(m_stopTimer, &QTimer::timeout, this, [this] {
        if (m_process && m_process->state() != QProcess::NotRunning) {
            qCWarning(lcLauncher) << "sandbox did not stop in time; killing it";
            m_process->kill();
        }
    });
}

LocalSandboxLauncher::~LocalSandboxLauncher()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->disconnect(this);
        // SIGTERM lets it end its kernels; it also dies with us through PR_SET_PDEATHSIG.
        m_process->terminate();
    }
}

QString LocalSandboxLauncher::locateProgram()
{
    QString fromEnv = qEnvironmentVariable("AGENTBAY_SANDBOX_PROGRAM");
    if (!fromEnv.isEmpty())
        return fromEnv;
    QString beside = QCoreApplication::applicationDirPath() + QStringLiteral("/agentbay-sandbox");
    if (QFileInfo(beside).isExecutable())
        return beside;
    return QStandardPaths::findExecutable(QStringLiteral("agentbay-sandbox"));
}

bool LocalSandboxLauncher::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

void LocalSandboxLauncher::start()
{
    if (isRunning())
        return;
    const QString program = locateProgram();
    if (program.isEmpty()) {
        QTimer::singleShot(0, this, [this] {
            fail(tr("agentbay-sandbox was not found beside this program or on PATH"));
        });
        return;
    }
    m_apiKey = protocol::RandomToken::localApiKey();
    m_ready = false;
    m_stopping = false;
    m_stdout.clear();

    if (m_process)
        m_process->deleteLater(); // an earlier run of the server that has ended
    m_process = new QProcess(this);
    m_process->setProgram(program);
    m_process->setArguments(QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")}
                            + m_extraArguments);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // The key travels in the environment, not argv, so other users' `ps` cannot see it.
    env.insert(QStringLiteral("AGENTBAY_SANDBOX_API_KEY"), m_apiKey);
    m_process->setProcessEnvironment(env);
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    connect(m_process, &QProcess::readyReadStandardOutput, this, &LocalSandboxLauncher::onStdout);
    connect(m_process, &QProcess::readyReadStandardError, this, &LocalSandboxLauncher::onStderr);
    connect(m_process, &QProcess::finished, this, &LocalSandboxLauncher::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            fail(tr("could not start %1: %2").arg(m_process->program(), m_process->errorString()));
    });
    qCInfo(lcLauncher) << "starting" << program;
    m_startTimer->start(StartTimeoutMs);
    m_process->start();
}

void LocalSandboxLauncher::stop()
{
    if (!isRunning()) {
        QTimer::singleShot(0, this, &LocalSandboxLauncher::stopped);
        return;
    }
    m_stopping = true;
    m_process->terminate();
    m_stopTimer->start(StopGraceMs);
}

void LocalSandboxLauncher::onStdout()
{
    m_stdout += m_process->readAllStandardOutput();
    if (m_ready)
        return;
    const qsizetype newline = m_stdout.indexOf('\n');
    if (newline < 0)
        return;
    const QJsonObject line = QJsonDocument::fromJson(m_stdout.left(newline)).object();
    const QUrl endpoint(line.value(QLatin1String("endpoint")).toString());
    if (!endpoint.isValid() || endpoint.port() <= 0) {
        fail(tr("the local sandbox announced no usable endpoint"));
        return;
    }
    m_endpoint = endpoint;
    m_extensions.clear();
    for (const QJsonValue &extension : line.value(QLatin1String("extensions")).toArray())
        m_extensions.append(extension.toString());
    m_languages.clear();
    for (const QJsonValue &language : line.value(QLatin1String("languages")).toArray())
        m_languages.append(language.toString());
    m_ready = true;
    m_startTimer->stop();
    qCInfo(lcLauncher) << "sandbox ready at" << m_endpoint.toString() << "kernels from"
                       << line.value(QLatin1String("kernels")).toString();
    Q_EMIT ready(m_endpoint, m_apiKey);
}

void LocalSandboxLauncher::onStderr()
{
    const QList<QByteArray> lines = m_process->readAllStandardError().split('\n');
    for (const QByteArray &line : lines) {
        if (!line.trimmed().isEmpty())
            qCInfo(lcLauncher).noquote() << "sandbox:" << QString::fromUtf8(line);
    }
}

void LocalSandboxLauncher::onFinished(int exitCode, QProcess::ExitStatus status)
{
    m_startTimer->stop();
    m_stopTimer->stop();
    qCInfo(lcLauncher) << "sandbox ended" << exitCode << status;
    if (m_stopping) {
        Q_EMIT stopped();
        return;
    }
    fail(m_ready ? tr("the local sandbox stopped unexpectedly (exit %1)").arg(exitCode)
                 : tr("the local sandbox could not start (exit %1)").arg(exitCode));
}

void LocalSandboxLauncher::fail(const QString &why)
{
    m_startTimer->stop();
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->disconnect(this);
        m_process->kill();
    }
    m_ready = false;
    qCWarning(lcLauncher).noquote() << why;
    Q_EMIT failed(why);
}

} // namespace agentbay::client
