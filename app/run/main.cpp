// SPDX-License-Identifier: GPL-3.0-or-later
// agentbay-run: runs a file or stdin in an AgentBay code session (by default in a local sandbox it
// starts itself) and prints the outcome, as text or as one JSON object.
#include "client/agentbayclient.h"
#include "client/clientconfig.h"
#include "client/runcontroller.h"
#include "client/sessiondirectory.h"
#include "protocol/coderesultcodec.h"
#include "protocol/freedmemory.h"
#include "protocol/language.h"

#include "agentbayversion.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTextStream>

#include <algorithm>
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

// The run as one object. Each byte of output once: stdout and stderr as text, and `result` only
// when it is a result's text (the SDKs' `result` falls back to repeating stdout). With `full`,
// also the SDKs' logs (the chunks as they arrived) and `result` as the SDKs give it.
QJsonObject toJson(const RunCodeResult &result, const QString &sessionId, const QString &endpoint,
                   const QString &language, bool full)
{
    using agentbay::protocol::CodeResultCodec::Detail;
    QJsonObject object = agentbay::protocol::CodeResultCodec::resultToJson(result,
                                                                           full ? Detail::Full
                                                                                : Detail::Compact);
    const bool resultHasText = std::any_of(result.results.begin(), result.results.end(),
                                           [](const agentbay::protocol::MimeBundle &bundle) {
                                               return bundle.data.contains(
                                                       QStringLiteral("text/plain"));
                                           });
    if (!full && resultHasText)
        object.insert(QStringLiteral("result"), result.legacyResultText());
    object.insert(QStringLiteral("sessionId"), sessionId);
    object.insert(QStringLiteral("endpoint"), endpoint);
    object.insert(QStringLiteral("language"), language);
    return object;
}

// Text as it arrives, straight through: `agentbay-run long.py | tee log` shows progress live.
void writeNow(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stream);
    std::fflush(stream);
}

