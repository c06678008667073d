// SPDX-License-Identifier: GPL-3.0-or-later
#include "codecells.h"

#include "protocol/language.h"

#include <QStringList>

namespace agentbay::present::CodeCells {

QString markerFor(const QString &language)
{
    using namespace protocol;
    return Languages::info(Languages::fromNameOr(language)).cellMarker();
}

CodeCell cellAt(const QString &text, int line, const QString &language)
{
    const QString marker = markerFor(language);
    const QStringList lines = text.split(QLatin1Char('\n'));
    const int count = static_cast<int>(lines.size());
    const int at = qBound(1, line, qMax(1, count));
    const auto isMarker = [&](int number) {
        return lines.at(number - 1).trimmed().startsWith(marker);
    };

    CodeCell cell;
    int start = 1;
    for (int number = at; number >= 1; --number) {
        if (isMarker(number)) {
            start = number + 1;
            cell.hasMarkers = true;
            break;
        }
    }
    int end = count;
    for (int number = at + 1; number <= count; ++number) {
        if (isMarker(number)) {
            end = number - 1;
            cell.hasMarkers = true;
            break;
        }
    }
    if (!cell.hasMarkers) {
        for (int number = 1; number <= count && !cell.hasMarkers; ++number)
            cell.hasMarkers = isMarker(number);
    }
    cell.firstLine = qMin(start, count);
    cell.lastLine = qMax(end, cell.firstLine);
    cell.code = lines.mid(start - 1, qMax(0, end - start + 1)).join(QLatin1Char('\n'));
    return cell;
}

} // namespace agentbay::present::CodeCells
