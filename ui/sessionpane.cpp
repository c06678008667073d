// SPDX-License-Identifier: GPL-3.0-or-later
#include "sessionpane.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace agentbay::ui {

using client::SessionTimeline;
using client::TimelineEntry;

SessionPane::SessionPane(QWidget *parent)
    : QWidget(parent), m_list(new QTreeWidget(this)), m_notice(new QLabel(this))
{
    setObjectName(QStringLiteral("sessionPane"));
    m_list->setObjectName(QStringLiteral("timeline"));
    m_list->setHeaderLabels(
            {tr("Time"), tr("Event"), tr("Duration"), tr("Detail"), tr("Session"), tr("Request")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(DetailColumn, QHeaderView::Interactive);
    m_list->header()->resizeSection(DetailColumn, 420);
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
    if (m_timeline)
        m_timeline->disconnect(this);
    m_timeline = timeline;
    connect(timeline, &SessionTimeline::entryAdded, this, &SessionPane::addEntry);
    connect(timeline, &SessionTimeline::cleared, this, &SessionPane::reload);
    connect(timeline, &SessionTimeline::entriesDropped, this, [this](int count) {
        for (int i = 0; i < count && m_list->topLevelItemCount() > 0; ++i)
            delete m_list->takeTopLevelItem(0);
    });
    reload();
}

void SessionPane::reload()
{
    m_list->clear();
    if (!m_timeline)
        return;
    for (const TimelineEntry &entry : m_timeline->entries())
        addEntry(entry);
}

void SessionPane::addEntry(const TimelineEntry &entry)
{
    const QString duration = entry.durationMs < 0
                                     ? QString()
                                     : QString::number(entry.durationMs / 1000.0, 'f', 3)
                                               + tr(" s");
    auto *item = new QTreeWidgetItem({entry.time.toString(QStringLiteral("HH:mm:ss.zzz")),
                                      TimelineEntry::eventName(entry.event), duration, entry.detail,
                                      entry.sessionId, entry.requestId});
    item->setToolTip(DetailColumn, entry.detail);
    item->setToolTip(0, entry.time.toString(Qt::ISODateWithMs));
    const bool bad = entry.event == TimelineEntry::Event::Failed
                     || entry.event == TimelineEntry::Event::TimedOut
                     || entry.event == TimelineEntry::Event::Interrupted
                     || entry.event == TimelineEntry::Event::KernelLost
                     || entry.event == TimelineEntry::Event::LateError;
    if (bad)
        item->setForeground(1, QColor(0xe0, 0x1b, 0x24));
    m_list->addTopLevelItem(item);
    m_list->scrollToItem(item);
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
    return m_list->topLevelItemCount();
}

QStringList SessionPane::eventNames() const
{
    QStringList names;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i)
        names.append(m_list->topLevelItem(i)->text(1));
    return names;
}

QString SessionPane::copyText() const
{
    if (!m_timeline)
        return {};
    const QList<QTreeWidgetItem *> selected = m_list->selectedItems();
    if (selected.isEmpty())
        return m_timeline->toText();
    QStringList lines;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        if (m_list->topLevelItem(i)->isSelected() && i < m_timeline->entries().size())
            lines.append(SessionTimeline::formatEntry(m_timeline->entries().at(i)));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace agentbay::ui
