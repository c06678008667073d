// SPDX-License-Identifier: GPL-3.0-or-later
#include "listmodels.h"

#include "protocol/language.h"

namespace agentbay::workbench {

using client::TimelineEntry;

namespace {
QString shortTime(const QDateTime &time)
{
    return time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}
} // namespace

// --- the shared table ----------------------------------------------------------------------------

ListModel::ListModel(QStringList titles, QObject *parent)
    : QAbstractTableModel(parent), m_titles(std::move(titles))
{}

ListModel::~ListModel() = default;

int ListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : rows();
}

int ListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_titles.size());
}

QVariant ListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    return cell(index.row(), index.column(), role);
}

QVariant ListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0
        || section >= m_titles.size())
        return {};
    return m_titles.at(section);
}

// --- snippets -------------------------------------------------------------------------------------

SnippetListModel::SnippetListModel(workspace::SnippetLibrary *library, QObject *parent)
    : ListModel({tr("Title"), tr("Lang"), tr("Tags"), tr("Modified")}, parent), m_library(library)
{
    connect(library, &workspace::SnippetLibrary::changed, this, &SnippetListModel::reload);
    connect(library, &workspace::SnippetLibrary::loaded, this, &SnippetListModel::reload);
    reload();
}

SnippetListModel::~SnippetListModel() = default;

void SnippetListModel::setSearch(const QString &query)
{
    m_search = query;
    reload();
}

void SnippetListModel::reload()
{
    beginResetModel();
    m_rows.clear();
    if (m_library) {
        for (int index : m_library->search(m_search))
            m_rows.append(m_library->snippets().at(index));
    }
    endResetModel();
}

QString SnippetListModel::fileAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).fileName : QString();
}

int SnippetListModel::rowOf(const QString &fileName) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).fileName == fileName)
            return row;
    }
    return -1;
}

int SnippetListModel::totalCount() const
{
    return m_library ? static_cast<int>(m_library->snippets().size()) : 0;
}

QVariant SnippetListModel::cell(int row, int column, int role) const
{
    const workspace::Snippet &snippet = m_rows.at(row);
    if (role == KeyRole)
        return snippet.fileName;
    if (role == Qt::ToolTipRole && column == Title)
        return tr("%1\n%2, modified %3")
                .arg(snippet.title, snippet.fileName, shortTime(snippet.modified));
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Title:
        return snippet.title;
    case Language:
        return protocol::Languages::info(protocol::Languages::fromNameOr(snippet.language)).badge;
    case Tags:
        return snippet.tags.join(QStringLiteral(", "));
    case Modified:
        return shortTime(snippet.modified);
    default:
        return {};
    }
}

// --- run history ----------------------------------------------------------------------------------

RunHistoryModel::RunHistoryModel(workspace::RunHistory *history, QObject *parent)
    : ListModel({tr("Time"), tr("Tab"), tr("Language"), tr("Status"), tr("Duration"), tr("Code")},
                parent),
      m_history(history)
{
    connect(history, &workspace::RunHistory::recorded, this, &RunHistoryModel::reload);
    connect(history, &workspace::RunHistory::pruned, this, &RunHistoryModel::reload);
    reload();
}

RunHistoryModel::~RunHistoryModel() = default;

void RunHistoryModel::setFilter(const QString &text, const QString &status)
{
    m_text = text.trimmed().toLower();
    m_status = status;
    reload();
}

void RunHistoryModel::reload()
{
    beginResetModel();
    m_rows.clear();
    if (m_history) {
        const QList<workspace::RunSummary> all = m_history->summaries();
        for (auto it = all.crbegin(); it != all.crend(); ++it) { // newest first
            if ((m_status.isEmpty() || it->status == m_status)
                && (m_text.isEmpty() || it->searchText.contains(m_text)))
                m_rows.append(*it);
        }
    }
    endResetModel();
}

QString RunHistoryModel::runIdAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).id : QString();
}

QString RunHistoryModel::tabIdAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).tabId : QString();
}

int RunHistoryModel::rowOf(const QString &runId) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).id == runId)
            return row;
    }
    return -1;
}

int RunHistoryModel::totalCount() const
{
    return m_history ? static_cast<int>(m_history->summaries().size()) : 0;
}

QVariant RunHistoryModel::cell(int row, int column, int role) const
{
    const workspace::RunSummary &run = m_rows.at(row);
    switch (role) {
    case KeyRole:
        return run.id;
    case SecondKeyRole:
        return run.tabId;
    case ProblemRole:
        return run.status != QLatin1String("ok");
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (column) {
    case Time:
        return run.startedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case Tab:
        return run.tabTitle;
    case Language:
        return run.language;
    case Status:
        return run.status;
    case Duration:
        return tr("%1 s").arg(static_cast<double>(run.durationMs) / 1000.0, 0, 'f', 2);
    case Code:
        return run.firstLine;
    default:
        return {};
    }
}

// --- session timeline -----------------------------------------------------------------------------

TimelineModel::TimelineModel(QObject *parent)
    : ListModel({tr("Time"), tr("Event"), tr("Duration"), tr("Detail"), tr("Session"),
                 tr("Request")},
                parent)
{}

TimelineModel::~TimelineModel() = default;

void TimelineModel::setTimeline(client::SessionTimeline *timeline)
{
    if (m_timeline)
        m_timeline->disconnect(this);
    m_timeline = timeline;
    if (timeline) {
        connect(timeline, &client::SessionTimeline::entryAdded, this,
                [this](const TimelineEntry &entry) {
                    const int row = static_cast<int>(m_rows.size());
                    beginInsertRows({}, row, row);
                    m_rows.append(entry);
                    endInsertRows();
                });
        connect(timeline, &client::SessionTimeline::entriesDropped, this, [this](int count) {
            count = qMin(count, static_cast<int>(m_rows.size()));
            if (count <= 0)
                return;
            beginRemoveRows({}, 0, count - 1);
            m_rows.remove(0, count);
            endRemoveRows();
        });
        connect(timeline, &client::SessionTimeline::cleared, this, &TimelineModel::reload);
    }
    reload();
}

void TimelineModel::reload()
{
    beginResetModel();
    m_rows = m_timeline ? m_timeline->entries() : QList<TimelineEntry>();
    endResetModel();
}

QVariant TimelineModel::cell(int row, int column, int role) const
{
    const TimelineEntry &entry = m_rows.at(row);
    if (role == ProblemRole) {
        using Kind = TimelineEntry::Event;
        return entry.event == Kind::Failed || entry.event == Kind::TimedOut
               || entry.event == Kind::Interrupted || entry.event == Kind::KernelLost
               || entry.event == Kind::LateError;
    }
    if (role == Qt::ToolTipRole && column == Time)
        return entry.time.toString(Qt::ISODateWithMs);
    if (role == Qt::ToolTipRole && column == Detail)
        return entry.detail;
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Time:
        return entry.time.toString(QStringLiteral("HH:mm:ss.zzz"));
    case Event:
        return TimelineEntry::eventName(entry.event);
    case Duration:
        return entry.durationMs < 0
                       ? QString()
                       : tr("%1 s").arg(static_cast<double>(entry.durationMs) / 1000.0, 0, 'f', 3);
    case Detail:
        return entry.detail;
    case Session:
        return entry.sessionId;
    case Request:
        return entry.requestId;
    default:
        return {};
    }
}

} // namespace agentbay::workbench