// The run's text output, less what was streamed while it ran (already written).
void printText(const RunCodeResult &result, const QString &streamedOut, const QString &streamedErr)
{
    const auto rest = [](const QString &all, const QString &shown) {
        return all.startsWith(shown) ? all.mid(shown.size()) : all;
    };
    QTextStream out(stdout);
    QTextStream err(stderr);
    out << rest(result.stdoutText(), streamedOut);
    err << rest(result.stderrText(), streamedErr);
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

// Lists the key's sessions, or deletes one: no code runs.
int manageSessions(const agentbay::client::ClientConfig &config, bool asJson,
                   const QString &deleteId, const agentbay::client::LabelList &labels)
{
    agentbay::client::AgentBayClient client;
    client.setConfig(config);
    agentbay::client::SessionDirectory directory(&client);
    int status = BackendFailed;
    QTextStream out(stdout);
    QTextStream err(stderr);
    QObject::connect(&directory, &agentbay::client::SessionDirectory::listed, &directory,
                     [&](const QList<agentbay::protocol::SessionSummary> &sessions,
                         const agentbay::protocol::ApiError &error) {
                         if (error.isError()) {
                             err << "agentbay-run: " << error.humanMessage() << '\n';
                         } else if (asJson) {
                             QJsonArray list;
                             for (const auto &session : sessions)
                                 list.append(
                                         QJsonObject{{QStringLiteral("sessionId"),
                                                      session.sessionId},
                                                     {QStringLiteral("status"), session.status}});
                             out << QJsonDocument(QJsonObject{{QStringLiteral("sessions"), list}})
                                             .toJson(QJsonDocument::Compact)
                                 << '\n';
                         } else {
                             for (const auto &session : sessions)
                                 out << session.sessionId << '\t' << session.status << '\n';
                         }
                         status = error.isError() ? BackendFailed : Success;
                         QCoreApplication::exit(status);
                     });
    QObject::connect(&directory, &agentbay::client::SessionDirectory::deleted, &directory,
                     [&](const QString &id, bool confirmed, const QString &why) {
                         if (asJson) {
                             out << QJsonDocument(
                                            QJsonObject{{QStringLiteral("sessionId"), id},
                                                        {QStringLiteral("deleted"), confirmed},
                                                        {QStringLiteral("errorMessage"), why}})
                                             .toJson(QJsonDocument::Compact)
                                 << '\n';
                         } else if (confirmed) {
                             out << "deleted " << id << '\n';
                         } else {
                             err << "agentbay-run: " << id << ": " << why << '\n';
                         }
                         QCoreApplication::exit(confirmed ? Success : BackendFailed);
                     });
    if (deleteId.isEmpty())
        directory.listAll(labels);
    else
        directory.deleteSession(deleteId);
    return QCoreApplication::exec();
}

int main(int argc, char *argv[])
{
    agentbay::protocol::FreedMemory::configure();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("agentbay-run"));
    QCoreApplication::setApplicationVersion(QStringLiteral(AGENTBAY_VERSION_STRING));

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
            "main", "Run a file (or - for stdin) in an AgentBay code session. Without an endpoint "
                    "(--endpoint, AGENTBAY_ENDPOINT or a .env), a local sandbox is started for the "
                    "run.\nExit status: 0 success, 1 the code failed or timed out, 2 usage error, "
                    "3 the backend could not be reached or refused."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption endpoint(
            QStringLiteral("endpoint"),
            QCoreApplication::translate(
                    "main",
                    "AgentBay endpoint: shanghai, singapore, a host (HTTPS) or a full URL."),
            QStringLiteral("URL|HOST"));
    const QCommandLineOption region(
            QStringLiteral("region"),
            QCoreApplication::translate(
                    "main",
                    "Region the session runs in (LoginRegionId; default AGENTBAY_REGION_ID)."),
            QStringLiteral("ID"));
    const QCommandLineOption
            apiKey(QStringLiteral("api-key"),
                   QCoreApplication::translate(
                           "main", "API key (default: AGENTBAY_API_KEY, or a .env found upward)."),
                   QStringLiteral("KEY"));
    const QCommandLineOption
            envFile(QStringLiteral("env-file"),
                    QCoreApplication::translate(
                            "main", "Read settings from this .env instead of searching upward."),
                    QStringLiteral("FILE"));
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
    const QCommandLineOption jsonFull(
            QStringLiteral("json-full"),
            QCoreApplication::translate("main",
                                        "Like --json, with the SDKs' logs (the output's chunks) "
                                        "and result (which repeats stdout when there is no "
                                        "result) too."));
    const QCommandLineOption
            label(QStringLiteral("label"),
                  QCoreApplication::translate(
                          "main",
                          "Label the created session (repeatable); filters --list-sessions."),
                  QStringLiteral("KEY=VALUE"));
    const QCommandLineOption keepSession(
            QStringLiteral("keep-session"),
            QCoreApplication::translate(
                    "main",
                    "Leave the session running afterwards (it keeps costing until deleted)."));
    const QCommandLineOption
            session(QStringLiteral("session"),
                    QCoreApplication::translate("main",
                                                "Run in this existing session (it is kept)."),
                    QStringLiteral("ID"));
    const QCommandLineOption
            listSessions(QStringLiteral("list-sessions"),
                         QCoreApplication::translate("main", "List the key's sessions and exit."));
    const QCommandLineOption
            deleteSession(QStringLiteral("delete-session"),
                          QCoreApplication::translate(
                                  "main",
                                  "Delete this session, wait for the confirmation, and exit."),
                          QStringLiteral("ID"));
    const QCommandLineOption verbose(
            QStringLiteral("verbose"),
            QCoreApplication::translate("main",
                                        "Log the session lifecycle and the sandbox to stderr."));
    parser.addOptions({endpoint, region, apiKey, envFile, language, timeout, json, jsonFull, label,
                       keepSession, session, listSessions, deleteSession, verbose});
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QCoreApplication::translate("main",
                                                             "Source file, or - for stdin."));
    parser.process(app);

    if (!parser.isSet(verbose))
        QLoggingCategory::setFilterRules(
                QStringLiteral("agentbay.*.info=false\nagentbay.*.debug=false"));

    agentbay::client::LabelList labels;
    const QStringList labelValues = parser.values(label);
    for (const QString &value : labelValues) {
        const qsizetype equals = value.indexOf(QLatin1Char('='));
        if (equals <= 0 || equals == value.size() - 1)
            return usageError(
                    QCoreApplication::translate("main", "--label wants KEY=VALUE, got '%1'")
                            .arg(value));
        labels.append({value.left(equals), value.mid(equals + 1)});
    }

    agentbay::client::ConfigOverrides overrides;
    if (parser.isSet(endpoint))
        overrides.endpoint = parser.value(endpoint);
    if (parser.isSet(apiKey))
        overrides.apiKey = parser.value(apiKey);
    if (parser.isSet(region))
        overrides.regionId = parser.value(region);
    overrides.envFile = parser.value(envFile);
    const agentbay::client::ResolvedConfig resolved
            = agentbay::client::ConfigResolver::resolve(overrides,
                                                        QProcessEnvironment::systemEnvironment(),
                                                        QDir::currentPath());
    if (!resolved.problems.isEmpty())
        return usageError(resolved.problems.join(QStringLiteral("; ")));
    const bool remote = resolved.sourceOf(QStringLiteral("endpoint"))
                        != agentbay::client::ConfigSource::Default;
    if (remote && resolved.config.apiKey.isEmpty())
        return usageError(QCoreApplication::translate(
                "main", "an endpoint needs an API key: --api-key, AGENTBAY_API_KEY or a .env"));
    const bool managing = parser.isSet(listSessions) || parser.isSet(deleteSession);
    if (!remote && (managing || parser.isSet(session) || parser.isSet(keepSession)))
        return usageError(QCoreApplication::translate(
                "main", "--list-sessions, --delete-session, --session and --keep-session need an "
                        "endpoint: the local sandbox ends with this run"));
    if (managing)
        return manageSessions(resolved.config, parser.isSet(json), parser.value(deleteSession),
                              labels);

    const QStringList files = parser.positionalArguments();
    if (files.size() != 1)
        return usageError(
                QCoreApplication::translate("main",
                                            "give exactly one FILE, or - for stdin (see --help)"));
    const QString &path = files.first();

    QString rawLanguage = parser.value(language);
    if (rawLanguage.isEmpty())
        rawLanguage = agentbay::protocol::Languages::name(
                agentbay::protocol::Languages::fromFileName(path).value_or(
                        agentbay::protocol::Language::Python));
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
    controller.setSessionLabels(labels);
    controller.setKeepSession(parser.isSet(keepSession));
    if (parser.isSet(session))
        controller.attachSession(parser.value(session));
    if (remote)
        controller.useEndpoint(resolved.config);
    else
        controller.useLocalSandbox();

    const bool fullJson = parser.isSet(jsonFull);
    const bool asJson = parser.isSet(json) || fullJson;
    const bool kept = parser.isSet(keepSession) || parser.isSet(session);
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
    QString streamedOut;
    QString streamedErr;
    if (!asJson) {
        QObject::connect(&controller, &RunController::runOutput, &app,
                         [&](quint64, bool isStderr, const QString &text) {
                             (isStderr ? streamedErr : streamedOut) += text;
                             writeNow(isStderr ? stderr : stdout, text);
                         });
    }
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
        QTextStream err(stderr);
        if (kept && !sessionId.isEmpty())
            err << "agentbay-run: session " << sessionId << " kept\n";
        else if (!deleted && !sessionId.isEmpty())
            err << "agentbay-run: session " << sessionId << " was not confirmed deleted\n";
        if (asJson) {
            QJsonObject object = toJson(outcome, sessionId, endpointText, *canonical, fullJson);
            object.insert(QStringLiteral("keptSession"), kept);
            QTextStream(stdout) << QJsonDocument(object).toJson(QJsonDocument::Compact) << '\n';
        } else {
            printText(outcome, streamedOut, streamedErr);
        }
        QCoreApplication::exit(status);
    });
    controller.run(code, *canonical, timeoutSeconds);
    return app.exec();
}
