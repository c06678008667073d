// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apierror.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QPair>
#include <QString>

namespace agentbay::protocol {

// One entry of a session's ToolList: which MCP server serves a tool.
struct ToolDescriptor
{
    QString name;
    QString server;
    QString description;
    QJsonObject inputSchema;
    bool operator==(const ToolDescriptor &other) const = default;
};

// CreateMcpSession's Data: the session, and the LinkUrl data plane when the backend offers it.
struct CreatedSession
{
    QString sessionId;
    QString resourceUrl;
    QString linkUrl;
    QString token;
    QList<ToolDescriptor> tools;

    // The server named for a tool, or empty (the backend then resolves it by tool name).
    QString serverFor(const QString &tool) const;
    // The SDKs take the direct route only with LinkUrl, Token and a server for the tool.
    bool usesLinkUrlFor(const QString &tool) const;
};

// GetSession's Data (GetSessionDetail carries Status alone).
struct SessionInfo
{
    QString sessionId;
    QString status; // RUNNING, PAUSING, PAUSED, RESUMING, DELETING, DELETED, FINISH, ERROR, FAILED
    QString resourceUrl;
    QString token;
    QList<ToolDescriptor> tools;
    QJsonObject raw;
};

struct SessionSummary
{
    QString sessionId;
    QString status;
    bool operator==(const SessionSummary &other) const = default;
};

// One page of ListSession.
struct SessionPage
{
    QList<SessionSummary> sessions;
    QString nextToken;
    int maxResults = 0;
    int totalCount = 0;
};

// What the shell tool returns inside its text.
struct ShellResult
{
    QString stdoutText;
    QString stderrText;
    int exitCode = -1;
    QString errorCode;
    QString errorMessage; // why it failed, when the backend says (a timeout)
    QString traceId;
    bool isError = false;
    QString rawText;
};

// One isolation layer a backend reports in GetSessionDetail's Data.Isolation (our sandbox does;
// the cloud reports none).
struct IsolationReport
{
    QString layer;
    bool active = false;
    QString detail;
    bool operator==(const IsolationReport &other) const = default;
};

// What a backend runs one language with (our sandbox's GetSessionDetail Data.Runtime; the cloud
// reports none): its version and interpreter, and the expected packages, with their versions or
// an empty string when absent.
struct RuntimeReport
{
    QString language;
    QString version;
    QString interpreter;
    QList<QPair<QString, QString>> packages;
    bool operator==(const RuntimeReport &other) const = default;
};

// A generic tool answer: content[0].text (else blob, else data) and isError.
struct ToolResult
{
    QString text;
    bool isError = false;
    QString requestId;
};

// Readers for each action's Data, shared by the client and the tests that hold them to what the
// official SDKs return (tests/data/wire/sdk-results).
namespace ActionResults {

// Data.Success:false with ErrMsg becomes a Rejected error (the SDKs report ErrMsg); a missing
// SessionId is a MalformedResponse ("SessionId not found in response").
CreatedSession parseCreated(const QJsonValue &data, const QString &requestId, ApiError *error);
SessionInfo parseSessionInfo(const QJsonValue &data);
SessionPage parseSessionPage(const QJsonObject &body);
QList<IsolationReport> parseIsolation(const QJsonValue &data);
QList<RuntimeReport> parseRuntime(const QJsonValue &data);
// GetLabel's Data.Labels is a JSON string (with Python's spaces, or compact).
QMap<QString, QString> parseLabels(const QJsonValue &data);
// ToolList is a JSON string holding an array; server may be spelled server/serverName/Server.
QList<ToolDescriptor> parseToolList(const QJsonValue &toolList);
ToolResult parseToolResult(const QJsonValue &data);
ShellResult parseShell(const ToolResult &result);

// The LinkUrl data plane. Request: the JSON body in the SDKs' key order. Reply: {data: string or
// object} whose `result` is the CallToolResult; anything else is a clear error.
QByteArray linkCallBody(const QJsonObject &args, const QString &server, const QString &requestId,
                        const QString &tool, const QString &token);
QJsonValue parseLinkReply(int httpStatus, const QByteArray &body, ApiError *error);
// A string as a JSON literal, quotes included (for bodies whose key order is part of the wire).
QString jsonString(const QString &text);
// "link-<epoch ms>-<9 digits>", as the SDKs generate it.
QString newLinkRequestId();

} // namespace ActionResults
} // namespace agentbay::protocol

Q_DECLARE_METATYPE(agentbay::protocol::SessionPage)
Q_DECLARE_METATYPE(agentbay::protocol::ToolResult)
