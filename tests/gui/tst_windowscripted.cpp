// SPDX-License-Identifier: GPL-3.0-or-later
// The window without any server: every backend is the in-memory ScriptedApi (the client's other
// AgentBayApi implementation), so run, stop, the errors pane, result cards, the session
// timeline, leftover sessions and quitting with a stuck backend are tested in milliseconds.
// The same behaviours against the real sandbox stay in tst_mainwindow.
#include "../common/scriptedapi.h"
#include "../common/testsupport.h"

#include "client/backend.h"
#include "client/profiles.h"
#include "client/runcontroller.h"
#include "client/session.h"
#include "ui/codeeditor.h"
#include "ui/errorpane.h"
#include "ui/leftoversessions.h"
#include "ui/mainwindow.h"
#include "ui/outputpane.h"
#include "ui/playgroundtab.h"
#include "ui/resultspane.h"
#include "ui/sessionpane.h"
#include "workbench/workbench.h"
#include "workspace/playgroundsettings.h"
#include "workspace/recoveryjournal.h"
#include "workspace/runhistory.h"
#include "workspace/secretstore.h"
#include "workspace/sessionjournal.h"
#include "workspace/snippetlibrary.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>

using namespace agentbay;
using test::ScriptedApi;

class TestWindowScripted final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<workspace::PlaygroundSettings> m_settings;
    std::unique_ptr<workspace::SecretStore> m_secrets;
    std::unique_ptr<client::BackendPool> m_backends;
    std::unique_ptr<workbench::Workbench> m_workbench;
    std::unique_ptr<ui::MainWindow> m_window;
    std::unique_ptr<workspace::RunHistory> m_history;
    std::unique_ptr<workspace::RecoveryJournal> m_recovery;
    QHash<QString, QPointer<ScriptedApi>> m_apis; // profile -> the API its backend plays
    ScriptedApi::RunScript m_script;              // given to every API made from now on
    QSet<QString> m_holdInNewApis;

    ui::PlaygroundTab *tab() const { return m_window->currentTab(); }
    QString output() const { return tab()->outputPane()->plainText(); }
    QAction *action(const char *name) const { return m_window->action(QLatin1String(name)); }
    ScriptedApi *api(const QString &profile = QStringLiteral("local")) const
    {
        return m_apis.value(profile);
    }

    bool runAndWait(const QString &code, int timeoutMs = 5000)
    {
        tab()->editor()->setText(code);
        QSignalSpy completed(m_window.get(), &ui::MainWindow::runCompleted);
        action("runAction")->trigger();
        return completed.wait(timeoutMs);
    }

    // A cloud profile ("custom") whose endpoint is never contacted: its backend is scripted.
    void useCustomProfile()
    {
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("AGENTBAY_API_KEY"), QStringLiteral("akm-scripted"));
        m_workbench->setEnvironment(environment);
        m_settings->setProfileEndpoint(QStringLiteral("custom"),
                                       QStringLiteral("http://127.0.0.1:9"));
        QVERIFY(m_window->chooseProfile(QStringLiteral("custom")));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/agentbay-test-bus");
        workspace::SessionJournal journal;
        for (const auto &entry : journal.entries())
            journal.remove(entry.sessionId);
    }

    void init()
    {
        m_apis.clear();
        m_script = {};
        m_holdInNewApis.clear();
        QFile::remove(m_dir.filePath(QStringLiteral("settings.ini")));
        QDir(m_dir.filePath(QStringLiteral("history"))).removeRecursively();
        QDir(m_dir.filePath(QStringLiteral("recovery"))).removeRecursively();
        m_settings = std::make_unique<workspace::PlaygroundSettings>(
                m_dir.filePath(QStringLiteral("settings.ini")));
        m_secrets = std::make_unique<workspace::SecretStore>(
                QStringLiteral("agentbay-playground-test"));
        m_backends = std::make_unique<client::BackendPool>();
        m_backends->setApiFactory([this](const QString &profile, const client::ClientConfig &) {
            auto *made = new ScriptedApi;
            if (m_script)
                made->setRunScript(m_script);
            for (const QString &action : std::as_const(m_holdInNewApis))
                made->hold(action);
            m_apis.insert(profile, made);
            return made;
        });
        m_workbench = std::make_unique<workbench::Workbench>(m_backends.get(), m_settings.get(),
                                                             m_secrets.get());
        m_window = std::make_unique<ui::MainWindow>(m_workbench.get());
        m_workbench->setEnvironment(QProcessEnvironment());
        m_history = std::make_unique<workspace::RunHistory>(
                m_dir.filePath(QStringLiteral("history")));
        m_window->setRunHistory(m_history.get());
        m_recovery = std::make_unique<workspace::RecoveryJournal>(
                m_dir.filePath(QStringLiteral("recovery")));
        m_workbench->setRecoveryJournal(m_recovery.get());
        m_window->newTab(QStringLiteral("print('hello')\n"), QStringLiteral("python"));
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY(m_backends->local()->isReady());
    }

    void cleanup()
    {
        if (m_window && m_window->isVisible()) {
            QSignalSpy done(m_window.get(), &ui::MainWindow::shutdownFinished);
            m_window->close();
            QVERIFY(done.wait(10000));
        }
        m_window.reset();
        m_workbench.reset();
        m_history.reset();
        m_recovery.reset();
        m_backends.reset();
        m_secrets.reset();
        m_settings.reset();
        workspace::SessionJournal journal;
        for (const auto &entry : journal.entries())
            journal.remove(entry.sessionId);
    }

    void run_showsTheOutput_theOutcome_andRecordsTheRun()
    {
        m_script = [](const QString &code, const QString &language, int timeout) {
            return ScriptedApi::RunAnswer{ScriptedApi::printed(QStringLiteral("%1|%2|%3\n")
                                                                       .arg(code, language)
                                                                       .arg(timeout)),
                                          20,
                                          {},
                                          false,
                                          {}};
        };
        api()->setRunScript(m_script);
        m_window->timeoutBox()->setValue(7);
        QVERIFY(runAndWait(QStringLiteral("print(6*7)")));
        QVERIFY2(output().contains(QLatin1String("print(6*7)|python|7")), qPrintable(output()));
        QCOMPARE(api()->codesRun(), QStringList{QStringLiteral("print(6*7)")});
        QVERIFY(tab()->lastOutcome().startsWith(QLatin1String("finished in")));
        QVERIFY(m_window->statusText().contains(QLatin1String("last run finished")));
        QVERIFY(action("runAction")->isEnabled());
        QVERIFY(!action("stopAction")->isEnabled());
        QTRY_COMPARE(m_history->summaries().size(), 1);
        QCOMPARE(m_history->summaries().constFirst().status, QStringLiteral("ok"));
        QCOMPARE(m_history->summaries().constFirst().tabId, tab()->tabId());
    }

    void stop_endsARunTheBackendNeverAnswers()
    {
        api()->setRunScript([](const QString &, const QString &, int) {
            ScriptedApi::RunAnswer never;
            never.never = true;
            return never;
        });
        tab()->editor()->setText(QStringLiteral("while True: pass"));
        QSignalSpy completed(m_window.get(), &ui::MainWindow::runCompleted);
        action("runAction")->trigger();
        QTRY_VERIFY(tab()->isRunning());
        QTRY_COMPARE(api()->heldCount(QStringLiteral("CallMcpTool")), 1);
        QVERIFY(action("stopAction")->isEnabled());
        QVERIFY(!action("runAction")->isEnabled());
        action("stopAction")->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(completed.size(), 1, 2000);
        QCOMPARE(completed.first().first().toBool(), false);
        QVERIFY2(tab()->lastOutcome().startsWith(QLatin1String("stopped after")),
                 qPrintable(tab()->lastOutcome()));
        QVERIFY(!tab()->isRunning());
        QVERIFY(action("runAction")->isEnabled());
        // A local backend interrupts the code: no "may keep running" notice.
        QVERIFY(tab()->sessionPane()->notice().isEmpty());
    }

    void stopOnACloudProfile_saysTheRunMayGoOn()
    {
        m_holdInNewApis.insert(QStringLiteral("CallMcpTool"));
        useCustomProfile();
        tab()->editor()->setText(QStringLiteral("import time; time.sleep(30)"));
        QSignalSpy completed(m_window.get(), &ui::MainWindow::runCompleted);
        action("runAction")->trigger();
        QTRY_VERIFY(api(QStringLiteral("custom")));
        QTRY_COMPARE(api(QStringLiteral("custom"))->heldCount(QStringLiteral("CallMcpTool")), 1);
        action("stopAction")->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(completed.size(), 1, 2000);
        QVERIFY2(tab()->sessionPane()->notice().contains(QLatin1String("may keep running")),
                 qPrintable(tab()->sessionPane()->notice()));
    }

    void streamedOutput_showsBeforeTheAnswer_andOnlyOnce()
    {
        api()->setRunScript([](const QString &, const QString &, int) {
            ScriptedApi::RunAnswer answer{ScriptedApi::printed(QStringLiteral("early\nlate\n")),
                                          600,
                                          {},
                                          false,
                                          {}};
            answer.events = {
                    {20, QJsonObject{{QStringLiteral("type"), QStringLiteral("stdout")},
                                     {QStringLiteral("text"), QStringLiteral("early\n")}}}};
            return answer;
        });
        tab()->editor()->setText(QStringLiteral("print('early'); slow(); print('late')"));
        QSignalSpy completed(m_window.get(), &ui::MainWindow::runCompleted);
        action("runAction")->trigger();
        QTRY_VERIFY(output().contains(QLatin1String("early\n")));
        QVERIFY(tab()->isRunning());
        QVERIFY(!output().contains(QLatin1String("late")));
        QTRY_COMPARE(completed.size(), 1);
        QCOMPARE(output().count(QLatin1String("early\n")), 1);
        QCOMPARE(output().count(QLatin1String("late\n")), 1);
        QVERIFY(tab()->sessionPane()->eventNames().contains(QLatin1String("output")));
    }

    void aStreamedFlood_showsItsLastLines_andLosesNone()
    {
        // 30 000 lines in 300 pieces, faster than the pane draws: the view ends up with the last
        // lines below a notice that counts the others exactly; the full text has every line once.
        QStringList pieces;
        for (int piece = 0; piece < 300; ++piece) {
            QString text;
            for (int line = piece * 100; line < piece * 100 + 100; ++line)
                text += QStringLiteral("line %1\n").arg(line);
            pieces.append(text);
        }
        api()->setRunScript([pieces](const QString &, const QString &, int) {
            ScriptedApi::RunAnswer answer{ScriptedApi::printed(QString()), 400, {}, false, {}};
            answer.result.stdoutChunks = pieces;
            for (qsizetype i = 0; i < pieces.size(); ++i)
                answer.events.append(
                        {static_cast<int>(i / 3),
                         QJsonObject{{QStringLiteral("type"), QStringLiteral("stdout")},
                                     {QStringLiteral("text"), pieces.at(i)}}});
            return answer;
        });
        tab()->editor()->setText(QStringLiteral("flood()"));
        QSignalSpy completed(m_window.get(), &ui::MainWindow::runCompleted);
        action("runAction")->trigger();
        QTRY_VERIFY(output().contains(QLatin1String("\nline 29999\n")));
        QVERIFY(completed.isEmpty()); // shown while the run goes on
        QTRY_COMPARE(completed.size(), 1);

        ui::OutputPane *pane = tab()->outputPane();
        const QStringList lines = output().split(QLatin1Char('\n'));
        QVERIFY(pane->shownLines() <= ui::OutputPane::MaximumLines);
        // "▶ Run…", 30 000 lines, "✔ finished…" and the empty line after the last newline.
        const QRegularExpression notice(QStringLiteral(R"(^\[(\d+) earlier lines not shown here)"));
        const QRegularExpressionMatch match = notice.match(lines.constFirst());
        QVERIFY2(match.hasMatch(), qPrintable(lines.constFirst()));
        const qsizetype inView = lines.size() - 2; // less the notice and the empty last line
        QCOMPARE(match.captured(1).toLongLong() + inView, 30002);
        const qsizetype firstShown = 30000 - (inView - 1);
        for (qsizetype i = 1; i < lines.size() - 2; ++i)
            QCOMPARE(lines.at(i), QStringLiteral("line %1").arg(firstShown + i - 1));
        QVERIFY(lines.at(lines.size() - 2).startsWith(QStringLiteral("✔ ")));
        const QString full = pane->fullText();
        QCOMPARE(full.count(QLatin1String("line ")), 30000);
        QVERIFY(full.contains(QLatin1String("\nline 0\nline 1\n")));
    }

    void streamedStdoutAndStderr_keepTheirOrderAndColours()
    {
        api()->setRunScript([](const QString &, const QString &, int) {
            ScriptedApi::RunAnswer answer{ScriptedApi::printed(QString()), 200, {}, false, {}};
            for (int i = 0; i < 200; ++i) {
                const QString out = QStringLiteral("o %1\n").arg(i);
                const QString err = QStringLiteral("e %1\n").arg(i);
                answer.result.stdoutChunks.append(out);
                answer.result.stderrChunks.append(err);
                answer.events.append(
                        {i / 4, QJsonObject{{QStringLiteral("type"), QStringLiteral("stdout")},
                                            {QStringLiteral("text"), out}}});
                answer.events.append(
                        {i / 4, QJsonObject{{QStringLiteral("type"), QStringLiteral("stderr")},
                                            {QStringLiteral("text"), err}}});
            }
            return answer;
        });
        QVERIFY(runAndWait(QStringLiteral("both()")));
        QString expected;
        for (int i = 0; i < 200; ++i)
            expected += QStringLiteral("o %1\ne %1\n").arg(i);
        QVERIFY(output().contains(expected));
        QCOMPARE(output().count(QLatin1String("o 199\n")), 1); // the answer adds nothing twice
        // stderr is drawn in its colour, stdout in the normal one.
        const QTextDocument *document = tab()->outputPane()
                                                ->findChild<QPlainTextEdit *>(
                                                        QStringLiteral("outputView"))
                                                ->document();
        int coloured = 0;
        int plain = 0;
        for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
            const QString text = block.text();
            if (!text.startsWith(QLatin1String("e ")) && !text.startsWith(QLatin1String("o ")))
                continue;
            const bool hasColour = block.begin().fragment().charFormat().hasProperty(
                    QTextFormat::ForegroundBrush);
            if (text.startsWith(QLatin1String("e ")))
                coloured += hasColour ? 1 : 0;
            else
                plain += hasColour ? 0 : 1;
        }
        QCOMPARE(coloured, 200);
        QCOMPARE(plain, 200);
    }

    void aCloudProfile_saysOncePerTabThatOutputComesAtTheEnd()
    {
        useCustomProfile();
        QVERIFY(runAndWait(QStringLiteral("1")));
        QVERIFY(runAndWait(QStringLiteral("2")));
        QCOMPARE(output().count(QLatin1String("returns a run's output when the run ends")), 1);
        m_window->newTab();
        useCustomProfile();
        QVERIFY(runAndWait(QStringLiteral("3")));
        QCOMPARE(output().count(QLatin1String("returns a run's output when the run ends")), 1);
    }

    void anError_fillsTheErrorsPane_andMarksItsLineInTheEditor()
    {
        api()->setRunScript([](const QString &, const QString &, int) {
            protocol::RunCodeResult result;
            result.executionCount = 1;
            result.error
                    = protocol::ExecutionError{QStringLiteral("NameError"),
                                               QStringLiteral("name 'y' is not defined"),
                                               QStringLiteral(
                                                       "Traceback (most recent call last):\n"
                                                       "  File \"<cell-1>\", line 3, in <module>\n"
                                                       "    f()\n"
                                                       "  File \"<cell-1>\", line 2, in f\n"
                                                       "    return y\n"
                                                       "NameError: name 'y' is not defined")};
            result.executionError = QStringLiteral("NameError: name 'y' is not defined");
            return ScriptedApi::RunAnswer{result, 5, {}, false, {}};
        });
        QSignalSpy completed(m_window.get(), &ui::MainWindow::runCompleted);
        QVERIFY(runAndWait(QStringLiteral("def f():\n    return y\nf()\n")));
        QCOMPARE(completed.first().first().toBool(), false);
        ui::ErrorPane *errors = tab()->errorPane();
        QVERIFY2(errors->headline().contains(QLatin1String("NameError")),
                 qPrintable(errors->headline()));
        QCOMPARE(errors->frameCount(), 2);
        QVERIFY(errors->frameLabel(0).contains(QLatin1String("line 3")));
        QVERIFY(errors->frameLabel(1).contains(QLatin1String("line 2")));
        QCOMPARE(tab()->editor()->errorLines(), QList<int>{2});
        QVERIFY(m_window->dock(QStringLiteral("errorsDock"))->isVisible());
        QVERIFY(output().contains(QLatin1String("NameError: name 'y' is not defined")));
        // Activating a frame moves the editor there.
        errors->activateFrame(0);
        QCOMPARE(tab()->editor()->cursorLine(), 3);
        QTRY_COMPARE(m_history->summaries().size(), 1);
        QCOMPARE(m_history->summaries().constFirst().status, QStringLiteral("error"));
    }

    void richResults_becomeCards()
    {
        api()->setRunScript([](const QString &, const QString &, int) {
            protocol::RunCodeResult result = ScriptedApi::printed({});
            protocol::MimeBundle html;
            html.data.insert(QStringLiteral("text/html"),
                             QStringLiteral("<table><tr><th>a</th></tr><tr><td>1</td></tr>"
                                            "</table>"));
            html.data.insert(QStringLiteral("text/plain"), QStringLiteral("   a\n0  1"));
            protocol::MimeBundle json;
            json.data.insert(QStringLiteral("application/json"),
                             QStringLiteral("{\"k\": [1, 2, 3]}"));
            protocol::MimeBundle value;
            value.data.insert(QStringLiteral("text/plain"), QStringLiteral("42"));
            value.isMainResult = true;
            result.results = {html, json, value};
            return ScriptedApi::RunAnswer{result, 5, {}, false, {}};
        });
        QVERIFY(runAndWait(QStringLiteral("show()")));
        ui::ResultsPane *results = tab()->resultsPane();
        QCOMPARE(results->cardCount(), 3);
        QCOMPARE(results->cards().at(0).kind, present::ResultCard::Kind::Html);
        QCOMPARE(results->cards().at(1).kind, present::ResultCard::Kind::Json);
        QCOMPARE(results->cards().at(2).kind, present::ResultCard::Kind::Text);
        QVERIFY(output().contains(QLatin1String("42")));
    }

    void theSessionTimeline_followsTheSessionsLife()
    {
        QVERIFY(runAndWait(QStringLiteral("1")));
        QVERIFY(runAndWait(QStringLiteral("2")));
        const QStringList events = tab()->sessionPane()->eventNames();
        for (const char *event : {"backend", "creating", "ready", "running", "idle"})
            QVERIFY2(events.contains(QLatin1String(event)), qPrintable(events.join(u',')));
        // Every run has its entry, not only the one that waited for the session.
        QCOMPARE(events.count(QStringLiteral("running")), 2);
        QCOMPARE(api()->count(QStringLiteral("CreateMcpSession")), 1); // one session, two runs
        action("restartSessionAction")->trigger();
        QTRY_COMPARE(api()->count(QStringLiteral("DeleteSessionAsync")), 1);
        QVERIFY(runAndWait(QStringLiteral("3")));
        QCOMPARE(api()->count(QStringLiteral("CreateMcpSession")), 2);
        QVERIFY(tab()->sessionPane()->eventNames().contains(QLatin1String("deleting")));
    }

    void leftoverSessions_areListed_deleted_andReattached()
    {
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("AGENTBAY_API_KEY"), QStringLiteral("akm-scripted"));
        m_workbench->setEnvironment(environment);
        workspace::SessionJournal journal;
        QList<workspace::JournaledSession> leftovers;
        for (const char *id : {"session-left-1", "session-left-2"}) {
            const workspace::JournaledSession entry{QLatin1String(id),
                                                    QStringLiteral("custom"),
                                                    QStringLiteral("http://127.0.0.1:9"),
                                                    {},
                                                    QDateTime::currentDateTimeUtc(),
                                                    QStringLiteral("running when the app last "
                                                                   "stopped")};
            QVERIFY(journal.add(entry));
            leftovers.append(entry);
        }
        m_window->showLeftoverSessions(journal.entries());
        auto *list = m_window->findChild<ui::LeftoverSessions *>();
        QVERIFY(list && list->isVisible());
        QCOMPARE(list->entries().size(), 2);

        Q_EMIT list->deleteRequested(leftovers.at(1)); // as its Delete button does
        QTRY_COMPARE(list->entries().size(), 1);
        QCOMPARE(journal.entries().size(), 1);
        QCOMPARE(journal.entries().constFirst().sessionId, QStringLiteral("session-left-1"));

        ui::PlaygroundTab *reattached = m_window->reattachLeftoverSession(leftovers.at(0));
        QVERIFY(reattached);
        QCOMPARE(tab(), reattached);
        QVERIFY(!list->isVisible());
        QVERIFY(runAndWait(QStringLiteral("leftover_state")));
        QCOMPARE(tab()->controller()->session()->id(), QStringLiteral("session-left-1"));
        QCOMPARE(api(QStringLiteral("custom"))->count(QStringLiteral("CreateMcpSession")), 0);
        QCOMPARE(api(QStringLiteral("custom"))->count(QStringLiteral("GetSession")), 1);
    }

    void quittingWithAStuckBackend_endsWithinItsBound_andRecordsTheSession()
    {
        useCustomProfile();
        QVERIFY(runAndWait(QStringLiteral("x = 1")));
        const QString id = tab()->controller()->session()->id();
        QVERIFY(!id.isEmpty());
        workspace::SessionJournal journal;
        QVERIFY(journal.entries().size() == 1); // journaled while it lives
        api(QStringLiteral("custom"))->hold(QStringLiteral("DeleteSessionAsync"));
        const int isolationAsks = api(QStringLiteral("custom"))
                                          ->count(QStringLiteral("GetSessionDetail"));
        QSignalSpy closed(m_window.get(), &ui::MainWindow::shutdownFinished);
        QElapsedTimer clock;
        clock.start();
        action("quitAction")->trigger();
        QVERIFY(closed.wait(15000));
        const qint64 took = clock.elapsed();
        QVERIFY2(took >= 2500 && took < 7000, qPrintable(QString::number(took)));
        // Asked once, never answered: the call was abandoned at the bound.
        QCOMPARE(api(QStringLiteral("custom"))->count(QStringLiteral("DeleteSessionAsync")), 1);
        QCOMPARE(api(QStringLiteral("custom"))->count(QStringLiteral("GetSessionDetail"))
                         - isolationAsks,
                 0);
        QCOMPARE(journal.entries().size(), 1);
        QCOMPARE(journal.entries().constFirst().sessionId, id);
        QCOMPARE(journal.entries().constFirst().profile, QStringLiteral("custom"));
    }

    void quittingWithAnAnsweringBackend_deletesTheSession_andForgetsIt()
    {
        useCustomProfile();
        QVERIFY(runAndWait(QStringLiteral("x = 1")));
        QSignalSpy closed(m_window.get(), &ui::MainWindow::shutdownFinished);
        action("quitAction")->trigger();
        QVERIFY(closed.wait(5000));
        QCOMPARE(api(QStringLiteral("custom"))->count(QStringLiteral("DeleteSessionAsync")), 1);
        QCOMPARE(workspace::SessionJournal().entries().size(), 0);
    }
};

QTEST_MAIN(TestWindowScripted)
#include "tst_windowscripted.moc"
