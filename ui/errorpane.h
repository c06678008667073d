// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/runcoderesult.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QPlainTextEdit;

namespace agentbay::ui {

// The error of the last run: name and value, the frames of the submitted code (activating one
// asks the editor to go to its line), and the whole traceback.
class ErrorPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ErrorPane)

public:
    explicit ErrorPane(QWidget *parent = nullptr);
    ~ErrorPane() override;

    // run: the execution count of the run that raised (-1: unknown), so frames of code from
    // earlier runs are told apart.
    void showError(const protocol::ExecutionError &error, int run = -1);
    void clear();
    QString headline() const;
    int frameCount() const;
    QString frameLabel(int row) const;
    // Activates the frame at row, as a click would.
    void activateFrame(int row);

Q_SIGNALS:
    void lineActivated(int line);

private:
    QLabel *m_headline;
    QListWidget *m_frames;
    QPlainTextEdit *m_traceback;
};

} // namespace agentbay::ui
