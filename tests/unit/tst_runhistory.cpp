// SPDX-License-Identifier: GPL-3.0-or-later
// The run history: every run recorded with its code, ids, outputs, results and error; large
// outputs as files beside the record; an index that survives a restart and a torn last line;
// retention by count and size; export as JSON and as a Jupyter notebook that nbformat accepts.
#include "workspace/runhistory.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using agentbay::protocol::ExecutionError;
using agentbay::protocol::MimeBundle;
using agentbay::workspace::RunHistory;
using agentbay::workspace::RunRecord;

namespace {
RunRecord sampleRun(const QString &tab, const QString &code, const QString &out)
{
    RunRecord run;
    run.startedAt = QDateTime::currentDateTimeUtc();
    run.durationMs = 123;
    run.tabId = tab;
    run.tabTitle = QStringLiteral("Snippet 1");
    run.code = code;
    run.language = QStringLiteral("python");
    run.timeoutSeconds = 30;
    run.profile = QStringLiteral("local");
    run.endpoint = QStringLiteral("http://127.0.0.1:40000");
    run.sessionId = QStringLiteral("session-abc");
    run.requestId = QStringLiteral("REQ-1");
    run.result.success = true;
    run.result.stdoutChunks = {out};
    run.result.executionCount = 3;
    MimeBundle html;
    html.data.insert(QStringLiteral("text/html"), QStringLiteral("<b>x</b>"));
    html.data.insert(QStringLiteral("text/plain"), QStringLiteral("x"));
    MimeBundle json;
    json.data.insert(QStringLiteral("application/json"), QStringLiteral("{\"a\": 1}"));
    json.data.insert(QStringLiteral("text/plain"), QStringLiteral("{'a': 1}"));
    json.isMainResult = true;
    run.result.results = {html, json};
    run.status = RunRecord::statusOf(run.result);
    return run;
}

qint64 folderBytes(const QString &path)
{
    qint64 total = 0;
    for (const QFileInfo &info : QDir(path).entryInfoList(QDir::Files))
        total += info.size();
    return total;
}
} // namespace

