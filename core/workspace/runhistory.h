// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/runcoderesult.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <optional>

namespace agentbay::workspace {

// Everything about one run: what ran, where, how it ended and what it printed and returned.
struct RunRecord
{
    QString id;
    QDateTime startedAt;
    qint64 durationMs = 0;
    QString tabId;
    QString tabTitle;
    QString snippetFile;
    QString code;
    QString language;
    int timeoutSeconds = 30;
    QString profile;
    QString endpoint;
    QString sessionId;
    QString requestId;
    QString status; // "ok", "error", "timeout", "stopped", "failed"
    protocol::RunCodeResult result;

    static QString statusOf(const protocol::RunCodeResult &result);
};

// The line the History pane lists for a run (kept in the index, so listing reads one file).
struct RunSummary
{
    QString id;
    QDateTime startedAt;
    qint64 durationMs = 0;
    QString tabId;
    QString tabTitle;
    QString language;
    QString status;
    QString profile;
    QString firstLine;  // of the code
    QString searchText; // lower-cased code head, title and output head, for the filter
    qint64 bytes = 0;   // on disk, for retention
};

// The run history under AppDataLocation/history: runs/<id>.json per run (outputs larger than
// 64 KiB beside it as runs/<id>.stdout.txt / .stderr.txt), and index.jsonl with one summary per
// line (and a "pruned" line naming the runs retention removed). Every file here has one writer:
// the worker thread, which records, prunes and compacts in order, so a huge output never stalls
// the window and no appended line can be lost to a rewrite. Retention keeps the newest runs
// within a count and a size.
class RunHistory final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunHistory)

public:
    explicit RunHistory(const QString &folder = {}, QObject *parent = nullptr);
    ~RunHistory() override;

    QString folder() const { return m_folder; }
    void setRetention(int maximumRuns, qint64 maximumBytes);
    int maximumRuns() const { return m_maximumRuns; }
    qint64 maximumBytes() const { return m_maximumBytes; }

    // Records in the background; recorded() follows (or failed()).
    void record(RunRecord run);
    // The same, now (tests, and the last run at quit).
    bool recordNow(RunRecord run, QString *error);
    // Waits for the background writes (quit).
    void flush();

    QList<RunSummary> summaries() const { return m_summaries; } // oldest first
    std::optional<RunRecord> load(const QString &id) const;
    QList<RunRecord> runsOfTab(const QString &tabId) const;

    // A run as one JSON document (the export format), and a tab's runs as a Jupyter notebook
    // (nbformat 4.5, outputs included).
    static QByteArray exportJson(const RunRecord &run);
    static QByteArray notebook(const QList<RunRecord> &runs);

    static constexpr qsizetype LargeOutputCharacters = 64 * 1024;
    static constexpr int DefaultMaximumRuns = 2000;
    static constexpr qint64 DefaultMaximumBytes = qint64{512} * 1024 * 1024;

Q_SIGNALS:
    void recorded(const agentbay::workspace::RunSummary &summary);
    void failed(const QString &error);
    void pruned(int removed);

private:
    struct Store;
    // What one writer job did, applied to the list the window sees on this object's thread.
    struct Outcome
    {
        std::optional<RunSummary> recorded;
        QStringList pruned; // ids, oldest first
        QString error;
        bool failed = false; // the run was not recorded
    };

    static bool write(const QString &folder, const RunRecord &run, RunSummary *summary,
                      QString *error);
    void loadIndex();
    void inBackground(std::function<Outcome()> job);
    void apply(const Outcome &outcome);

    QString m_folder;
    QList<RunSummary> m_summaries; // what the window lists; follows the writer's outcomes
    int m_maximumRuns = DefaultMaximumRuns;
    qint64 m_maximumBytes = DefaultMaximumBytes;
    std::unique_ptr<Store> m_store; // the writer thread's own: files, index and retention
    QThreadPool m_writer;
};

} // namespace agentbay::workspace

Q_DECLARE_METATYPE(agentbay::workspace::RunSummary)
