// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <Qsci/qsciscintilla.h>

namespace agentbay::ui {

// The snippet editor: QScintilla with the lexer of the snippet's language, line numbers,
// folding, brace matching, auto-indent and the current line highlighted.
class CodeEditor final : public QsciScintilla
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CodeEditor)

public:
    explicit CodeEditor(QWidget *parent = nullptr);
    ~CodeEditor() override;

    // "python" or "javascript": switches the lexer and the indentation habit.
    void setLanguage(const QString &language);
    QString language() const { return m_language; }

    // Marks a 1-based line as the error's: a margin marker and an underline.
    void markErrorLine(int line);
    void clearErrorMarks();
    QList<int> errorLines() const;
    // Puts the cursor at the start of a 1-based line and shows it.
    void goToLine(int line);

private:
    void updateMarginWidth();

    QString m_language;
    int m_errorMarker = -1;
    int m_errorIndicator = -1;
};

} // namespace agentbay::ui