class TestRunHistory final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void runs_areRecorded_andComeBackWhole()
    {
        QTemporaryDir dir;
        QString error;
        {
            RunHistory history(dir.path());
            QVERIFY(history.recordNow(sampleRun(QStringLiteral("tab-1"),
                                                QStringLiteral("print(1)\nx"),
                                                QStringLiteral("1\n")),
                                      &error));
            RunRecord failed = sampleRun(QStringLiteral("tab-1"), QStringLiteral("1/0"), {});
            failed.result.success = false;
            failed.result.results.clear();
            failed.result.error
                    = ExecutionError{QStringLiteral("ZeroDivisionError"),
                                     QStringLiteral("division by zero"),
                                     QStringLiteral(
                                             "Traceback…\nZeroDivisionError: division by zero")};
            failed.status = RunRecord::statusOf(failed.result);
            QCOMPARE(failed.status, QStringLiteral("error"));
            QVERIFY(history.recordNow(failed, &error));
            QCOMPARE(history.summaries().size(), 2);
        }
        RunHistory reopened(dir.path()); // a later start reads the index
        QCOMPARE(reopened.summaries().size(), 2);
        const auto summary = reopened.summaries().at(0);
        QCOMPARE(summary.firstLine, QStringLiteral("print(1)"));
        QCOMPARE(summary.status, QStringLiteral("ok"));
        const auto run = reopened.load(summary.id);
        QVERIFY(run);
        QCOMPARE(run->code, QStringLiteral("print(1)\nx"));
        QCOMPARE(run->sessionId, QStringLiteral("session-abc"));
        QCOMPARE(run->requestId, QStringLiteral("REQ-1"));
        QCOMPARE(run->endpoint, QStringLiteral("http://127.0.0.1:40000"));
        QCOMPARE(run->result.stdoutText(), QStringLiteral("1\n"));
        QCOMPARE(run->result.results.size(), 2);
        QVERIFY(run->result.results.at(1).isMainResult);
        const auto error2 = reopened.load(reopened.summaries().at(1).id);
        QCOMPARE(error2->result.error->name, QStringLiteral("ZeroDivisionError"));
        QVERIFY(reopened.summaries().at(1).searchText.contains(QLatin1String("zerodivisionerror")));
        QCOMPARE(reopened.runsOfTab(QStringLiteral("tab-1")).size(), 2);
    }

    void largeOutputs_areFilesBesideTheRecord()
    {
        QTemporaryDir dir;
        RunHistory history(dir.path());
        QString big;
        for (int i = 0; i < 20000; ++i)
            big += QStringLiteral("line %1\n").arg(i);
        QString error;
        QVERIFY(history.recordNow(sampleRun(QStringLiteral("t"), QStringLiteral("print"), big),
                                  &error));
        const QString id = history.summaries().constLast().id;
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("runs/%1.stdout.txt").arg(id))));
        QFile record(dir.filePath(QStringLiteral("runs/%1.json").arg(id)));
        QVERIFY(record.open(QIODevice::ReadOnly));
        QVERIFY(record.size() < 8 * 1024); // the record itself stays small
        QCOMPARE(history.load(id)->result.stdoutText(), big);
    }

    void backgroundRecording_keepsOrder()
    {
        QTemporaryDir dir;
        RunHistory history(dir.path());
        QSignalSpy recorded(&history, &RunHistory::recorded);
        for (int i = 0; i < 5; ++i)
            history.record(sampleRun(QStringLiteral("t"), QStringLiteral("run %1").arg(i), {}));
        QTRY_COMPARE(recorded.size(), 5);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(history.summaries().at(i).firstLine, QStringLiteral("run %1").arg(i));
    }

    void aTornIndexLine_isSkipped()
    {
        QTemporaryDir dir;
        QString error;
        {
            RunHistory history(dir.path());
            QVERIFY(history.recordNow(sampleRun(QStringLiteral("t"), QStringLiteral("a"), {}),
                                      &error));
        }
        QFile index(dir.filePath(QStringLiteral("index.jsonl")));
        QVERIFY(index.open(QIODevice::Append));
        index.write("{\"id\": \"cut-short"); // a crash mid-append
        index.close();
        RunHistory reopened(dir.path());
        QCOMPARE(reopened.summaries().size(), 1);
    }

    void retention_prunesTheOldest()
    {
        QTemporaryDir dir;
        RunHistory history(dir.path());
        QSignalSpy pruned(&history, &RunHistory::pruned);
        history.setRetention(3, qint64{512} * 1024 * 1024);
        QString error;
        for (int i = 0; i < 5; ++i)
            QVERIFY(history.recordNow(sampleRun(QStringLiteral("t"),
                                                QStringLiteral("run %1").arg(i), {}),
                                      &error));
        QCOMPARE(history.summaries().size(), 3);
        QCOMPARE(history.summaries().first().firstLine, QStringLiteral("run 2"));
        QCOMPARE(QDir(dir.filePath(QStringLiteral("runs"))).entryList(QDir::Files).size(), 3);
        QVERIFY(!pruned.isEmpty());
        RunHistory reopened(dir.path());
        QCOMPARE(reopened.summaries().size(), 3);

        // By size: each big run is ~1 MB; a 2 MiB budget keeps the newest ones that fit.
        QTemporaryDir sized;
        RunHistory bounded(sized.path());
        bounded.setRetention(100, 2 * 1024 * 1024);
        const QString big(1000 * 1000, QLatin1Char('x'));
        for (int i = 0; i < 4; ++i)
            QVERIFY(bounded.recordNow(sampleRun(QStringLiteral("t"),
                                                QStringLiteral("big %1").arg(i), big),
                                      &error));
        QVERIFY(bounded.summaries().size() <= 2);
        QCOMPARE(bounded.summaries().constLast().firstLine, QStringLiteral("big 3"));
        QVERIFY(folderBytes(sized.filePath(QStringLiteral("runs"))) <= 2 * 1024 * 1024);
    }

    void backgroundRecordsAndPruning_loseNoLine()
    {
        // Records arrive faster than they are written while retention prunes, and the history
        // goes away (a quit, a crash) before the window has seen every answer. The index on
        // disk must still name exactly the runs whose records exist: the newest ones, none lost
        // to a rewrite that raced an append.
        QTemporaryDir dir;
        {
            RunHistory history(dir.path());
            history.setRetention(5, qint64{512} * 1024 * 1024);
            for (int i = 0; i < 300; ++i) {
                history.record(sampleRun(QStringLiteral("t"), QStringLiteral("run %1").arg(i),
                                         QStringLiteral("out %1\n").arg(i)));
                if (i % 3 == 0)
                    QCoreApplication::processEvents(); // some answers arrive meanwhile
            }
        }
        RunHistory reopened(dir.path());
        QStringList listed;
        QSet<QString> indexed;
        for (const auto &summary : reopened.summaries()) {
            listed.append(summary.firstLine);
            indexed.insert(summary.id + QStringLiteral(".json"));
        }
        QCOMPARE(listed, (QStringList{QStringLiteral("run 295"), QStringLiteral("run 296"),
                                      QStringLiteral("run 297"), QStringLiteral("run 298"),
                                      QStringLiteral("run 299")}));
        // Every record on disk is in the index, and every indexed run has its record.
        const QStringList records = QDir(dir.filePath(QStringLiteral("runs"))).entryList(QDir::Files);
        QCOMPARE(QSet<QString>(records.begin(), records.end()), indexed);
    }

    void aReusedId_isRedrawn_soPruningNeverTakesTheNewRun()
    {
        // Two runs with one id (a burst in one millisecond whose random parts met): the second
        // must not take the first's id, or pruning the first would remove the second too.
        QTemporaryDir dir;
        {
            RunHistory history(dir.path());
            history.setRetention(3, qint64{512} * 1024 * 1024);
            QString error;
            for (int i = 0; i < 8; ++i) {
                RunRecord run = sampleRun(QStringLiteral("t"), QStringLiteral("run %1").arg(i),
                                          QStringLiteral("out\n"));
                run.id = QStringLiteral("20261201-000000-000-00000000");
                QVERIFY2(history.recordNow(run, &error), qPrintable(error));
            }
            QSet<QString> ids;
            for (const auto &summary : history.summaries())
                ids.insert(summary.id);
            QCOMPARE(ids.size(), 3);
        }
        RunHistory reopened(dir.path());
        QStringList listed;
        for (const auto &summary : reopened.summaries())
            listed.append(summary.firstLine);
        QCOMPARE(listed, (QStringList{QStringLiteral("run 5"), QStringLiteral("run 6"),
                                      QStringLiteral("run 7")}));
        QCOMPARE(QDir(dir.filePath(QStringLiteral("runs"))).entryList(QDir::Files).size(), 3);
    }

    void aFullHistory_appendsInsteadOfRewritingTheIndex()
    {
        QTemporaryDir dir;
        RunHistory history(dir.path());
        history.setRetention(10, qint64{512} * 1024 * 1024);
        QString error;
        for (int i = 0; i < 10; ++i)
            QVERIFY(history.recordNow(sampleRun(QStringLiteral("t"),
                                                QStringLiteral("run %1").arg(i), {}),
                                      &error));
        const QString index = dir.filePath(QStringLiteral("index.jsonl"));
        const auto inode = [&index] {
            struct stat info = {};
            return ::stat(QFile::encodeName(index).constData(), &info) == 0 ? info.st_ino : 0;
        };
        const auto before = inode();
        QVERIFY(before != 0);
        // The history is full: each further run prunes one, by appending, not by replacing.
        for (int i = 10; i < 20; ++i)
            QVERIFY(history.recordNow(sampleRun(QStringLiteral("t"),
                                                QStringLiteral("run %1").arg(i), {}),
                                      &error));
        QCOMPARE(inode(), before);
        QCOMPARE(history.summaries().size(), 10);
        QCOMPARE(history.summaries().first().firstLine, QStringLiteral("run 10"));
        RunHistory reopened(dir.path());
        QCOMPARE(reopened.summaries().size(), 10);
        QCOMPARE(reopened.summaries().first().firstLine, QStringLiteral("run 10"));
        // Once the pruned lines outnumber the live ones, the index is compacted once.
        for (int i = 20; i < 200; ++i)
            QVERIFY(history.recordNow(sampleRun(QStringLiteral("t"),
                                                QStringLiteral("run %1").arg(i), {}),
                                      &error));
        QFile file(index);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().count('\n') <= 2 * 10 + 64 + 1);
        RunHistory compacted(dir.path());
        QCOMPARE(compacted.summaries().size(), 10);
        QCOMPARE(compacted.summaries().constLast().firstLine, QStringLiteral("run 199"));
    }

    void export_asJson_andAsANotebookJupyterAccepts()
    {
        RunRecord first = sampleRun(QStringLiteral("t"), QStringLiteral("x = 1\nprint(x)"),
                                    QStringLiteral("1\n"));
        RunRecord second = sampleRun(QStringLiteral("t"), QStringLiteral("1/0"), {});
        second.result.success = false;
        second.result.results.clear();
        second.result.stderrChunks = {QStringLiteral("warning\n")};
        second.result.error
                = ExecutionError{QStringLiteral("ZeroDivisionError"),
                                 QStringLiteral("division by zero"),
                                 QStringLiteral(
                                         "Traceback (most recent call last):\n  File \"<cell>\", "
                                         "line 1\nZeroDivisionError: division by zero")};
        const QJsonObject json = QJsonDocument::fromJson(RunHistory::exportJson(first)).object();
        QCOMPARE(json.value(QLatin1String("format")).toString(),
                 QStringLiteral("agentbay-playground-run/1"));
        QCOMPARE(json.value(QLatin1String("stdout")).toString(), QStringLiteral("1\n"));

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("runs.ipynb"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(RunHistory::notebook({first, second}));
        file.close();
        // nbformat (python3-nbformat, one of the test packages) validates it as Jupyter would.
        QProcess python;
        python.start(QStringLiteral("/usr/bin/python3"), // Debian's, which has nbformat
                     {QStringLiteral("-c"),
                      QStringLiteral(
                              "import sys, nbformat\n"
                              "nb = nbformat.read(sys.argv[1], as_version=4)\n"
                              "nbformat.validate(nb)\n"
                              "outs = [o['output_type'] for c in nb.cells for o in c.outputs]\n"
                              "print(len(nb.cells), ' '.join(outs))\n"),
                      path});
        QVERIFY(python.waitForFinished(60000));
        const QString printed = QString::fromUtf8(python.readAllStandardOutput()).trimmed();
        QVERIFY2(python.exitCode() == 0,
                 qPrintable(QString::fromUtf8(python.readAllStandardError())));
        QCOMPARE(printed, QStringLiteral("2 stream display_data execute_result stream error"));
    }
};

QTEST_GUILESS_MAIN(TestRunHistory)
#include "tst_runhistory.moc"
