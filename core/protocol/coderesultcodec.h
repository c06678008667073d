// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "runcoderesult.h"

#include <QJsonObject>
#include <QJsonValue>

namespace agentbay::protocol {

// Reads and writes the run_code payload that travels inside CallMcpTool's Data.
namespace CodeResultCodec {

// Parses CallMcpTool Data (object or JSON string) from any shape the official SDKs accept: the
// current format, double-encoded result items, the legacy rich shape, plain text, and isError
// with structured JSON (parsed, not dropped).
RunCodeResult parseToolData(const QJsonValue &data);

// Parses the inner text of content[0] alone.
RunCodeResult parseToolText(const QString &text, bool toolReportedError);

// The text JSON the local sandbox puts in content[0].text: the current format with
// executionError, result (JSON-string items), stdout, stderr, plus our structured error,
// executionCount and executionTime, which the SDKs ignore and our client reads.
QString toToolText(const RunCodeResult &result);

// The CallMcpTool Data object around a tool text.
QJsonObject toolData(const QString &text, bool isError);

MimeBundle bundleFromJson(const QJsonObject &object);
QJsonObject bundleToJson(const MimeBundle &bundle);

// A run result as one JSON object, the only place a result becomes JSON: what agentbay-run
// --json prints, what the run history stores, and what the notebook export is made from.
// {success, stdout, stderr, results: [bundles], error: {name, value, traceback} | null,
//  errorMessage, executionError, executionCount, executionTime, timedOut, cancelled,
//  droppedOutputCharacters, requestId}, and with Detail::Full also the output as it arrived
// (logs: {stdout: [chunks], stderr: [chunks]}) and the SDKs' legacy flat "result" text.
enum class Detail { Compact, Full };
QJsonObject resultToJson(const RunCodeResult &result, Detail detail = Detail::Full);
// The inverse; output from logs when present, else from the joined stdout/stderr.
RunCodeResult resultFromJson(const QJsonObject &object);

} // namespace CodeResultCodec
} // namespace agentbay::protocol
