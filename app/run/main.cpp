// SPDX-License-Identifier: GPL-3.0-or-later
// agentbay-run: runs a file or stdin in an AgentBay code session (by default in a local sandbox it
// starts itself) and prints the outcome, as text or as one JSON object.
#include "client/clientconfig.h"
#include "client/runcontroller.h"
#include "protocol/coderesultcodec.h"
#include "protocol/language.h"

#include "agentbayversion.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTextStream>

#include <cstdio>

using agentbay::client::RunController;
using agentbay::protocol::RunCodeResult;
namespace Rules = agentbay::protocol::RunCodeRules;

namespace {

// Exit statuses scripts can rely on.
enum ExitStatus { Success = 0, CodeFailed = 1, UsageError = 2, BackendFailed = 3 };

int usageError(const QString &message)
{
    QTextStream(stderr) << "agentbay-run: " << message << '\n';
    return UsageError;
}

QJsonObject toJson(const RunCodeResult &result, const QString &sessionId, const QString &endpoint,
                   const QString &language)
{
    QJsonArray results;
    for (const auto &bundle : result.results)
        results.append(agentbay::protocol::CodeResultCodec::bundleToJson(bundle));
    QJsonValue error = QJsonValue::Null;
    if (result.error) {
        error = QJsonObject{{QStringLiteral("name"), result.error->name},
                            {QStringLiteral("value"), result.error->value},
                            {QStringLiteral("traceback"), result.error->traceback}};
    }
    return QJsonObject{
            {QStringLiteral("success"), result.success},
            {QStringLiteral("stdout"), result.stdoutText()},
            {QStringLiteral("stderr"), result.stderrText()},
            {QStringLiteral("logs"),
             QJsonObject{{QStringLiteral("stdout"), QJsonArray::fromStringList(result.stdoutChunks)},
                         {QStringLiteral("stderr"),
                          QJsonArray::fromStringList(result.stderrChunks)}}},
            {QStringLiteral("results"), results},
            {QStringLiteral("result"), result.legacyResultText()},
            {QStringLiteral("error"), error},
            {QStringLiteral("errorMessage"), result.errorMessage},
            {QStringLiteral("executionError"), result.executionError},
            {QStringLiteral("executionCount"), result.executionCount},
            {QStringLiteral("executionTime"), result.executionTimeSeconds},
            {QStringLiteral("timedOut"), result.timedOut},
            {QStringLiteral("sessionId"), sessionId},
            {QStringLiteral("requestId"), result.requestId},
            {QStringLiteral("endpoint"), endpoint},
            {QStringLiteral("language"), language},
    };
}

void printText(const RunCodeResult &result)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    out << result.stdoutText();
    err << result.stderrText();
    for (const auto &bundle : result.results) {
        if (bundle.data.contains(QStringLiteral("text/plain")))
            out << bundle.text() << '\n';
        else
            out << "[" << bundle.data.keys().join(QStringLiteral(", ")) << "]\n";
    }
    if (result.error) {
        const QString &traceback = result.error->traceback;
        if (!traceback.isEmpty() && !result.stderrText().contains(traceback))
            err << traceback << (traceback.endsWith(QLatin1Char('\n')) ? "" : "\n");
        // A timeout's traceback ends in the interrupt: say what really happened too.
        if (!traceback.contains(result.error->value))
            err << result.error->name << ": " << result.error->value << '\n';
    } else if (!result.success && !result.errorMessage.isEmpty()) {
        err << "agentbay-run: " << result.errorMessage << '\n';
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("agentbay-run"));
    QCoreApplication::setApplicationVersion(QStringLiteral(AGENTBAY_VERSION_STRING));

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
            "main", "Run a file (or - for stdin) in an AgentBay code session. Without --endpoint, "
                    "a local sandbox is started for the run.\n"
                    "Exit status: 0 success, 1 the code failed or timed out, 2 usage error, "
                    "3 the backend could not be reached or refused."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption endpoint(
            QStringLiteral("endpoint"),
            QCoreApplication::translate("main", "AgentBay endpoint: a host (HTTPS) or a full URL."),
            QStringLiteral("URL|HOST"));
    const QCommandLineOption
            apiKey(QStringLiteral("api-key"),
                   QCoreApplication::translate("main", "API key (default: AGENTBAY_API_KEY)."),
                   QStringLiteral("KEY"));
    const QCommandLineOption
            language(QStringLiteral("language"),
                     QCoreApplication::translate(
                             "main",
                             "python or javascript (default: from the file name, else python)."),
                     QStringLiteral("L"));
    const QCommandLineOption
            timeout(QStringLiteral("timeout"),
                    QCoreApplication::translate(
                            "main", "Run timeout in seconds, 1-60 (the AgentBay gateway limit)."),
                    QStringLiteral("S"), QString::number(Rules::DefaultTimeoutSeconds));
    const QCommandLineOption
            json(QStringLiteral("json"),
                 QCoreApplication::translate("main",
                                             "Print one JSON object with the whole result."));
    const QCommandLineOption verbose(
            QStringLiteral("verbose"),
            QCoreApplication::translate("main",
                                        "Log the session lifecycle and the sandbox to stderr."));
    parser.addOptions({endpoint, apiKey, language, timeout, json, verbose});
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QCoreApplication::translate("main",
                                                             "Source file, or - for stdin."));
    parser.process(app);

    if (!parser.isSet(verbose))
        QLoggingCategory::setFilterRules(
                QStringLiteral("agentbay.*.info=false\nagentbay.*.debug=false"));

    const QStringList files = parser.positionalArguments();
    if (files.size() != 1)
        return usageError(
                QCoreApplication::translate("main",
                                            "give exactly one FILE, or - for stdin (see --help)"));
    const QString &path = files.first();

    QString rawLanguage = parser.value(language);
    if (rawLanguage.isEmpty())
        rawLanguage = path.endsWith(QLatin1String(".js")) || path.endsWith(QLatin1String(".mjs"))
                              ? QStringLiteral("javascript")
                              : QStringLiteral("python");
    const auto canonical = Rules::normalizeLanguage(rawLanguage);
    if (!canonical)
        return usageError(Rules::unsupportedLanguageMessage(rawLanguage));
    bool timeoutOk = false;
    const int timeoutSeconds = parser.value(timeout).toInt(&timeoutOk);
    if (!timeoutOk)
        return usageError(QCoreApplication::translate("main", "--timeout wants whole seconds"));
    if (const QString problem = Rules::timeoutProblem(timeoutSeconds); !problem.isEmpty())
        return usageError(problem);

    QFile input;
    const bool opened = path == QLatin1String("-")
                                ? input.open(stdin, QIODevice::ReadOnly)
                                : (input.setFileName(path), input.open(QIODevice::ReadOnly));
    if (!opened)
        return usageError(QCoreApplication::translate("main", "cannot read %1: %2")
                                  .arg(path, input.errorString()));
    const QString code = QString::fromUtf8(input.readAll());

    RunController controller;
    if (parser.isSet(endpoint)) {
        const QUrl url = agentbay::client::ClientConfig::endpointFromString(parser.value(endpoint));
        if (!url.isValid())
            return usageError(
                    QCoreApplication::translate("main",
                                                "--endpoint is not a host or an http(s) URL: %1")
                            .arg(parser.value(endpoint)));
        const QString key = parser.isSet(apiKey) ? parser.value(apiKey)
                                                 : qEnvironmentVariable("AGENTBAY_API_KEY");
        if (key.isEmpty())
            return usageError(QCoreApplication::translate(
                    "main", "an endpoint needs an API key: --api-key or AGENTBAY_API_KEY"));
        controller.useEndpoint(url, key);
    } else {
        controller.useLocalSandbox();
    }

    const bool asJson = parser.isSet(json);
    RunCodeResult outcome;
    QString sessionId;
    QString endpointText;
    int status = BackendFailed;

    QObject::connect(&controller, &RunController::backendReady, &app,
                     [&](const QString &description) { endpointText = description; });
    QObject::connect(&controller, &RunController::sessionStateChanged, &app,
                     [&](auto, const QString &id) {
                         if (!id.isEmpty())
                             sessionId = id;
                     });
    QObject::connect(&controller, &RunController::runFinished, &app,
                     [&](quint64, const RunCodeResult &result) {
                         outcome = result;
                         status = result.success ? Success
                                  : (result.error || !result.executionError.isEmpty())
                                          ? CodeFailed
                                          : BackendFailed;
                         controller.shutdown();
                     });
    QObject::connect(&controller, &RunController::shutdownFinished, &app, [&](bool deleted) {
        if (!deleted && !sessionId.isEmpty())
            QTextStream(stderr) << "agentbay-run: session " << sessionId
                                << " was not confirmed deleted\n";
        if (asJson) {
            QTextStream(stdout) << QJsonDocument(
                                           toJson(outcome, sessionId, endpointText, *canonical))
                                           .toJson(QJsonDocument::Compact)
                                << '\n';
        } else {
            printText(outcome);
        }
        QCoreApplication::exit(status);
    });
    controller.run(code, *canonical, timeoutSeconds);
    return app.exec();
}
