// SPDX-License-Identifier: GPL-3.0-or-later
#include "codeeditor.h"

#include "protocol/language.h"

#include <Qsci/qscicommand.h>
#include <Qsci/qscicommandset.h>
#include <Qsci/qscilexer.h>
#include <Qsci/qscilexerjava.h>
#include <Qsci/qscilexerjavascript.h>
#include <Qsci/qscilexerpython.h>

#include "present/codecells.h"

#include <QFontDatabase>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QTimer>
#include <QToolTip>

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
    // Lint marks: red squiggles for errors, amber for warnings, apart from the run's error line.
    m_lintErrorIndicator = indicatorDefine(QsciScintilla::SquiggleIndicator);
    setIndicatorForegroundColor(QColor(0xe0, 0x1b, 0x24), m_lintErrorIndicator);
    m_lintWarningIndicator = indicatorDefine(QsciScintilla::SquiggleIndicator);
    setIndicatorForegroundColor(QColor(0xc6, 0x8a, 0x00), m_lintWarningIndicator);
    m_lintTimer = new QTimer(this);
    m_lintTimer->setSingleShot(true);
    m_lintTimer->setInterval(LintPauseMs);
    connect(m_lintTimer, &QTimer::timeout, this, [this] { askFor(protocol::AssistKind::Lint); });
    connect(this, &QsciScintilla::textChanged, this, [this] {
        if (m_lintEnabled)
            m_lintTimer->start();
    });
    connect(this, &QsciScintilla::SCN_CHARADDED, this, &CodeEditor::onCharacterAdded);
    connect(this, &QsciScintilla::SCN_DWELLSTART, this, &CodeEditor::onDwell);
    connect(this, &QsciScintilla::SCN_DWELLEND, this, [] { QToolTip::hideText(); });
    SendScintilla(SCI_SETMOUSEDWELLTIME, 500);
    SendScintilla(SCI_AUTOCSETORDER, 2);       // SC_ORDER_CUSTOM: the helper's order
    SendScintilla(SCI_AUTOCSETAUTOHIDE, true); // narrowed as the user types on, gone at no match
    SendScintilla(SCI_AUTOCSETIGNORECASE, false);
    SendScintilla(SCI_AUTOCSETMAXHEIGHT, 12);
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

void CodeEditor::setLintEnabled(bool enabled)
{
    m_lintEnabled = enabled;
    if (!enabled) {
        m_lintTimer->stop();
        setDiagnostics({});
    }
}

void CodeEditor::askFor(protocol::AssistKind kind)
{
    if (kind == protocol::AssistKind::Complete)
        m_listAutomatic = false; // asked for (Ctrl+Space); the typing triggers say otherwise
    int line = 0;
    int index = 0;
    getCursorPosition(&line, &index); // index counts characters, as the helper's column does
    m_askedAt[static_cast<int>(kind)] = SendScintilla(SCI_GETCURRENTPOS);
    Q_EMIT assistWanted(kind, line + 1, index);
}

void CodeEditor::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && event->modifiers() == Qt::ControlModifier) {
        askFor(protocol::AssistKind::Complete);
        return;
    }
    if (event->key() == Qt::Key_F1 && event->modifiers() == Qt::NoModifier) {
        m_docPosition = SendScintilla(SCI_GETCURRENTPOS);
        askFor(protocol::AssistKind::Doc);
        return;
    }
    if (isCompletionListShown()) {
        const int key = event->key();
        if (key == Qt::Key_Up || key == Qt::Key_Down || key == Qt::Key_PageUp
            || key == Qt::Key_PageDown)
            m_listChosen = true;
        // A list that came by itself takes Return only once the user moved in it: typing a
        // name and Return must give a new line, not the first candidate (Tab always takes it).
        if ((key == Qt::Key_Return || key == Qt::Key_Enter) && m_listAutomatic && !m_listChosen)
            SendScintilla(SCI_AUTOCCANCEL);
    }
    Q_EMIT assistCancelled(); // whatever was asked for before this key is stale now
    QsciScintilla::keyPressEvent(event);
}

