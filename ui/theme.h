// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace agentbay::ui::Theme {
// Whether the desktop's own palette is dark (the window colour is darker than its text).
bool systemPrefersDark();
// Applies "system", "light" or "dark" to the whole application and returns whether the result
// is dark. "system" restores the palette the application started with.
bool apply(const QString &choice);
} // namespace agentbay::ui::Theme
