// SPDX-License-Identifier: GPL-3.0-or-later
// The application layer without any widget or server: the workbench and its documents over the
// in-memory ScriptedApi, and the list models the panes show, each watched by Qt's
// QAbstractItemModelTester. This binary links no GUI library (core_links_no_gui checks it).
#include "../common/scriptedapi.h"

#include "client/backend.h"
#include "client/profiles.h"
#include "client/runcontroller.h"
#include "client/sessiontimeline.h"
#include "workbench/document.h"
#include "workbench/listmodels.h"
#include "workbench/workbench.h"
#include "workspace/playgroundsettings.h"
#include "workspace/recoveryjournal.h"
#include "workspace/runhistory.h"
#include "workspace/secretstore.h"
#include "workspace/sessionjournal.h"
#include "workspace/snippetlibrary.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace agentbay;
using test::ScriptedApi;
using workbench::Document;
using workbench::Workbench;

namespace {
constexpr auto Checked = QAbstractItemModelTester::FailureReportingMode::QtTest;

workspace::RunRecord runRecord(const QString &id, const QString &status, const QString &code)
{
    workspace::RunRecord run;
    run.id = id;
    run.startedAt = QDateTime::currentDateTimeUtc();
    run.tabId = QStringLiteral("tab-") + status;
    run.tabTitle = QStringLiteral("Tab");
    run.code = code;
    run.language = QStringLiteral("python");
    run.status = status;
    run.result.success = status == QLatin1String("ok");
    return run;
}
} // namespace

