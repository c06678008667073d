// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <Qsci/qsciscintilla.h>

#include <QFont>

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
    // 1-based line of the cursor.
    int cursorLine() const;

    // Comments the selected lines (or the cursor's line) out with the language's line comment,
    // or in again when all of them are commented; one undo step.
    void toggleComment();
    // The text a "Run selection or cell" sends: the selection, else the `# %%` cell around the
    // cursor, else everything. *firstLine gets the 1-based editor line where it starts.
    QString selectionOrCell(int *firstLine) const;

    void applyTheme(bool dark);
    bool isDarkTheme() const { return m_dark; }
    // The editor font (an empty family means the system's fixed font; size 0 its size).
    void setEditorFont(const QString &family, int pointSize);
    QFont editorFont() const { return m_font; }

private:
    void updateMarginWidth();
    void styleLexer();
    void releaseWindowShortcuts();
    void applyChromeColors();

    QString m_language;
    int m_errorMarker = -1;
    int m_errorIndicator = -1;
    bool m_dark = false;
    QFont m_font;
};

} // namespace agentbay::ui
