// SPDX-License-Identifier: GPL-3.0-or-later
#include "runcoderesult.h"

namespace agentbay::protocol {

QString RunCodeResult::legacyResultText() const
{
    for (const auto &bundle : results) {
        if (bundle.isMainResult && bundle.data.contains(QStringLiteral("text/plain")))
            return bundle.text();
    }
    if (!results.isEmpty() && results.first().data.contains(QStringLiteral("text/plain")))
        return results.first().text();
    return stdoutText();
}

} // namespace agentbay::protocol
