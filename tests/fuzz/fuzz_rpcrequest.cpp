// SPDX-License-Identifier: GPL-3.0-or-later
// What the sandbox decodes from the network: query, form body and action header. Anything must
// decode without crashing, and whatever decodes must survive encode -> decode unchanged.
#include "protocol/rpcrequest.h"

#include <cstdlib>

using agentbay::protocol::RpcRequest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    // Three parts, split at the first two newlines: query, body, action header.
    const QList<QByteArray> parts = input.split('\n');
    const auto request = RpcRequest::decode(parts.value(0), parts.value(1), parts.value(2));
    if (!request)
        return 0;
    const auto encoded = request->encode(QDateTime::fromSecsSinceEpoch(0, Qt::UTC),
                                         QByteArrayLiteral("00000000000000000000000000000000"),
                                         QByteArrayLiteral("fuzz"));
    const auto again = RpcRequest::decode(encoded.pathAndQuery.mid(2), encoded.body, QByteArray());
    if (!again || again->action() != request->action())
        std::abort();
    for (const auto &[name, value] : request->fields()) {
        // Later duplicates win on both sides; compare what a reader of the request would see.
        if (again->field(name) != request->field(name))
            std::abort();
    }
    return 0;
}
