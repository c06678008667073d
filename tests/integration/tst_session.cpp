// SPDX-License-Identifier: GPL-3.0-or-later
// Session and LocalSandboxLauncher against the real agentbay-sandbox process on 127.0.0.1:0:
// create, run (state, errors, languages, timeouts, aborts), delete.
#include "client/agentbayclient.h"
#include "client/apicall.h"
#include "client/localsandboxlauncher.h"
#include "client/session.h"

#include "localsandbox.h"

#include <QSignalSpy>
#include <QTest>

using agentbay::client::AgentBayClient;
using agentbay::client::ApiCall;
using agentbay::client::ApiCallResult;
using agentbay::client::LocalSandboxLauncher;
using agentbay::client::Session;
using agentbay::protocol::ApiError;
using agentbay::protocol::RunCodeResult;

class TestSession final : public QObject
{
    Q_OBJECT

private:
    agentbay::test::LocalSandbox m_sandbox;
    LocalSandboxLauncher *m_launcher = nullptr;
    AgentBayClient *m_client = nullptr;

    // Runs code in a session and waits for its result.
    static RunCodeResult run(Session &session, const QString &code,
                             const QString &language = QStringLiteral("python"),
                             int timeoutSeconds = 20)
    {
        QSignalSpy spy(&session, &Session::runFinished);
        const quint64 id = session.runCode(code, language, timeoutSeconds);
        while (spy.wait(timeoutSeconds * 1000 + 15000)) {
            for (const auto &arguments : std::as_const(spy)) {
                if (arguments.at(0).toULongLong() == id)
                    return arguments.at(1).value<RunCodeResult>();
            }
        }
        RunCodeResult none;
        none.errorMessage = QStringLiteral("no answer");
        return none;
    }

