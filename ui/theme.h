// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <functional>

class QActionGroup;
class QObject;

namespace agentbay::ui::Theme {
// Whether the desktop's own palette is dark (the window colour is darker than its text).
bool systemPrefersDark();
// Applies "system", "light" or "dark" to the whole application and returns whether the result
// is dark. "system" restores the palette the application started with.
bool apply(const QString &choice);
// The three choices as checkable actions (object names theme_system, theme_light, theme_dark);
// onChosen gets the choice's id.
QActionGroup *makeChoices(QObject *parent, std::function<void(const QString &)> onChosen);
// Checks the action of a choice.
void showChoice(QActionGroup *choices, const QString &choice);
} // namespace agentbay::ui::Theme
