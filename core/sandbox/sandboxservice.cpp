// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandboxservice.h"

#include "kernelprocess.h"
#include "sessionregistry.h"

#include "protocol/coderesultcodec.h"
#include "protocol/language.h"
#include "protocol/responseenvelope.h"
#include "protocol/rpcrequest.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QUuid>

Q_LOGGING_CATEGORY(lcService, "agentbay.sandbox.service")

namespace agentbay::sandbox {

using protocol::ResponseEnvelope;
using protocol::RpcRequest;
namespace Rules = protocol::RunCodeRules;

namespace {

QString newRequestId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces).toUpper();
}

bool sameKey(const QString &given, const QString &expected)
{
    // Compare digests, so the comparison takes the same time wherever the keys differ.
    const auto digest = [](const QString &key) {
        return QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256);
    };
    const QByteArray a = digest(given);
    const QByteArray b = digest(expected);
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return diff == 0 && !expected.isEmpty();
}

QString labelsJson(const QMap<QString, QString> &labels)
{
    QJsonObject object;
    for (auto it = labels.begin(); it != labels.end(); ++it)
        object.insert(it.key(), it.value());
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QByteArray toolAnswer(const QString &requestId, const QString &text, bool isError)
{
    return ResponseEnvelope::successBody(requestId,
                                         protocol::CodeResultCodec::toolData(text, isError));
}

} // namespace

SandboxService::SandboxService(const SandboxConfig &config, QObject *parent)
    : QObject(parent), m_config(config), m_sessions(new SessionRegistry(config, this))
{}

SandboxService::~SandboxService() = default;

void SandboxService::respondError(const Responder &respond, int status, const QString &requestId,
                                  const QString &code, const QString &message) const
{
    respond(status, ResponseEnvelope::errorBody(requestId, code, message, m_config.hostId));
}

SandboxService::Canceller SandboxService::handle(const RpcRequest &request, Responder respond)
{
    const QString requestId = newRequestId();
    const QString action = request.action();
    if (!sameKey(request.apiKey(), m_config.apiKey)) {
        qCInfo(lcService) << action << "refused: wrong or missing API key";
        respondError(respond, 400, requestId, QStringLiteral("NOT_LOGIN"),
                     tr("You are not logged in or your login token has expired"));
        return {};
    }

    const QString sessionId = request.field(QStringLiteral("SessionId"))
                                      .value_or(request.queryField(QStringLiteral("SessionId"))
                                                        .value_or(QString()));
    SandboxSession *session = sessionId.isEmpty() ? nullptr : m_sessions->find(sessionId);
    const auto notFound = [&] {
        respondError(respond, 400, requestId, QStringLiteral("InvalidMcpSession.NotFound"),
                     tr("Resource [McpSession] is not found."));
    };

    if (action == QLatin1String("CreateMcpSession")) {
        const QString image = request.field(QStringLiteral("ImageId"))
                                      .value_or(QStringLiteral("code_latest"));
        if (image != QLatin1String("code_latest")) {
            respondError(respond, 400, requestId, QStringLiteral("InvalidImageId.NotSupported"),
                         tr("The local sandbox only provides the code_latest image, not '%1'.")
                                 .arg(image));
            return {};
        }
        QString why;
        SandboxSession *created = m_sessions->create(&why);
        if (!created) {
            respond(200,
                    ResponseEnvelope::successBody(requestId,
                                                  QJsonObject{{QLatin1String("Success"), false},
                                                              {QLatin1String("ErrMsg"), why}}));
            return {};
        }
        created->imageId = image;
        const QJsonObject labels
                = QJsonDocument::fromJson(
                          request.field(QStringLiteral("Labels")).value_or(QString()).toUtf8())
                          .object();
        for (auto it = labels.begin(); it != labels.end(); ++it)
            created->labels.insert(it.key(), it.value().toString());
        respond(200,
                ResponseEnvelope::successBody(requestId,
                                              QJsonObject{{QLatin1String("SessionId"),
                                                           created->id()},
                                                          {QLatin1String("Success"), true},
                                                          {QLatin1String("ErrMsg"), QString()},
                                                          {QLatin1String("ResourceUrl"), QString()},
                                                          {QLatin1String("VpcResource"), false}}));
        return {};
    }

    if (action == QLatin1String("CallMcpTool")) {
        if (!session) {
            notFound();
            return {};
        }
        return callTool(request, requestId, respond);
    }

    if (action == QLatin1String("GetSession") || action == QLatin1String("GetSessionDetail")) {
        if (!session) {
            notFound();
            return {};
        }
        QJsonObject data{{QLatin1String("SessionId"), session->id()},
                         {QLatin1String("Status"), QStringLiteral("RUNNING")},
                         {QLatin1String("ImageId"), session->imageId},
                         {QLatin1String("RegionId"), QStringLiteral("local")},
                         {QLatin1String("Success"), true},
                         // Ours, beyond the AgentBay model (clients ignore unknown fields).
                         {QLatin1String("ActiveRuns"), session->activeRuns()},
                         {QLatin1String("Isolation"), m_sessions->isolation().report()},
                         {QLatin1String("Workspace"),
                          m_sessions->isolation().visibleWorkspace(session->workspace())}};
        respond(200, ResponseEnvelope::successBody(requestId, data));
        return {};
    }

    if (action == QLatin1String("DeleteSessionAsync")
        || action == QLatin1String("ReleaseMcpSession")) {
        if (!m_sessions->remove(sessionId)) {
            notFound();
            return {};
        }
        respond(200, ResponseEnvelope::successBody(requestId, QJsonValue::Undefined));
        return {};
    }

    if (action == QLatin1String("ListSession")) {
        QJsonArray list;
        const auto sessions = m_sessions->sessions();
        for (const SandboxSession *each : sessions) {
            list.append(QJsonObject{{QLatin1String("SessionId"), each->id()},
                                    {QLatin1String("SessionStatus"), QStringLiteral("RUNNING")}});
        }
        respond(200,
                ResponseEnvelope::successBody(requestId, list,
                                              QJsonObject{{QLatin1String("TotalCount"), list.size()},
                                                          {QLatin1String("MaxResults"), list.size()},
                                                          {QLatin1String("NextToken"), QString()}}));
        return {};
    }

    if (action == QLatin1String("GetLabel")) {
        if (!session) {
            notFound();
            return {};
        }
        respond(200, ResponseEnvelope::successBody(requestId,
                                                   QJsonObject{{QLatin1String("Labels"),
                                                                labelsJson(session->labels)}}));
        return {};
    }

    respondError(respond, 400, requestId, QStringLiteral("InvalidAction.NotFound"),
                 tr("The local sandbox does not serve the action '%1'.").arg(action));
    return {};
}

