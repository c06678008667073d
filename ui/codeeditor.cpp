// SPDX-License-Identifier: GPL-3.0-or-later
#include "codeeditor.h"

#include "protocol/language.h"

#include <Qsci/qscicommand.h>
#include <Qsci/qscicommandset.h>
#include <Qsci/qscilexerjava.h>
#include <Qsci/qscilexerjavascript.h>
#include <Qsci/qscilexerpython.h>

#include "present/codecells.h"

#include <QFontDatabase>

#include <algorithm>
#include <limits>

namespace agentbay::ui {

CodeEditor::CodeEditor(QWidget *parent) : QsciScintilla(parent)
{
    setObjectName(QStringLiteral("codeEditor"));
    setUtf8(true);
    setMarginLineNumbers(0, true);
    setMarginType(0, QsciScintilla::NumberMargin);
    setFolding(QsciScintilla::BoxedTreeFoldStyle, 2);
    setBraceMatching(QsciScintilla::SloppyBraceMatch);
    setAutoIndent(true);
    setIndentationGuides(true);
    setCaretLineVisible(true);
    setEdgeMode(QsciScintilla::EdgeNone);
    setEolMode(QsciScintilla::EolUnix);
    // Scroll horizontally only when a line really is wider than the view.
    setScrollWidth(1);
    setScrollWidthTracking(true);
    connect(this, &QsciScintilla::linesChanged, this, &CodeEditor::updateMarginWidth);
    // Error lines: a marker in a symbol margin, a squiggle under the text.
    setMarginType(1, QsciScintilla::SymbolMargin);
    setMarginWidth(1, 14);
    m_errorMarker = markerDefine(QsciScintilla::Circle);
    setMarkerBackgroundColor(QColor(0xc0, 0x1c, 0x28), m_errorMarker);
    setMarkerForegroundColor(QColor(0xc0, 0x1c, 0x28), m_errorMarker);
    m_errorIndicator = indicatorDefine(QsciScintilla::SquiggleIndicator);
    setIndicatorForegroundColor(QColor(0xc0, 0x1c, 0x28), m_errorIndicator);
    m_font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    releaseWindowShortcuts();
    setLanguage(protocol::Languages::name(protocol::Language::Python));
    applyTheme(false);
}

CodeEditor::~CodeEditor() = default;

void CodeEditor::setLanguage(const QString &language)
{
    if (language == m_language)
        return;
    m_language = language;
    const protocol::LanguageInfo &info = protocol::Languages::info(
            protocol::Languages::fromNameOr(language));
    QsciLexer *old = lexer();
    QsciLexer *next = nullptr; // QScintilla has no R lexer: plain text
    if (info.lexer == QLatin1String("python"))
        next = new QsciLexerPython(this);
    else if (info.lexer == QLatin1String("javascript"))
        next = new QsciLexerJavaScript(this);
    else if (info.lexer == QLatin1String("java"))
        next = new QsciLexerJava(this);
    setIndentationsUseTabs(false);
    setIndentationWidth(info.indentWidth);
    setLexer(next);
    delete old;
    styleLexer();
}

void CodeEditor::styleLexer()
{
    QsciLexer *current = lexer();
    if (!current) {
        setFont(m_font);
        setPaper(m_dark ? QColor(0x1e, 0x1f, 0x22) : QColor(Qt::white));
        setColor(m_dark ? QColor(0xd4, 0xd4, 0xd4) : QColor(0x20, 0x20, 0x20));
        setMarginsFont(m_font);
        updateMarginWidth();
        applyChromeColors();
        return;
    }
    const QColor paper = m_dark ? QColor(0x1e, 0x1f, 0x22) : QColor(Qt::white);
    current->setDefaultFont(m_font);
    current->setFont(m_font, -1);
    current->setDefaultPaper(paper);
    current->setPaper(paper, -1);
    for (int style = 0; style < 128; ++style) {
        if (current->description(style).isEmpty())
            continue;
        QColor color = current->defaultColor(style);
        if (m_dark) {
            // The lexer's light-theme colours, lifted until they read on a dark paper.
            float hue = 0, saturation = 0, lightness = 0, alpha = 0;
            color.getHslF(&hue, &saturation, &lightness, &alpha);
            if (saturation < 0.15f)
                color = QColor(0xd4, 0xd4, 0xd4);
            else
                color.setHslF(hue, qMin(saturation, 0.7f), qMax(lightness, 0.68f), alpha);
        }
        current->setColor(color, style);
    }
    setLexer(current); // QScintilla re-reads the styles
    setMarginsFont(m_font);
    updateMarginWidth();
    applyChromeColors();
}

void CodeEditor::applyTheme(bool dark)
{
    m_dark = dark;
    styleLexer();
}

void CodeEditor::applyChromeColors()
{
    // After the lexer: setting a lexer re-applies its styles, margins included.
    const bool dark = m_dark;
    const QColor text = dark ? QColor(0xd4, 0xd4, 0xd4) : QColor(0x20, 0x20, 0x20);
    const QColor margin = dark ? QColor(0x25, 0x26, 0x2a) : QColor(0xf3, 0xf3, 0xf3);
    setCaretForegroundColor(text);
    setCaretLineBackgroundColor(dark ? QColor(0x2a, 0x2d, 0x32) : QColor(0xf0, 0xf4, 0xfa));
    setMarginsBackgroundColor(margin);
    setMarginsForegroundColor(dark ? QColor(0x85, 0x85, 0x85) : QColor(0x6e, 0x6e, 0x6e));
    setFoldMarginColors(margin, margin);
    setSelectionBackgroundColor(dark ? QColor(0x26, 0x4f, 0x78) : QColor(0xad, 0xd6, 0xff));
    setSelectionForegroundColor(dark ? QColor(0xff, 0xff, 0xff) : QColor(0x00, 0x00, 0x00));
    setMatchedBraceBackgroundColor(dark ? QColor(0x3a, 0x5a, 0x3a) : QColor(0xc8, 0xf0, 0xc8));
    setMatchedBraceForegroundColor(text);
    setUnmatchedBraceForegroundColor(QColor(0xe0, 0x1b, 0x24));
    const QColor guides = dark ? QColor(0x40, 0x40, 0x40) : QColor(0xe0, 0xe0, 0xe0);
    setIndentationGuidesBackgroundColor(guides);
    setIndentationGuidesForegroundColor(guides);
}

void CodeEditor::setEditorFont(const QString &family, int pointSize)
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (!family.isEmpty())
        font.setFamily(family);
    if (pointSize > 0)
        font.setPointSize(pointSize);
    m_font = font;
    styleLexer();
}

