// SPDX-License-Identifier: GPL-3.0-or-later
// Any answer body at any status decodes without crashing, and a failure always says why; the
// same bytes go through every action reader (LinkUrl reply, create, list, labels, shell).
#include "protocol/actionresults.h"
#include "protocol/responseenvelope.h"

#include <cstdlib>

using agentbay::protocol::ApiError;
using agentbay::protocol::ResponseEnvelope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const int status = 100 + data[0] * 2; // 100..610
    const QByteArray body(reinterpret_cast<const char *>(data + 1),
                          static_cast<qsizetype>(size - 1));
    ApiError error;
    const ResponseEnvelope envelope = ResponseEnvelope::decode(status, body, &error);
    if (status >= 400 && !error.isError())
        std::abort();
    if (error.isError() && error.humanMessage().isEmpty())
        std::abort();
    if (envelope.success && error.isError())
        std::abort();

    namespace ActionResults = agentbay::protocol::ActionResults;
    ApiError linkError;
    const QJsonValue result = ActionResults::parseLinkReply(status, body, &linkError);
    if (linkError.isError() == result.isObject())
        std::abort(); // exactly one of: a CallToolResult object, or a reason
    ApiError createError;
    const auto created = ActionResults::parseCreated(envelope.data, envelope.requestId,
                                                     &createError);
    if (!createError.isError() && created.sessionId.isEmpty())
        std::abort();
    ActionResults::parseSessionPage(envelope.body);
    ActionResults::parseLabels(envelope.data);
    ActionResults::parseShell(ActionResults::parseToolResult(envelope.data));
    return 0;
}
