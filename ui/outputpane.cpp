// SPDX-License-Identifier: GPL-3.0-or-later
#include "outputpane.h"

#include "dialogs.h"
#include "fulltextdialog.h"

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

namespace agentbay::ui {

OutputPane::OutputPane(QWidget *parent)
    : QWidget(parent), m_view(new QPlainTextEdit(this)), m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("outputPane"));
    m_view->setObjectName(QStringLiteral("outputView"));
    m_view->setReadOnly(true);
    m_view->setMaximumBlockCount(MaximumLines);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setUndoRedoEnabled(false);

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
    m_runs.append({title, QString()});
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
    m_view->clear();
    m_runs.clear();
    m_summary->clear();
}

QString OutputPane::plainText() const
{
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
    return at < m_runs.size() ? m_runs.at(at).text : QString();
}

int OutputPane::shownLines() const
{
    return m_view->document()->blockCount();
}

void OutputPane::append(const QString &text, Kind kind)
{
    if (text.isEmpty())
        return;
    const bool separate = kind == Kind::Result || kind == Kind::Note;
    if (!m_runs.isEmpty()) {
        QString &full = m_runs.last().text;
        if (separate && !full.isEmpty() && !full.endsWith(QLatin1Char('\n')))
            full += QLatin1Char('\n');
        full += text;
        if (separate && !text.endsWith(QLatin1Char('\n')))
            full += QLatin1Char('\n');
        enforceBudget();
    }

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
    // Only the tail can stay in the bounded view: never hand it more than that (less a margin,
    // so the notice saying so stays in view too).
    QString body = text;
    qsizetype cut = body.size();
    for (int lines = 0; lines < MaximumLines - 100 && cut > 0; ++lines)
        cut = body.lastIndexOf(QLatin1Char('\n'), cut - 1);
    if (cut > 0) {
        const qsizetype dropped = QStringView(body).left(cut).count(QLatin1Char('\n')) + 1;
        body = tr("[%1 earlier lines not shown here; Full Output… has them all]\n").arg(dropped)
               + body.mid(cut + 1);
        m_summary->setText(tr("Showing the last %1 lines").arg(MaximumLines));
    }

    QScrollBar *bar = m_view->verticalScrollBar();
    const bool followTail = bar->value() == bar->maximum();
    QTextCursor cursor(m_view->document());
    cursor.movePosition(QTextCursor::End);
    // Results and notes start on their own line, even after output without a final newline.
    if (separate && !m_view->document()->lastBlock().text().isEmpty())
        cursor.insertText(QStringLiteral("\n"), QTextCharFormat());
    if (separate && !body.endsWith(QLatin1Char('\n')))
        body += QLatin1Char('\n');
    cursor.insertText(body, format);
    // Output that arrives in pieces (a streamed run) fills the view until its oldest lines drop
    // out at the top; the first line then says where they are.
    QTextDocument *document = m_view->document();
    const QString notice = tr("[earlier lines not shown here; Full Output… has them all]");
    if (document->blockCount() >= MaximumLines && document->firstBlock().text() != notice) {
        QTextCursor first(document->firstBlock());
        first.select(QTextCursor::BlockUnderCursor);
        first.insertText(notice, QTextCharFormat());
        m_summary->setText(tr("Showing the last %1 lines").arg(MaximumLines));
    }
    if (followTail)
        bar->setValue(bar->maximum());
}

void OutputPane::enforceBudget()
{
    qsizetype total = 0;
    for (const Run &run : std::as_const(m_runs))
        total += run.text.size();
    for (qsizetype i = 0; i + 1 < m_runs.size() && total > KeptCharacters; ++i) {
        Run &old = m_runs[i];
        if (old.text.isEmpty())
            continue;
        total -= old.text.size();
        old.text = tr("[the output of this run was dropped to keep memory bounded]\n");
        total += old.text.size();
    }
}

void OutputPane::openFullOutput()
{
    if (m_runs.isEmpty())
        return;
    auto *dialog = new FullTextDialog(m_runs.last().title, m_runs.last().text, this);
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
