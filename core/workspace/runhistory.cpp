// SPDX-License-Identifier: GPL-3.0-or-later
#include "runhistory.h"

#include "atomicfile.h"

#include "protocol/coderesultcodec.h"
#include "protocol/freedmemory.h"
#include "protocol/language.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSet>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>

namespace agentbay::workspace {

using protocol::MimeBundle;
using protocol::RunCodeResult;

namespace {

constexpr char IndexFile[] = "index.jsonl";
constexpr char RunsFolder[] = "runs";

// The start time to the millisecond and 32 random bits: runs recorded in the same millisecond
// (a burst, a test) still get distinct ids, and the writer re-draws the rare one already used.
QString newRunId(const QDateTime &startedAt)
{
    return startedAt.toUTC().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz")) + QLatin1Char('-')
           + QString::number(QRandomGenerator::global()->generate(), 16)
                     .rightJustified(8, QLatin1Char('0'));
}

QJsonObject summaryJson(const RunSummary &summary)
{
    return {{QStringLiteral("id"), summary.id},
            {QStringLiteral("startedAt"), summary.startedAt.toUTC().toString(Qt::ISODateWithMs)},
            {QStringLiteral("durationMs"), summary.durationMs},
            {QStringLiteral("tabId"), summary.tabId},
            {QStringLiteral("tabTitle"), summary.tabTitle},
            {QStringLiteral("language"), summary.language},
            {QStringLiteral("status"), summary.status},
            {QStringLiteral("profile"), summary.profile},
            {QStringLiteral("firstLine"), summary.firstLine},
            {QStringLiteral("searchText"), summary.searchText},
            {QStringLiteral("bytes"), summary.bytes}};
}

RunSummary summaryFrom(const QJsonObject &object)
{
    RunSummary summary;
    summary.id = object.value(QLatin1String("id")).toString();
    summary.startedAt = QDateTime::fromString(object.value(QLatin1String("startedAt")).toString(),
                                              Qt::ISODateWithMs);
    summary.durationMs = object.value(QLatin1String("durationMs")).toInteger();
    summary.tabId = object.value(QLatin1String("tabId")).toString();
    summary.tabTitle = object.value(QLatin1String("tabTitle")).toString();
    summary.language = object.value(QLatin1String("language")).toString();
    summary.status = object.value(QLatin1String("status")).toString();
    summary.profile = object.value(QLatin1String("profile")).toString();
    summary.firstLine = object.value(QLatin1String("firstLine")).toString();
    summary.searchText = object.value(QLatin1String("searchText")).toString();
    summary.bytes = object.value(QLatin1String("bytes")).toInteger();
    return summary;
}

QJsonObject recordJson(const RunRecord &run, const QString &stdoutFile, const QString &stderrFile)
{
    QJsonObject object
            = protocol::CodeResultCodec::resultToJson(run.result,
                                                      protocol::CodeResultCodec::Detail::Compact);
    const QList<QPair<QString, QJsonValue>>
            fields{{QStringLiteral("id"), run.id},
                   {QStringLiteral("startedAt"), run.startedAt.toUTC().toString(Qt::ISODateWithMs)},
                   {QStringLiteral("durationMs"), run.durationMs},
                   {QStringLiteral("tabId"), run.tabId},
                   {QStringLiteral("tabTitle"), run.tabTitle},
                   {QStringLiteral("snippetFile"), run.snippetFile},
                   {QStringLiteral("code"), run.code},
                   {QStringLiteral("language"), run.language},
                   {QStringLiteral("timeoutSeconds"), run.timeoutSeconds},
                   {QStringLiteral("profile"), run.profile},
                   {QStringLiteral("endpoint"), run.endpoint},
                   {QStringLiteral("sessionId"), run.sessionId},
                   {QStringLiteral("requestId"), run.requestId},
                   {QStringLiteral("status"), run.status}};
    for (const auto &[key, value] : fields)
        object.insert(key, value);
    // Large output lives beside the record, not inside it.
    if (!stdoutFile.isEmpty()) {
        object.remove(QLatin1String("stdout"));
        object.insert(QStringLiteral("stdoutFile"), stdoutFile);
    }
    if (!stderrFile.isEmpty()) {
        object.remove(QLatin1String("stderr"));
        object.insert(QStringLiteral("stderrFile"), stderrFile);
    }
    return object;
}

QString readText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace

QString RunRecord::statusOf(const RunCodeResult &result)
{
    if (result.cancelled)
        return QStringLiteral("stopped");
    if (result.timedOut)
        return QStringLiteral("timeout");
    if (result.success)
        return QStringLiteral("ok");
    return result.error ? QStringLiteral("error") : QStringLiteral("failed");
}

// Everything the writer thread owns: the index as it is on disk, and the retention it applies.
// Only jobs on RunHistory::m_writer (one thread, one job at a time) touch it.
struct RunHistory::Store
{
    QString folder;
    QList<RunSummary> summaries; // oldest first, as the index lists them
    qint64 totalBytes = 0;
    qsizetype indexLines = 0; // summary and pruned lines in the file
    QSet<QString> usedIds;    // every id the index names, live or pruned
    int maximumRuns = DefaultMaximumRuns;
    qint64 maximumBytes = DefaultMaximumBytes;