    // GetSessionDetail's ActiveRuns: how many runs the sandbox is executing for the session.
    int activeRuns(const QString &sessionId)
    {
        ApiCall *call = m_client->getSessionDetail(sessionId);
        QSignalSpy done(call, &ApiCall::finished);
        if (!done.wait(5000))
            return -1;
        call->deleteLater();
        const auto result = done.first().first().value<ApiCallResult>();
        return result.envelope.data.toObject().value(QLatin1String("ActiveRuns")).toInt(-1);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_sandbox.start(10000));
        m_launcher = &m_sandbox.launcher();
        m_client = &m_sandbox.client();
        QCOMPARE(m_launcher->endpoint().host(), QStringLiteral("127.0.0.1"));
        QVERIFY(m_launcher->endpoint().port() > 0);
        QVERIFY(m_launcher->apiKey().size() >= 32);
    }

    void cleanupTestCase() { QVERIFY(m_sandbox.stop()); }

    void run_createsSessionOnFirstUseAndPrints()
    {
        Session session(m_client);
        QSignalSpy states(&session, &Session::stateChanged);
        const RunCodeResult result = run(session, QStringLiteral("print(6*7)"));
        QVERIFY2(result.success, qPrintable(result.errorMessage));
        QCOMPARE(result.stdoutText(), QStringLiteral("42\n"));
        QVERIFY(session.id().startsWith(QLatin1String("session-")));
        QVERIFY(!result.requestId.isEmpty());
        QCOMPARE(result.executionCount, 1);
        QList<Session::State> seen;
        for (const auto &arguments : std::as_const(states))
            seen.append(arguments.first().value<Session::State>());
        QCOMPARE(seen, (QList<Session::State>{Session::State::Creating, Session::State::Ready,
                                              Session::State::Running, Session::State::Ready}));
    }

    void state_survivesBetweenRuns()
    {
        Session session(m_client);
        QVERIFY(run(session, QStringLiteral("x = 41")).success);
        const RunCodeResult result = run(session, QStringLiteral("x + 1"));
        QVERIFY(result.success);
        QCOMPARE(result.results.size(), 1);
        QVERIFY(result.results.first().isMainResult);
        QCOMPARE(result.results.first().text(), QStringLiteral("42"));
        QCOMPARE(result.executionCount, 2);
    }

    void pythonError_carriesTheLineOfTheSubmittedCode()
    {
        Session session(m_client);
        const RunCodeResult result = run(session,
                                         QStringLiteral(
                                                 "a = 1\nprint('before')\nb = undefined_name\n"));
        QVERIFY(!result.success);
        QCOMPARE(result.stdoutText(), QStringLiteral("before\n"));
        QVERIFY(result.error.has_value());
        QCOMPARE(result.error->name, QStringLiteral("NameError"));
        QVERIFY2(result.error->traceback.contains(QLatin1String("line 3")),
                 qPrintable(result.error->traceback));
        QVERIFY(!result.error->traceback.contains(QLatin1String("python_kernel")));
        QCOMPARE(result.executionError,
                 QStringLiteral("NameError: name 'undefined_name' is not defined"));
    }

    void javascript_runsWithPersistentStateAndStacks()
    {
        Session session(m_client);
        QVERIFY(run(session, QStringLiteral("var total = 40; console.log('js here')"),
                    QStringLiteral("js"))
                        .success);
        const RunCodeResult value = run(session, QStringLiteral("total + 2"),
                                        QStringLiteral("javascript"));
        QVERIFY(value.success);
        QCOMPARE(value.results.value(0).text(), QStringLiteral("42"));
        const RunCodeResult error = run(session, QStringLiteral("\nnull.boom"),
                                        QStringLiteral("node"));
        QVERIFY(!error.success);
        QCOMPARE(error.error->name, QStringLiteral("TypeError"));
        // Each run's code has its own name (cell-3.js for the third run), at the editor's line.
        QVERIFY2(error.error->traceback.contains(QLatin1String("cell-3.js:2")),
                 qPrintable(error.error->traceback));
        QCOMPARE(error.error->raisingFrame(error.executionCount)->line, 2);
    }

    void richOutput_displayReprMethodsAndMimebundles()
    {
        Session session(m_client);
        const RunCodeResult result
                = run(session,
                      QStringLiteral(
                              "class Card:\n"
                              "    def _repr_html_(self):\n        return '<b>card</b>'\n"
                              "    def _repr_markdown_(self):\n        return '**card**'\n"
                              "class Chart:\n"
                              "    def _repr_mimebundle_(self, include=None, exclude=None):\n"
                              "        return {'application/vnd.vegalite.v5+json': {'mark': "
                              "'bar'}, 'text/plain': 'chart'}\n"
                              "display(Card())\n"
                              "display({'a': 1})\n"
                              "Chart()\n"));
        QVERIFY2(result.success, qPrintable(result.errorMessage));
        QCOMPARE(result.results.size(), 3);
        QCOMPARE(result.results.at(0).data.value(QStringLiteral("text/html")),
                 QStringLiteral("<b>card</b>"));
        QCOMPARE(result.results.at(0).data.value(QStringLiteral("text/markdown")),
                 QStringLiteral("**card**"));
        QVERIFY(!result.results.at(0).isMainResult);
        QCOMPARE(result.results.at(1).text(), QStringLiteral("{'a': 1}"));
        QVERIFY(result.results.at(2).isMainResult);
        QCOMPARE(result.results.at(2).data.value(
                         QStringLiteral("application/vnd.vegalite.v5+json")),
                 QStringLiteral(R"({"mark": "bar"})"));
    }

    void matplotlibFigures_becomePngResults()
    {
        Session session(m_client);
        const RunCodeResult result = run(session,
                                         QStringLiteral(
                                                 "import matplotlib.pyplot as plt\nplt.plot([1, 3, "
                                                 "2])\nplt.title('sandbox')\nplt.show()\n"),
                                         QStringLiteral("python"), 60);
        QVERIFY2(result.success, qPrintable(result.errorMessage + result.stderrText()));
        QCOMPARE(result.results.size(), 1);
        const QByteArray png = QByteArray::fromBase64(
                result.results.first().data.value(QStringLiteral("image/png")).toLatin1());
        QVERIFY2(png.startsWith("\x89PNG\r\n"), "a real PNG image");
        QVERIFY(png.size() > 5000);
    }

    void javascript_topLevelAwaitAndConsoleError()
    {
        Session session(m_client);
        const RunCodeResult awaited = run(session,
                                          QStringLiteral("const base = await new Promise(resolve "
                                                         "=> setTimeout(() => resolve(40), 20));\n"
                                                         "console.error('to stderr');\nbase + 2\n"),
                                          QStringLiteral("javascript"));
        QVERIFY2(awaited.success, qPrintable(awaited.errorMessage));
        QCOMPARE(awaited.results.value(0).text(), QStringLiteral("42"));
        QCOMPARE(awaited.stderrText(), QStringLiteral("to stderr\n"));
        const RunCodeResult persisted = run(session, QStringLiteral("base * 2"),
                                            QStringLiteral("javascript"));
        QCOMPARE(persisted.results.value(0).text(), QStringLiteral("80"));
        const RunCodeResult rejected = run(session,
                                           QStringLiteral(
                                                   "\nawait Promise.reject(new RangeError('no'))"),
                                           QStringLiteral("javascript"));
        QVERIFY(!rejected.success);
        QCOMPARE(rejected.error->name, QStringLiteral("RangeError"));
        const RunCodeResult stuck = run(session, QStringLiteral("await new Promise(() => {})"),
                                        QStringLiteral("javascript"), 1);
        QVERIFY(stuck.timedOut);
        QVERIFY(run(session, QStringLiteral("base"), QStringLiteral("javascript"))
                        .success); // state kept
    }

    void timeout_stopsTheRunKeepsOutputAndTheSessionStaysUsable()
    {
        Session session(m_client);
        QVERIFY(run(session, QStringLiteral("kept = 'state'")).success);
        const RunCodeResult result
                = run(session,
                      QStringLiteral("print('started', flush=True)\nwhile True:\n    pass\n"),
                      QStringLiteral("python"), 1);
        QVERIFY(!result.success);
        QVERIFY(result.timedOut);
        QCOMPARE(result.error->name, QStringLiteral("TimeoutError"));
        QVERIFY2(result.error->value.contains(QLatin1String("1 s timeout")),
                 qPrintable(result.error->value));
        QCOMPARE(result.stdoutText(), QStringLiteral("started\n"));
        const RunCodeResult after = run(session, QStringLiteral("kept"));
        QVERIFY(after.success);
        QCOMPARE(after.results.value(0).text(), QStringLiteral("'state'"));
    }

    void timeout_killsAKernelThatIgnoresTheInterrupt()
    {
        Session session(m_client);
        const QString stubborn = QStringLiteral(
                "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n  "
                "  time.sleep(0.05)\n");
        const RunCodeResult result = run(session, stubborn, QStringLiteral("python"), 1);
        QVERIFY(result.timedOut);
        QCOMPARE(result.error->name, QStringLiteral("TimeoutError"));
        const RunCodeResult after = run(session, QStringLiteral("print('fresh kernel')"));
        QVERIFY2(after.success, qPrintable(after.errorMessage));
        QCOMPARE(after.stdoutText(), QStringLiteral("fresh kernel\n"));
    }

    void cancel_abortsTheRequestAndTheSandboxInterruptsTheRun()
    {
        Session session(m_client);
        QVERIFY(run(session, QStringLiteral("pass")).success);
        QSignalSpy finished(&session, &Session::runFinished);
        session.runCode(QStringLiteral("import time\ntime.sleep(30)"), QStringLiteral("python"), 60);
        // Wait until the sandbox is really executing it.
        QTRY_COMPARE_WITH_TIMEOUT(activeRuns(session.id()), 1, 10000);
        session.cancelRuns();
        QTRY_COMPARE(finished.size(), 1);
        QVERIFY(!finished.first().at(1).value<RunCodeResult>().success);
        // The dropped connection made the sandbox interrupt the run, long before 30 s.
        QTRY_COMPARE_WITH_TIMEOUT(activeRuns(session.id()), 0, 5000);
        const RunCodeResult next = run(session, QStringLiteral("print('next')"));
        QVERIFY2(next.success, qPrintable(next.errorMessage));
    }

    void destroyingASessionMidRun_isSafe()
    {
        QString id;
        {
            Session session(m_client);
            QVERIFY(run(session, QStringLiteral("pass")).success);
            id = session.id();
            session.runCode(QStringLiteral("import time\ntime.sleep(30)"), QStringLiteral("python"),
                            60);
            QTRY_COMPARE_WITH_TIMEOUT(activeRuns(id), 1, 10000);
        } // destroyed with its request in flight: the request is aborted...
        // ...so the sandbox interrupts the run instead of sleeping on for 30 s.
        QTRY_COMPARE_WITH_TIMEOUT(activeRuns(id), 0, 5000);
        Session other(m_client);
        QVERIFY(run(other, QStringLiteral("print('still fine')")).success);
    }

    void invalidLanguageAndTimeout_areRefusedWithoutARequest_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<int>("timeout");
        QTest::addColumn<QString>("message");
        QTest::newRow("ruby") << "ruby" << 10
                              << "Unsupported language: ruby. Supported languages are 'python', "
                                 "'javascript', 'r', and 'java'";
        QTest::newRow("61 s") << "python" << 61 << "timeout_s must be between 1 and 60 seconds";
    }

    void invalidLanguageAndTimeout_areRefusedWithoutARequest()
    {
        QFETCH(QString, language);
        QFETCH(int, timeout);
        QFETCH(QString, message);
        Session session(m_client);
        const RunCodeResult result = run(session, QStringLiteral("1"), language, timeout);
        QVERIFY(!result.success);
        QVERIFY2(result.errorMessage.startsWith(message), qPrintable(result.errorMessage));
        QCOMPARE(session.state(), Session::State::NotStarted); // nothing was created
    }

    void remove_deletesAndTheBackendConfirms()
    {
        Session session(m_client);
        QVERIFY(run(session, QStringLiteral("1")).success);
        const QString id = session.id();
        QSignalSpy removed(&session, &Session::removed);
        session.remove();
        QVERIFY(removed.wait(10000));
        QCOMPARE(removed.first().first().toBool(), true);
        QCOMPARE(session.state(), Session::State::Deleted);

        QVERIFY(agentbay::test::backendSaysGone(m_client, id));
    }

    void wrongKey_isNotLogin()
    {
        AgentBayClient stranger;
        stranger.setConfig({m_launcher->endpoint(), QStringLiteral("akm-wrong"), {}, 5000});
        Session session(&stranger);
        QSignalSpy failed(&session, &Session::creationFailed);
        const RunCodeResult result = run(session, QStringLiteral("1"));
        QVERIFY(!result.success);
        QCOMPARE(failed.size(), 1);
        const auto error = failed.first().first().value<ApiError>();
        QCOMPARE(error.code, QStringLiteral("NOT_LOGIN"));
        QCOMPARE(error.httpStatus, 400);
        QVERIFY(!error.requestId.isEmpty());
        QCOMPARE(session.state(), Session::State::Failed);
    }

    void runsInOneSession_executeInOrder()
    {
        Session session(m_client);
        QSignalSpy finished(&session, &Session::runFinished);
        const quint64 first
                = session.runCode(QStringLiteral("import time\ntime.sleep(0.3)\norder = ['a']"),
                                  QStringLiteral("python"), 10);
        const quint64 second = session.runCode(QStringLiteral("order.append('b'); order"),
                                               QStringLiteral("python"), 10);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 15000);
        QCOMPARE(finished.at(0).at(0).toULongLong(), first);
        QCOMPARE(finished.at(1).at(0).toULongLong(), second);
        QCOMPARE(finished.at(1).at(1).value<RunCodeResult>().results.value(0).text(),
                 QStringLiteral("['a', 'b']"));
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