class TestWorkbench final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<workspace::PlaygroundSettings> m_settings;
    std::unique_ptr<workspace::SecretStore> m_secrets;
    std::unique_ptr<client::BackendPool> m_backends;
    std::unique_ptr<workspace::RecoveryJournal> m_recovery;
    std::unique_ptr<workspace::RunHistory> m_history;
    std::unique_ptr<workspace::SnippetLibrary> m_library;
    std::unique_ptr<Workbench> m_workbench;
    QHash<QString, QPointer<ScriptedApi>> m_apis;
    int m_round = 0;

    void openWorkbench()
    {
        m_backends = std::make_unique<client::BackendPool>();
        m_backends->setApiFactory([this](const QString &profile, const client::ClientConfig &) {
            auto *made = new ScriptedApi;
            m_apis.insert(profile, made);
            return made;
        });
        m_workbench = std::make_unique<Workbench>(m_backends.get(), m_settings.get(),
                                                  m_secrets.get());
        m_workbench->setEnvironment(QProcessEnvironment());
        m_workbench->setRecoveryJournal(m_recovery.get());
        m_workbench->setRunHistory(m_history.get());
        m_workbench->setSnippetLibrary(m_library.get());
    }

    void quitWorkbench()
    {
        if (!m_workbench)
            return;
        QSignalSpy finished(m_workbench.get(), &Workbench::quitFinished);
        m_workbench->quit();
        QVERIFY(finished.wait(10000));
        m_workbench.reset();
        m_backends.reset();
    }

    bool runAndWait(Document *document, const QString &code)
    {
        QSignalSpy completed(document, &Document::runCompleted);
        document->run(code, 1, QStringLiteral("Run"));
        return completed.wait(5000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/agentbay-test-bus");
    }

    void init()
    {
        const QString round = m_dir.filePath(QString::number(++m_round));
        m_settings = std::make_unique<workspace::PlaygroundSettings>(round
                                                                     + QStringLiteral("/s.ini"));
        m_secrets = std::make_unique<workspace::SecretStore>(
                QStringLiteral("agentbay-playground-test"));
        m_recovery = std::make_unique<workspace::RecoveryJournal>(round
                                                                  + QStringLiteral("/recovery"));
        m_history = std::make_unique<workspace::RunHistory>(round + QStringLiteral("/history"));
        m_library = std::make_unique<workspace::SnippetLibrary>();
        m_library->openNow(round + QStringLiteral("/library"), false);
        openWorkbench();
    }

    void cleanup()
    {
        quitWorkbench();
        m_library.reset();
        m_history.reset();
        m_recovery.reset();
        m_secrets.reset();
        m_settings.reset();
        workspace::SessionJournal journal;
        for (const auto &entry : journal.entries())
            journal.remove(entry.sessionId);
    }

    void aDocument_runs_andItsRunIsRecorded()
    {
        Document *document = m_workbench->newDocument(QStringLiteral("print(1)"),
                                                      QStringLiteral("py"));
        QCOMPARE(m_workbench->documents(), QList<Document *>{document});
        QCOMPARE(document->language(), QStringLiteral("python")); // the alias, folded
        QCOMPARE(document->profileId(), QStringLiteral("local"));
        QVERIFY(document->isDirty()); // a scratch document with text
        QSignalSpy started(document, &Document::runStarted);
        QVERIFY(runAndWait(document, document->text()));
        QCOMPARE(started.first().first().toString(),
                 QStringLiteral("Run (Python, timeout %1 s)").arg(document->timeoutSeconds()));
        QVERIFY(document->lastOutcome().startsWith(QLatin1String("finished in")));
        QVERIFY(!document->isRunning());
        QTRY_COMPARE(m_history->summaries().size(), 1);
        QCOMPARE(m_history->summaries().constFirst().tabId, document->id());
        QCOMPARE(m_apis.value(QStringLiteral("local"))->codesRun(),
                 QStringList{QStringLiteral("print(1)")});
    }

    void aRunningDocument_refusesASecondRun_andAProfileChange()
    {
        Document *document = m_workbench->newDocument();
        QTRY_VERIFY(m_apis.value(QStringLiteral("local")));
        m_apis.value(QStringLiteral("local"))->hold(QStringLiteral("CallMcpTool"));
        QSignalSpy messages(document, &Document::message);
        document->run(QStringLiteral("slow()"), 1, QStringLiteral("Run"));
        QTRY_VERIFY(document->isRunning());
        QTRY_COMPARE(m_apis.value(QStringLiteral("local"))->heldCount(QStringLiteral("CallMcpTool")),
                     1);
        document->run(QStringLiteral("again()"), 1, QStringLiteral("Run"));
        QCOMPARE(messages.size(), 1);
        QVERIFY(messages.first().first().toString().contains(QLatin1String("already in progress")));
        QSignalSpy workbenchMessages(m_workbench.get(), &Workbench::message);
        QVERIFY(!m_workbench->chooseProfile(document, QStringLiteral("custom")));
        QVERIFY(workbenchMessages.first().first().toString().contains(
                QLatin1String("Stop the run")));
        QSignalSpy completed(document, &Document::runCompleted);
        document->stop();
        QTRY_COMPARE(completed.size(), 1);
        QVERIFY(document->lastOutcome().startsWith(QLatin1String("stopped")));
    }

    void aCloudProfileWithoutAKey_isExplained_andTheDocumentStays()
    {
        Document *document = m_workbench->newDocument();
        QSignalSpy problems(m_workbench.get(), &Workbench::profileProblem);
        QVERIFY(!m_workbench->chooseProfile(document, QStringLiteral("shanghai")));
        QCOMPARE(problems.size(), 1);
        QVERIFY(problems.first().first().toString().contains(QLatin1String("API key")));
        QCOMPARE(document->profileId(), QStringLiteral("local"));
        // With a key it moves, and says so in its output.
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("AGENTBAY_API_KEY"), QStringLiteral("akm-test"));
        m_workbench->setEnvironment(environment);
        QSignalSpy notes(document, &Document::note);
        QVERIFY(m_workbench->chooseProfile(document, QStringLiteral("shanghai")));
        QCOMPARE(document->profileId(), QStringLiteral("shanghai"));
        QCOMPARE(notes.size(), 1);
        QCOMPARE(m_settings->currentProfile(), QStringLiteral("shanghai"));
    }

    void aScratchDocument_runsWhereTheCurrentOneRuns_andQuittingRemembersItsDefaults()
    {
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("AGENTBAY_API_KEY"), QStringLiteral("akm-test"));
        m_workbench->setEnvironment(environment);
        Document *cloud = m_workbench->newDocument();
        QVERIFY(m_workbench->chooseProfile(cloud, QStringLiteral("shanghai")));
        Document *local = m_workbench->newDocument();
        QVERIFY(m_workbench->chooseProfile(local, QStringLiteral("local")));
        QCOMPARE(m_settings->currentProfile(), QStringLiteral("local")); // the last choice

        m_workbench->setCurrentDocument(cloud);
        QCOMPARE(m_workbench->newScratch()->profileId(), QStringLiteral("shanghai"));
        m_workbench->setCurrentDocument(local);
        QCOMPARE(m_workbench->newScratch()->profileId(), QStringLiteral("local"));
        m_workbench->setCurrentDocument(nullptr);
        QCOMPARE(m_workbench->newScratch()->profileId(), m_settings->currentProfile());

        cloud->setLanguage(QStringLiteral("javascript"));
        cloud->setTimeoutSeconds(23);
        m_workbench->setCurrentDocument(cloud);
        quitWorkbench();
        QCOMPARE(m_settings->defaultLanguage(), QStringLiteral("javascript"));
        QCOMPARE(m_settings->defaultTimeoutSeconds(), 23);
    }

    void documents_areJournaled_andComeBackAfterAQuit()
    {
        Document *first = m_workbench->newDocument(QStringLiteral("a = 1\nb = 2"));
        first->setCursor(1, 3);
        first->setTimeoutSeconds(9);
        Document *second = m_workbench->newDocument(QStringLiteral("console.log(2)"),
                                                    QStringLiteral("javascript"));
        m_workbench->moveDocument(1, 0); // the window's tabs were reordered
        quitWorkbench();
        QCOMPARE(m_recovery->openTabs().size(), 2);

        openWorkbench();
        QCOMPARE(m_workbench->restoreDocuments(), 2);
        const QList<Document *> back = m_workbench->documents();
        QCOMPARE(back.size(), 2);
        QCOMPARE(back.at(0)->language(), QStringLiteral("javascript"));
        QCOMPARE(back.at(1)->text(), QStringLiteral("a = 1\nb = 2"));
        QCOMPARE(back.at(1)->cursorLine(), 1);
        QCOMPARE(back.at(1)->cursorIndex(), 3);
        QCOMPARE(back.at(1)->timeoutSeconds(), 9);
        QVERIFY(back.at(1)->isDirty());
        Q_UNUSED(second)

        // Closing keeps the text for Reopen Closed Tab; the last one closed is replaced.
        const QString closedId = back.at(0)->id();
        m_workbench->closeDocument(back.at(0));
        m_workbench->closeDocument(back.at(1));
        QCOMPARE(m_workbench->documents().size(), 1);
        QVERIFY(m_workbench->documents().constFirst()->text().isEmpty());
        Document *reopened = m_workbench->reopenClosed();
        QVERIFY(reopened);
        QCOMPARE(reopened->text(), QStringLiteral("a = 1\nb = 2"));
        QVERIFY(m_workbench->reopenClosed());
        QCOMPARE(m_workbench->documents().last()->id(), closedId);
    }

    void saving_needsATitleOnce_andAFailedSaveKeepsTheText()
    {
        Document *document = m_workbench->newDocument(QStringLiteral("x = 1"));
        QCOMPARE(m_workbench->save(document), Workbench::SaveResult::NeedsTitle);
        QVERIFY(m_workbench->saveAs(document, QStringLiteral("My first")));
        QCOMPARE(document->snippetFile(), QStringLiteral("my-first.py"));
        QVERIFY(!document->isDirty());
        document->setText(QStringLiteral("x = 2"));
        QVERIFY(document->isDirty());
        QCOMPARE(m_workbench->save(document), Workbench::SaveResult::Saved);
        QCOMPARE(m_library->snippet(QStringLiteral("my-first.py")).content,
                 QStringLiteral("x = 2"));
        QCOMPARE(m_workbench->openSnippet(QStringLiteral("my-first.py")), document);

        // The snippet's file becomes a directory: no write can replace it, even as root. The
        // save fails, the text stays, unsaved.
        document->setText(QStringLiteral("x = 3"));
        const QString path = m_library->folder() + QStringLiteral("/my-first.py");
        QVERIFY(QFile::remove(path));
        QVERIFY(QDir().mkpath(path + QStringLiteral("/blocked")));
        const bool failed = m_workbench->save(document) == Workbench::SaveResult::Failed;
        QDir(path).removeRecursively();
        QVERIFY(failed);
        QVERIFY(!m_workbench->lastSaveError().isEmpty());
        QCOMPARE(document->text(), QStringLiteral("x = 3"));
        QVERIFY(document->isDirty());
    }

    void quittingWithAStuckCloudBackend_endsAtTheBound_andRecordsTheSession()
    {
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("AGENTBAY_API_KEY"), QStringLiteral("akm-test"));
        m_workbench->setEnvironment(environment);
        m_settings->setProfileEndpoint(QStringLiteral("custom"),
                                       QStringLiteral("http://127.0.0.1:9"));
        Document *document = m_workbench->newDocument({}, {}, QStringLiteral("custom"));
        QVERIFY(runAndWait(document, QStringLiteral("x = 1")));
        const QString id = document->controller()->session()->id();
        workspace::SessionJournal journal;
        QCOMPARE(journal.entries().size(), 1); // journaled while it lives
        m_apis.value(QStringLiteral("custom"))->hold(QStringLiteral("DeleteSessionAsync"));
        QSignalSpy ended(m_workbench.get(), &Workbench::sessionEnded);
        QSignalSpy finished(m_workbench.get(), &Workbench::quitFinished);
        QElapsedTimer clock;
        clock.start();
        m_workbench->quit();
        QVERIFY(m_workbench->isQuitting());
        QVERIFY(finished.wait(10000));
        QVERIFY2(clock.elapsed() < 7000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(ended.size(), 1);
        QCOMPARE(ended.first().first().toBool(), false);
        QCOMPARE(journal.entries().size(), 1);
        QCOMPARE(journal.entries().constFirst().sessionId, id);
        m_workbench.reset();
        m_backends.reset();
    }

    void snippetListModel_followsTheLibraryAndTheSearch()
    {
        workspace::SnippetLibrary library;
        library.openNow(m_dir.filePath(QStringLiteral("models-library")), false);
        workbench::SnippetListModel model(&library);
        QAbstractItemModelTester tester(&model, Checked);
        QCOMPARE(model.rowCount(), 0);
        QString error;
        const QString plot = library.create(QStringLiteral("Plot"), QStringLiteral("python"),
                                            QStringLiteral("plot()"), &error,
                                            {QStringLiteral("chart")});
        library.create(QStringLiteral("Fetch"), QStringLiteral("javascript"),
                       QStringLiteral("fetch()"), &error);
        QTRY_COMPARE(model.rowCount(), 2);
        QCOMPARE(model.totalCount(), 2);
        model.setSearch(QStringLiteral("tag:chart"));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.fileAt(0), plot);
        QCOMPARE(model.index(0, workbench::SnippetListModel::Language).data().toString(),
                 QStringLiteral("Py"));
        QCOMPARE(model.index(0, 0).data(workbench::KeyRole).toString(), plot);
        model.setSearch({});
        const QString renamed = library.rename(plot, QStringLiteral("Chart"), &error);
        QTRY_VERIFY(model.rowOf(renamed) >= 0);
        QCOMPARE(model.rowOf(plot), -1);
        library.remove(renamed, &error);
        QTRY_COMPARE(model.rowCount(), 1);
        QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), QStringLiteral("Title"));
    }

    void runHistoryModel_listsNewestFirst_andFilters()
    {
        workspace::RunHistory history(m_dir.filePath(QStringLiteral("models-history")));
        workbench::RunHistoryModel model(&history);
        QAbstractItemModelTester tester(&model, Checked);
        QString error;
        QVERIFY(history.recordNow(runRecord(QStringLiteral("r1"), QStringLiteral("ok"),
                                            QStringLiteral("print('one')")),
                                  &error));
        QVERIFY(history.recordNow(runRecord(QStringLiteral("r2"), QStringLiteral("error"),
                                            QStringLiteral("raise ValueError")),
                                  &error));
        QVERIFY(history.recordNow(runRecord(QStringLiteral("r3"), QStringLiteral("ok"),
                                            QStringLiteral("print('three')")),
                                  &error));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.runIdAt(0), QStringLiteral("r3")); // newest first
        QCOMPARE(model.index(1, 0).data(workbench::ProblemRole).toBool(), true);
        QCOMPARE(model.index(1, workbench::RunHistoryModel::Status).data().toString(),
                 QStringLiteral("error"));
        model.setFilter({}, QStringLiteral("ok"));
        QCOMPARE(model.rowCount(), 2);
        model.setFilter(QStringLiteral("THREE"), {});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.tabIdAt(0), QStringLiteral("tab-ok"));
        model.setFilter({}, {});
        history.setRetention(1, qint64{1} << 30); // pruning reaches the view
        QTRY_COMPARE(model.rowCount(), 1);
        QCOMPARE(model.totalCount(), 1);
    }

    void timelineModel_followsEntries_dropsAndClears()
    {
        client::SessionTimeline timeline;
        workbench::TimelineModel model;
        QAbstractItemModelTester tester(&model, Checked);
        timeline.record(client::TimelineEntry::Event::Creating, QStringLiteral("CreateMcpSession"));
        model.setTimeline(&timeline);
        QCOMPARE(model.rowCount(), 1);
        timeline.record(client::TimelineEntry::Event::Ready, QStringLiteral("created"),
                        QStringLiteral("s-1"), QStringLiteral("req-1"), 120);
        timeline.record(client::TimelineEntry::Event::TimedOut, QStringLiteral("run 1 hit 3 s"),
                        QStringLiteral("s-1"));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(1, workbench::TimelineModel::Event).data().toString(),
                 QStringLiteral("ready"));
        QCOMPARE(model.index(1, workbench::TimelineModel::Duration).data().toString(),
                 QStringLiteral("0.120 s"));
        QCOMPARE(model.index(1, workbench::TimelineModel::Request).data().toString(),
                 QStringLiteral("req-1"));
        QVERIFY(!model.index(1, 0).data(workbench::ProblemRole).toBool());
        QVERIFY(model.index(2, 0).data(workbench::ProblemRole).toBool());
        // The bound drops the oldest entries; the model removes the same rows.
        client::SessionTimeline full;
        for (int i = 1; i < client::SessionTimeline::MaximumEntries; ++i)
            full.record(client::TimelineEntry::Event::Idle, QStringLiteral("run %1").arg(i));
        workbench::TimelineModel bounded;
        QAbstractItemModelTester boundedTester(&bounded, Checked);
        bounded.setTimeline(&full);
        QCOMPARE(bounded.rowCount(), client::SessionTimeline::MaximumEntries - 1);
        full.record(client::TimelineEntry::Event::Idle, QStringLiteral("the last"));
        full.record(client::TimelineEntry::Event::Idle, QStringLiteral("past the bound"));
        QCOMPARE(bounded.rowCount(), static_cast<int>(full.entries().size()));
        QVERIFY(bounded.rowCount() < client::SessionTimeline::MaximumEntries);
        QCOMPARE(bounded.entries().constFirst().detail, full.entries().constFirst().detail);
        QCOMPARE(bounded.entries().constLast().detail, QStringLiteral("past the bound"));
        timeline.clear();
        QCOMPARE(model.rowCount(), 0);
        model.setTimeline(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestWorkbench)
#include "tst_workbench.moc"
