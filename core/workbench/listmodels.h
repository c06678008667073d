// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "client/sessiontimeline.h"
#include "workspace/runhistory.h"
#include "workspace/snippetlibrary.h"

#include <QAbstractTableModel>
#include <QPointer>

// The lists the panes show, as Qt models over the workbench's data (QtCore only). Each keeps
// its own copy of the rows it has announced, so every change reaches views between the begin
// and end notifications the model/view contract asks for.
namespace agentbay::workbench {

// Roles beyond Qt's: the row's key, and whether it reports a problem (a view colours it).
enum ListRole { KeyRole = Qt::UserRole, SecondKeyRole, ProblemRole };

// A flat table with fixed column titles: what the three lists share.
class ListModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ListModel)

public:
    ~ListModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

protected:
    ListModel(QStringList titles, QObject *parent);
    virtual int rows() const = 0;
    // The cell of a valid row and column.
    virtual QVariant cell(int row, int column, int role) const = 0;

private:
    QStringList m_titles;
};

// The snippet library, filtered by a search ("tag:name" for a tag). KeyRole: the file name.
class SnippetListModel final : public ListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SnippetListModel)

public:
    enum Column { Title, Language, Tags, Modified };

    explicit SnippetListModel(workspace::SnippetLibrary *library, QObject *parent = nullptr);
    ~SnippetListModel() override;

    void setSearch(const QString &query);
    QString fileAt(int row) const;
    int rowOf(const QString &fileName) const;
    int totalCount() const;

private:
    int rows() const override { return static_cast<int>(m_rows.size()); }
    QVariant cell(int row, int column, int role) const override;
    void reload();

    QPointer<workspace::SnippetLibrary> m_library;
    QString m_search;
    QList<workspace::Snippet> m_rows;
};

// The run history, newest first, filtered by text and status. KeyRole: the run id;
// SecondKeyRole: its tab's id; ProblemRole: it did not succeed.
class RunHistoryModel final : public ListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunHistoryModel)

public:
    enum Column { Time, Tab, Language, Status, Duration, Code };

    explicit RunHistoryModel(workspace::RunHistory *history, QObject *parent = nullptr);
    ~RunHistoryModel() override;

    // An empty status shows every run.
    void setFilter(const QString &text, const QString &status);
    QString runIdAt(int row) const;
    QString tabIdAt(int row) const;
    int rowOf(const QString &runId) const;
    int totalCount() const;

private:
    int rows() const override { return static_cast<int>(m_rows.size()); }
    QVariant cell(int row, int column, int role) const override;
    void reload();

    QPointer<workspace::RunHistory> m_history;
    QString m_text;
    QString m_status;
    QList<workspace::RunSummary> m_rows;
};

// A session's timeline, oldest first, following it as entries arrive and the oldest are
// dropped. ProblemRole: a failure, timeout, interruption, lost kernel or late error.
class TimelineModel final : public ListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineModel)

public:
    enum Column { Time, Event, Duration, Detail, Session, Request };

    explicit TimelineModel(QObject *parent = nullptr);
    ~TimelineModel() override;

    void setTimeline(client::SessionTimeline *timeline);
    client::SessionTimeline *timeline() const { return m_timeline; }
    const QList<client::TimelineEntry> &entries() const { return m_rows; }

private:
    int rows() const override { return static_cast<int>(m_rows.size()); }
    QVariant cell(int row, int column, int role) const override;
    void reload();

    QPointer<client::SessionTimeline> m_timeline;
    QList<client::TimelineEntry> m_rows;
};

} // namespace agentbay::workbench
