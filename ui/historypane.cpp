// SPDX-License-Identifier: GPL-3.0-or-later
#include "historypane.h"

#include "dialogs.h"

#include "workbench/listmodels.h"

#include "workspace/atomicfile.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace agentbay::ui {

using workspace::RunHistory;
using workspace::RunRecord;
using workspace::RunSummary;

HistoryPane::HistoryPane(RunHistory *history, QWidget *parent)
    : QWidget(parent), m_history(history), m_filter(new QLineEdit(this)),
      m_status(new QComboBox(this)), m_list(new QTreeView(this)),
      m_model(new workbench::RunHistoryModel(history, this)), m_count(new QLabel(this))
{
    setObjectName(QStringLiteral("historyPane"));
    m_filter->setObjectName(QStringLiteral("historyFilter"));
    m_filter->setPlaceholderText(tr("Filter by code, tab, output or error"));
    m_filter->setClearButtonEnabled(true);
    m_status->setObjectName(QStringLiteral("historyStatus"));
    m_status->addItem(tr("All runs"), QString());
    m_status->addItem(tr("Succeeded"), QStringLiteral("ok"));
    m_status->addItem(tr("Raised an error"), QStringLiteral("error"));
    m_status->addItem(tr("Timed out"), QStringLiteral("timeout"));
    m_status->addItem(tr("Stopped"), QStringLiteral("stopped"));
    m_status->addItem(tr("Failed to run"), QStringLiteral("failed"));
    m_list->setObjectName(QStringLiteral("historyList"));
    m_list->setModel(m_model);
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(true);

    const auto button = [this](const QString &text, const QString &name) {
        auto *b = new QPushButton(text, this);
        b->setObjectName(name);
        return b;
    };
    QPushButton *open = button(tr("Open in Tab"), QStringLiteral("openRunButton"));
    QPushButton *again = button(tr("Run Again"), QStringLiteral("runAgainButton"));
    QPushButton *exportRunButton = button(tr("Export Run…"), QStringLiteral("exportRunButton"));
    QPushButton *exportTabButton = button(tr("Export Tab as Notebook…"),
                                          QStringLiteral("exportNotebookButton"));
    connect(open, &QPushButton::clicked, this, [this] {
        if (const auto run = selectedRun())
            Q_EMIT openRequested(*run);
    });
    connect(m_list, &QTreeView::activated, this, [this] {
        if (const auto run = selectedRun())
            Q_EMIT openRequested(*run);
    });
    connect(again, &QPushButton::clicked, this, [this] {
        if (const auto run = selectedRun())
            Q_EMIT runAgainRequested(*run);
    });
    connect(exportRunButton, &QPushButton::clicked, this, [this] {
        if (selectedRunId().isEmpty())
            return;
        Dialogs::askSaveFile(this, tr("Export Run"), selectedRunId() + QStringLiteral(".json"),
                             tr("JSON (*.json)"), [this](const QString &path) {
                                 QString error;
                                 if (!exportRun(path, &error))
                                     Dialogs::showProblem(this, tr("Export Run"), error);
                             });
    });
    connect(exportTabButton, &QPushButton::clicked, this, [this] {
        if (selectedRunId().isEmpty())
            return;
        Dialogs::askSaveFile(this, tr("Export Tab as Notebook"), QStringLiteral("runs.ipynb"),
                             tr("Jupyter notebooks (*.ipynb)"), [this](const QString &path) {
                                 QString error;
                                 if (!exportTabNotebook(path, &error))
                                     Dialogs::showProblem(this, tr("Export Notebook"), error);
                             });
    });
    const auto filter = [this] {
        m_model->setFilter(m_filter->text(), m_status->currentData().toString());
    };
    connect(m_filter, &QLineEdit::textChanged, this, filter);
    connect(m_status, &QComboBox::currentIndexChanged, this, filter);
    // The list is rebuilt as runs are recorded and pruned; the selection stays.
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this,
            [this] { m_keep = selectedRunId(); });
    connect(m_model, &QAbstractItemModel::modelReset, this, &HistoryPane::refresh);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_filter, 1);
    filters->addWidget(m_status);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(open);
    buttons->addWidget(again);
    buttons->addWidget(exportRunButton);
    buttons->addWidget(exportTabButton);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(filters);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_count);
    layout->addLayout(buttons);
    refresh();
}

HistoryPane::~HistoryPane() = default;

void HistoryPane::refresh()
{
    m_count->setText(tr("%1 of %2 runs (kept: the newest %3, at most %4 MiB)")
                             .arg(m_model->rowCount())
                             .arg(m_model->totalCount())
                             .arg(m_history->maximumRuns())
                             .arg(m_history->maximumBytes() / (1024 * 1024)));
    if (!m_keep.isEmpty())
        select(m_keep);
}

QStringList HistoryPane::shownRunIds() const
{
    QStringList ids;
    for (int row = 0; row < m_model->rowCount(); ++row)
        ids.append(m_model->runIdAt(row));
    return ids;
}

void HistoryPane::select(const QString &runId)
{
    const int row = m_model->rowOf(runId);
    if (row >= 0)
        m_list->setCurrentIndex(m_model->index(row, 0));
}

QString HistoryPane::selectedRunId() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? m_model->runIdAt(current.row()) : QString();
}

std::optional<RunRecord> HistoryPane::selectedRun() const
{
    const QString id = selectedRunId();
    return id.isEmpty() ? std::nullopt : m_history->load(id);
}

bool HistoryPane::exportRun(const QString &path, QString *error) const
{
    const auto run = selectedRun();
    if (!run) {
        *error = tr("the run's record is no longer there (pruned?)");
        return false;
    }
    return workspace::AtomicFile::write(path, RunHistory::exportJson(*run), error);
}

bool HistoryPane::exportTabNotebook(const QString &path, QString *error) const
{
    const QModelIndex current = m_list->currentIndex();
    if (!current.isValid()) {
        *error = tr("no run is selected");
        return false;
    }
    const QList<RunRecord> runs = m_history->runsOfTab(m_model->tabIdAt(current.row()));
    return workspace::AtomicFile::write(path, RunHistory::notebook(runs), error);
}

} // namespace agentbay::ui
