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
// Existing files to open; onChosen gets them when the user accepts.
void askOpenFiles(QWidget *parent, const QString &title, const QString &filter,
                  std::function<void(const QStringList &)> onChosen);
// A directory.
void askDirectory(QWidget *parent, const QString &title,
                  std::function<void(const QString &)> onChosen);
// One line of text (a title); onChosen gets it trimmed, when not empty.
void askText(QWidget *parent, const QString &title, const QString &label, const QString &initial,
             std::function<void(const QString &)> onChosen);
// A warning with one Close button.
void showProblem(QWidget *parent, const QString &title, const QString &text);
// An information box (About and the like).
void showInformation(QWidget *parent, const QString &title, const QString &text);
// The About box, naming the version.
void showAbout(QWidget *parent, const QString &version);
// Why a profile cannot be used, with a button that runs onOpenSettings.
void explainProfile(QWidget *parent, const QString &problem, std::function<void()> onOpenSettings);
// A line number from 1 to lines; onChosen gets it.
void askLine(QWidget *parent, int lines, int current, std::function<void(int)> onChosen);
} // namespace agentbay::ui::Dialogs
