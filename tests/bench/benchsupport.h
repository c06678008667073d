// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>

#include <algorithm>

namespace agentbay::bench {
// The value below which a fraction of the samples lie (nearest rank).
inline double percentile(QList<double> values, double fraction)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto index = static_cast<qsizetype>(fraction * static_cast<double>(values.size() - 1)
                                              + 0.5);
    return values.value(std::clamp<qsizetype>(index, 0, values.size() - 1));
}
} // namespace agentbay::bench