    QString indexPath() const { return folder + QLatin1Char('/') + QLatin1String(IndexFile); }

    bool append(const QByteArray &line, QString *error)
    {
        QFile index(indexPath());
        if (!index.open(QIODevice::Append) || index.write(line) != line.size() || !index.flush()) {
            *error = QStringLiteral("%1: %2").arg(index.fileName(), index.errorString());
            return false;
        }
        ++indexLines;
        return true;
    }

    // Drops the oldest runs beyond the retention: their files go, and one "pruned" line is
    // appended, so a full history costs one short append per run rather than a rewrite. The
    // index is compacted (rewritten) only once the pruned lines outnumber the live ones.
    Outcome prune()
    {
        Outcome outcome;
        const QDir runs(folder + QLatin1Char('/') + QLatin1String(RunsFolder));
        QJsonArray ids;
        while (summaries.size() > 1
               && (summaries.size() > maximumRuns || totalBytes > maximumBytes)) {
            const RunSummary oldest = summaries.takeFirst();
            totalBytes -= oldest.bytes;
            for (const QString &suffix : {QStringLiteral(".json"), QStringLiteral(".stdout.txt"),
                                          QStringLiteral(".stderr.txt")})
                QFile::remove(runs.filePath(oldest.id + suffix));
            outcome.pruned.append(oldest.id);
            ids.append(oldest.id);
        }
        if (outcome.pruned.isEmpty())
            return outcome;
        if (indexLines + 1 > 2 * summaries.size() + 64) {
            QByteArray bytes;
            for (const RunSummary &summary : std::as_const(summaries))
                bytes += QJsonDocument(summaryJson(summary)).toJson(QJsonDocument::Compact) + '\n';
            if (AtomicFile::write(indexPath(), bytes, &outcome.error)) {
                indexLines = summaries.size();
                usedIds.clear(); // no pruned line names an id any more
                for (const RunSummary &summary : std::as_const(summaries))
                    usedIds.insert(summary.id);
            }
            return outcome;
        }
        append(QJsonDocument(QJsonObject{{QStringLiteral("pruned"), ids}})
                               .toJson(QJsonDocument::Compact)
                       + '\n',
               &outcome.error);
        return outcome;
    }

    // An id names a record file and may be named by a "pruned" line until the next compaction,
    // so a run must never reuse one: a reused id would lose the new run to the old one's pruning.
    bool idInUse(const QString &id) const
    {
        return usedIds.contains(id)
               || QFileInfo::exists(folder + QLatin1Char('/') + QLatin1String(RunsFolder)
                                    + QLatin1Char('/') + id + QStringLiteral(".json"));
    }

