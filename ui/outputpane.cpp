// SPDX-License-Identifier: GPL-3.0-or-later
#include "outputpane.h"

#include "dialogs.h"
#include "fulltextdialog.h"

#include "protocol/freedmemory.h"
#include "workspace/outputspool.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QToolButton>
#include <QVBoxLayout>

#include <utility>

namespace agentbay::ui {

OutputPane::OutputPane(QWidget *parent)
    : QWidget(parent), m_view(new QPlainTextEdit(this)), m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("outputPane"));
    m_view->setObjectName(QStringLiteral("outputView"));
    m_view->setReadOnly(true);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setUndoRedoEnabled(false);
    m_drawTimer.setSingleShot(true);
    connect(&m_drawTimer, &QTimer::timeout, this, &OutputPane::drawPending);

    const auto button = [this](const QString &text, const QString &name, const QString &tip) {
        auto *tool = new QToolButton(this);
        tool->setText(text);
        tool->setObjectName(name);
        tool->setToolTip(tip);
        tool->setAutoRaise(true);
        return tool;
    };
    QToolButton *full = button(tr("Full Output…"), QStringLiteral("fullOutputButton"),
                               tr("Open the last run's complete output, search it and save it"));
    QToolButton *save = button(tr("Save…"), QStringLiteral("saveOutputButton"),
                               tr("Save the last run's complete output to a file"));
    QToolButton *copy = button(tr("Copy"), QStringLiteral("copyOutputButton"),
                               tr("Copy the last run's complete output"));
    QToolButton *clearButton = button(tr("Clear"), QStringLiteral("clearOutputButton"),
                                      tr("Clear the output of this tab"));
    connect(full, &QToolButton::clicked, this, &OutputPane::openFullOutput);
    connect(save, &QToolButton::clicked, this, &OutputPane::saveWithDialog);
    connect(copy, &QToolButton::clicked, this, &OutputPane::copyAll);
    connect(clearButton, &QToolButton::clicked, this, &OutputPane::clear);
    m_summary->setObjectName(QStringLiteral("outputSummary"));

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(2, 0, 2, 0);
    bar->addWidget(m_summary, 1);
    bar->addWidget(full);
    bar->addWidget(save);
    bar->addWidget(copy);
    bar->addWidget(clearButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(m_view);
}

OutputPane::~OutputPane() = default;

void OutputPane::beginRun(const QString &title)
{
    if (m_runs.size() >= KeptRuns)
        m_runs.removeFirst();
    m_runs.append({title, std::make_shared<workspace::OutputSpool>()});
    appendNote(title);
}

void OutputPane::appendStdout(const QString &text)
{
    append(text, Kind::Stdout);
}

void OutputPane::appendStderr(const QString &text)
{
    append(text, Kind::Stderr);
}

void OutputPane::appendResult(const QString &text)
{
    append(text, Kind::Result);
}

void OutputPane::appendNote(const QString &text)
{
    append(text, Kind::Note);
}

void OutputPane::clear()
{
    m_pending.clear();
    m_pendingLines = 0;
    m_droppedPending = 0;
    m_shown.clear();
    m_shownLines = 0;
    m_viewLines = 0;
    m_hiddenLines = 0;
    m_noticeShown = false;
    m_drawTimer.stop();
    m_view->clear();
    m_runs.clear();
    m_summary->clear();
}

QString OutputPane::plainText()
{
    settle();
    return m_view->toPlainText();
}

QStringList OutputPane::runTitles() const
{
    QStringList titles;
    for (const Run &run : m_runs)
        titles.append(run.title);
    return titles;
}

QString OutputPane::fullText(int run) const
{
    if (m_runs.isEmpty())
        return {};
    const qsizetype at = run < 0 ? m_runs.size() - 1 : run;
    if (at >= m_runs.size())
        return {};
    const workspace::OutputSpool &output = *m_runs.at(at).output;
    // A flood read back from disk is a large copy: its pages go back once the caller is done.
    if (output.size() > protocol::FreedMemory::LargeOutputCharacters)
        protocol::FreedMemory::releaseSoon();
    return output.text();
}

