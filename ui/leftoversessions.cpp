// SPDX-License-Identifier: GPL-3.0-or-later
#include "leftoversessions.h"

#include "workbench/workbench.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace agentbay::ui {

using workspace::JournaledSession;

LeftoverSessions::LeftoverSessions(QWidget *parent)
    : QWidget(parent), m_title(new QLabel(this)), m_list(new QTreeWidget(this))
{
    setObjectName(QStringLiteral("leftoverSessions"));
    m_title->setWordWrap(true);
    m_list->setObjectName(QStringLiteral("leftoverList"));
    m_list->setHeaderLabels(
            {tr("Session"), tr("Profile"), tr("Endpoint"), tr("Recorded"), tr("Why it is here")});
    m_list->setRootIsDecorated(false);
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->setMaximumHeight(120);
    auto *remove = new QPushButton(tr("Delete"), this);
    remove->setObjectName(QStringLiteral("deleteLeftoverButton"));
    remove->setToolTip(tr("Delete the session on its backend (it costs money while it exists)"));
    auto *reattach = new QPushButton(tr("Reattach"), this);
    reattach->setObjectName(QStringLiteral("reattachLeftoverButton"));
    reattach->setToolTip(tr("Open a tab that runs in this session, with its state"));
    connect(remove, &QPushButton::clicked, this, [this] {
        if (const int index = selectedIndex(); index >= 0)
            Q_EMIT deleteRequested(m_entries.at(index));
    });
    connect(reattach, &QPushButton::clicked, this, [this] {
        if (const int index = selectedIndex(); index >= 0)
            Q_EMIT reattachRequested(m_entries.at(index));
    });
    auto *buttons = new QVBoxLayout;
    buttons->addWidget(remove);
    buttons->addWidget(reattach);
    buttons->addStretch(1);
    auto *row = new QHBoxLayout;
    row->addWidget(m_list, 1);
    row->addLayout(buttons);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 4);
    layout->addWidget(m_title);
    layout->addLayout(row);
    refresh();
}

LeftoverSessions::~LeftoverSessions() = default;

void LeftoverSessions::follow(workbench::Workbench *workbench)
{
    connect(this, &LeftoverSessions::deleteRequested, workbench,
            [this, workbench](const workspace::JournaledSession &entry) {
                setProblem(entry.sessionId, tr("deleting…"));
                workbench->deleteLeftover(entry);
            });
    connect(this, &LeftoverSessions::reattachRequested, workbench,
            &workbench::Workbench::reattachLeftover);
    connect(workbench, &workbench::Workbench::leftoverResolved, this,
            &LeftoverSessions::removeEntry);
    connect(workbench, &workbench::Workbench::leftoverLeft, this,
            [this](const QString &id, const QString &why) {
                setProblem(id, tr("not deleted: %1").arg(why));
            });
}

QWidget *LeftoverSessions::stackedAbove(QWidget *below)
{
    auto *box = new QWidget;
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(this);
    layout->addWidget(below, 1);
    return box;
}

void LeftoverSessions::setEntries(const QList<JournaledSession> &entries)
{
    m_entries = entries;
    refresh();
}

void LeftoverSessions::removeEntry(const QString &sessionId)
{
    m_entries.removeIf([&](const JournaledSession &entry) { return entry.sessionId == sessionId; });
    m_problems.remove(sessionId);
    refresh();
}

void LeftoverSessions::setProblem(const QString &sessionId, const QString &why)
{
    m_problems.insert(sessionId, why);
    refresh();
}

void LeftoverSessions::select(const QString &sessionId)
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        if (m_list->topLevelItem(i)->text(0) == sessionId)
            m_list->setCurrentItem(m_list->topLevelItem(i));
    }
}

int LeftoverSessions::selectedIndex() const
{
    const QTreeWidgetItem *item = m_list->currentItem();
    return item ? m_list->indexOfTopLevelItem(const_cast<QTreeWidgetItem *>(item)) : -1;
}

void LeftoverSessions::refresh()
{
    m_list->clear();
    for (const JournaledSession &entry : std::as_const(m_entries)) {
        const QString why = m_problems.value(entry.sessionId, entry.reason);
        auto *item = new QTreeWidgetItem(
                {entry.sessionId, entry.profile, entry.endpoint,
                 entry.recordedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")), why});
        item->setToolTip(4, why);
        m_list->addTopLevelItem(item);
    }
    m_title->setText(tr("<b>%1 cloud session(s) left by an earlier run</b> — they may still be "
                        "running and costing money. Delete them, or reattach to keep working "
                        "in one.")
                             .arg(m_entries.size()));
    setVisible(!m_entries.isEmpty());
}

} // namespace agentbay::ui
