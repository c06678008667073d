// SPDX-License-Identifier: GPL-3.0-or-later
// What the client reads from CallMcpTool answers. Anything must parse without crashing, and the
// sandbox's own encoding of a parsed result must read back as the same result.
#include "protocol/coderesultcodec.h"

#include <QJsonDocument>

#include <cstdlib>

using namespace agentbay::protocol;

namespace {
bool sameContent(const RunCodeResult &a, const RunCodeResult &b)
{
    return a.stdoutChunks == b.stdoutChunks && a.stderrChunks == b.stderrChunks
           && a.results == b.results && a.error == b.error && a.executionError == b.executionError
           && a.success == b.success;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const QJsonDocument document = QJsonDocument::fromJson(input);
    const RunCodeResult fromData = CodeResultCodec::parseToolData(
            document.isObject() ? QJsonValue(document.object())
                                : QJsonValue(QString::fromUtf8(input)));
    const RunCodeResult fromText = CodeResultCodec::parseToolText(QString::fromUtf8(input), false);

    for (const RunCodeResult &parsed : {fromData, fromText}) {
        if (parsed.toolReportedError)
            continue; // isError is carried by the envelope, not the text
        const RunCodeResult once = CodeResultCodec::parseToolText(CodeResultCodec::toToolText(
                                                                          parsed),
                                                                  false);
        const RunCodeResult twice = CodeResultCodec::parseToolText(CodeResultCodec::toToolText(once),
                                                                   false);
        if (!sameContent(once, twice))
            std::abort();
    }
    return 0;
}
