// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <functional>

class QWidget;

// Dialogs that never spin a nested event loop: each opens window-modal and answers through a
// callback, so runs, timers and network answers keep flowing while it is up.
namespace agentbay::ui::Dialogs {
// A save-file dialog; onChosen gets the path when the user accepts (nothing on cancel).
void askSaveFile(QWidget *parent, const QString &title, const QString &suggestedName,
                 const QString &filter, std::function<void(const QString &)> onChosen);
// A warning with one Close button.
void showProblem(QWidget *parent, const QString &title, const QString &text);
// An information box (About and the like).
void showInformation(QWidget *parent, const QString &title, const QString &text);
} // namespace agentbay::ui::Dialogs
