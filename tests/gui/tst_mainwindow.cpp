// SPDX-License-Identifier: GPL-3.0-or-later
// The window against the real local sandbox, offscreen: type and run, errors and their frames,
// timeouts, Stop, rich results, cells, editing commands, parallel tabs with their own sessions,
// closing a tab, profiles, settings, themes, the dock layout, and quitting.
#include "../common/localsandbox.h"
#include "../common/testsupport.h"

#include "client/agentbayclient.h"
#include "client/apicall.h"
#include "client/backend.h"
#include "client/codeassistant.h"
#include "client/localsandboxlauncher.h"
#include "client/profiles.h"
#include "client/runcontroller.h"
#include "client/session.h"
#include "client/sessiontimeline.h"
#include "ui/codeeditor.h"
#include "ui/errorpane.h"
#include "ui/findbar.h"
#include "ui/fulltextdialog.h"
#include "ui/historypane.h"
#include "ui/leftoversessions.h"
#include "ui/mainwindow.h"
#include "ui/outputpane.h"
#include "ui/playgroundtab.h"
#include "ui/resultspane.h"
#include "ui/sessionpane.h"
#include "ui/settingsdialog.h"
#include "ui/snippetspane.h"
#include "ui_settingsdialog.h"
#include "workbench/workbench.h"
#include "workspace/playgroundsettings.h"
#include "workspace/recoveryjournal.h"
#include "workspace/runhistory.h"
#include "workspace/secretstore.h"
#include "workspace/sessionjournal.h"
#include "workspace/snippetlibrary.h"

#include "agentbayversion.h"

#include <QAction>
#include <QApplication>
#include <QBuffer>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>

#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QToolButton>
#include <QTreeView>
#include <functional>

#include <Qsci/qscilexerjavascript.h>
#include <Qsci/qscilexerpython.h>

#include <csignal>
#include <cstdlib>

using namespace agentbay;
using agentbay::test::SandboxProcess;
using client::TimelineEntry;