int OutputPane::shownLines()
{
    settle();
    return m_view->document()->blockCount();
}

namespace {

// Where the text after its first `lines` line ends starts.
qsizetype afterLines(const QString &text, qsizetype lines)
{
    qsizetype at = 0;
    for (qsizetype i = 0; i < lines && at >= 0; ++i) {
        at = text.indexOf(QLatin1Char('\n'), at);
        if (at >= 0)
            ++at;
    }
    return at < 0 ? text.size() : at;
}

} // namespace

void OutputPane::append(const QString &text, Kind kind)
{
    if (text.isEmpty())
        return;
    const bool separate = kind == Kind::Result || kind == Kind::Note;
    if (!m_runs.isEmpty()) {
        // Kept in the pieces it came in, and on disk once large (OutputSpool).
        workspace::OutputSpool &output = *m_runs.last().output;
        QString piece = text;
        if (separate && !output.isEmpty() && !output.endsWithNewline())
            piece.prepend(QLatin1Char('\n'));
        if (separate && !piece.endsWith(QLatin1Char('\n')))
            piece += QLatin1Char('\n');
        output.append(piece);
        enforceBudget();
    }

    QString piece = text;
    if (separate) {
        // Results and notes stand on their own lines, even after output without a final newline.
        const QString &before = !m_pending.isEmpty() ? m_pending.constLast().text
                                : !m_shown.isEmpty() ? m_shown.constLast().text
                                                     : QString();
        if (!before.isEmpty() && !before.endsWith(QLatin1Char('\n')))
            piece.prepend(QLatin1Char('\n'));
        if (!piece.endsWith(QLatin1Char('\n')))
            piece += QLatin1Char('\n');
    }
    // Pieces of one stream join; only the last lines can ever be shown, so older pieces waiting
    // are dropped here rather than drawn and scrolled away.
    const qsizetype lines = piece.count(QLatin1Char('\n'));
    if (!separate && !m_pending.isEmpty() && m_pending.constLast().kind == kind) {
        m_pending.last().text += piece;
        m_pending.last().lines += lines;
    } else {
        m_pending.append({piece, kind, lines});
    }
    m_pendingLines += lines;
    while (m_pending.size() > 1 && m_pendingLines - m_pending.constFirst().lines >= KeptLines) {
        m_pendingLines -= m_pending.constFirst().lines;
        m_droppedPending += m_pending.constFirst().lines;
        m_pending.removeFirst();
    }
    if (m_pendingLines > 2 * KeptLines) { // one stream's flood: keep its tail only
        Piece &first = m_pending.first();
        const qsizetype cut = std::min(first.lines, m_pendingLines - KeptLines);
        first.text.remove(0, afterLines(first.text, cut));
        first.lines -= cut;
        m_pendingLines -= cut;
        m_droppedPending += cut;
    }

    // The first piece after a quiet spell is drawn on the next turn of the loop (a print shows
    // without delay, and what arrived with it in the same turn is drawn with it); pieces close
    // behind wait for the next draw, which comes later the longer the last one took, so drawing
    // never takes most of the loop's time.
    if (m_drawTimer.isActive())
        return;
    const qint64 since = m_sinceDraw.isValid() ? m_sinceDraw.elapsed() : m_drawInterval;
    m_drawTimer.start(static_cast<int>(std::max<qint64>(0, m_drawInterval - since)));
}