void CodeEditor::releaseWindowShortcuts()
{
    // QScintilla binds some keys the window uses (Ctrl+T transposes lines, Ctrl+/ moves by word
    // part, Esc cancels); an editor with focus would take them first. Give them back.
    const QList<int> windowKeys{
            Qt::Key_Escape,
            Qt::Key_F3,
            int(Qt::CTRL) | Qt::Key_T,
            int(Qt::CTRL | Qt::SHIFT) | Qt::Key_T,
            int(Qt::CTRL) | Qt::Key_W,
            int(Qt::CTRL) | Qt::Key_Slash,
            int(Qt::CTRL) | Qt::Key_G,
            int(Qt::CTRL) | Qt::Key_H,
            int(Qt::CTRL) | Qt::Key_F,
            int(Qt::CTRL) | Qt::Key_S,
            int(Qt::CTRL | Qt::SHIFT) | Qt::Key_S,
            int(Qt::CTRL) | Qt::Key_Q,
            int(Qt::CTRL | Qt::SHIFT) | Qt::Key_R,
            int(Qt::CTRL) | Qt::Key_Period,
            int(Qt::CTRL) | Qt::Key_Comma,
            int(Qt::CTRL) | Qt::Key_0,
            int(Qt::CTRL) | Qt::Key_Return,
            int(Qt::CTRL) | Qt::Key_Enter,
            int(Qt::CTRL | Qt::SHIFT) | Qt::Key_Return,
            int(Qt::CTRL | Qt::SHIFT) | Qt::Key_Enter,
    };
    const QList<QsciCommand *> commands = standardCommands()->commands();
    for (QsciCommand *command : commands) {
        if (windowKeys.contains(command->key()))
            command->setKey(0);
        if (windowKeys.contains(command->alternateKey()))
            command->setAlternateKey(0);
    }
}

