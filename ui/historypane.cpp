// SPDX-License-Identifier: GPL-3.0-or-later
#include "historypane.h"

#include "dialogs.h"

#include "workspace/atomicfile.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace agentbay::ui {

using workspace::RunHistory;
using workspace::RunRecord;
using workspace::RunSummary;

HistoryPane::HistoryPane(RunHistory *history, QWidget *parent)
    : QWidget(parent), m_history(history), m_filter(new QLineEdit(this)),
      m_status(new QComboBox(this)), m_list(new QTreeWidget(this)), m_count(new QLabel(this))
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
    m_list->setHeaderLabels(
            {tr("Time"), tr("Tab"), tr("Language"), tr("Status"), tr("Duration"), tr("Code")});
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
    connect(m_list, &QTreeWidget::itemActivated, this, [this] {
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
    connect(m_filter, &QLineEdit::textChanged, this, &HistoryPane::refresh);
    connect(m_status, &QComboBox::currentIndexChanged, this, &HistoryPane::refresh);
    connect(m_history, &RunHistory::recorded, this, &HistoryPane::refresh);
    connect(m_history, &RunHistory::pruned, this, &HistoryPane::refresh);

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
    const QString keep = selectedRunId();
    const QString needle = m_filter->text().trimmed().toLower();
    const QString status = m_status->currentData().toString();
    m_list->clear();
    const QList<RunSummary> all = m_history->summaries();
    QList<QTreeWidgetItem *> items;
    for (auto it = all.crbegin(); it != all.crend(); ++it) { // newest first
        const RunSummary &run = *it;
        if (!status.isEmpty() && run.status != status)
            continue;
        if (!needle.isEmpty() && !run.searchText.contains(needle))
            continue;
        auto *item = new QTreeWidgetItem(
                {run.startedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                 run.tabTitle, run.language, run.status,
                 QString::number(static_cast<double>(run.durationMs) / 1000.0, 'f', 2) + tr(" s"),
                 run.firstLine});
        item->setData(0, Qt::UserRole, run.id);
        item->setData(1, Qt::UserRole, run.tabId);
        items.append(item);
    }
    m_list->addTopLevelItems(items);
    m_count->setText(tr("%1 of %2 runs (kept: the newest %3, at most %4 MiB)")
                             .arg(items.size())
                             .arg(all.size())
                             .arg(m_history->maximumRuns())
                             .arg(m_history->maximumBytes() / (1024 * 1024)));
    if (!keep.isEmpty())
        select(keep);
}

QStringList HistoryPane::shownRunIds() const
{
    QStringList ids;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i)
        ids.append(m_list->topLevelItem(i)->data(0, Qt::UserRole).toString());
    return ids;
}

void HistoryPane::select(const QString &runId)
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        if (m_list->topLevelItem(i)->data(0, Qt::UserRole).toString() == runId) {
            m_list->setCurrentItem(m_list->topLevelItem(i));
            return;
        }
    }
}

QString HistoryPane::selectedRunId() const
{
    const QTreeWidgetItem *item = m_list->currentItem();
    return item ? item->data(0, Qt::UserRole).toString() : QString();
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
    const QTreeWidgetItem *item = m_list->currentItem();
    if (!item) {
        *error = tr("no run is selected");
        return false;
    }
    const QList<RunRecord> runs = m_history->runsOfTab(item->data(1, Qt::UserRole).toString());
    return workspace::AtomicFile::write(path, RunHistory::notebook(runs), error);
}

} // namespace agentbay::ui