    Outcome record(RunRecord run)
    {
        Outcome outcome;
        while (idInUse(run.id))
            run.id = newRunId(run.startedAt.isValid() ? run.startedAt
                                                      : QDateTime::currentDateTimeUtc());
        usedIds.insert(run.id);
        RunSummary summary;
        if (!RunHistory::write(folder, run, &summary, &outcome.error)
            || !append(QJsonDocument(summaryJson(summary)).toJson(QJsonDocument::Compact) + '\n',
                       &outcome.error)) {
            outcome.failed = true;
            return outcome;
        }
        summaries.append(summary);
        totalBytes += summary.bytes;
        outcome.recorded = summary;
        const Outcome pruned = prune();
        outcome.pruned = pruned.pruned;
        outcome.error = pruned.error;
        return outcome;
    }
};

RunHistory::RunHistory(const QString &folder, QObject *parent)
    : QObject(parent),
      m_folder(folder.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                                          + QStringLiteral("/history")
                                : folder),
      m_store(std::make_unique<Store>())
{
    qRegisterMetaType<RunSummary>();
    m_writer.setMaxThreadCount(1); // in order, one at a time: the only writer of these files
    m_store->folder = m_folder;
    loadIndex();
}

RunHistory::~RunHistory()
{
    m_writer.waitForDone();
}

void RunHistory::setRetention(int maximumRuns, qint64 maximumBytes)
{
    m_maximumRuns = std::max(1, maximumRuns);
    m_maximumBytes = std::max<qint64>(1024 * 1024, maximumBytes);
    inBackground([store = m_store.get(), runs = m_maximumRuns, bytes = m_maximumBytes] {
        store->maximumRuns = runs;
        store->maximumBytes = bytes;
        return store->prune();
    });
}

void RunHistory::loadIndex()
{
    // Before the writer has any job, so reading the store here races with nothing.
    QFile index(m_store->indexPath());
    if (!index.open(QIODevice::ReadOnly))
        return;
    QSet<QString> pruned;
    while (!index.atEnd()) {
        const QByteArray line = index.readLine().trimmed();
        if (line.isEmpty())
            continue;
        ++m_store->indexLines;
        // A line cut short by a crash mid-append is skipped, not fatal.
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        if (object.contains(QLatin1String("pruned"))) {
            for (const QJsonValue &id : object.value(QLatin1String("pruned")).toArray())
                pruned.insert(id.toString());
        } else if (!object.isEmpty()) {
            m_store->summaries.append(summaryFrom(object));
            m_store->usedIds.insert(m_store->summaries.constLast().id);
        }
    }
    if (!pruned.isEmpty()) {
        m_store->summaries.removeIf(
                [&pruned](const RunSummary &summary) { return pruned.contains(summary.id); });
    }
    for (const RunSummary &summary : std::as_const(m_store->summaries))
        m_store->totalBytes += summary.bytes;
    m_summaries = m_store->summaries;
}

void RunHistory::inBackground(std::function<Outcome()> job)
{
    m_writer.start([this, job = std::move(job)] {
        const Outcome outcome = job();
        // Back on this object's thread; the destructor waits for the writer, so `this` lives.
        QMetaObject::invokeMethod(
                this, [this, outcome] { apply(outcome); }, Qt::QueuedConnection);
    });
}

void RunHistory::apply(const Outcome &outcome)
{
    if (outcome.failed) {
        Q_EMIT failed(outcome.error);
        return;
    }
    if (outcome.recorded) {
        m_summaries.append(*outcome.recorded);
        Q_EMIT recorded(*outcome.recorded);
        // The writer let go of a large run's copy: its pages can go back to the system.
        if (outcome.recorded->bytes > protocol::FreedMemory::LargeOutputCharacters)
            protocol::FreedMemory::releaseSoon();
    }
    if (!outcome.pruned.isEmpty()) {
        const QSet<QString> gone(outcome.pruned.begin(), outcome.pruned.end());
        m_summaries.removeIf(
                [&gone](const RunSummary &summary) { return gone.contains(summary.id); });
        Q_EMIT pruned(static_cast<int>(outcome.pruned.size()));
    }
    if (!outcome.error.isEmpty())
        Q_EMIT failed(outcome.error);
}

bool RunHistory::write(const QString &folder, const RunRecord &run, RunSummary *summary,
                       QString *error)
{
    const QDir runs(folder + QLatin1Char('/') + QLatin1String(RunsFolder));
    if (!QDir().mkpath(runs.path())) {
        *error = QStringLiteral("%1 cannot be created").arg(runs.path());
        return false;
    }
    qint64 bytes = 0;
    QString stdoutFile;
    QString stderrFile;
    const QString out = run.result.stdoutText();
    const QString err = run.result.stderrText();
    if (out.size() > LargeOutputCharacters) {
        stdoutFile = run.id + QStringLiteral(".stdout.txt");
        const QByteArray bytesOut = out.toUtf8();
        if (!AtomicFile::write(runs.filePath(stdoutFile), bytesOut, error))
            return false;
        bytes += bytesOut.size();
    }
    if (err.size() > LargeOutputCharacters) {
        stderrFile = run.id + QStringLiteral(".stderr.txt");
        const QByteArray bytesErr = err.toUtf8();
        if (!AtomicFile::write(runs.filePath(stderrFile), bytesErr, error))
            return false;
        bytes += bytesErr.size();
    }
    const QByteArray json = QJsonDocument(recordJson(run, stdoutFile, stderrFile))
                                    .toJson(QJsonDocument::Indented);
    if (!AtomicFile::write(runs.filePath(run.id + QStringLiteral(".json")), json, error))
        return false;
    bytes += json.size();

    summary->id = run.id;
    summary->startedAt = run.startedAt;
    summary->durationMs = run.durationMs;
    summary->tabId = run.tabId;
    summary->tabTitle = run.tabTitle;
    summary->language = run.language;
    summary->status = run.status;
    summary->profile = run.profile;
    summary->firstLine = run.code.section(QLatin1Char('\n'), 0, 0).left(200);
    summary->searchText = (run.tabTitle + QLatin1Char('\n') + run.code.left(4000)
                           + QLatin1Char('\n') + out.left(2000) + QLatin1Char('\n') + err.left(2000)
                           + (run.result.error ? QLatin1Char('\n') + run.result.error->name
                                                         + QLatin1Char(' ') + run.result.error->value
                                               : QString()))
                                  .toLower();
    summary->bytes = bytes;
    return true;
}

void RunHistory::record(RunRecord run)
{
    if (run.id.isEmpty())
        run.id = newRunId(run.startedAt.isValid() ? run.startedAt : QDateTime::currentDateTimeUtc());
    inBackground([store = m_store.get(), run] { return store->record(run); });
}

bool RunHistory::recordNow(RunRecord run, QString *error)
{
    if (run.id.isEmpty())
        run.id = newRunId(run.startedAt.isValid() ? run.startedAt : QDateTime::currentDateTimeUtc());
    // On the writer thread too, after whatever it still has queued.
    m_writer.waitForDone();
    QCoreApplication::sendPostedEvents(this);
    Outcome outcome;
    m_writer.start([store = m_store.get(), &run, &outcome] { outcome = store->record(run); });
    m_writer.waitForDone();
    apply(outcome);
    if (outcome.failed && error)
        *error = outcome.error;
    return !outcome.failed;
}

void RunHistory::flush()
{
    m_writer.waitForDone();
    QCoreApplication::sendPostedEvents(this);
}

std::optional<RunRecord> RunHistory::load(const QString &id) const
{
    const QDir runs(m_folder + QLatin1Char('/') + QLatin1String(RunsFolder));
    QFile file(runs.filePath(id + QStringLiteral(".json")));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject object = QJsonDocument::fromJson(file.readAll()).object();
    if (object.isEmpty())
        return std::nullopt;
    RunRecord run;
    run.id = object.value(QLatin1String("id")).toString();
    run.startedAt = QDateTime::fromString(object.value(QLatin1String("startedAt")).toString(),
                                          Qt::ISODateWithMs);
    run.durationMs = object.value(QLatin1String("durationMs")).toInteger();
    run.tabId = object.value(QLatin1String("tabId")).toString();
    run.tabTitle = object.value(QLatin1String("tabTitle")).toString();
    run.snippetFile = object.value(QLatin1String("snippetFile")).toString();
    run.code = object.value(QLatin1String("code")).toString();
    run.language = object.value(QLatin1String("language")).toString();
    run.timeoutSeconds = object.value(QLatin1String("timeoutSeconds")).toInt(30);
    run.profile = object.value(QLatin1String("profile")).toString();
    run.endpoint = object.value(QLatin1String("endpoint")).toString();
    run.sessionId = object.value(QLatin1String("sessionId")).toString();
    run.requestId = object.value(QLatin1String("requestId")).toString();
    run.status = object.value(QLatin1String("status")).toString();
    RunCodeResult &result = run.result;
    result = protocol::CodeResultCodec::resultFromJson(object);
    result.requestId = run.requestId;
    const auto fromFile = [&](const char *key, QStringList *chunks) {
        if (!object.contains(QLatin1String(key)))
            return;
        const QString text = readText(runs.filePath(object.value(QLatin1String(key)).toString()));
        *chunks = text.isEmpty() ? QStringList() : QStringList{text};
    };
    fromFile("stdoutFile", &result.stdoutChunks);
    fromFile("stderrFile", &result.stderrChunks);
    return run;
}

QList<RunRecord> RunHistory::runsOfTab(const QString &tabId) const
{
    QList<RunRecord> runs;
    for (const RunSummary &summary : m_summaries) {
        if (summary.tabId != tabId)
            continue;
        if (auto run = load(summary.id))
            runs.append(*run);
    }
    return runs;
}

QByteArray RunHistory::exportJson(const RunRecord &run)
{
    QJsonObject object = recordJson(run, {}, {});
    object.insert(QStringLiteral("format"), QStringLiteral("agentbay-playground-run/1"));
    return QJsonDocument(object).toJson(QJsonDocument::Indented);
}

namespace {

// nbformat wants source and text as a string or a list of lines; lines keep their "\n".
QJsonArray lines(const QString &text)
{
    QJsonArray out;
    qsizetype start = 0;
    while (start < text.size()) {
        const qsizetype end = text.indexOf(QLatin1Char('\n'), start);
        if (end < 0) {
            out.append(text.mid(start));
            break;
        }
        out.append(text.mid(start, end - start + 1));
        start = end + 1;
    }
    return out;
}

QJsonObject mimeData(const MimeBundle &bundle)
{
    QJsonObject data;
    for (auto it = bundle.data.cbegin(); it != bundle.data.cend(); ++it) {
        const QString &mime = it.key();
        if (mime.endsWith(QLatin1String("json"))) {
            // JSON types are JSON values in a notebook, not strings.
            // Wrapped in an array, so scalars ("42", "null") are read too.
            const QJsonDocument wrapped = QJsonDocument::fromJson(
                    QByteArray("[") + it.value().toUtf8() + QByteArray("]"));
            if (wrapped.isArray() && wrapped.array().size() == 1)
                data.insert(mime, wrapped.array().at(0));
            continue;
        }
        data.insert(mime, it.value());
    }
    if (!data.contains(QLatin1String("text/plain")))
        data.insert(QStringLiteral("text/plain"), QString());
    return data;
}

} // namespace

QByteArray RunHistory::notebook(const QList<RunRecord> &runs)
{
    const protocol::LanguageInfo &language = protocol::Languages::info(
            protocol::Languages::fromNameOr(runs.isEmpty() ? QString()
                                                           : runs.constFirst().language));
    QJsonArray cells;
    int counter = 0;
    for (const RunRecord &run : runs) {
        // The cell is made from the run's one JSON form, as the history stores it.
        const QJsonObject result = protocol::CodeResultCodec::resultToJson(
                run.result, protocol::CodeResultCodec::Detail::Compact);
        const int executionCount = result.value(QLatin1String("executionCount")).toInt(-1);
        const QJsonValue count = executionCount >= 0 ? QJsonValue(executionCount)
                                                     : QJsonValue(QJsonValue::Null);
        QJsonArray outputs;
        for (const char *stream : {"stdout", "stderr"}) {
            const QString text = result.value(QLatin1String(stream)).toString();
            if (!text.isEmpty())
                outputs.append(
                        QJsonObject{{QStringLiteral("output_type"), QStringLiteral("stream")},
                                    {QStringLiteral("name"), QLatin1String(stream)},
                                    {QStringLiteral("text"), lines(text)}});
        }
        for (const QJsonValue &value : result.value(QLatin1String("results")).toArray()) {
            const MimeBundle bundle = protocol::CodeResultCodec::bundleFromJson(value.toObject());
            QJsonObject output{{QStringLiteral("data"), mimeData(bundle)},
                               {QStringLiteral("metadata"), QJsonObject()}};
            if (bundle.isMainResult) {
                output.insert(QStringLiteral("output_type"), QStringLiteral("execute_result"));
                output.insert(QStringLiteral("execution_count"), count);
            } else {
                output.insert(QStringLiteral("output_type"), QStringLiteral("display_data"));
            }
            outputs.append(output);
        }
        const QJsonObject error = result.value(QLatin1String("error")).toObject();
        const QString errorMessage = result.value(QLatin1String("errorMessage")).toString();
        if (!error.isEmpty()) {
            QJsonArray traceback;
            for (const QString &line :
                 error.value(QLatin1String("traceback")).toString().split(QLatin1Char('\n')))
                traceback.append(line);
            outputs.append(
                    QJsonObject{{QStringLiteral("output_type"), QStringLiteral("error")},
                                {QStringLiteral("ename"), error.value(QLatin1String("name"))},
                                {QStringLiteral("evalue"), error.value(QLatin1String("value"))},
                                {QStringLiteral("traceback"), traceback}});
        } else if (!result.value(QLatin1String("success")).toBool() && !errorMessage.isEmpty()) {
            outputs.append(
                    QJsonObject{{QStringLiteral("output_type"), QStringLiteral("stream")},
                                {QStringLiteral("name"), QStringLiteral("stderr")},
                                {QStringLiteral("text"), lines(errorMessage + QLatin1Char('\n'))}});
        }
        cells.append(QJsonObject{
                {QStringLiteral("cell_type"), QStringLiteral("code")},
                {QStringLiteral("id"),
                 QStringLiteral("run-%1").arg(++counter, 4, 10, QLatin1Char('0'))},
                {QStringLiteral("execution_count"), count},
                {QStringLiteral("metadata"),
                 QJsonObject{{QStringLiteral("agentbay"),
                              QJsonObject{{QStringLiteral("runId"), run.id},
                                          {QStringLiteral("status"), run.status},
                                          {QStringLiteral("sessionId"), run.sessionId},
                                          {QStringLiteral("requestId"), run.requestId},
                                          {QStringLiteral("startedAt"),
                                           run.startedAt.toUTC().toString(Qt::ISODateWithMs)},
                                          {QStringLiteral("durationMs"), run.durationMs}}}}},
                {QStringLiteral("source"), lines(run.code)},
                {QStringLiteral("outputs"), outputs}});
    }
    const QJsonObject kernel{{QStringLiteral("name"), language.kernelspecName},
                             {QStringLiteral("display_name"), language.kernelspecDisplay},
                             {QStringLiteral("language"), language.name}};
    const QJsonObject notebook{{QStringLiteral("nbformat"), 4},
                               {QStringLiteral("nbformat_minor"), 5},
                               {QStringLiteral("metadata"),
                                QJsonObject{{QStringLiteral("kernelspec"), kernel},
                                            {QStringLiteral("language_info"),
                                             QJsonObject{{QStringLiteral("name"), language.name}}}}},
                               {QStringLiteral("cells"), cells}};
    return QJsonDocument(notebook).toJson(QJsonDocument::Indented);
}

} // namespace agentbay::workspace
