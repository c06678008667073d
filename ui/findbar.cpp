// SPDX-License-Identifier: GPL-3.0-or-later
#include "findbar.h"

#include "codeeditor.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>

namespace agentbay::ui {

FindBar::FindBar(CodeEditor *editor, QWidget *parent)
    : QWidget(parent), m_editor(editor), m_find(new QLineEdit(this)),
      m_replace(new QLineEdit(this)), m_case(new QCheckBox(tr("Match case"), this)),
      m_word(new QCheckBox(tr("Whole words"), this)),
      m_regex(new QCheckBox(tr("Regular expression"), this)), m_replaceRow(new QWidget(this)),
      m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("findBar"));
    m_find->setObjectName(QStringLiteral("findField"));
    m_find->setPlaceholderText(tr("Find"));
    m_find->setClearButtonEnabled(true);
    m_replace->setObjectName(QStringLiteral("replaceField"));
    m_replace->setPlaceholderText(tr("Replace with"));

    auto *previous = new QPushButton(tr("Previous"), this);
    auto *next = new QPushButton(tr("Next"), this);
    auto *close = new QToolButton(this);
    close->setText(QStringLiteral("✕"));
    close->setToolTip(tr("Close (Esc)"));
    auto *replaceOne = new QPushButton(tr("Replace"), m_replaceRow);
    auto *replaceEvery = new QPushButton(tr("Replace All"), m_replaceRow);

    auto *findRow = new QHBoxLayout;
    findRow->addWidget(m_find, 1);
    findRow->addWidget(previous);
    findRow->addWidget(next);
    findRow->addWidget(m_case);
    findRow->addWidget(m_word);
    findRow->addWidget(m_regex);
    findRow->addWidget(m_status);
    findRow->addWidget(close);
    auto *replaceRow = new QHBoxLayout(m_replaceRow);
    replaceRow->setContentsMargins(0, 0, 0, 0);
    replaceRow->addWidget(m_replace, 1);
    replaceRow->addWidget(replaceOne);
    replaceRow->addWidget(replaceEvery);
    replaceRow->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setSpacing(2);
    layout->addLayout(findRow);
    layout->addWidget(m_replaceRow);

    connect(m_find, &QLineEdit::returnPressed, this, &FindBar::findNext);
    connect(m_find, &QLineEdit::textEdited, this, [this] { find(true, true); });
    connect(m_replace, &QLineEdit::returnPressed, this, &FindBar::replaceCurrent);
    connect(next, &QPushButton::clicked, this, &FindBar::findNext);
    connect(previous, &QPushButton::clicked, this, &FindBar::findPrevious);
    connect(replaceOne, &QPushButton::clicked, this, &FindBar::replaceCurrent);
    connect(replaceEvery, &QPushButton::clicked, this, &FindBar::replaceAll);
    connect(close, &QToolButton::clicked, this, [this] {
        hide();
        m_editor->setFocus();
    });
    m_find->installEventFilter(this);
    m_replace->installEventFilter(this);
    hide();
}

FindBar::~FindBar() = default;

bool FindBar::eventFilter(QObject *watched, QEvent *event)
{
    // Esc closes the bar instead of reaching the window's Stop shortcut.
    if (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape) {
            event->accept();
            if (event->type() == QEvent::KeyPress) {
                hide();
                m_editor->setFocus();
            }
            return event->type() == QEvent::KeyPress;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void FindBar::setReplaceVisible(bool visible)
{
    m_replaceRow->setVisible(visible);
}

void FindBar::showFind()
{
    setReplaceVisible(false);
    show();
    if (m_editor->hasSelectedText() && !m_editor->selectedText().contains(QLatin1Char('\n')))
        m_find->setText(m_editor->selectedText());
    m_find->setFocus();
    m_find->selectAll();
}

void FindBar::showReplace()
{
    showFind();
    setReplaceVisible(true);
}

bool FindBar::find(bool forward, bool fromSelectionStart)
{
    const QString pattern = m_find->text();
    if (pattern.isEmpty()) {
        m_status->clear();
        return false;
    }
    int line = 0, index = 0;
    if (m_editor->hasSelectedText()) {
        int fromLine = 0, fromIndex = 0, toLine = 0, toIndex = 0;
        m_editor->getSelection(&fromLine, &fromIndex, &toLine, &toIndex);
        // Forward from the selection's start while typing (so the match grows), else past it.
        line = forward && !fromSelectionStart ? toLine : fromLine;
        index = forward && !fromSelectionStart ? toIndex : fromIndex;
    } else {
        m_editor->getCursorPosition(&line, &index);
    }
    const bool found = m_editor->findFirst(pattern, m_regex->isChecked(), m_case->isChecked(),
                                           m_word->isChecked(), true, forward, line, index, true,
                                           false, m_regex->isChecked());
    m_status->setText(found ? QString() : tr("Not found"));
    return found;
}

bool FindBar::findNext()
{
    return find(true, false);
}

bool FindBar::findPrevious()
{
    return find(false, false);
}

bool FindBar::replaceCurrent()
{
    if (!m_editor->hasSelectedText() && !find(true, true))
        return false;
    if (!m_editor->hasSelectedText())
        return false;
    m_editor->replace(m_replace->text());
    find(true, false);
    return true;
}

int FindBar::replaceAll()
{
    const QString pattern = m_find->text();
    if (pattern.isEmpty())
        return 0;
    int count = 0;
    m_editor->beginUndoAction();
    bool found = m_editor->findFirst(pattern, m_regex->isChecked(), m_case->isChecked(),
                                     m_word->isChecked(), false, true, 0, 0, false, false,
                                     m_regex->isChecked());
    while (found && count < 1000000) {
        m_editor->replace(m_replace->text());
        ++count;
        found = m_editor->findNext();
    }
    m_editor->endUndoAction();
    m_status->setText(tr("%1 replaced").arg(count));
    return count;
}

QString FindBar::status() const
{
    return m_status->text();
}

} // namespace agentbay::ui
