// SPDX-License-Identifier: GPL-3.0-or-later
#include "codeeditor.h"

#include <Qsci/qscilexerjavascript.h>
#include <Qsci/qscilexerpython.h>

#include <QFontDatabase>

#include <algorithm>

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
    setCaretLineBackgroundColor(QColor(0xf0, 0xf4, 0xfa));
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
    setLanguage(QStringLiteral("python"));
}

CodeEditor::~CodeEditor() = default;

void CodeEditor::setLanguage(const QString &language)
{
    if (language == m_language)
        return;
    m_language = language;
    const QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    QsciLexer *old = lexer();
    QsciLexer *next = nullptr;
    if (language == QLatin1String("javascript")) {
        next = new QsciLexerJavaScript(this);
        setIndentationsUseTabs(false);
        setIndentationWidth(2);
    } else {
        next = new QsciLexerPython(this);
        setIndentationsUseTabs(false);
        setIndentationWidth(4);
    }
    next->setDefaultFont(font);
    next->setFont(font);
    setLexer(next);
    setMarginsFont(font);
    delete old;
    updateMarginWidth();
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
