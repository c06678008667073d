// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace agentbay::present {

// A `# %%` (Python) or `// %%` (JavaScript) cell of a snippet: the lines between two markers.
struct CodeCell
{
    int firstLine = 1; // 1-based, the first line after the marker (or line 1)
    int lastLine = 1;  // 1-based, inclusive
    QString code;
    bool hasMarkers = false; // false: the snippet has no cells, so the cell is the whole text
};

namespace CodeCells {
// The marker that starts a line of this language's cells ("# %%", "// %%").
QString markerFor(const QString &language);
// The cell holding a 1-based line. A line that is itself a marker starts the cell below it.
CodeCell cellAt(const QString &text, int line, const QString &language);
} // namespace CodeCells

} // namespace agentbay::present