void CodeEditor::onCharacterAdded(int character)
{
    const QChar typed(character);
    if (typed == QLatin1Char('(') || (typed == QLatin1Char(',') && isCallTipShown())) {
        askFor(protocol::AssistKind::Signature);
        return;
    }
    if (typed == QLatin1Char(')')) {
        SendScintilla(SCI_CALLTIPCANCEL);
        m_shownCallTip.clear();
        return;
    }
    if (!m_autoComplete || inCommentOrString())
        return; // nothing pops up by itself in prose (Ctrl+Space still asks)
    if (typed == QLatin1Char('.')) {
        SendScintilla(SCI_AUTOCCANCEL); // a list of names before the dot is over
        askFor(protocol::AssistKind::Complete);
        m_listAutomatic = true;
        return;
    }
    if (isCompletionListShown())
        return;
    if (!(typed.isLetterOrNumber() || typed == QLatin1Char('_') || typed == QLatin1Char('$')))
        return;
    // The third character of a name (not of a number).
    int line = 0;
    int index = 0;
    getCursorPosition(&line, &index);
    const QString before = text(line).left(index);
    int start = static_cast<int>(before.size());
    while (start > 0
           && (before.at(start - 1).isLetterOrNumber() || before.at(start - 1) == QLatin1Char('_')
               || before.at(start - 1) == QLatin1Char('$')))
        --start;
    if (before.size() - start == 3 && !before.at(start).isDigit()) {
        askFor(protocol::AssistKind::Complete);
        m_listAutomatic = true;
    }
}

void CodeEditor::onDwell(int position, int x, int y)
{
    if (position < 0)
        return;
    if (QGuiApplication::keyboardModifiers() & Qt::ControlModifier) {
        int line = 0;
        int index = 0;
        lineIndexFromPosition(position, &line, &index);
        m_docPosition = position;
        m_askedAt[static_cast<int>(protocol::AssistKind::Doc)] = position;
        Q_EMIT assistWanted(protocol::AssistKind::Doc, line + 1, index);
        return;
    }
    int line = 0;
    int index = 0;
    lineIndexFromPosition(position, &line, &index);
    for (const protocol::AssistDiagnostic &diagnostic : std::as_const(m_diagnostics)) {
        if (diagnostic.line == line + 1 && index >= diagnostic.column
            && index <= diagnostic.endColumn) {
            QToolTip::showText(mapToGlobal(QPoint(x, y)), diagnostic.message, this);
            return;
        }
    }
}

bool CodeEditor::inCommentOrString()
{
    QsciLexer *styler = lexer();
    const long position = SendScintilla(SCI_GETCURRENTPOS);
    if (!styler || position <= 0)
        return false;
    // Style the line up to the cursor now: at this point of typing it may not be yet.
    const long lineStart = SendScintilla(SCI_POSITIONFROMLINE,
                                         static_cast<unsigned long>(
                                                 SendScintilla(SCI_LINEFROMPOSITION,
                                                               static_cast<unsigned long>(
                                                                       position))));
    SendScintilla(SCI_COLOURISE, static_cast<unsigned long>(lineStart), position);
    const int style = static_cast<int>(
            SendScintilla(SCI_GETSTYLEAT, static_cast<unsigned long>(position - 1)));
    const QString kind = styler->description(style).toLower();
    return kind.contains(QLatin1String("comment")) || kind.contains(QLatin1String("string"));
}

bool CodeEditor::isCompletionListShown() const
{
    return const_cast<CodeEditor *>(this)->SendScintilla(SCI_AUTOCACTIVE) != 0;
}

bool CodeEditor::isCallTipShown() const
{
    return const_cast<CodeEditor *>(this)->SendScintilla(SCI_CALLTIPACTIVE) != 0;
}

