// SPDX-License-Identifier: GPL-3.0-or-later
#include "snippetspane.h"

#include "dialogs.h"

#include "workspace/snippetlibrary.h"

#include "workbench/listmodels.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace agentbay::ui {

using workspace::Snippet;
using workspace::SnippetLibrary;

SnippetsPane::SnippetsPane(SnippetLibrary *library, QWidget *parent)
    : QWidget(parent), m_library(library), m_search(new QLineEdit(this)),
      m_list(new QTreeView(this)), m_model(new workbench::SnippetListModel(library, this)),
      m_undo(new QPushButton(tr("Undo"), this)), m_count(new QLabel(this))
{
    setObjectName(QStringLiteral("snippetsPane"));
    m_search->setObjectName(QStringLiteral("snippetSearch"));
    m_search->setPlaceholderText(tr("Search title, tags and code (tag:name for a tag)"));
    m_search->setClearButtonEnabled(true);
    m_list->setObjectName(QStringLiteral("snippetList"));
    m_list->setModel(m_model);
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_list->header()->setMinimumSectionSize(40);
    m_list->header()->resizeSection(1, 40);
    m_list->header()->resizeSection(2, 90);
    m_list->header()->resizeSection(3, 120);
    m_list->setColumnHidden(3, true); // the modification time is in the title's tooltip
    m_count->setWordWrap(true);
    m_count->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_undo->setObjectName(QStringLiteral("undoDeleteButton"));
    m_undo->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    m_undo->setToolTip(tr("Bring back the last snippet deleted (from the library's trash)"));
    m_undo->setEnabled(false);

    const auto button = [this](const QString &text, const QString &name) {
        auto *b = new QPushButton(text, this);
        b->setObjectName(name);
        b->setMinimumWidth(0);
        b->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed); // the pane may be narrow
        return b;
    };
    QPushButton *create = button(tr("New"), QStringLiteral("newSnippetButton"));
    QPushButton *open = button(tr("Open"), QStringLiteral("openSnippetButton"));
    QPushButton *rename = button(tr("Rename…"), QStringLiteral("renameSnippetButton"));
    QPushButton *copy = button(tr("Duplicate"), QStringLiteral("duplicateSnippetButton"));
    QPushButton *remove = button(tr("Delete"), QStringLiteral("deleteSnippetButton"));
    QPushButton *import = button(tr("Import…"), QStringLiteral("importSnippetsButton"));
    QPushButton *exportButton = button(tr("Export…"), QStringLiteral("exportSnippetsButton"));

    connect(create, &QPushButton::clicked, this, &SnippetsPane::newRequested);
    connect(open, &QPushButton::clicked, this, [this] {
        if (!selectedFile().isEmpty())
            Q_EMIT openRequested(selectedFile());
    });
    connect(m_list, &QTreeView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT openRequested(m_model->fileAt(index.row()));
    });
    connect(rename, &QPushButton::clicked, this, [this] {
        const QString file = selectedFile();
        if (file.isEmpty())
            return;
        Dialogs::askText(this, tr("Rename Snippet"), tr("Title:"), m_library->snippet(file).title,
                         [this](const QString &title) { renameSelected(title); });
    });
    connect(copy, &QPushButton::clicked, this, &SnippetsPane::duplicateSelected);
    connect(remove, &QPushButton::clicked, this, &SnippetsPane::deleteSelected);
    connect(m_undo, &QPushButton::clicked, this, &SnippetsPane::undoDelete);
    connect(import, &QPushButton::clicked, this, [this] {
        Dialogs::askOpenFiles(this, tr("Import Snippets"), tr("Python and JavaScript (*.py *.js)"),
                              [this](const QStringList &paths) { importFiles(paths); });
    });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        if (selectedFile().isEmpty())
            return;
        Dialogs::askDirectory(this, tr("Export Snippet To"),
                              [this](const QString &directory) { exportSelected(directory); });
    });
    connect(m_search, &QLineEdit::textChanged, m_model, &workbench::SnippetListModel::setSearch);
    // The list is rebuilt when the library or the search changes; the selection stays.
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this,
            [this] { m_keep = selectedFile(); });
    connect(m_model, &QAbstractItemModel::modelReset, this, &SnippetsPane::refresh);

    auto *buttons = new QGridLayout;
    buttons->addWidget(create, 0, 0);
    buttons->addWidget(open, 0, 1);
    buttons->addWidget(rename, 0, 2);
    buttons->addWidget(copy, 0, 3);
    buttons->addWidget(remove, 1, 0);
    buttons->addWidget(m_undo, 1, 1);
    buttons->addWidget(import, 1, 2);
    buttons->addWidget(exportButton, 1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_search);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_count);
    layout->addLayout(buttons);
    refresh();
}

