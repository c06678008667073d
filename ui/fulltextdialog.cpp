// SPDX-License-Identifier: GPL-3.0-or-later
#include "fulltextdialog.h"

#include "dialogs.h"

#include "workspace/atomicfile.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextCursor>
#include <QVBoxLayout>

namespace agentbay::ui {

FullTextDialog::FullTextDialog(const QString &title, const QString &text, QWidget *parent)
    : QDialog(parent), m_view(new QPlainTextEdit(this)), m_search(new QLineEdit(this)),
      m_status(new QLabel(this)), m_text(text)
{
    setObjectName(QStringLiteral("fullTextDialog"));
    setWindowTitle(tr("Full output — %1").arg(title));
    m_view->setReadOnly(true);
    m_view->setUndoRedoEnabled(false);
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setPlainText(text);
    m_search->setObjectName(QStringLiteral("fullTextSearch"));
    m_search->setPlaceholderText(tr("Search (Enter for the next match)"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::returnPressed, this, [this] { findNext(m_search->text()); });

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::Save), &QPushButton::clicked, this, [this] {
        Dialogs::askSaveFile(this, tr("Save Output"), QStringLiteral("output.txt"),
                             tr("Text files (*.txt);;All files (*)"), [this](const QString &path) {
                                 QString error;
                                 if (!saveText(path, m_text, &error))
                                     Dialogs::showProblem(this, tr("Save Output"),
                                                          tr("The output could not be saved: %1")
                                                                  .arg(error));
                             });
    });

    auto *top = new QHBoxLayout;
    top->addWidget(m_search, 1);
    top->addWidget(m_status);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    layout->addWidget(new QLabel(tr("%1 lines, %2 characters")
                                         .arg(text.count(QLatin1Char('\n')))
                                         .arg(text.size()),
                                 this));
    layout->addWidget(buttons);
    resize(900, 600);
}

FullTextDialog::~FullTextDialog() = default;

QString FullTextDialog::text() const
{
    return m_text;
}

bool FullTextDialog::findNext(const QString &pattern)
{
    if (pattern.isEmpty())
        return false;
    bool found = m_view->find(pattern);
    if (!found) { // wrap around once
        m_view->moveCursor(QTextCursor::Start);
        found = m_view->find(pattern);
    }
    m_status->setText(found ? QString() : tr("Not found"));
    return found;
}

bool FullTextDialog::saveText(const QString &path, const QString &text, QString *error)
{
    return workspace::AtomicFile::write(path, text.toUtf8(), error);
}

} // namespace agentbay::ui
