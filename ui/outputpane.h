// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QPlainTextEdit;

namespace agentbay::ui {

// The output of runs: stdout in the normal colour, stderr and errors in red, results and run
// notes apart. The view is bounded (the most recent lines), so huge output never slows it down.
class OutputPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OutputPane)

public:
    explicit OutputPane(QWidget *parent = nullptr);
    ~OutputPane() override;

    static constexpr int MaximumLines = 10000;

    void appendStdout(const QString &text);
    void appendStderr(const QString &text);
    void appendResult(const QString &text);
    void appendNote(const QString &text);
    void clear();
    QString plainText() const;

private:
    enum class Kind { Stdout, Stderr, Result, Note };
    void append(const QString &text, Kind kind);

    QPlainTextEdit *m_view;
};

} // namespace agentbay::ui
