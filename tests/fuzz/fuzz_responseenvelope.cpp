// SPDX-License-Identifier: GPL-3.0-or-later
// Any answer body at any status decodes without crashing, and a failure always says why.
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
    return 0;
}