void OutputPane::drawPending()
{
    m_drawTimer.stop();
    m_sinceDraw.start();
    const bool backfill = m_pending.isEmpty();
    if (backfill && m_viewLines >= m_shownLines)
        return;
    QElapsedTimer took;
    took.start();
    QScrollBar *bar = m_view->verticalScrollBar();
    const bool followTail = bar->value() == bar->maximum();
    const int scrolledTo = bar->value();
    QTextDocument *document = m_view->document();
    QTextCursor cursor(document);
    cursor.beginEditBlock();
    qsizetype insertedAtTop = 0;
    if (backfill) {
        // Calm again after a flood: the view shows only its last lines; the lines above them
        // come back a slice per draw, just below the notice line.
        const qsizetype until = m_shownLines - m_viewLines;
        const qsizetype from = std::max<qsizetype>(0, until - DrawSliceLines);
        cursor.movePosition(QTextCursor::Start);
        if (m_noticeShown)
            cursor.movePosition(QTextCursor::NextBlock);
        for (const Piece &piece : linesKept(from, until))
            cursor.insertText(piece.text, formatOf(piece.kind));
        insertedAtTop = until - from;
        m_viewLines += insertedAtTop;
    } else {
        const QList<Piece> pieces = std::exchange(m_pending, {});
        const qsizetype droppedPending = std::exchange(m_droppedPending, 0);
        m_pendingLines = 0;
        qsizetype newLines = 0;
        for (const Piece &piece : pieces) {
            newLines += piece.lines;
            if (!m_shown.isEmpty() && m_shown.constLast().kind == piece.kind) {
                m_shown.last().text += piece.text;
                m_shown.last().lines += piece.lines;
            } else {
                m_shown.append(piece);
            }
        }
        m_shownLines += newLines;
        const qsizetype overflow = std::max<qsizetype>(0, m_shownLines - KeptLines);
        trimShown(overflow);
        m_hiddenLines += overflow + droppedPending;
        if (droppedPending > 0 || newLines > DrawSliceLines) {
            // A burst: the view is built again with only its last lines (cheaper than removing
            // its old ones); the rest comes back once the burst is over.
            document->clear();
            cursor = QTextCursor(document);
            m_noticeShown = false;
            m_viewLines = std::min(m_shownLines, DrawSliceLines);
            for (const Piece &piece : linesKept(m_shownLines - m_viewLines, -1))
                cursor.insertText(piece.text, formatOf(piece.kind));
        } else {
            cursor.movePosition(QTextCursor::End);
            for (const Piece &piece : pieces)
                cursor.insertText(piece.text, formatOf(piece.kind));
            m_viewLines += newLines;
            const qsizetype excess = m_viewLines - KeptLines;
            if (excess > 0) {
                // The oldest lines leave the top, below the notice line.
                QTextCursor top(document);
                if (m_noticeShown)
                    top.movePosition(QTextCursor::NextBlock);
                top.movePosition(QTextCursor::NextBlock, QTextCursor::KeepAnchor,
                                 static_cast<int>(excess));
                top.removeSelectedText();
                m_viewLines -= excess;
            }
        }
    }
    updateNotice();
    cursor.endEditBlock();
    if (followTail)
        bar->setValue(bar->maximum());
    else if (insertedAtTop > 0)
        bar->setValue(scrolledTo + static_cast<int>(insertedAtTop)); // the same lines stay in view
    m_drawInterval = std::max<qint64>(MinimumDrawIntervalMs, 3 * took.nsecsElapsed() / 1000000);
    if (m_viewLines < m_shownLines)
        m_drawTimer.start(static_cast<int>(m_drawInterval));
}

void OutputPane::settle()
{
    do {
        drawPending();
    } while (m_viewLines < m_shownLines);
}

// The first line of the view says how many lines are not in it, once any are not.
void OutputPane::updateNotice()
{
    const qsizetype hidden = m_hiddenLines + m_shownLines - m_viewLines;
    QTextDocument *document = m_view->document();
    if (hidden > 0) {
        const QString text = tr("[%1 earlier lines not shown here; Full Output… has them all]")
                                     .arg(hidden);
        QTextCursor first(document);
        if (m_noticeShown) {
            first.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
            first.insertText(text, formatOf(Kind::Note));
        } else {
            first.insertText(text + QLatin1Char('\n'), formatOf(Kind::Note));
            m_noticeShown = true;
        }
        m_summary->setText(tr("Showing the last %1 lines").arg(m_viewLines));
    } else if (m_noticeShown) {
        QTextCursor first(document);
        first.movePosition(QTextCursor::NextBlock, QTextCursor::KeepAnchor);
        first.removeSelectedText();
        m_noticeShown = false;
        m_summary->clear();
    }
}

