// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>

class QLabel;
class QStatusBar;

namespace agentbay::workbench {
class Document;
}

namespace agentbay::ui {

// The status bar's account of the current document: where it runs, what its session is doing
// (and how the last run ended), and how long the run in progress has left.
class RunStatus final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunStatus)

public:
    explicit RunStatus(QStatusBar *bar);
    ~RunStatus() override;

    void setDocument(workbench::Document *document);
    // The three fields as shown, joined by " | ".
    QString text() const;

private:
    void update();

    QPointer<workbench::Document> m_document;
    QLabel *m_backend;
    QLabel *m_session;
    QLabel *m_timer;
};

} // namespace agentbay::ui
