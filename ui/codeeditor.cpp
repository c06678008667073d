// SPDX-License-Identifier: GPL-3.0-or-later
#include "codeeditor.h"

#include <Qsci/qscilexerjavascript.h>
#include <Qsci/qscilexerpython.h>

#include <QFontDatabase>

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

void CodeEditor::updateMarginWidth()
{
    setMarginWidth(0, QStringLiteral("0%1").arg(qMax(lines(), 100)));
}

} // namespace agentbay::ui
