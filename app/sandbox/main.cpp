// SPDX-License-Identifier: GPL-3.0-or-later
// agentbay-sandbox: the local AgentBay-compatible code sandbox server.
#include "protocol/freedmemory.h"
#include "protocol/randomtoken.h"
#include "sandbox/kernelprocess.h"
#include "sandbox/sandboxserver.h"

#include "agentbayversion.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTextStream>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace {

int signalPipe[2] = {-1, -1};

void onTerminationSignal(int)
{
    const char byte = 1;
    // Only async-signal-safe work here; the event loop does the rest.
    [[maybe_unused]] const auto ignored = ::write(signalPipe[1], &byte, 1);
}

int fail(const QString &message)
{
    QTextStream(stderr) << "agentbay-sandbox: " << message << '\n';
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
    agentbay::protocol::FreedMemory::configure();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("agentbay-sandbox"));
    QCoreApplication::setApplicationVersion(QStringLiteral(AGENTBAY_VERSION_STRING));

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
            "main", "Local AgentBay-compatible code sandbox. The first line on stdout is a JSON "
                    "object naming the endpoint."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption
            listen(QStringLiteral("listen"),
                   QCoreApplication::translate("main", "Address to listen on (port 0 picks one)."),
                   QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:0"));
    const QCommandLineOption
            keyFile(QStringLiteral("api-key-file"),
                    QCoreApplication::translate(
                            "main", "Read the API key from FILE (else AGENTBAY_SANDBOX_API_KEY, "
                                    "else one is generated and printed)."),
                    QStringLiteral("FILE"));
    const QCommandLineOption maxSessions(QStringLiteral("max-sessions"),
                                         QCoreApplication::translate("main",
                                                                     "Most sessions at once."),
                                         QStringLiteral("N"), QStringLiteral("16"));
    const QCommandLineOption workspaceRoot(
            QStringLiteral("workspace-root"),
            QCoreApplication::translate(
                    "main", "Directory for session workspaces (default: a private temporary one)."),
            QStringLiteral("DIR"));
    const QCommandLineOption
            python(QStringLiteral("python"),
                   QCoreApplication::translate(
                           "main", "Python interpreter for kernels (default /usr/bin/python3)."),
                   QStringLiteral("PATH"));
    const QCommandLineOption node(
            QStringLiteral("node"),
            QCoreApplication::translate("main",
                                        "Node.js interpreter for kernels (default /usr/bin/node)."),
            QStringLiteral("PATH"));
    const auto number = [](const char *name, const char *help, const char *fallback) {
        return QCommandLineOption(QString::fromLatin1(name),
                                  QCoreApplication::translate("main", help), QStringLiteral("N"),
                                  QString::fromLatin1(fallback));
    };
    const QCommandLineOption maxRuns
            = number("max-concurrent-runs",
                     "Most runs executing at once, across sessions; more wait their turn.", "8");
    const QCommandLineOption maxWaiting
            = number("max-waiting-runs",
                     "Most runs waiting for a free slot; one more is answered as busy.", "256");
    const QCommandLineOption maxRequest = number("max-request-bytes",
                                                 "Largest request body accepted.", "4194304");
    const QCommandLineOption maxOutput
            = number("max-output", "Most characters of output one run may print before it is cut.",
                     "33554432");
    const QCommandLineOption idleTimeout
            = number("idle-timeout",
                     "Release a session after this many seconds without a request (0: never).",
                     "0");
    const QCommandLineOption memory = number("memory-limit-mb",
                                             "Address-space limit of each kernel, in MiB.", "2048");
    const QCommandLineOption processes = number("max-processes",
                                                "Process limit of a session's kernels.", "256");
    const QCommandLineOption niceness
            = number("code-niceness",
                     "Niceness (0-19) of code: kernels, commands and file tools, and their "
                     "scheduler group.",
                     "0");
    const QCommandLineOption
            noBubblewrap(QStringLiteral("no-bubblewrap"),
                         QCoreApplication::translate(
                                 "main",
                                 "Run kernels without bubblewrap namespaces (rlimits only)."));
    const QCommandLineOption tlsCert(
            QStringLiteral("tls-cert"),
            QCoreApplication::translate("main",
                                        "Serve HTTPS with this PEM certificate (with --tls-key)."),
            QStringLiteral("FILE"));
    const QCommandLineOption
            tlsKey(QStringLiteral("tls-key"),
                   QCoreApplication::translate("main", "The PEM private key of --tls-cert."),
                   QStringLiteral("FILE"));
    const QCommandLineOption
            kernelDir(QStringLiteral("kernel-dir"),
                      QCoreApplication::translate(
                              "main",
                              "Read the kernel drivers from DIR (default: "
                              "../share/agentbay-playground/kernels beside this program, else the "
                              "copies built into it)."),
                      QStringLiteral("DIR"));
    const QCommandLineOption allowRemote(
            QStringLiteral("allow-remote"),
            QCoreApplication::translate("main",
                                        "Allow a non-loopback --listen address (needs TLS)."));
    parser.addOptions({listen, keyFile, maxSessions, workspaceRoot, python, node, maxRuns,
                       maxWaiting, maxRequest, maxOutput, idleTimeout, memory, processes, niceness,
                       noBubblewrap, tlsCert, tlsKey, allowRemote, kernelDir});
    parser.process(app);

    agentbay::sandbox::SandboxConfig config;
    const QString listenValue = parser.value(listen);
    const qsizetype colon = listenValue.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const uint port = colon > 0 ? listenValue.mid(colon + 1).toUInt(&portOk) : 0;
    QString host = colon > 0 ? listenValue.left(colon) : QString();
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    if (host == QLatin1String("localhost"))
        host = QStringLiteral("127.0.0.1");
    if (!portOk || port > 65535 || !config.address.setAddress(host))
        return fail(QCoreApplication::translate("main", "--listen wants HOST:PORT, got '%1'")
                            .arg(listenValue));
    config.port = static_cast<quint16>(port);
    config.tlsCertificate = parser.value(tlsCert);
    config.tlsKey = parser.value(tlsKey);
    if (config.tlsCertificate.isEmpty() != config.tlsKey.isEmpty())
        return fail(QCoreApplication::translate("main", "--tls-cert and --tls-key go together"));
    const bool tls = !config.tlsCertificate.isEmpty();
    if (!config.address.isLoopback() && (!tls || !parser.isSet(allowRemote)))
        return fail(
                QCoreApplication::translate(
                        "main",
                        "refusing to listen on %1: the sandbox runs code for anyone who can reach "
                        "it, so beyond loopback it needs both --tls-cert/--tls-key and "
                        "--allow-remote")
                        .arg(host));
    // Whole numbers for every limit, or a clear refusal.
    const auto atLeast = [&parser](const QCommandLineOption &option, qint64 minimum, qint64 *out) {
        bool ok = false;
        *out = parser.value(option).toLongLong(&ok);
        return ok && *out >= minimum;
    };
    qint64 value = 0;
    if (!atLeast(maxRuns, 1, &value))
        return fail(QCoreApplication::translate("main",
                                                "--max-concurrent-runs wants a positive number"));
    config.maxConcurrentRuns = static_cast<int>(value);
    if (!atLeast(maxWaiting, 0, &value))
        return fail(
                QCoreApplication::translate("main",
                                            "--max-waiting-runs wants a number (0: none wait)"));
    config.maxWaitingRuns = static_cast<int>(value);
    if (!atLeast(maxRequest, 1024, &value))
        return fail(QCoreApplication::translate("main", "--max-request-bytes wants at least 1024"));
    config.maxRequestBytes = value;
    if (!atLeast(maxOutput, 1024, &value))
        return fail(QCoreApplication::translate("main", "--max-output wants at least 1024"));
    config.maxOutputCharacters = value;
    if (!atLeast(idleTimeout, 0, &value))
        return fail(QCoreApplication::translate("main", "--idle-timeout wants seconds (0: never)"));
    config.idleTimeoutSeconds = static_cast<int>(value);
    if (!atLeast(memory, 64, &value))
        return fail(QCoreApplication::translate("main", "--memory-limit-mb wants at least 64"));
    config.memoryLimitBytes = value * 1024 * 1024;
    if (!atLeast(processes, 8, &value))
        return fail(QCoreApplication::translate("main", "--max-processes wants at least 8"));
    config.processLimit = value;
    if (!atLeast(niceness, 0, &value) || value > 19)
        return fail(QCoreApplication::translate("main", "--code-niceness wants 0 to 19"));
    config.codeNiceness = static_cast<int>(value);
    config.useBubblewrap = !parser.isSet(noBubblewrap);

    bool generated = false;
    if (parser.isSet(keyFile)) {
        QFile file(parser.value(keyFile));
        if (!file.open(QIODevice::ReadOnly))
            return fail(QCoreApplication::translate("main", "cannot read the API key file %1: %2")
                                .arg(file.fileName(), file.errorString()));
        config.apiKey = QString::fromUtf8(file.readAll()).trimmed();
    } else {
        config.apiKey = qEnvironmentVariable("AGENTBAY_SANDBOX_API_KEY").trimmed();
    }
    if (config.apiKey.isEmpty()) {
        config.apiKey = agentbay::protocol::RandomToken::localApiKey();
        generated = true;
    }
    bool countOk = false;
    config.maxSessions = parser.value(maxSessions).toInt(&countOk);
    if (!countOk || config.maxSessions < 1)
        return fail(QCoreApplication::translate("main", "--max-sessions wants a positive number"));
    config.workspaceRoot = parser.value(workspaceRoot);
    config.pythonInterpreter = parser.value(python);
    config.nodeInterpreter = parser.value(node);
    // The drivers installed with this program, so that a package ships them as files; a copy of
    // the program on its own still runs on the built-in ones.
    const QString driverDirectory = parser.isSet(kernelDir)
                                            ? parser.value(kernelDir)
                                            : agentbay::sandbox::KernelDrivers::besideProgram(
                                                    QCoreApplication::applicationDirPath());
    if (!driverDirectory.isEmpty()) {
        QString why;
        auto drivers = agentbay::sandbox::KernelDrivers::fromDirectory(driverDirectory, &why);
        if (!drivers)
            return fail(why);
        config.drivers = std::move(*drivers);
    }

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
        return fail(QCoreApplication::translate("main", "cannot create the signal pipe"));
    QSocketNotifier notifier(signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, [] {
        char byte = 0;
        [[maybe_unused]] const auto ignored = ::read(signalPipe[0], &byte, 1);
        QCoreApplication::quit();
    });
    struct sigaction action = {};
    action.sa_handler = onTerminationSignal;
    ::sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGHUP, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    auto server = std::make_unique<agentbay::sandbox::SandboxServer>(config);
    QString why;
    if (!server->start(&why))
        return fail(why);

    QJsonObject ready{{QStringLiteral("endpoint"), server->endpoint().toString()},
                      {QStringLiteral("pid"),
                       static_cast<qint64>(QCoreApplication::applicationPid())},
                      {QStringLiteral("version"), QStringLiteral(AGENTBAY_VERSION_STRING)},
                      {QStringLiteral("kernels"), config.drivers.source},
                      // Extensions of the AgentBay protocol a client may ask for (README).
                      {QStringLiteral("extensions"),
                       QJsonArray{QStringLiteral("stream"), QStringLiteral("assist")}},
                      // The languages it has kernels for on this machine.
                      {QStringLiteral("languages"),
                       QJsonArray::fromStringList(agentbay::sandbox::KernelSpec::availableLanguages(
                               config.drivers, config.pythonInterpreter, config.nodeInterpreter))}};
    if (generated)
        ready.insert(QStringLiteral("apiKey"), config.apiKey);
    QTextStream out(stdout);
    out << QJsonDocument(ready).toJson(QJsonDocument::Compact) << '\n';
    out.flush();

    const int status = app.exec();
    server.reset(); // ends every kernel and removes the workspaces
    return status;
}
