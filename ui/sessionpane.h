// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QTreeView;

namespace agentbay::client {
class SessionTimeline;
}
namespace agentbay::workbench {
class TimelineModel;
}

namespace agentbay::ui {

// The session's life as a timeline: time, event (creating, ready, running, idle, interrupted,
// timed out, pausing/paused, deleting, deleted, failed), session and request ids, durations,
// the backend and the isolation layers it reports. Copyable; Restart Session at hand.
class SessionPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionPane)

public:
    explicit SessionPane(QWidget *parent = nullptr);
    ~SessionPane() override;

    void setTimeline(client::SessionTimeline *timeline);
    // A notice above the timeline (the cloud may keep running a stopped run); empty hides it.
    void setNotice(const QString &text);
    QString notice() const;
    int entryCount() const;
    QStringList eventNames() const;
    QString copyText() const;

Q_SIGNALS:
    void restartRequested();

private:
    workbench::TimelineModel *m_model;
    QTreeView *m_list;
    QLabel *m_notice;
};

} // namespace agentbay::ui
