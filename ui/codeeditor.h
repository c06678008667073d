// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/assist.h"

#include <Qsci/qsciscintilla.h>

#include <QFont>

class QTimer;

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

    // What the editor's helper shows. Completion pops up on Ctrl+Space and, when automatic
    // completion is on, after "." and after the third character of a name; typing "(" asks for
    // the signature (and "," inside a call updates it); F1, or resting the mouse with Ctrl held,
    // asks for the documentation of the name there; lint is asked for once typing pauses.
    void setAutoCompletion(bool automatic) { m_autoComplete = automatic; }
    bool autoCompletion() const { return m_autoComplete; }
    void setLintEnabled(bool enabled);
    // Shows an answer if it still fits where the cursor is (a stale one is dropped).
    void showAssistAnswer(const protocol::AssistAnswer &answer);
    // Lint marks: a squiggle under each range, its message as the tooltip where the mouse rests.
    void setDiagnostics(const QList<protocol::AssistDiagnostic> &diagnostics);
    QList<protocol::AssistDiagnostic> diagnostics() const { return m_diagnostics; }
    bool isCompletionListShown() const;
    bool isCallTipShown() const;
    // The entries of the completion list now shown, in order.
    QStringList completionListEntries() const { return m_shownCompletions; }
    QString shownCallTip() const { return m_shownCallTip; }
    QString shownDoc() const { return m_shownDoc; }
    // Time to ask (also what Ctrl+Space, F1 and the typing triggers do).
    void askFor(protocol::AssistKind kind);
    static constexpr int LintPauseMs = 400;

    void applyTheme(bool dark);
    bool isDarkTheme() const { return m_dark; }
    // The editor font (an empty family means the system's fixed font; size 0 its size).
    void setEditorFont(const QString &family, int pointSize);
    QFont editorFont() const { return m_font; }

Q_SIGNALS:
    // The editor wants an answer for its text at a 1-based line and 0-based column (characters).
    void assistWanted(agentbay::protocol::AssistKind kind, int line, int column);
    // What was asked for while typing is no longer wanted (the next keystroke came).
    void assistCancelled();

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void onCharacterAdded(int character);
    void onDwell(int position, int x, int y);
    // The character before the cursor is in a comment or a string (as the lexer styles it).
    bool inCommentOrString();
    void showDocTip(const protocol::AssistDoc &tip);
    void updateMarginWidth();
    void styleLexer();
    void releaseWindowShortcuts();
    void applyChromeColors();

    QString m_language;
    bool m_autoComplete = true;
    bool m_listAutomatic = false; // the list shown came by itself (after "." or 3 characters)
    bool m_listChosen = false;    // the user moved in the list shown
    bool m_lintEnabled = true;
    QTimer *m_lintTimer = nullptr;
    long m_askedAt[5] = {-1, -1, -1, -1, -1}; // the cursor position each kind was asked at
    long m_docPosition = -1;
    QList<protocol::AssistDiagnostic> m_diagnostics;
    QStringList m_shownCompletions;
    QString m_shownCallTip;
    QString m_shownDoc;
    int m_lintErrorIndicator = -1;
    int m_lintWarningIndicator = -1;
    int m_errorMarker = -1;
    int m_errorIndicator = -1;
    bool m_dark = false;
    QFont m_font;
};

} // namespace agentbay::ui
