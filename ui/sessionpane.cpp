// SPDX-License-Identifier: GPL-3.0-or-later
#include "sessionpane.h"

#include "client/sessiontimeline.h"
#include "workbench/listmodels.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace agentbay::ui {

using client::SessionTimeline;
using workbench::TimelineModel;

namespace {
// Events that report a problem (a failure, a timeout, …) are drawn in red.
class ProblemDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.column() == TimelineModel::Event && index.data(workbench::ProblemRole).toBool())
            option->palette.setColor(QPalette::Text, QColor(0xe0, 0x1b, 0x24));
    }
};
} // namespace

SessionPane::SessionPane(QWidget *parent)
    : QWidget(parent), m_model(new TimelineModel(this)), m_list(new QTreeView(this)),
      m_notice(new QLabel(this))
{
    setObjectName(QStringLiteral("sessionPane"));
    m_list->setObjectName(QStringLiteral("timeline"));
    m_list->setModel(m_model);
    m_list->setItemDelegate(new ProblemDelegate(m_list));
    connect(m_model, &QAbstractItemModel::rowsInserted, m_list, &QTreeView::scrollToBottom);
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(TimelineModel::Detail, QHeaderView::Interactive);
    m_list->header()->resizeSection(TimelineModel::Detail, 420);
    m_list->header()->setStretchLastSection(true);
    m_notice->setObjectName(QStringLiteral("sessionNotice"));
    m_notice->setWordWrap(true);
    m_notice->setStyleSheet(QStringLiteral(
            "QLabel { border: 1px solid palette(mid); border-radius: 3px; padding: 4px; }"));
    m_notice->hide();

    auto *copy = new QPushButton(tr("Copy"), this);
    copy->setObjectName(QStringLiteral("copyTimelineButton"));
    copy->setToolTip(tr("Copy the selected rows, or the whole timeline, as tab-separated text"));
    auto *restart = new QPushButton(tr("Restart Session"), this);
    restart->setObjectName(QStringLiteral("restartSessionButton"));
    restart->setToolTip(tr("Delete this tab's session and start a fresh one on the next run"));
    connect(copy, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(copyText()); });
    connect(restart, &QPushButton::clicked, this, &SessionPane::restartRequested);

    copy->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    restart->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_notice, 1);
    buttons->addStretch(0);
    buttons->addWidget(copy, 0, Qt::AlignTop);
    buttons->addWidget(restart, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(m_list, 1);
}

SessionPane::~SessionPane() = default;

void SessionPane::setTimeline(SessionTimeline *timeline)
{
    m_model->setTimeline(timeline);
}

void SessionPane::setNotice(const QString &text)
{
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}

QString SessionPane::notice() const
{
    return m_notice->isVisible() ? m_notice->text() : QString();
}

int SessionPane::entryCount() const
{
    return m_model->rowCount();
}

QStringList SessionPane::eventNames() const
{
    QStringList names;
    for (int row = 0; row < m_model->rowCount(); ++row)
        names.append(m_model->index(row, TimelineModel::Event).data().toString());
    return names;
}

QString SessionPane::copyText() const
{
    if (!m_model->timeline())
        return {};
    const QModelIndexList selected = m_list->selectionModel()->selectedRows();
    if (selected.isEmpty())
        return m_model->timeline()->toText();
    QList<int> rows;
    for (const QModelIndex &index : selected)
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    for (int row : std::as_const(rows))
        lines.append(SessionTimeline::formatEntry(m_model->entries().at(row)));
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace agentbay::ui
