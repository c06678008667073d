// SPDX-License-Identifier: GPL-3.0-or-later
#include "outputpane.h"

#include <QFontDatabase>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextCursor>
#include <QVBoxLayout>

namespace agentbay::ui {

OutputPane::OutputPane(QWidget *parent) : QWidget(parent), m_view(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("outputPane"));
    m_view->setObjectName(QStringLiteral("outputView"));
    m_view->setReadOnly(true);
    m_view->setMaximumBlockCount(MaximumLines);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
}

OutputPane::~OutputPane() = default;

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
}

QString OutputPane::plainText() const
{
    return m_view->toPlainText();
}

void OutputPane::append(const QString &text, Kind kind)
{
    if (text.isEmpty())
        return;
    QTextCharFormat format;
    switch (kind) {
    case Kind::Stdout:
        break;
    case Kind::Stderr:
        format.setForeground(QColor(0xc0, 0x1c, 0x28));
        break;
    case Kind::Result:
        format.setForeground(QColor(0x1a, 0x5f, 0xb4));
        break;
    case Kind::Note:
        format.setForeground(palette().color(QPalette::PlaceholderText));
        format.setFontItalic(true);
        break;
    }
    // Only the tail can stay in the bounded view: never hand it more than that.
    QString body = text;
    qsizetype cut = body.size();
    for (int lines = 0; lines < MaximumLines && cut > 0; ++lines)
        cut = body.lastIndexOf(QLatin1Char('\n'), cut - 1);
    if (cut > 0) {
        const qsizetype dropped = body.left(cut).count(QLatin1Char('\n')) + 1;
        body = tr("[%n earlier line(s) not shown]", nullptr, int(dropped)) + body.mid(cut);
    }

    QScrollBar *bar = m_view->verticalScrollBar();
    const bool followTail = bar->value() == bar->maximum();
    QTextCursor cursor(m_view->document());
    cursor.movePosition(QTextCursor::End);
    const bool separate = kind == Kind::Result || kind == Kind::Note;
    // Results and notes start on their own line, even after output without a final newline.
    if (separate && !m_view->document()->lastBlock().text().isEmpty())
        cursor.insertText(QStringLiteral("\n"), QTextCharFormat());
    if (separate && !body.endsWith(QLatin1Char('\n')))
        body += QLatin1Char('\n');
    cursor.insertText(body, format);
    if (followTail)
        bar->setValue(bar->maximum());
}

} // namespace agentbay::ui