SandboxService::Canceller SandboxService::callTool(const RpcRequest &request,
                                                   const QString &requestId,
                                                   const Responder &respond)
{
    SandboxSession *session = m_sessions->find(
            request.field(QStringLiteral("SessionId")).value_or(QString()));
    const QString tool = request.field(QStringLiteral("Name")).value_or(QString());
    if (tool != QLatin1String("run_code")) {
        respond(200, toolAnswer(requestId, tr("tool '%1' not found in the local sandbox").arg(tool),
                                true));
        return {};
    }
    QJsonParseError parseError;
    const QJsonDocument args = QJsonDocument::fromJson(request.field(QStringLiteral("Args"))
                                                               .value_or(QString())
                                                               .toUtf8(),
                                                       &parseError);
    if (parseError.error != QJsonParseError::NoError || !args.isObject()) {
        respond(200, toolAnswer(requestId,
                                tr("Args is not a JSON object: %1").arg(parseError.errorString()),
                                true));
        return {};
    }
    const QJsonObject object = args.object();
    const QString rawLanguage = object.value(QLatin1String("language")).toString();
    const auto language = Rules::normalizeLanguage(rawLanguage);
    if (!language) {
        respond(200, toolAnswer(requestId, Rules::unsupportedLanguageMessage(rawLanguage), true));
        return {};
    }
    const int timeout = object.value(QLatin1String("timeout_s")).toInt(Rules::DefaultTimeoutSeconds);
    if (const QString problem = Rules::timeoutProblem(timeout); !problem.isEmpty()) {
        respond(200, toolAnswer(requestId, problem, true));
        return {};
    }
    KernelProcess *kernel = session->kernel(*language);
    if (!kernel) {
        respond(200,
                toolAnswer(requestId,
                           tr("no %1 interpreter is available to the local sandbox").arg(*language),
                           true));
        return {};
    }

    const quint64 runId = kernel->submit(object.value(QLatin1String("code")).toString(), timeout);
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(kernel, &KernelProcess::finished, this,
                          [connection, runId, requestId,
                           respond](quint64 id, const protocol::RunCodeResult &result) {
                              if (id != runId)
                                  return;
                              QObject::disconnect(*connection);
                              // Code errors travel with isError:false, so every SDK parses them.
                              respond(200, toolAnswer(requestId,
                                                      protocol::CodeResultCodec::toToolText(result),
                                                      false));
                          });
    QPointer<KernelProcess> guard(kernel);
    return [guard, runId, connection] {
        QObject::disconnect(*connection);
        if (guard)
            guard->cancel(runId);
    };
}

} // namespace agentbay::sandbox
