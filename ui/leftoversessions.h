// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "workspace/sessionjournal.h"

#include <QWidget>

class QLabel;
class QTreeWidget;

namespace agentbay::workbench {
class Workbench;
}

namespace agentbay::ui {

// Cloud sessions an earlier run left behind (a crash, or a deletion never confirmed), shown
// above the Session timeline until dealt with: Delete ends one, Reattach opens a tab on it.
class LeftoverSessions final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LeftoverSessions)

public:
    explicit LeftoverSessions(QWidget *parent = nullptr);
    ~LeftoverSessions() override;

    void setEntries(const QList<workspace::JournaledSession> &entries);
    QList<workspace::JournaledSession> entries() const { return m_entries; }
    void removeEntry(const QString &sessionId);
    void setProblem(const QString &sessionId, const QString &why);
    void select(const QString &sessionId);
    // Delete and Reattach go to the workbench, whose answers update the list.
    void follow(workbench::Workbench *workbench);
    // A widget holding this list above another (the Session timeline's stack), which takes the
    // rest of the height.
    QWidget *stackedAbove(QWidget *below);

Q_SIGNALS:
    void deleteRequested(const agentbay::workspace::JournaledSession &entry);
    void reattachRequested(const agentbay::workspace::JournaledSession &entry);

private:
    void refresh();
    int selectedIndex() const;

    QList<workspace::JournaledSession> m_entries;
    QHash<QString, QString> m_problems;
    QLabel *m_title;
    QTreeWidget *m_list;
};

} // namespace agentbay::ui