void CodeEditor::showAssistAnswer(const protocol::AssistAnswer &answer)
{
    using protocol::AssistKind;
    if (!answer.error.isEmpty())
        return; // the helper could not answer: what is shown stays
    if (answer.kind == AssistKind::Lint) {
        setDiagnostics(answer.diagnostics);
        return;
    }
    const long here = SendScintilla(SCI_GETCURRENTPOS);
    if (answer.kind == AssistKind::Doc) {
        if (answer.doc && m_askedAt[static_cast<int>(AssistKind::Doc)] == m_docPosition)
            showDocTip(*answer.doc);
        return;
    }
    if (m_askedAt[static_cast<int>(answer.kind)] != here)
        return; // the cursor moved on: the answer is about somewhere else
    if (answer.kind == AssistKind::Complete) {
        if (answer.candidates.isEmpty())
            return;
        QStringList names;
        names.reserve(answer.candidates.size());
        for (const protocol::AssistCandidate &candidate : answer.candidates)
            names.append(candidate.name);
        const protocol::AssistCandidate &first = answer.candidates.first();
        // Scintilla counts the typed prefix in bytes of UTF-8.
        const qsizetype typed
                = first.name.left(first.name.size() - first.complete.size()).toUtf8().size();
        m_shownCompletions = names;
        m_listChosen = false;
        SendScintilla(SCI_AUTOCSETSEPARATOR, static_cast<unsigned long>('\n'));
        SendScintilla(SCI_AUTOCSHOW, static_cast<unsigned long>(qMax<qsizetype>(0, typed)),
                      names.join(QLatin1Char('\n')).toUtf8().constData());
        return;
    }
    if (answer.kind == AssistKind::Signature) {
        if (!answer.signature) {
            SendScintilla(SCI_CALLTIPCANCEL);
            m_shownCallTip.clear();
            return;
        }
        const protocol::AssistSignature &signature = *answer.signature;
        QString tip = signature.label;
        if (!signature.doc.isEmpty())
            tip += QLatin1Char('\n') + signature.doc.left(400);
        m_shownCallTip = tip;
        SendScintilla(SCI_CALLTIPSHOW, static_cast<unsigned long>(here), tip.toUtf8().constData());
        if (signature.highlightStart >= 0) {
            // Scintilla counts bytes of the UTF-8 text.
            const auto start = signature.label.left(signature.highlightStart).toUtf8().size();
            const auto end = signature.label.left(signature.highlightEnd).toUtf8().size();
            SendScintilla(SCI_CALLTIPSETHLT, static_cast<unsigned long>(start),
                          static_cast<long>(end));
        }
    }
}

void CodeEditor::showDocTip(const protocol::AssistDoc &tip)
{
    const protocol::AssistDoc &about = tip;
    QString html = QStringLiteral("<b>%1</b>")
                           .arg((about.signature.isEmpty() ? about.name : about.signature)
                                        .toHtmlEscaped());
    if (!about.text.isEmpty())
        html += QStringLiteral("<br/><pre style=\"white-space:pre-wrap\">%1</pre>")
                        .arg(about.text.toHtmlEscaped());
    m_shownDoc = (about.signature.isEmpty() ? about.name : about.signature) + QLatin1Char('\n')
                 + about.text;
    int line = 0;
    int index = 0;
    lineIndexFromPosition(static_cast<int>(m_docPosition), &line, &index);
    const int x = static_cast<int>(SendScintilla(SCI_POINTXFROMPOSITION, 0UL, m_docPosition));
    const int y = static_cast<int>(SendScintilla(SCI_POINTYFROMPOSITION, 0UL, m_docPosition));
    QToolTip::showText(mapToGlobal(QPoint(x, y + textHeight(line))), html, this);
}

void CodeEditor::setDiagnostics(const QList<protocol::AssistDiagnostic> &diagnostics)
{
    const int last = std::max(0, lines() - 1);
    const int lastLength = static_cast<int>(text(last).size());
    clearIndicatorRange(0, 0, last, lastLength, m_lintErrorIndicator);
    clearIndicatorRange(0, 0, last, lastLength, m_lintWarningIndicator);
    m_diagnostics = diagnostics;
    for (const protocol::AssistDiagnostic &diagnostic : diagnostics) {
        if (diagnostic.line < 1 || diagnostic.line > lines())
            continue;
        const int line = diagnostic.line - 1;
        const int length = static_cast<int>(text(line).size());
        int from = std::min(diagnostic.column, length);
        int to = std::min(diagnostic.endColumn, length);
        if (to <= from) { // at the end of the line: mark its last character
            from = std::max(0, length - 1);
            to = length;
        }
        fillIndicatorRange(line, from, line, to,
                           diagnostic.severity == QLatin1String("error") ? m_lintErrorIndicator
                                                                         : m_lintWarningIndicator);
    }
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