// The lines [from, until) of what the view keeps (until -1: to the end, the last line even if
// it has no newline yet), as pieces.
QList<OutputPane::Piece> OutputPane::linesKept(qsizetype from, qsizetype until) const
{
    QList<Piece> pieces;
    qsizetype line = 0; // the line the current piece starts in
    for (const Piece &piece : m_shown) {
        const qsizetype last = line + piece.lines; // the line its end is in
        if (last >= from) {
            const qsizetype start = from > line ? afterLines(piece.text, from - line) : 0;
            const bool ends = until >= 0 && until <= last;
            const qsizetype end = ends ? afterLines(piece.text, until - line) : piece.text.size();
            if (end > start) {
                const QString text = piece.text.mid(start, end - start);
                pieces.append({text, piece.kind, text.count(QLatin1Char('\n'))});
            }
            if (ends)
                break;
        }
        line = last;
    }
    return pieces;
}

void OutputPane::trimShown(qsizetype lines)
{
    while (lines > 0 && !m_shown.isEmpty()) {
        Piece &first = m_shown.first();
        if (first.lines <= lines && m_shown.size() > 1) {
            lines -= first.lines;
            m_shownLines -= first.lines;
            m_shown.removeFirst();
            continue;
        }
        const qsizetype cut = std::min(lines, first.lines);
        first.text.remove(0, afterLines(first.text, cut));
        first.lines -= cut;
        m_shownLines -= cut;
        break;
    }
}

QTextCharFormat OutputPane::formatOf(Kind kind) const
{
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    QTextCharFormat format;
    switch (kind) {
    case Kind::Stdout:
        break;
    case Kind::Stderr:
        format.setForeground(dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xc0, 0x1c, 0x28));
        break;
    case Kind::Result:
        format.setForeground(dark ? QColor(0x79, 0xc0, 0xff) : QColor(0x1a, 0x5f, 0xb4));
        break;
    case Kind::Note:
        format.setForeground(palette().color(QPalette::PlaceholderText));
        format.setFontItalic(true);
        break;
    }
    return format;
}

void OutputPane::enforceBudget()
{
    qsizetype total = 0;
    for (const Run &run : std::as_const(m_runs))
        total += run.output->size();
    for (qsizetype i = 0; i + 1 < m_runs.size() && total > KeptCharacters; ++i) {
        workspace::OutputSpool &old = *m_runs[i].output;
        if (old.isEmpty())
            continue;
        total -= old.size();
        old.replace(tr("[the output of this run was dropped to keep the kept output bounded]\n"));
        total += old.size();
    }
}

void OutputPane::openFullOutput()
{
    if (m_runs.isEmpty())
        return;
    auto *dialog = new FullTextDialog(m_runs.last().title, fullText(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void OutputPane::copyAll() const
{
    QGuiApplication::clipboard()->setText(fullText());
}

bool OutputPane::saveFullOutput(const QString &path, QString *error) const
{
    return FullTextDialog::saveText(path, fullText(), error);
}

void OutputPane::saveWithDialog()
{
    if (m_runs.isEmpty())
        return;
    Dialogs::askSaveFile(this, tr("Save Output"), QStringLiteral("output.txt"),
                         tr("Text files (*.txt);;All files (*)"), [this](const QString &path) {
                             QString error;
                             if (!saveFullOutput(path, &error))
                                 Dialogs::showProblem(this, tr("Save Output"),
                                                      tr("The output could not be saved: %1")
                                                              .arg(error));
                         });
}

} // namespace agentbay::ui
