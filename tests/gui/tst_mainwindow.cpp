// SPDX-License-Identifier: GPL-3.0-or-later
// The whole slice from the window: type code, run it in the real local sandbox, see the output;
// close, and the session is deleted and the sandbox ends.
#include "client/localsandboxlauncher.h"
#include "client/runcontroller.h"
#include "ui/codeeditor.h"
#include "ui/errorpane.h"
#include "ui/mainwindow.h"
#include "ui/outputpane.h"
#include "workspace/playgroundsettings.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <Qsci/qscilexerjavascript.h>
#include <Qsci/qscilexerpython.h>

using namespace agentbay;

class TestMainWindow final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<workspace::PlaygroundSettings> m_settings;
    std::unique_ptr<client::RunController> m_controller;
    std::unique_ptr<ui::MainWindow> m_window;

    void typeCode(const QString &code)
    {
        ui::CodeEditor *editor = m_window->editor();
        editor->setFocus();
        editor->selectAll();
        QTest::keyClick(editor, Qt::Key_Delete);
        // Line breaks are typed as Return, as a person types them.
        const QStringList lines = code.split(QLatin1Char('\n'));
        for (qsizetype i = 0; i < lines.size(); ++i) {
            if (i > 0)
                QTest::keyClick(editor, Qt::Key_Return);
            QTest::keyClicks(editor, lines.at(i));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("AGENTBAY_SANDBOX_PROGRAM", AGENTBAY_SANDBOX_PROGRAM);
    }

    void init()
    {
        // Fresh settings per test: a window saves its language and timeout when it closes.
        QFile::remove(m_dir.filePath(QStringLiteral("settings.ini")));
        m_settings = std::make_unique<workspace::PlaygroundSettings>(
                m_dir.filePath(QStringLiteral("settings.ini")));
        m_controller = std::make_unique<client::RunController>();
        m_window = std::make_unique<ui::MainWindow>(m_controller.get(), m_settings.get());
        QSignalSpy ready(m_controller.get(), &client::RunController::backendReady);
        m_controller->useLocalSandbox();
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QVERIFY(ready.wait(20000));
    }

    void cleanup()
    {
        if (m_window && m_window->isVisible()) {
            QSignalSpy done(m_window.get(), &ui::MainWindow::shutdownFinished);
            m_window->close();
            QVERIFY(done.wait(10000));
        }
        m_window.reset();
        m_controller.reset();
        m_settings.reset();
    }

    void window_showsEditorWithPythonLexerRunActionAndOutputPane()
    {
        QVERIFY(qobject_cast<QsciLexerPython *>(m_window->editor()->lexer()));
        QVERIFY(m_window->findChild<QDockWidget *>(QStringLiteral("outputDock")));
        QCOMPARE(m_window->runAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Return));
        QVERIFY(m_window->editor()->text().contains(QLatin1String("Welcome")));
        QVERIFY(m_window->findChild<QLabel *>(QStringLiteral("backendLabel"))
                        ->text()
                        .startsWith(QLatin1String("Local sandbox (127.0.0.1:")));
        QVERIFY(m_window->editor()->hasFocus());
    }

    void typedCode_runsWithCtrlEnter_andPrintsInTheOutputPane()
    {
        typeCode(QStringLiteral("print(6*7)"));
        QCOMPARE(m_window->editor()->text(), QStringLiteral("print(6*7)"));
        QSignalSpy completed(m_window.get(), &ui::MainWindow::runCompleted);
        QTest::keyClick(m_window->editor(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->outputPane()->plainText().contains(
                                         QLatin1String("\n42\n")),
                                 20000);
        QCOMPARE(completed.size(), 1);
        QCOMPARE(completed.first().first().toBool(), true);
        // Ctrl+Enter ran the code; it did not add a line to it.
        QCOMPARE(m_window->editor()->text(), QStringLiteral("print(6*7)"));
        QVERIFY(m_window->findChild<QLabel *>(QStringLiteral("sessionLabel"))
                        ->text()
                        .contains(QLatin1String("session-")));
    }

    void errors_showTheTracebackInTheOutputPane()
    {
        typeCode(QStringLiteral("x = 1\nundefined_name"));
        m_window->runAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->outputPane()->plainText().contains(
                                         QLatin1String("NameError")),
                                 20000);
        QVERIFY(m_window->outputPane()->plainText().contains(QLatin1String("line 2")));
        // The Errors pane names it, lists the frame, and the editor marks line 2.
        QVERIFY(m_window->errorPane()->headline().contains(QLatin1String("NameError")));
        QCOMPARE(m_window->errorPane()->frameCount(), 1);
        QCOMPARE(m_window->editor()->errorLines(), QList<int>{2});
        m_window->editor()->setCursorPosition(0, 0);
        m_window->errorPane()->activateFrame(0);
        int line = -1;
        int index = -1;
        m_window->editor()->getCursorPosition(&line, &index);
        QCOMPARE(line, 1); // 0-based: the second line
        // The next run clears the marks.
        typeCode(QStringLiteral("print('fine')"));
        m_window->runAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->outputPane()->plainText().contains(
                                         QLatin1String("\nfine\n")),
                                 20000);
        QVERIFY(m_window->editor()->errorLines().isEmpty());
        QVERIFY(m_window->errorPane()->headline().contains(QLatin1String("No error")));
    }

    void javascript_switchesTheLexerAndRuns()
    {
        auto *language = m_window->findChild<QComboBox *>(QStringLiteral("languageBox"));
        language->setCurrentIndex(language->findData(QStringLiteral("javascript")));
        QVERIFY(qobject_cast<QsciLexerJavaScript *>(m_window->editor()->lexer()));
        typeCode(QStringLiteral("console.log('js ' + (6*7))"));
        m_window->runAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->outputPane()->plainText().contains(
                                         QLatin1String("js 42")),
                                 20000);
    }

    void runWhileBusy_isRefusedVisibly_andStopEndsTheRun()
    {
        auto *timeout = m_window->findChild<QSpinBox *>(QStringLiteral("timeoutBox"));
        QCOMPARE(timeout->maximum(), 60);
        QVERIFY(timeout->toolTip().contains(QLatin1String("60 seconds")));
        typeCode(QStringLiteral("import time\ntime.sleep(30)"));
        m_window->runAction()->trigger();
        QVERIFY(m_window->isRunning());
        QVERIFY(!m_window->runAction()->isEnabled());
        m_window->runCurrent(); // refused: one run at a time
        QSignalSpy completed(m_window.get(), &ui::MainWindow::runCompleted);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->findChild<QLabel *>(QStringLiteral("timerLabel"))
                                         ->text()
                                         .contains(QLatin1String("of")),
                                 5000);
        QTest::keyClick(m_window.get(), Qt::Key_Escape);
        QTRY_COMPARE_WITH_TIMEOUT(completed.size(), 1, 10000);
        QCOMPARE(completed.first().first().toBool(), false);
        QVERIFY(!m_window->isRunning());
        QVERIFY(m_window->runAction()->isEnabled());
    }

    void close_deletesTheSessionAndEndsTheSandbox()
    {
        typeCode(QStringLiteral("print('before close')"));
        m_window->runAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->outputPane()->plainText().contains(
                                         QLatin1String("before close")),
                                 20000);
        QSignalSpy finished(m_controller.get(), &client::RunController::shutdownFinished);
        QSignalSpy closed(m_window.get(), &ui::MainWindow::shutdownFinished);
        m_window->close();
        QVERIFY(closed.wait(10000));
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().first().toBool(), true); // deletion confirmed by the backend
        QVERIFY(!m_window->isVisible());
        const auto *launcher = m_controller->findChild<client::LocalSandboxLauncher *>();
        QVERIFY(launcher);
        QVERIFY(!launcher->isRunning());
        // The window's layout and choices are kept.
        QVERIFY(!m_settings->windowState().isEmpty());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
