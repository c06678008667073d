// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "workspace/runhistory.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTreeView;

namespace agentbay::workbench {
class RunHistoryModel;
}

namespace agentbay::ui {

// Every run, newest first: filter by text (code, title, output, error) and by status; open a
// run's code in a tab, run it again, export it as JSON, or export its tab's runs as a notebook.
class HistoryPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryPane)

public:
    explicit HistoryPane(workspace::RunHistory *history, QWidget *parent = nullptr);
    ~HistoryPane() override;

    QLineEdit *filterField() const { return m_filter; }
    QComboBox *statusBox() const { return m_status; }
    QStringList shownRunIds() const;
    void select(const QString &runId);
    QString selectedRunId() const;

    // Writes the selected run as JSON / its tab's runs as a notebook; false + *error on failure.
    bool exportRun(const QString &path, QString *error) const;
    bool exportTabNotebook(const QString &path, QString *error) const;

Q_SIGNALS:
    void openRequested(const agentbay::workspace::RunRecord &run);
    void runAgainRequested(const agentbay::workspace::RunRecord &run);

private:
    void refresh();
    std::optional<workspace::RunRecord> selectedRun() const;

    workspace::RunHistory *m_history;
    QLineEdit *m_filter;
    QComboBox *m_status;
    QTreeView *m_list;
    workbench::RunHistoryModel *m_model;
    QString m_keep; // the selection across a model reset
    QLabel *m_count;
};

} // namespace agentbay::ui