class TestMainWindow final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<workspace::PlaygroundSettings> m_settings;
    std::unique_ptr<workspace::SecretStore> m_secrets;
    std::unique_ptr<client::BackendPool> m_backends;
    std::unique_ptr<workbench::Workbench> m_workbench;
    std::unique_ptr<ui::MainWindow> m_window;
    std::unique_ptr<workspace::SnippetLibrary> m_library;
    std::unique_ptr<workspace::RecoveryJournal> m_recovery;
    std::unique_ptr<workspace::RunHistory> m_history;
    bool m_restore = false; // openWindow() restores the journaled tabs instead of a fresh one
    QHash<QString, QString> m_presetKeys; // profile -> key kept in memory before the window starts

    ui::PlaygroundTab *tab() const { return m_window->currentTab(); }
    ui::CodeEditor *editor() const { return tab()->editor(); }
    QString output() const { return tab()->outputPane()->plainText(); }
    QAction *action(const char *name) const { return m_window->action(QLatin1String(name)); }

    void typeCode(const QString &code)
    {
        editor()->setFocus();
        editor()->selectAll();
        QTest::keyClick(editor(), Qt::Key_Delete);
        // Line breaks are typed as Return, as a person types them (auto-indent is undone).
        const QStringList lines = code.split(QLatin1Char('\n'));
        for (qsizetype i = 0; i < lines.size(); ++i) {
            if (i > 0) {
                QTest::keyClick(editor(), Qt::Key_Return);
                QTest::keyClick(editor(), Qt::Key_Home, Qt::ShiftModifier);
                if (editor()->hasSelectedText())
                    QTest::keyClick(editor(), Qt::Key_Delete);
            }
            QTest::keyClicks(editor(), lines.at(i));
        }
    }

    // Asks until the completion list shows: an answer later than the editor's 150 ms deadline
    // is dropped (as it should be), which a loaded test machine now and then makes happen.
    bool shownAfter(const std::function<void()> &ask, const std::function<bool()> &shown)
    {
        for (int attempt = 0; attempt < 10; ++attempt) {
            ask();
            for (int waited = 0; waited < 1000 && !shown(); waited += 50)
                QTest::qWait(50);
            if (shown())
                return true;
        }
        return false;
    }
    bool completionShownAfter(const std::function<void()> &ask)
    {
        return shownAfter(ask, [this] { return editor()->isCompletionListShown(); });
    }

    bool runAndWait(int timeoutMs = 20000)
    {
        QSignalSpy completed(m_window.get(), &ui::MainWindow::runCompleted);
        action("runAction")->trigger();
        return completed.wait(timeoutMs);
    }

    void openWindow()
    {
        m_secrets = std::make_unique<workspace::SecretStore>(
                QStringLiteral("agentbay-playground-test"));
        for (auto it = m_presetKeys.cbegin(); it != m_presetKeys.cend(); ++it)
            m_secrets->keepInMemory(workspace::SecretStore::keyForProfile(it.key()), it.value());
        m_backends = std::make_unique<client::BackendPool>();
        m_workbench = std::make_unique<workbench::Workbench>(m_backends.get(), m_settings.get(),
                                                             m_secrets.get());
        m_window = std::make_unique<ui::MainWindow>(m_workbench.get());
        QProcessEnvironment environment; // no AGENTBAY_* from the machine
        m_workbench->setEnvironment(environment);
        m_library = std::make_unique<workspace::SnippetLibrary>();
        m_library->openNow(m_dir.filePath(QStringLiteral("library")));
        m_window->setSnippetLibrary(m_library.get());
        m_recovery = std::make_unique<workspace::RecoveryJournal>(
                m_dir.filePath(QStringLiteral("recovery")));
        m_workbench->setRecoveryJournal(m_recovery.get());
        m_history = std::make_unique<workspace::RunHistory>(
                m_dir.filePath(QStringLiteral("history")));
        m_window->setRunHistory(m_history.get());
        if (!m_restore || m_window->restoreTabs() == 0)
            m_window->newTab(QStringLiteral("# Welcome\nprint('hello')\n"),
                             QStringLiteral("python"));
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(m_backends->local()->isReady(), 20000);
    }

    void closeWindow()
    {
        if (m_window && m_window->isVisible()) {
            QSignalSpy done(m_window.get(), &ui::MainWindow::shutdownFinished);
            m_window->close();
            QVERIFY(done.wait(10000));
        }
        m_window.reset();
        m_workbench.reset();
        m_library.reset();
        m_recovery.reset();
        m_history.reset();
        m_backends.reset();
        m_secrets.reset();
    }

    QStringList events() const { return tab()->sessionPane()->eventNames(); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("AGENTBAY_SANDBOX_PROGRAM", AGENTBAY_SANDBOX_PROGRAM);
        // No Secret Service here: the store must say so rather than hang or write files.
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/agentbay-test-bus");
    }

    void init()
    {
        // Fresh settings per test: a window saves its layout and choices when it closes.
        QFile::remove(m_dir.filePath(QStringLiteral("settings.ini")));
        QDir(m_dir.filePath(QStringLiteral("library"))).removeRecursively();
        QDir(m_dir.filePath(QStringLiteral("recovery"))).removeRecursively();
        QDir(m_dir.filePath(QStringLiteral("history"))).removeRecursively();
        m_restore = false;
        m_presetKeys.clear();
        m_settings = std::make_unique<workspace::PlaygroundSettings>(
                m_dir.filePath(QStringLiteral("settings.ini")));
        openWindow();
    }

    void cleanup()
    {
        closeWindow();
        m_settings.reset();
        QApplication::setPalette(QApplication::style()->standardPalette());
    }

    void window_showsTheEditorRunControlsAndPanes()
    {
        QVERIFY(qobject_cast<QsciLexerPython *>(editor()->lexer()));
        for (const char *dock : {"outputDock", "resultsDock", "errorsDock", "sessionDock"})
            QVERIFY2(m_window->dock(QLatin1String(dock)), dock);
        QCOMPARE(action("runAction")->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Return));
        QCOMPARE(action("stopAction")->shortcuts().value(0), QKeySequence(Qt::Key_Escape));
        QCOMPARE(action("stopAction")->shortcuts().value(1),
                 QKeySequence(Qt::CTRL | Qt::Key_Period));
        QCOMPARE(action("findAction")->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_F));
        QCOMPARE(action("replaceAction")->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_H));
        QCOMPARE(action("goToLineAction")->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_G));
        QCOMPARE(action("toggleCommentAction")->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Slash));
        QCOMPARE(action("quitAction")->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Q));
        QVERIFY(action("restartSessionAction"));
        QVERIFY(action("newTabAction"));
        QVERIFY(action("runCellAction"));
        QStringList profiles;
        for (int i = 0; i < m_window->profileBox()->count(); ++i)
            profiles << m_window->profileBox()->itemData(i).toString();
        QCOMPARE(profiles, (QStringList{QStringLiteral("local"), QStringLiteral("shanghai"),
                                        QStringLiteral("singapore"), QStringLiteral("custom")}));
        // The local sandbox offers the languages it has kernels for here: Python, JavaScript,
        // R where Debian's R and jsonlite are installed, Java where a JDK (with jshell) is.
        QStringList expected{QStringLiteral("python"), QStringLiteral("javascript")};
        if (QFile::exists(QStringLiteral("/usr/bin/Rscript"))
            && QFile::exists(QStringLiteral("/usr/lib/R/site-library/jsonlite/DESCRIPTION")))
            expected << QStringLiteral("r");
        if (QFile::exists(QStringLiteral("/usr/bin/java"))
            && QFile::exists(QStringLiteral("/usr/bin/jshell")))
            expected << QStringLiteral("java");
        const auto offered = [this] {
            QStringList names;
            for (int i = 0; i < m_window->languageBox()->count(); ++i)
                names << m_window->languageBox()->itemData(i).toString();
            return names;
        };
        QTRY_COMPARE(offered(), expected);
        QVERIFY(m_window->timeoutBox()->toolTip().contains(QLatin1String("60 seconds")));
        QCOMPARE(m_window->timeoutBox()->maximum(), 60);
        QTRY_VERIFY(m_window->statusText().startsWith(QLatin1String("Local sandbox (127.0.0.1:")));
        QVERIFY(editor()->hasFocus());
    }

    void rOnTheLocalSandbox_runsWhenInstalled()
    {
        if (!QFile::exists(QStringLiteral("/usr/bin/Rscript")))
            QSKIP("R is not installed here (Debian's r-base-core and r-cran-jsonlite)");
        QTRY_VERIFY(m_window->languageBox()->findData(QStringLiteral("r")) >= 0);
        m_window->languageBox()->setCurrentIndex(
                m_window->languageBox()->findData(QStringLiteral("r")));
        Q_EMIT m_window->languageBox()->activated(m_window->languageBox()->currentIndex());
        QCOMPARE(tab()->document()->language(), QStringLiteral("r"));
        typeCode(QStringLiteral("x <- c(20, 22)\ncat('parts', x, '\\n')\nsum(x)"));
        QVERIFY(runAndWait());
        QVERIFY2(output().contains(QLatin1String("parts 20 22 \n[1] 42")), qPrintable(output()));
    }

    void about_namesTheProjectVersion()
    {
        action("aboutAction")->trigger();
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = m_window->findChild<QMessageBox *>(QStringLiteral("messageBox"))));
        // The same generated header as --version, the packages and the metainfo release.
        QVERIFY2(box->text().contains(
                         QLatin1String("AgentBay Playground " AGENTBAY_VERSION_STRING)),
                 qPrintable(box->text()));
        box->close();
    }

    void typedCode_runsWithCtrlEnter_andPrintsInTheOutputPane()
    {
        typeCode(QStringLiteral("print(6*7)"));
        QCOMPARE(editor()->text(), QStringLiteral("print(6*7)"));
        QSignalSpy completed(m_window.get(), &ui::MainWindow::runCompleted);
        QTest::keyClick(editor(), Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(completed.wait(20000));
        QCOMPARE(completed.first().first().toBool(), true);
        QVERIFY(output().contains(QLatin1String("\n42\n")));
        // Ctrl+Enter ran the code; it did not add a line to it.
        QCOMPARE(editor()->text(), QStringLiteral("print(6*7)"));
        QVERIFY(m_window->statusText().contains(QLatin1String("session-")));
        QVERIFY(m_window->statusText().contains(QLatin1String("last run finished")));
        const QStringList seen = events();
        for (const char *event : {"backend", "creating", "ready", "isolation", "running", "idle"})
            QVERIFY2(seen.contains(QLatin1String(event)), event);
        QVERIFY(tab()->sessionPane()->copyText().contains(QLatin1String("bubblewrap")));
    }

    void error_clickingAFrame_putsTheCursorOnItsLine()
    {
        typeCode(QStringLiteral("x = 1\ndef f():\n    return undefined_name\nf()"));
        QVERIFY(runAndWait());
        ui::ErrorPane *errors = tab()->errorPane();
        QVERIFY(errors->headline().contains(QLatin1String("NameError")));
        QCOMPARE(errors->frameCount(), 2);
        QCOMPARE(editor()->errorLines(), QList<int>{3});
        QVERIFY(output().contains(QLatin1String("NameError")));
        editor()->setCursorPosition(0, 0);
        errors->activateFrame(1); // the frame inside f()
        QCOMPARE(editor()->cursorLine(), 3);
        errors->activateFrame(0);
        QCOMPARE(editor()->cursorLine(), 4);
        QVERIFY(m_window->dock(QStringLiteral("errorsDock"))->isVisible());
    }

    void error_inCodeOfAnEarlierRun_isListedButNotMarked()
    {
        // f comes from the first run; the second run calls it. The editor now holds the second
        // run's code, so only its line is marked; f's frame is listed with its run.
        typeCode(QStringLiteral("def f():\n    return undefined_name"));
        QVERIFY(runAndWait());
        typeCode(QStringLiteral("a = 1\nb = 2\nf()"));
        QVERIFY(runAndWait());
        ui::ErrorPane *errors = tab()->errorPane();
        QVERIFY(errors->headline().contains(QLatin1String("NameError")));
        QCOMPARE(errors->frameCount(), 2);
        QCOMPARE(editor()->errorLines(), QList<int>{3});
        QVERIFY2(errors->frameLabel(1).contains(QLatin1String("code of run")),
                 qPrintable(errors->frameLabel(1)));
        editor()->setCursorPosition(0, 0);
        errors->activateFrame(1); // not a line of this code: the cursor stays
        QCOMPARE(editor()->cursorLine(), 1);
        errors->activateFrame(0);
        QCOMPARE(editor()->cursorLine(), 3);
    }

    void timeout_showsTheTimedOutState()
    {
        m_window->timeoutBox()->setValue(1);
        typeCode(QStringLiteral("print('spinning')\nwhile True: pass"));
        QVERIFY(runAndWait(30000));
        QVERIFY(events().contains(QLatin1String("timed out")));
        QVERIFY(m_window->statusText().contains(QLatin1String("timed out")));
        QVERIFY(output().contains(QLatin1String("spinning")));
        QVERIFY(output().contains(QLatin1String("TimeoutError")));
        // The session is still there for the next run.
        typeCode(QStringLiteral("print('after')"));
        QVERIFY(runAndWait());
        QVERIFY(output().contains(QLatin1String("\nafter\n")));
    }

    void stop_abortsTheRun_andRunWhileBusyIsRefusedVisibly()
    {
        typeCode(QStringLiteral("import time\ntime.sleep(30)"));
        action("runAction")->trigger();
        QVERIFY(tab()->isRunning());
        QVERIFY(!action("runAction")->isEnabled());
        QSignalSpy completed(m_window.get(), &ui::MainWindow::runCompleted);
        tab()->runAll(); // refused: one run at a time in a tab
        QVERIFY(m_window->statusBar()->currentMessage().contains(QLatin1String("already")));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->statusText().contains(QLatin1String("left")), 5000);
        QVERIFY(action("stopAction")->isEnabled());
        QTest::keyClick(m_window.get(), Qt::Key_Escape);
        // Stopping a run still waiting for its session answers at once; one in flight soon.
        QTRY_COMPARE_WITH_TIMEOUT(completed.size(), 1, 10000);
        QCOMPARE(completed.first().first().toBool(), false);
        QVERIFY(!tab()->isRunning());
        QVERIFY(action("runAction")->isEnabled());
        QVERIFY(events().contains(QLatin1String("interrupted")));
        QVERIFY(m_window->statusText().contains(QLatin1String("stopped")));
        // The local sandbox interrupted it: the session answers at once.
        QElapsedTimer clock;
        clock.start();
        typeCode(QStringLiteral("print('next')"));
        QVERIFY(runAndWait());
        QVERIFY(output().contains(QLatin1String("\nnext\n")));
        QVERIFY(clock.elapsed() < 10000);
    }

    void liveOutput_fillsThePanesWhileTheRunGoes_andStopKeepsIt()
    {
        // Output, a display() card and the Session pane's first-output entry arrive while the
        // run sleeps; the status bar's timer keeps counting; Stop keeps what was printed.
        typeCode(QStringLiteral("import sys, time\nprint('first')\n"
                                "print('warned', file=sys.stderr)\ndisplay({'live': 1})\n"
                                "time.sleep(30)\nprint('never')"));
        QSignalSpy completed(m_window.get(), &ui::MainWindow::runCompleted);
        action("runAction")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(output().contains(QLatin1String("\nfirst\nwarned\n")), 15000);
        QVERIFY(tab()->isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(tab()->resultsPane()->cardCount(), 1, 5000);
        QVERIFY(tab()->isRunning());
        QTRY_VERIFY(events().contains(QLatin1String("output")));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->statusText().contains(QLatin1String("left")), 5000);
        const QString before = m_window->statusText();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->statusText() != before, 3000);
        QVERIFY(tab()->isRunning());
        QVERIFY(completed.isEmpty());
        action("stopAction")->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(completed.size(), 1, 10000);
        QCOMPARE(output().count(QLatin1String("\nfirst\n")), 1);
        QCOMPARE(output().count(QLatin1String("\nwarned\n")), 1);
        QVERIFY(!output().contains(QLatin1String("never")));
        QVERIFY(tab()->outputPane()->fullText().contains(QLatin1String("first\nwarned\n")));
        QCOMPARE(tab()->resultsPane()->cardCount(), 1);
    }

    void richResults_becomeCards_withTheMainResultMarked()
    {
        typeCode(QStringLiteral(
                "import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"
                "class T:\n    def _repr_html_(self): return '<table><tr><td>a</td></tr></table>'\n"
                "display(T())\nplt.plot([1, 2, 3])\nplt.show()\n{'k': [1, 2]}"));
        QVERIFY(runAndWait(60000));
        ui::ResultsPane *results = tab()->resultsPane();
        QList<present::ResultCard::Kind> kinds;
        for (const auto &card : results->cards())
            kinds << card.kind;
        QVERIFY2(kinds.contains(present::ResultCard::Kind::Html), qPrintable(output()));
        QVERIFY(kinds.contains(present::ResultCard::Kind::Png));
        QVERIFY(results->cards().constLast().isMainResult);
        QVERIFY(results->cardWidget(results->cardCount() - 1)
                        ->findChild<QLabel *>(QStringLiteral("mainResultBadge")));
        QCOMPARE(results->findChildren<QLabel *>(QStringLiteral("mainResultBadge")).size(), 1);
    }

    void cells_runTheCellAroundTheCursor_andMapErrorLines()
    {
        typeCode(QStringLiteral("# %%\nprint('first')\n# %%\nprint('second')\nnope"));
        editor()->setCursorPosition(3, 0); // inside the second cell
        QSignalSpy completed(m_window.get(), &ui::MainWindow::runCompleted);
        action("runCellAction")->trigger();
        QVERIFY(completed.wait(20000));
        QVERIFY(output().contains(QLatin1String("\nsecond\n")));
        QVERIFY(!output().contains(QLatin1String("\nfirst\n")));
        // `nope` is line 2 of the cell and line 5 of the editor.
        QCOMPARE(editor()->errorLines(), QList<int>{5});
    }

    void editing_findReplaceGoToLineCommentAndZoom()
    {
        editor()->setText(QStringLiteral("alpha = 1\nbeta = alpha\nprint(alpha)\n"));
        action("replaceAction")->trigger();
        ui::FindBar *bar = tab()->findBar();
        QVERIFY(bar->isVisible());
        QVERIFY(bar->replaceField()->isVisible());
        bar->findField()->setText(QStringLiteral("alpha"));
        bar->replaceField()->setText(QStringLiteral("gamma"));
        QCOMPARE(bar->replaceAll(), 3);
        QCOMPARE(editor()->text(), QStringLiteral("gamma = 1\nbeta = gamma\nprint(gamma)\n"));
        editor()->undo(); // one undo step for all of them
        QCOMPARE(editor()->text(), QStringLiteral("alpha = 1\nbeta = alpha\nprint(alpha)\n"));
        QTest::keyClick(bar->findField(), Qt::Key_Escape);
        QVERIFY(!bar->isVisible());

        action("goToLineAction")->trigger();
        auto *dialog = m_window->findChild<QInputDialog *>(QStringLiteral("goToLineDialog"));
        QVERIFY(dialog);
        dialog->setIntValue(3);
        dialog->accept();
        QCOMPARE(editor()->cursorLine(), 3);

        editor()->setSelection(0, 0, 1, 4);
        action("toggleCommentAction")->trigger();
        QCOMPARE(editor()->text(), QStringLiteral("# alpha = 1\n# beta = alpha\nprint(alpha)\n"));
        action("toggleCommentAction")->trigger();
        QCOMPARE(editor()->text(), QStringLiteral("alpha = 1\nbeta = alpha\nprint(alpha)\n"));

        const int zoom = static_cast<int>(editor()->SendScintilla(QsciScintilla::SCI_GETZOOM));
        action("zoomInAction")->trigger();
        QCOMPARE(editor()->SendScintilla(QsciScintilla::SCI_GETZOOM), zoom + 1);
        action("zoomResetAction")->trigger();
        QCOMPARE(editor()->SendScintilla(QsciScintilla::SCI_GETZOOM), 0);
    }

    void tabs_haveTheirOwnSessions_andRunInParallel()
    {
        ui::PlaygroundTab *first = tab();
        first->editor()->setText(QStringLiteral("import time\ntime.sleep(2)\nprint('one')"));
        ui::PlaygroundTab *second = m_window->newTab(
                QStringLiteral("import time\ntime.sleep(2)\nprint('two')"));
        QCOMPARE(m_window->tabCount(), 2);
        QSignalSpy completed(m_window.get(), &ui::MainWindow::runCompleted);
        QElapsedTimer clock;
        clock.start();
        first->runAll();
        second->runAll();
        QTRY_COMPARE_WITH_TIMEOUT(completed.size(), 2, 20000);
        const qint64 both = clock.elapsed();
        QVERIFY(first->outputPane()->plainText().contains(QLatin1String("one")));
        QVERIFY(second->outputPane()->plainText().contains(QLatin1String("two")));
        QVERIFY2(both < 3900, qPrintable(QString::number(both))); // not one after the other
        QVERIFY(first->controller()->session()->id() != second->controller()->session()->id());
        // The docks show the current tab's panes.
        m_window->tabs()->setCurrentWidget(first);
        QCOMPARE(m_window->dock(QStringLiteral("outputDock"))
                         ->findChild<QStackedWidget *>()
                         ->currentWidget(),
                 first->outputPane());
    }

    void closingATab_deletesItsSession()
    {
        typeCode(QStringLiteral("print('in the first tab')"));
        QVERIFY(runAndWait());
        const QString id = tab()->controller()->session()->id();
        QVERIFY(id.startsWith(QLatin1String("session-")));
        m_window->newTab();
        QSignalSpy ended(m_window.get(), &ui::MainWindow::tabSessionEnded);
        m_window->closeTab(0);
        QCOMPARE(m_window->tabCount(), 1);
        QVERIFY(ended.wait(10000));
        QCOMPARE(ended.first().first().toBool(), true); // confirmed by the backend
        QVERIFY(test::backendSaysGone(m_backends->local()->api(), id));
    }

    void completion_fromTheLiveSession_calltipsAndACancelledRequest()
    {
        typeCode(
                QStringLiteral("zeta_value = 41\ndef scale(factor, offset=0):\n    return factor"));
        QVERIFY(runAndWait());
        // A name an earlier run defined, on Ctrl+Space; Return takes it.
        typeCode(QStringLiteral("y = zeta_v"));
        QVERIFY(completionShownAfter(
                [this] { QTest::keyClick(editor(), Qt::Key_Space, Qt::ControlModifier); }));
        QCOMPARE(editor()->completionListEntries(), QStringList{QStringLiteral("zeta_value")});
        QTest::keyClick(editor(), Qt::Key_Return);
        QCOMPARE(editor()->text(), QStringLiteral("y = zeta_value"));
        // A list that came by itself: Return is a new line until the user moves in the list.
        QVERIFY(completionShownAfter([this] { typeCode(QStringLiteral("y = zet")); }));
        QTest::keyClick(editor(), Qt::Key_Return);
        QVERIFY2(editor()->text().startsWith(QLatin1String("y = zet\n")),
                 qPrintable(editor()->text()));
        QVERIFY(completionShownAfter([this] { typeCode(QStringLiteral("y = zet")); }));
        QTest::keyClick(editor(), Qt::Key_Down);
        QTest::keyClick(editor(), Qt::Key_Up);
        QTest::keyClick(editor(), Qt::Key_Return);
        QCOMPARE(editor()->text(), QStringLiteral("y = zeta_value"));

        // "(" asks for the signature: a calltip with the current argument.
        QVERIFY(shownAfter([this] { typeCode(QStringLiteral("scale(")); },
                           [this] { return editor()->isCallTipShown(); }));
        QVERIFY2(editor()->shownCallTip().startsWith(QLatin1String("scale(factor, offset=0)")),
                 qPrintable(editor()->shownCallTip()));

        // In a comment or a string nothing pops up by itself.
        for (const char *prose : {"# about zet", "s = 'about zet"}) {
            typeCode(QLatin1String(prose));
            QTest::qWait(400);
            QVERIFY2(!editor()->isCompletionListShown(), prose);
        }

        // F1 on a name: its documentation.
        typeCode(QStringLiteral("scale"));
        QVERIFY(shownAfter([this] { QTest::keyClick(editor(), Qt::Key_F1); },
                           [this] {
                               return editor()->shownDoc().startsWith(
                                       QLatin1String("scale(factor, offset=0)"));
                           }));

        // A request the next keystroke overtakes is cancelled and never shown.
        QSignalSpy dropped(tab()->document()->assistant(), &client::CodeAssistant::dropped);
        typeCode(QStringLiteral("y = zeta_va"));
        QTest::keyClick(editor(), Qt::Key_Space, Qt::ControlModifier);
        QTest::keyClick(editor(), Qt::Key_L);
        QTest::qWait(500);
        QVERIFY(!editor()->isCompletionListShown());
        QVERIFY(!dropped.isEmpty());
        QVERIFY(dropped.first().at(1).toString().contains(QLatin1String("cancelled")));

        // After ".", the live object's attributes come by themselves.
        QVERIFY(completionShownAfter([this] { typeCode(QStringLiteral("zeta_value.")); }));
        QVERIFY(editor()->completionListEntries().contains(QStringLiteral("bit_length")));

        // Switched off in Settings, nothing pops up by itself; Ctrl+Space still asks.
        m_settings->setAutoComplete(false);
        QVERIFY(!editor()->autoCompletion());
        typeCode(QStringLiteral("zeta_value."));
        QTest::qWait(500);
        QVERIFY(!editor()->isCompletionListShown());
        QVERIFY(completionShownAfter(
                [this] { QTest::keyClick(editor(), Qt::Key_Space, Qt::ControlModifier); }));
        m_settings->setAutoComplete(true);

        // Lint: an undefined name is underlined, one the session defined is not.
        typeCode(QStringLiteral("print(zeta_value + nowhere_defined)"));
        QTRY_VERIFY_WITH_TIMEOUT(editor()->diagnostics().size() == 1
                                         && editor()->diagnostics().first().message.contains(
                                                 QLatin1String("nowhere_defined")),
                                 5000);
        QCOMPARE(editor()->diagnostics().first().column, 19);
    }

    void completion_ofJavaScriptProperties_andFromTheBufferOnAnotherEndpoint()
    {
        m_window->newTab(QStringLiteral("const point = {alpha: 1, beta: 2}\n"),
                         QStringLiteral("javascript"));
        QVERIFY(runAndWait());
        QVERIFY(completionShownAfter([this] { typeCode(QStringLiteral("point.")); }));
        QCOMPARE(editor()->completionListEntries().mid(0, 2),
                 (QStringList{QStringLiteral("alpha"), QStringLiteral("beta")}));

        // A profile that is not the local sandbox: the local sandbox reads the buffer alone, and
        // the endpoint's session is never asked (its names are unknown here).
        SandboxProcess remote(QStringLiteral("akm-window-test-key"));
        QVERIFY(remote.endpoint().isValid());
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("AGENTBAY_API_KEY"),
                           QStringLiteral("akm-window-test-key"));
        m_workbench->setEnvironment(environment);
        m_settings->setProfileEndpoint(QStringLiteral("custom"), remote.endpoint().toString());
        m_window->newTab(QStringLiteral("remote_only = 1\n"), QStringLiteral("python"));
        QVERIFY(m_window->chooseProfile(QStringLiteral("custom")));
        QVERIFY(runAndWait());
        typeCode(QStringLiteral("x = remote_o"));
        QTest::keyClick(editor(), Qt::Key_Space, Qt::ControlModifier);
        QTest::qWait(500);
        QVERIFY(!editor()->isCompletionListShown());
        typeCode(QStringLiteral("import os\nos.pa"));
        // The analysis kernel loads jedi once (the window warms it as a tab opens).
        QVERIFY(completionShownAfter(
                [this] { QTest::keyClick(editor(), Qt::Key_Space, Qt::ControlModifier); }));
        QVERIFY(editor()->completionListEntries().contains(QStringLiteral("path")));
    }

    void cloudProfileWithoutKey_explainsHowToAddOne()
    {
        QVERIFY(!m_window->chooseProfile(QStringLiteral("shanghai")));
        QCOMPARE(tab()->profileId(), QStringLiteral("local"));
        QCOMPARE(m_window->profileBox()->currentData().toString(), QStringLiteral("local"));
        QVERIFY(m_workbench->lastProfileProblem().contains(QLatin1String("API key")));
        QVERIFY(m_workbench->lastProfileProblem().contains(QLatin1String("AGENTBAY_API_KEY")));
        auto *box = m_window->findChild<QMessageBox *>(QStringLiteral("profileExplanation"));
        QVERIFY(box);
        QVERIFY(box->isVisible());
        box->close();
    }

    void customEndpointProfile_runsThere_andOffersRAndJava()
    {
        // A second sandbox plays the remote endpoint; its key comes from the environment.
        SandboxProcess remote(QStringLiteral("akm-window-test-key"));
        QVERIFY(remote.endpoint().isValid());
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("AGENTBAY_API_KEY"),
                           QStringLiteral("akm-window-test-key"));
        m_workbench->setEnvironment(environment);
        m_settings->setProfileEndpoint(QStringLiteral("custom"), remote.endpoint().toString());
        QVERIFY(m_window->chooseProfile(QStringLiteral("custom")));
        QCOMPARE(m_window->languageBox()->count(), 4); // R and Java where the backend offers them
        typeCode(QStringLiteral("print('remote', 6*7)"));
        QVERIFY(runAndWait());
        QVERIFY(output().contains(QLatin1String("remote 42")));
        QTRY_VERIFY(m_window->statusText().contains(QLatin1String("AgentBay (127.0.0.1:")));
    }

    void cloudStop_saysTheRunMayContinue_andAWedgedQuitRecordsTheSession()
    {
        SandboxProcess remote(QStringLiteral("akm-wedge-test-key"));
        QVERIFY(remote.endpoint().isValid());
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("AGENTBAY_API_KEY"),
                           QStringLiteral("akm-wedge-test-key"));
        m_workbench->setEnvironment(environment);
        m_settings->setProfileEndpoint(QStringLiteral("custom"), remote.endpoint().toString());
        QVERIFY(m_window->chooseProfile(QStringLiteral("custom")));
        typeCode(QStringLiteral("import time\ntime.sleep(20)"));
        QSignalSpy completed(m_window.get(), &ui::MainWindow::runCompleted);
        action("runAction")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(events().contains(QLatin1String("running")), 10000);
        action("stopAction")->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(completed.size(), 1, 10000);
        // Not the local sandbox: the pane is honest that the run may go on, and offers Restart.
        QVERIFY(tab()->sessionPane()->notice().contains(QLatin1String("may keep running")));
        QVERIFY(tab()->sessionPane()->findChild<QPushButton *>(
                QStringLiteral("restartSessionButton")));
        QVERIFY(tab()->controller()->session()->id().startsWith(QLatin1String("session-")));
        const QString id = tab()->controller()->session()->id();

        // The endpoint stops answering; quitting still ends within its bound and records the
        // session for the next start.
        workspace::SessionJournal journal;
        journal.remove(id);
        const qint64 pid = remote.process().processId();
        QVERIFY(::kill(static_cast<pid_t>(pid), SIGSTOP) == 0);
        QSignalSpy closed(m_window.get(), &ui::MainWindow::shutdownFinished);
        QElapsedTimer clock;
        clock.start();
        action("quitAction")->trigger();
        QVERIFY(closed.wait(15000));
        const qint64 took = clock.elapsed();
        ::kill(static_cast<pid_t>(pid), SIGCONT);
        QVERIFY2(took < 7000, qPrintable(QString::number(took)));
        bool recorded = false;
        for (const auto &entry : journal.entries()) {
            if (entry.sessionId == id) {
                recorded = true;
                QCOMPARE(entry.profile, QStringLiteral("custom"));
                QCOMPARE(QUrl(entry.endpoint).port(), remote.endpoint().port());
            }
        }
        QVERIFY(recorded);
        journal.remove(id);
    }

    void pauseAndResume_areInTheTimeline_andRunsWaitForResume()
    {
        typeCode(QStringLiteral("counter = 41"));
        QVERIFY(runAndWait());
        QTRY_VERIFY(action("pauseSessionAction")->isEnabled());
        action("pauseSessionAction")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(events().contains(QLatin1String("paused")), 10000);
        QVERIFY(events().contains(QLatin1String("pausing")));
        QVERIFY(action("resumeSessionAction")->isEnabled());
        tab()->runAll(); // refused, visibly
        QVERIFY(m_window->statusBar()->currentMessage().contains(QLatin1String("paused")));
        QVERIFY(!tab()->isRunning());
        action("resumeSessionAction")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(events().contains(QLatin1String("resuming")), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(action("pauseSessionAction")->isEnabled(), 10000);
        typeCode(QStringLiteral("counter + 1"));
        QVERIFY(runAndWait());
        QVERIFY(output().contains(QLatin1String("\n42\n"))); // the session kept its state
    }

    void resultsPane_drawsEveryKindOfCard()
    {
        ui::ResultsPane *pane = tab()->resultsPane();
        const auto card = [](const char *mime, const QString &value, bool main = false) {
            protocol::MimeBundle bundle;
            bundle.data.insert(QLatin1String(mime), value);
            bundle.isMainResult = main;
            return present::ResultCards::fromBundle(bundle);
        };
        QImage image(40, 30, QImage::Format_RGB32);
        image.fill(Qt::red);
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "PNG");
        pane->showResults(
                {card("application/json", QStringLiteral("{\"a\": {\"b\": [1, 2, 3]}}")),
                 card("image/svg+xml",
                      QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"50\" "
                                     "height=\"20\"><rect width=\"50\" height=\"20\" "
                                     "fill=\"blue\"/></svg>")),
                 card("text/markdown", QStringLiteral("# Title\n\n*emphasis*")),
                 card("application/vnd.vegalite.v5+json",
                      QStringLiteral("{\"mark\": \"bar\", \"data\": {\"values\": []}}")),
                 card("image/png", QString::fromLatin1(png.toBase64())),
                 card("text/latex", QStringLiteral("$\\frac{1}{2}$"), true)});
        QCOMPARE(pane->cardCount(), 6);
        auto *tree = pane->cardWidget(0)->findChild<QTreeView *>(QStringLiteral("jsonTree"));
        QVERIFY(tree);
        QCOMPARE(tree->model()->rowCount(), 1);
        QCOMPARE(tree->model()->rowCount(tree->model()->index(0, 0)), 1); // "a", collapsible
        const QLabel *svg = nullptr;
        for (auto *label : pane->cardWidget(1)->findChildren<QLabel *>()) {
            if (!label->pixmap().isNull())
                svg = label;
        }
        QVERIFY(svg);
        QCOMPARE(svg->pixmap().size(), QSize(50, 20));
        auto *markdown = pane->cardWidget(2)->findChild<QTextBrowser *>();
        QVERIFY(markdown);
        QVERIFY(markdown->toHtml().contains(QLatin1String("<em>"))
                || markdown->toHtml().contains(QLatin1String("italic")));
        QVERIFY(pane->cardWidget(3)->findChild<QToolButton *>(QStringLiteral("openChartButton")));
        QString error;
        const QString page = ui::ResultsPane::writeChartPage(pane->cards().at(3), &error);
        QVERIFY2(!page.isEmpty(), qPrintable(error));
        QFile pageFile(page);
        QVERIFY(pageFile.open(QIODevice::ReadOnly));
        QVERIFY(pageFile.readAll().contains("\"mark\": \"bar\""));
        const QString saved = m_dir.filePath(QStringLiteral("result.png"));
        QVERIFY(ui::ResultsPane::saveCard(pane->cards().at(4), saved, &error));
        QCOMPARE(QImage(saved).size(), QSize(40, 30));
        QVERIFY(pane->cardWidget(5)->findChild<QLabel *>(QStringLiteral("mainResultBadge")));
        QVERIFY(pane->cardWidget(5)->findChild<QPlainTextEdit *>()->toPlainText().contains(
                QLatin1String("\\frac")));
    }

    void fullOutput_opensWithSearch()
    {
        typeCode(QStringLiteral("for i in range(100): print('row', i)"));
        QVERIFY(runAndWait());
        action("fullOutputAction")->trigger();
        auto *dialog = tab()->outputPane()->findChild<ui::FullTextDialog *>();
        QVERIFY(dialog);
        QVERIFY(dialog->text().contains(QLatin1String("row 99")));
        QVERIFY(dialog->findNext(QStringLiteral("row 57")));
        QVERIFY(!dialog->findNext(QStringLiteral("row 100")));
        dialog->close();
    }

    void editorShortcuts_reachTheWindow()
    {
        // QScintilla's own Ctrl+T (transpose) and Esc (cancel) must not swallow the window's.
        editor()->setFocus();
        QTest::keyClick(editor(), Qt::Key_T, Qt::ControlModifier);
        QCOMPARE(m_window->tabCount(), 2);
        typeCode(QStringLiteral("import time\ntime.sleep(30)"));
        QSignalSpy completed(m_window.get(), &ui::MainWindow::runCompleted);
        QTest::keyClick(editor(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(tab()->isRunning(), 5000);
        QTest::keyClick(editor(), Qt::Key_Escape);
        QTRY_COMPARE_WITH_TIMEOUT(completed.size(), 1, 10000);
        editor()->setText(QStringLiteral("x = 1\n"));
        editor()->setCursorPosition(0, 0);
        QTest::keyClick(editor(), Qt::Key_Slash, Qt::ControlModifier);
        QCOMPARE(editor()->text(), QStringLiteral("# x = 1\n"));
    }

    void save_writesTheSnippet_andAFailedSaveKeepsTheText()
    {
        typeCode(QStringLiteral("print('saved work')"));
        QVERIFY(tab()->isDirty());
        QVERIFY(m_window->saveCurrentAs(QStringLiteral("Saved work")));
        QCOMPARE(tab()->snippetFile(), QStringLiteral("saved-work.py"));
        QVERIFY(!tab()->isDirty());
        QCOMPARE(m_window->tabs()->tabText(m_window->tabs()->currentIndex()),
                 QStringLiteral("Saved work"));
        QFile file(m_library->folder() + QStringLiteral("/saved-work.py"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("print('saved work')"));
        file.close();

        typeCode(QStringLiteral("print('second version')"));
        QVERIFY(tab()->isDirty());
        QVERIFY(m_window->tabs()
                        ->tabText(m_window->tabs()->currentIndex())
                        .endsWith(QLatin1Char('*')));
        QTest::keyClick(editor(), Qt::Key_S, Qt::ControlModifier);
        QVERIFY(!tab()->isDirty());
        QCOMPARE(m_library->snippet(QStringLiteral("saved-work.py")).content,
                 QStringLiteral("print('second version')"));

        // The file cannot be replaced (a directory stands in its way): the save fails, says
        // why, and the tab keeps its text, still marked unsaved.
        QFile::remove(file.fileName());
        QVERIFY(QDir().mkpath(file.fileName()));
        typeCode(QStringLiteral("print('must not be lost')"));
        QVERIFY(!m_window->saveCurrent());
        QVERIFY(!m_workbench->lastSaveError().isEmpty());
        QVERIFY(tab()->isDirty());
        QCOMPARE(editor()->text(), QStringLiteral("print('must not be lost')"));
        QTRY_VERIFY(m_window->findChild<QMessageBox *>(QStringLiteral("messageBox")));
        QDir(file.fileName()).removeRecursively();
    }

    void snippetsPane_opensRenamesDeletesAndUndoes()
    {
        auto *pane = m_window->findChild<ui::SnippetsPane *>();
        QVERIFY(pane);
        QCOMPARE(pane->shownFiles().size(), 6); // the starters seeded the new library
        pane->searchField()->setText(QStringLiteral("tag:timeout"));
        QCOMPARE(pane->shownFiles(), QStringList{QStringLiteral("timeout-demo.py")});
        pane->searchField()->clear();
        ui::PlaygroundTab *opened = m_window->openSnippet(QStringLiteral("timeout-demo.py"));
        QVERIFY(opened);
        QCOMPARE(opened->timeoutSeconds(), 3);
        QCOMPARE(m_window->timeoutBox()->value(), 3);
        QVERIFY(!opened->isDirty());
        QCOMPARE(m_window->openSnippet(QStringLiteral("timeout-demo.py")), opened); // no second tab

        pane->select(QStringLiteral("timeout-demo.py"));
        pane->renameSelected(QStringLiteral("Slow demo"));
        QCOMPARE(opened->snippetFile(), QStringLiteral("slow-demo.py"));
        QCOMPARE(opened->title(), QStringLiteral("Slow demo"));

        pane->select(QStringLiteral("an-error.py"));
        pane->deleteSelected();
        QVERIFY(!pane->shownFiles().contains(QStringLiteral("an-error.py")));
        QVERIFY(pane->undoDelete());
        QVERIFY(pane->shownFiles().contains(QStringLiteral("an-error.py")));

        // An edit made outside reaches the open, unchanged tab.
        QFile outside(m_library->folder() + QStringLiteral("/slow-demo.py"));
        QVERIFY(outside.open(QIODevice::WriteOnly));
        outside.write("print('edited outside')\n");
        outside.close();
        QTRY_COMPARE_WITH_TIMEOUT(opened->editor()->text(),
                                  QStringLiteral("print('edited outside')\n"), 5000);
    }

    void tabs_areJournaled_andRestoredWithLanguageTimeoutAndCursor()
    {
        m_settings->setAutosaveIntervalSeconds(1);
        typeCode(QStringLiteral("print('first')\nprint('still first')"));
        editor()->setCursorPosition(1, 3);
        ui::PlaygroundTab *second = m_window->newTab(QStringLiteral("console.log(1)"),
                                                     QStringLiteral("javascript"));
        second->setTimeoutSeconds(7);
        second->editor()->setCursorPosition(0, 8);
        QDir recovery(m_recovery->folder());
        // Within the interval (1 s here, 2 s by default) the changes are on disk.
        QTRY_COMPARE_WITH_TIMEOUT(m_recovery->openTabs().size(), 2, 3000);
        QTRY_VERIFY_WITH_TIMEOUT(m_recovery->openTabs().at(1).timeoutSeconds == 7, 3000);

        closeWindow();
        m_restore = true;
        openWindow();
        QCOMPARE(m_window->tabCount(), 2);
        ui::PlaygroundTab *first = m_window->tab(0);
        QCOMPARE(first->editor()->text(), QStringLiteral("print('first')\nprint('still first')"));
        QCOMPARE(first->editor()->cursorLine(), 2);
        ui::PlaygroundTab *restored = m_window->tab(1);
        QCOMPARE(restored->language(), QStringLiteral("javascript"));
        QCOMPARE(restored->timeoutSeconds(), 7);
        QCOMPARE(restored->editor()->text(), QStringLiteral("console.log(1)"));
        int line = -1, index = -1;
        restored->editor()->getCursorPosition(&line, &index);
        QCOMPARE(index, 8);
        QVERIFY(restored->isDirty());

        // Closing a tab can be undone.
        m_window->closeTab(1);
        QCOMPARE(m_window->tabCount(), 1);
        m_window->action(QStringLiteral("reopenTabAction"))->trigger();
        QCOMPARE(m_window->tabCount(), 2);
        QCOMPARE(m_window->tab(1)->editor()->text(), QStringLiteral("console.log(1)"));
    }

    void history_recordsEveryRun_opensRunsAgain_andExportsANotebook()
    {
        typeCode(QStringLiteral("print('history one')\n41 + 1"));
        QVERIFY(runAndWait());
        typeCode(QStringLiteral("raise ValueError('history two')"));
        QVERIFY(runAndWait());
        QTRY_COMPARE_WITH_TIMEOUT(m_history->summaries().size(), 2, 5000);
        const auto run = m_history->load(m_history->summaries().at(0).id);
        QVERIFY(run);
        QCOMPARE(run->code, QStringLiteral("print('history one')\n41 + 1"));
        QCOMPARE(run->status, QStringLiteral("ok"));
        QCOMPARE(run->profile, QStringLiteral("local"));
        QVERIFY(run->sessionId.startsWith(QLatin1String("session-")));
        QVERIFY(!run->requestId.isEmpty());
        QVERIFY(run->endpoint.startsWith(QLatin1String("http://127.0.0.1:")));
        QCOMPARE(run->result.stdoutText(), QStringLiteral("history one\n"));
        QCOMPARE(run->tabId, tab()->tabId());
        QCOMPARE(m_history->summaries().at(1).status, QStringLiteral("error"));

        auto *pane = m_window->findChild<ui::HistoryPane *>();
        QVERIFY(pane);
        QCOMPARE(pane->shownRunIds().size(), 2);
        pane->filterField()->setText(QStringLiteral("ValueError"));
        QCOMPARE(pane->shownRunIds().size(), 1);
        pane->filterField()->clear();
        pane->statusBox()->setCurrentIndex(pane->statusBox()->findData(QStringLiteral("ok")));
        QCOMPARE(pane->shownRunIds(), QStringList{m_history->summaries().at(0).id});
        pane->statusBox()->setCurrentIndex(0);

        // Open the first run's code in a tab and run it again there.
        pane->select(m_history->summaries().at(0).id);
        QSignalSpy completed(m_window.get(), &ui::MainWindow::runCompleted);
        pane->findChild<QPushButton *>(QStringLiteral("runAgainButton"))->click();
        QCOMPARE(m_window->tabCount(), 2);
        QCOMPARE(editor()->text(), QStringLiteral("print('history one')\n41 + 1"));
        QVERIFY(completed.wait(20000));
        QTRY_COMPARE_WITH_TIMEOUT(m_history->summaries().size(), 3, 5000);

        // Export the first tab's runs as a notebook; Jupyter's own validator accepts it.
        const QString path = m_dir.filePath(QStringLiteral("tab.ipynb"));
        pane->select(m_history->summaries().at(0).id);
        QString error;
        QVERIFY2(pane->exportTabNotebook(path, &error), qPrintable(error));
        QProcess python;
        python.start(QStringLiteral("/usr/bin/python3"),
                     {QStringLiteral("-c"),
                      QStringLiteral("import sys, nbformat\n"
                                     "nb = nbformat.read(sys.argv[1], as_version=4)\n"
                                     "nbformat.validate(nb)\n"
                                     "print(len(nb.cells), nb.cells[1].outputs[-1].ename)\n"),
                      path});
        QVERIFY(python.waitForFinished(60000));
        QCOMPARE(QString::fromUtf8(python.readAllStandardOutput()).trimmed(),
                 QStringLiteral("2 ValueError"));
        QVERIFY(pane->exportRun(m_dir.filePath(QStringLiteral("run.json")), &error));
    }

    void cloudSessions_areJournaled_andLeftoversCanBeReattachedOrDeleted()
    {
        const QString key = QStringLiteral("akm-leftover-test");
        SandboxProcess remote(key);
        QVERIFY(remote.endpoint().isValid());
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("AGENTBAY_API_KEY"), key);
        m_workbench->setEnvironment(environment);
        m_settings->setProfileEndpoint(QStringLiteral("custom"), remote.endpoint().toString());
        workspace::SessionJournal journal;
        for (const auto &entry : journal.entries())
            journal.remove(entry.sessionId);

        // A live cloud session is in the journal for as long as it exists.
        QVERIFY(m_window->chooseProfile(QStringLiteral("custom")));
        typeCode(QStringLiteral("print('journaled')"));
        QVERIFY(runAndWait());
        const QString live = tab()->controller()->session()->id();
        QCOMPARE(journal.entries().size(), 1);
        QCOMPARE(journal.entries().first().sessionId, live);
        QCOMPARE(journal.entries().first().profile, QStringLiteral("custom"));
        QSignalSpy ended(m_window.get(), &ui::MainWindow::tabSessionEnded);
        m_window->newTab();
        m_window->closeTab(0);
        QVERIFY(ended.wait(10000));
        QTRY_VERIFY(journal.entries().isEmpty()); // deleted, confirmed, forgotten

        // Two sessions "left by a crash": one to reattach (its state is still there), one to delete.
        client::AgentBayClient client;
        client::ClientConfig config;
        config.endpoint = remote.endpoint();
        config.apiKey = key;
        client.setConfig(config);
        client::Session kept(&client);
        client::Session doomed(&client);
        QSignalSpy keptRan(&kept, &client::Session::runFinished);
        QSignalSpy doomedCreated(&doomed, &client::Session::created);
        kept.runCode(QStringLiteral("leftover_state = 99"), QStringLiteral("python"), 10);
        doomed.runCode(QStringLiteral("pass"), QStringLiteral("python"), 10);
        QVERIFY(keptRan.wait(20000));
        QTRY_COMPARE_WITH_TIMEOUT(doomedCreated.size(), 1, 20000);
        QList<workspace::JournaledSession> leftovers;
        for (client::Session *session : {&kept, &doomed}) {
            workspace::JournaledSession entry{session->id(),
                                              QStringLiteral("custom"),
                                              remote.endpoint().toString(),
                                              {},
                                              QDateTime::currentDateTimeUtc(),
                                              QStringLiteral("running when the app last stopped")};
            QVERIFY(journal.add(entry));
            leftovers.append(entry);
        }
        m_window->showLeftoverSessions(journal.entries());
        auto *list = m_window->findChild<ui::LeftoverSessions *>();
        QVERIFY(list);
        QVERIFY(list->isVisible());
        QCOMPARE(list->entries().size(), 2);

        ui::PlaygroundTab *reattached = m_window->reattachLeftoverSession(leftovers.at(0));
        QVERIFY(reattached);
        QCOMPARE(list->entries().size(), 1);
        typeCode(QStringLiteral("leftover_state + 1"));
        QVERIFY(runAndWait());
        QVERIFY2(output().contains(QLatin1String("\n100\n")), qPrintable(output()));
        QCOMPARE(tab()->controller()->session()->id(), kept.id());

        Q_EMIT list->deleteRequested(leftovers.at(1)); // as its Delete button does
        QTRY_COMPARE_WITH_TIMEOUT(list->entries().size(), 0, 15000);
        QVERIFY(!list->isVisible());
        QStringList remaining;
        for (const auto &entry : journal.entries())
            remaining << entry.sessionId;
        QVERIFY(!remaining.contains(doomed.id()));
        QVERIFY(remaining.contains(kept.id()));                  // still live, now in a tab
        QCOMPARE(doomed.state(), client::Session::State::Ready); // its object, not the backend
        QVERIFY(test::backendSaysGone(&client, doomed.id()));
        // Quitting deletes the reattached session too (adopted), and forgets it.
        closeWindow();
        QTRY_VERIFY(!journal.entries().contains(leftovers.at(0)));
        for (const auto &entry : journal.entries())
            journal.remove(entry.sessionId);
    }

    void restoredTabs_goBackToTheirProfile_whenItsKeyArrives()
    {
        SandboxProcess remote(QStringLiteral("akm-restore-test"));
        QVERIFY(remote.endpoint().isValid());
        m_settings->setProfileEndpoint(QStringLiteral("custom"), remote.endpoint().toString());
        workspace::RecoveredTab saved;
        saved.id = QStringLiteral("restored-custom-tab");
        saved.title = QStringLiteral("On custom");
        saved.text = QStringLiteral("print('back on custom')");
        saved.language = QStringLiteral("python");
        saved.profile = QStringLiteral("custom");
        saved.dirty = true;
        QString error;
        QVERIFY(workspace::RecoveryJournal(m_dir.filePath(QStringLiteral("recovery")))
                        .write(saved, &error));
        closeWindow();
        // The key comes from the store, which answers after the tabs are restored.
        m_presetKeys.insert(QStringLiteral("custom"), QStringLiteral("akm-restore-test"));
        m_restore = true;
        openWindow();
        ui::PlaygroundTab *restored = nullptr;
        for (int i = 0; i < m_window->tabCount(); ++i) {
            if (m_window->tab(i)->tabId() == saved.id)
                restored = m_window->tab(i);
        }
        QVERIFY(restored);
        QTRY_COMPARE_WITH_TIMEOUT(restored->profileId(), QStringLiteral("custom"), 5000);
        m_window->tabs()->setCurrentWidget(restored);
        QVERIFY(runAndWait());
        QVERIFY(output().contains(QLatin1String("back on custom")));
        QTRY_VERIFY(m_window->statusText().contains(QLatin1String("AgentBay (127.0.0.1:")));
    }

    void settings_persist_andShowEnvironmentValues()
    {
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("AGENTBAY_REGION_ID"), QStringLiteral("cn-env-1"));
        m_workbench->setEnvironment(environment);
        ui::SettingsDialog *dialog = m_window->openSettings();
        QVERIFY(dialog);
        Ui::SettingsDialog *form = dialog->form();
        dialog->selectProfile(QStringLiteral("custom"));
        QVERIFY(!form->regionEdit->isEnabled());
        QCOMPARE(form->regionEdit->text(), QStringLiteral("cn-env-1"));
        QVERIFY(form->profileNote->text().contains(QLatin1String("AGENTBAY_REGION_ID")));
        // No keychain on this bus: the dialog says so and offers the labelled fallback.
        QTRY_VERIFY_WITH_TIMEOUT(form->memoryFallbackCheck->isVisible(), 10000);
        QVERIFY(form->keyStatusLabel->text().contains(QLatin1String("No system keychain")));
        form->endpointEdit->setText(QStringLiteral("https://sandbox.example.test:8443"));
        form->apiKeyEdit->setText(QStringLiteral("akm-typed-in-dialog"));
        form->memoryFallbackCheck->setChecked(true);
        form->timeoutSpin->setValue(17);
        form->themeBox->setCurrentIndex(form->themeBox->findData(QStringLiteral("dark")));
        form->autosaveSpin->setValue(5);
        dialog->accept();
        QTRY_VERIFY(!m_window->findChild<ui::SettingsDialog *>());
        QVERIFY(m_window->isDarkTheme());
        QVERIFY(m_secrets->isInMemory(
                workspace::SecretStore::keyForProfile(QStringLiteral("custom"))));

        workspace::PlaygroundSettings reread(m_settings->fileName());
        QCOMPARE(reread.defaultTimeoutSeconds(), 17);
        QCOMPARE(reread.theme(), QStringLiteral("dark"));
        QCOMPARE(reread.autosaveIntervalSeconds(), 5);
        QCOMPARE(reread.profileEndpoint(QStringLiteral("custom")),
                 QStringLiteral("https://sandbox.example.test:8443"));
        // The key is nowhere in the settings file.
        QFile file(m_settings->fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("akm-typed-in-dialog"));
    }

    void themeSwitch_appliesToTheEditorAndEveryPane()
    {
        action("theme_dark")->trigger();
        QVERIFY(m_window->isDarkTheme());
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 100);
        QVERIFY(editor()->lexer()->defaultPaper().lightness() < 100);
        QTRY_VERIFY(tab()->outputPane()->palette().color(QPalette::Base).lightness() < 100);
        QTRY_VERIFY(tab()->resultsPane()->palette().color(QPalette::Window).lightness() < 100);
        QCOMPARE(m_settings->theme(), QStringLiteral("dark"));
        action("theme_light")->trigger();
        QVERIFY(!m_window->isDarkTheme());
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 200);
        QVERIFY(editor()->lexer()->defaultPaper().lightness() > 200);
        // In both, a disabled control's text is lighter than an enabled one's (Stop when idle).
        for (const char *theme : {"theme_light", "theme_dark"}) {
            action(theme)->trigger();
            const QPalette palette = QApplication::palette();
            for (const auto role : {QPalette::ButtonText, QPalette::WindowText, QPalette::Text}) {
                const int enabled = palette.color(QPalette::Active, role).lightness();
                const int disabled = palette.color(QPalette::Disabled, role).lightness();
                QVERIFY2(std::abs(enabled - disabled) >= 40,
                         qPrintable(QStringLiteral("%1: %2 against %3")
                                            .arg(QLatin1String(theme))
                                            .arg(enabled)
                                            .arg(disabled)));
            }
        }
        action("theme_light")->trigger();
    }

    void hugeOutput_isBoundedInTheView_butKeptInFull()
    {
        typeCode(QStringLiteral("for i in range(25000): print('line', i)"));
        QVERIFY(runAndWait(60000));
        ui::OutputPane *pane = tab()->outputPane();
        QVERIFY(pane->shownLines() <= ui::OutputPane::MaximumLines + 1);
        QVERIFY(pane->plainText().contains(QLatin1String("Full Output")));
        const QString full = pane->fullText();
        QVERIFY(full.contains(QLatin1String("\nline 0\n")));
        QVERIFY(full.contains(QLatin1String("\nline 24999\n")));
        QString error;
        const QString path = m_dir.filePath(QStringLiteral("out.txt"));
        QVERIFY(pane->saveFullOutput(path, &error));
        QFile saved(path);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(saved.readAll().count("\nline "), 25000);
    }

    void dockLayout_isSavedAndRestored()
    {
        m_window->dock(QStringLiteral("resultsDock"))->hide();
        closeWindow();
        openWindow();
        QVERIFY(!m_window->dock(QStringLiteral("resultsDock"))->isVisible());
        QVERIFY(m_window->dock(QStringLiteral("outputDock"))->isVisible());
    }

    void quit_deletesEverySession_andEndsTheSandbox()
    {
        typeCode(QStringLiteral("print('before quit')"));
        QVERIFY(runAndWait());
        m_window->newTab(QStringLiteral("print('second tab')"));
        QVERIFY(runAndWait());
        const qint64 sandboxPid = m_backends->local()->launcher()->processId();
        QVERIFY(sandboxPid > 0);
        QSignalSpy ended(m_window.get(), &ui::MainWindow::tabSessionEnded);
        QSignalSpy closed(m_window.get(), &ui::MainWindow::shutdownFinished);
        QElapsedTimer clock;
        clock.start();
        QTest::keyClick(m_window.get(), Qt::Key_Q, Qt::ControlModifier);
        QVERIFY(closed.wait(10000));
        QVERIFY(clock.elapsed() < 6000);
        QCOMPARE(ended.size(), 2);
        QVERIFY(ended.at(0).first().toBool());
        QVERIFY(ended.at(1).first().toBool());
        QVERIFY(!m_window->isVisible());
        QVERIFY(!m_backends->local()->launcher()->isRunning());
        QVERIFY(!m_settings->windowState().isEmpty());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