SnippetsPane::~SnippetsPane() = default;

void SnippetsPane::refresh()
{
    m_count->setText(tr("%1 of %2 snippets in %3")
                             .arg(m_model->rowCount())
                             .arg(m_model->totalCount())
                             .arg(m_library->folder()));
    if (!m_keep.isEmpty())
        select(m_keep);
}

QStringList SnippetsPane::shownFiles() const
{
    QStringList files;
    for (int row = 0; row < m_model->rowCount(); ++row)
        files.append(m_model->fileAt(row));
    return files;
}

QString SnippetsPane::selectedFile() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? m_model->fileAt(current.row()) : QString();
}

void SnippetsPane::select(const QString &fileName)
{
    const int row = m_model->rowOf(fileName);
    if (row >= 0)
        m_list->setCurrentIndex(m_model->index(row, 0));
}

void SnippetsPane::renameSelected(const QString &title)
{
    const QString from = selectedFile();
    QString error;
    const QString to = m_library->rename(from, title, &error);
    if (to.isEmpty()) {
        Dialogs::showProblem(this, tr("Rename Snippet"), error);
        return;
    }
    select(to);
    Q_EMIT renamed(from, to);
}

void SnippetsPane::duplicateSelected()
{
    QString error;
    const QString copy = m_library->duplicate(selectedFile(), &error);
    if (copy.isEmpty())
        Dialogs::showProblem(this, tr("Duplicate Snippet"), error);
    else
        select(copy);
}

void SnippetsPane::deleteSelected()
{
    const QString file = selectedFile();
    if (file.isEmpty())
        return;
    const QString title = m_library->snippet(file).title;
    QString error;
    const QString entry = m_library->remove(file, &error);
    if (entry.isEmpty()) {
        Dialogs::showProblem(this, tr("Delete Snippet"), error);
        return;
    }
    m_trashEntries.append(entry);
    m_undo->setEnabled(true);
    Q_EMIT message(tr("“%1” moved to the library's trash; Undo Delete brings it back.").arg(title));
}

bool SnippetsPane::undoDelete()
{
    if (m_trashEntries.isEmpty())
        return false;
    QString error;
    const QString restored = m_library->restore(m_trashEntries.takeLast(), &error);
    m_undo->setEnabled(!m_trashEntries.isEmpty());
    if (restored.isEmpty()) {
        Dialogs::showProblem(this, tr("Undo Delete"), error);
        return false;
    }
    select(restored);
    return true;
}

void SnippetsPane::importFiles(const QStringList &paths)
{
    QString error;
    const QStringList imported = m_library->importFiles(paths, &error);
    if (!error.isEmpty())
        Dialogs::showProblem(this, tr("Import Snippets"), error);
    if (!imported.isEmpty()) {
        select(imported.constLast());
        Q_EMIT message(tr("Imported %1 snippet(s).").arg(imported.size()));
    }
}

void SnippetsPane::exportSelected(const QString &directory)
{
    QString error;
    if (!m_library->exportTo({selectedFile()}, directory, &error))
        Dialogs::showProblem(this, tr("Export Snippet"), error);
    else
        Q_EMIT message(tr("Exported to %1.").arg(directory));
}

} // namespace agentbay::ui
