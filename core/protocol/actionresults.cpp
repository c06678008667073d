// SPDX-License-Identifier: GPL-3.0-or-later
#include "actionresults.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

namespace agentbay::protocol {

namespace {

QJsonValue decodedIfString(const QJsonValue &value)
{
    if (!value.isString())
        return value;
    const QJsonDocument document = QJsonDocument::fromJson(value.toString().toUtf8());
    if (document.isObject())
        return document.object();
    if (document.isArray())
        return document.array();
    return value;
}

QString firstString(const QJsonObject &object, std::initializer_list<QLatin1String> keys)
{
    for (const QLatin1String key : keys) {
        const QJsonValue value = object.value(key);
        if (value.isString() && !value.toString().isEmpty())
            return value.toString();
    }
    return {};
}

} // namespace

QString CreatedSession::serverFor(const QString &tool) const
{
    for (const ToolDescriptor &descriptor : tools) {
        if (descriptor.name == tool)
            return descriptor.server;
    }
    return {};
}

bool CreatedSession::usesLinkUrlFor(const QString &tool) const
{
    return !linkUrl.isEmpty() && !token.isEmpty() && !serverFor(tool).isEmpty();
}

namespace ActionResults {

QList<ToolDescriptor> parseToolList(const QJsonValue &toolList)
{
    QList<ToolDescriptor> tools;
    const QJsonArray array = decodedIfString(toolList).toArray();
    for (const auto &item : array) {
        const QJsonObject object = item.toObject();
        ToolDescriptor tool;
        tool.name = firstString(object, {QLatin1String("name"), QLatin1String("Name"),
                                         QLatin1String("tool")});
        tool.server = firstString(object, {QLatin1String("server"), QLatin1String("serverName"),
                                           QLatin1String("Server")});
        tool.description = object.value(QLatin1String("description")).toString();
        tool.inputSchema = object.value(QLatin1String("inputSchema")).toObject();
        if (!tool.name.isEmpty())
            tools.append(tool);
    }
    return tools;
}

CreatedSession parseCreated(const QJsonValue &data, const QString &requestId, ApiError *error)
{
    const QJsonObject object = decodedIfString(data).toObject();
    CreatedSession created;
    created.sessionId = object.value(QLatin1String("SessionId")).toString();
    created.resourceUrl = object.value(QLatin1String("ResourceUrl")).toString();
    created.linkUrl = object.value(QLatin1String("LinkUrl")).toString();
    created.token = object.value(QLatin1String("Token")).toString();
    created.tools = parseToolList(object.value(QLatin1String("ToolList")));
    const QJsonValue success = object.value(QLatin1String("Success"));
    if (success.isBool() && !success.toBool()) {
        error->kind = ApiError::Kind::Rejected;
        error->message = object.value(QLatin1String("ErrMsg")).toString();
        if (error->message.isEmpty())
            error->message = QCoreApplication::translate("ActionResults",
                                                         "session creation failed");
        error->requestId = requestId;
    } else if (created.sessionId.isEmpty()) {
        error->kind = ApiError::Kind::MalformedResponse;
        error->message = QCoreApplication::translate("ActionResults",
                                                     "SessionId not found in response");
        error->requestId = requestId;
    }
    return created;
}

SessionInfo parseSessionInfo(const QJsonValue &data)
{
    const QJsonObject object = decodedIfString(data).toObject();
    SessionInfo info;
    info.raw = object;
    info.sessionId = object.value(QLatin1String("SessionId")).toString();
    info.status = object.value(QLatin1String("Status")).toString();
    info.resourceUrl = object.value(QLatin1String("ResourceUrl")).toString();
    info.token = object.value(QLatin1String("Token")).toString();
    info.tools = parseToolList(object.value(QLatin1String("ToolList")));
    return info;
}

QList<IsolationReport> parseIsolation(const QJsonValue &data)
{
    QList<IsolationReport> layers;
    const QJsonArray array = data.toObject().value(QLatin1String("Isolation")).toArray();
    for (const QJsonValue &value : array) {
        const QJsonObject object = value.toObject();
        IsolationReport layer;
        layer.layer = object.value(QLatin1String("layer")).toString();
        layer.active = object.value(QLatin1String("active")).toBool();
        layer.detail = object.value(QLatin1String("detail")).toString();
        if (!layer.layer.isEmpty())
            layers.append(layer);
    }
    return layers;
}

QList<RuntimeReport> parseRuntime(const QJsonValue &data)
{
    QList<RuntimeReport> runtimes;
    const QJsonArray array = data.toObject().value(QLatin1String("Runtime")).toArray();
    for (const QJsonValue &value : array) {
        const QJsonObject object = value.toObject();
        RuntimeReport runtime;
        runtime.language = object.value(QLatin1String("language")).toString();
        runtime.version = object.value(QLatin1String("version")).toString();
        runtime.interpreter = object.value(QLatin1String("interpreter")).toString();
        const QJsonObject packages = object.value(QLatin1String("packages")).toObject();
        for (auto it = packages.begin(); it != packages.end(); ++it)
            runtime.packages.append({it.key(), it.value().toString()});
        if (!runtime.language.isEmpty())
            runtimes.append(runtime);
    }
    return runtimes;
}

SessionPage parseSessionPage(const QJsonObject &body)
{
    SessionPage page;
    const QJsonArray items = decodedIfString(body.value(QLatin1String("Data"))).toArray();
    for (const auto &item : items) {
        const QJsonObject object = item.toObject();
        page.sessions.append({object.value(QLatin1String("SessionId")).toString(),
                              object.value(QLatin1String("SessionStatus")).toString()});
    }
    page.nextToken = body.value(QLatin1String("NextToken")).toString();
    page.maxResults = body.value(QLatin1String("MaxResults")).toInt();
    page.totalCount = body.value(QLatin1String("TotalCount")).toInt();
    return page;
}

QMap<QString, QString> parseLabels(const QJsonValue &data)
{
    QMap<QString, QString> labels;
    const QJsonObject object = decodedIfString(decodedIfString(data).toObject().value(
                                                       QLatin1String("Labels")))
                                       .toObject();
    for (auto it = object.begin(); it != object.end(); ++it)
        labels.insert(it.key(), it.value().isString() ? it.value().toString()
                                                      : it.value().toVariant().toString());
    return labels;
}

ToolResult parseToolResult(const QJsonValue &data)
{
    const QJsonValue decoded = decodedIfString(data);
    ToolResult result;
    if (!decoded.isObject()) {
        result.text = data.toString();
        return result;
    }
    const QJsonObject object = decoded.toObject();
    result.isError = object.value(QLatin1String("isError")).toBool();
    const QJsonArray content = object.value(QLatin1String("content")).toArray();
    if (content.isEmpty()) {
        result.text = QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
        return result;
    }
    // TS joins every text item of an error; a success reads the first item.
    QStringList texts;
    for (const auto &item : content) {
        const QJsonObject part = item.toObject();
        QString text = part.value(QLatin1String("text")).toString();
        if (text.isEmpty())
            text = part.value(QLatin1String("blob")).toString();
        if (text.isEmpty())
            text = part.value(QLatin1String("data")).toString();
        texts.append(text);
        if (!result.isError)
            break;
    }
    result.text = texts.join(QStringLiteral("; "));
    return result;
}

ShellResult parseShell(const ToolResult &result)
{
    ShellResult shell;
    shell.rawText = result.text;
    shell.isError = result.isError;
    const QJsonDocument document = QJsonDocument::fromJson(result.text.toUtf8());
    if (!document.isObject()) {
        // Not the JSON shape: the text is the output (or the error).
        (result.isError ? shell.stderrText : shell.stdoutText) = result.text;
        shell.exitCode = result.isError ? -1 : 0;
        return shell;
    }
    const QJsonObject object = document.object();
    shell.stdoutText = object.value(QLatin1String("stdout")).toString();
    shell.stderrText = object.value(QLatin1String("stderr")).toString();
    shell.traceId = object.value(QLatin1String("traceId")).toString();
    shell.errorMessage = object.value(QLatin1String("errorMessage")).toString();
    if (object.contains(QLatin1String("exit_code")))
        shell.exitCode = object.value(QLatin1String("exit_code")).toInt(-1);
    const QJsonValue errorCode = object.value(QLatin1String("errorCode"));
    if (!errorCode.isUndefined()) {
        shell.errorCode = errorCode.isString() ? errorCode.toString()
                                               : QString::number(errorCode.toInt());
        if (shell.exitCode < 0 && errorCode.isDouble())
            shell.exitCode = errorCode.toInt();
    }
    return shell;
}

QByteArray linkCallBody(const QJsonObject &args, const QString &server, const QString &requestId,
                        const QString &tool, const QString &token)
{
    // Written by hand: QJsonObject sorts keys, and the SDKs send args, server, requestId, tool,
    // token in this order.
    const QString body = QStringLiteral("{\"args\":")
                         + QString::fromUtf8(QJsonDocument(args).toJson(QJsonDocument::Compact))
                         + QStringLiteral(",\"server\":") + jsonString(server)
                         + QStringLiteral(",\"requestId\":") + jsonString(requestId)
                         + QStringLiteral(",\"tool\":") + jsonString(tool)
                         + QStringLiteral(",\"token\":") + jsonString(token) + QLatin1Char('}');
    return body.toUtf8();
}

QJsonValue parseLinkReply(int httpStatus, const QByteArray &body, ApiError *error)
{
    if (httpStatus < 200 || httpStatus > 299) {
        error->kind = ApiError::Kind::ServiceError;
        error->httpStatus = httpStatus;
        error->message = QCoreApplication::translate("ActionResults",
                                                     "HTTP request failed with code: %1")
                                 .arg(httpStatus);
        return {};
    }
    const QJsonDocument document = QJsonDocument::fromJson(body);
    const QJsonValue data = decodedIfString(document.object().value(QLatin1String("data")));
    const QJsonValue result = data.toObject().value(QLatin1String("result"));
    if (!document.isObject() || !result.isObject()) {
        error->kind = ApiError::Kind::MalformedResponse;
        error->httpStatus = httpStatus;
        error->message = QCoreApplication::translate("ActionResults",
                                                     "the LinkUrl answer has no data.result: %1")
                                 .arg(QString::fromUtf8(body.left(160)));
        return {};
    }
    return result;
}

QString jsonString(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2));
}

QString newLinkRequestId()
{
    const quint32 digits = QRandomGenerator::system()->bounded(100000000u, 1000000000u);
    return QStringLiteral("link-%1-%2").arg(QDateTime::currentMSecsSinceEpoch()).arg(digits);
}

} // namespace ActionResults
} // namespace agentbay::protocol