int CodeEditor::cursorLine() const
{
    int line = 0, index = 0;
    getCursorPosition(&line, &index);
    return line + 1;
}

void CodeEditor::toggleComment()
{
    const QString prefix = protocol::Languages::info(protocol::Languages::fromNameOr(m_language))
                                   .lineComment;
    int fromLine = 0, fromIndex = 0, toLine = 0, toIndex = 0;
    if (hasSelectedText()) {
        getSelection(&fromLine, &fromIndex, &toLine, &toIndex);
        if (toIndex == 0 && toLine > fromLine)
            --toLine; // a selection ending at a line start does not include that line
    } else {
        getCursorPosition(&fromLine, &fromIndex);
        toLine = fromLine;
    }
    // Uncomment only when every non-blank line is commented; comment at the smallest indent.
    bool allCommented = true;
    qsizetype indent = std::numeric_limits<qsizetype>::max();
    for (int line = fromLine; line <= toLine; ++line) {
        const QString content = text(line);
        const QString trimmed = content.trimmed();
        if (trimmed.isEmpty())
            continue;
        qsizetype leading = 0;
        while (leading < content.size() && content.at(leading).isSpace())
            ++leading;
        indent = std::min(indent, leading);
        allCommented = allCommented && trimmed.startsWith(prefix);
    }
    if (indent == std::numeric_limits<qsizetype>::max())
        return; // only blank lines
    beginUndoAction();
    for (int line = fromLine; line <= toLine; ++line) {
        const QString content = text(line);
        if (content.trimmed().isEmpty())
            continue;
        if (allCommented) {
            const qsizetype at = content.indexOf(prefix);
            const qsizetype length = prefix.size()
                                     + (content.mid(at + prefix.size(), 1) == QLatin1String(" ")
                                                ? 1
                                                : 0);
            setSelection(line, static_cast<int>(at), line, static_cast<int>(at + length));
            removeSelectedText();
        } else {
            insertAt(prefix + QLatin1Char(' '), line, static_cast<int>(indent));
        }
    }
    endUndoAction();
    if (fromLine != toLine)
        setSelection(fromLine, 0, toLine, static_cast<int>(text(toLine).size()));
}

QString CodeEditor::selectionOrCell(int *firstLine) const
{
    if (hasSelectedText()) {
        int fromLine = 0, fromIndex = 0, toLine = 0, toIndex = 0;
        getSelection(&fromLine, &fromIndex, &toLine, &toIndex);
        *firstLine = fromLine + 1;
        return selectedText();
    }
    const present::CodeCell cell = present::CodeCells::cellAt(text(), cursorLine(), m_language);
    *firstLine = cell.firstLine;
    return cell.code;
}

void CodeEditor::markErrorLine(int line)
{
    if (line < 1 || line > lines())
        return;
    markerAdd(line - 1, m_errorMarker);
    fillIndicatorRange(line - 1, 0, line - 1, static_cast<int>(text(line - 1).size()),
                       m_errorIndicator);
}

void CodeEditor::clearErrorMarks()
{
    markerDeleteAll(m_errorMarker);
    clearIndicatorRange(0, 0, std::max(0, lines() - 1),
                        static_cast<int>(text(std::max(0, lines() - 1)).size()), m_errorIndicator);
}

QList<int> CodeEditor::errorLines() const
{
    QList<int> marked;
    for (int line = 0; line < lines(); ++line) {
        if (markersAtLine(line) & (1u << m_errorMarker))
            marked.append(line + 1);
    }
    return marked;
}

void CodeEditor::goToLine(int line)
{
    const int index = std::clamp(line, 1, std::max(1, lines())) - 1;
    setCursorPosition(index, 0);
    ensureLineVisible(index);
    setFocus();
}

void CodeEditor::updateMarginWidth()
{
    setMarginWidth(0, QStringLiteral("0%1").arg(qMax(lines(), 100)));
}

} // namespace agentbay::ui
