// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile code in the real local sandbox: each snippet is contained and reported clearly, and
// afterwards the sandbox still answers a normal run in a fresh session in under a second.
#include "client/agentbayclient.h"
#include "client/apicall.h"
#include "client/localsandboxlauncher.h"
#include "client/session.h"

#include "localsandbox.h"
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QProcess>

#include <QSignalSpy>
#include <QTest>

#include <csignal>
#include <unistd.h>

using agentbay::client::AgentBayClient;
using agentbay::client::ApiCall;
using agentbay::client::ApiCallResult;
using agentbay::client::LocalSandboxLauncher;
using agentbay::client::Session;
using agentbay::protocol::RunCodeResult;

namespace {
RunCodeResult runIn(Session &session, const QString &code, const QString &language,
                    int timeoutSeconds)
{
    QSignalSpy spy(&session, &Session::runFinished);
    session.runCode(code, language, timeoutSeconds);
    if (!spy.wait((timeoutSeconds + 15) * 1000)) {
        RunCodeResult none;
        none.errorMessage = QStringLiteral("no answer");
        return none;
    }
    return spy.first().at(1).value<RunCodeResult>();
}

QString everything(const RunCodeResult &result)
{
    return result.stdoutText() + result.stderrText() + result.errorMessage
           + (result.error ? result.error->name + QLatin1Char(' ') + result.error->value
                           : QString());
}

// Processes on this machine whose command line contains marker.
int processesWith(const QByteArray &marker)
{
    int count = 0;
    const QStringList entries = QDir(QStringLiteral("/proc"))
                                        .entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        QFile cmdline(QStringLiteral("/proc/") + entry + QStringLiteral("/cmdline"));
        if (cmdline.open(QIODevice::ReadOnly)
            && cmdline.readAll().replace('\0', ' ').contains(marker))
            ++count;
    }
    return count;
}
} // namespace

class TestHostileSnippets final : public QObject
{
    Q_OBJECT

private:
    agentbay::test::LocalSandbox m_sandbox;
    LocalSandboxLauncher *m_launcher = nullptr;
    AgentBayClient *m_client = nullptr;

    // A normal run in a fresh session, timed from the request to the answer.
    void expectHealthy()
    {
        Session fresh(m_client);
        QElapsedTimer clock;
        clock.start();
        const RunCodeResult result = runIn(fresh, QStringLiteral("print(6 * 7)"),
                                           QStringLiteral("python"), 10);
        const qint64 elapsed = clock.elapsed();
        QVERIFY2(result.success, qPrintable(result.errorMessage));
        QCOMPARE(result.stdoutText(), QStringLiteral("42\n"));
        QVERIFY2(elapsed < 1000, qPrintable(QStringLiteral("a normal run took %1 ms").arg(elapsed)));
        QSignalSpy removed(&fresh, &Session::removed);
        fresh.remove();
        QVERIFY(removed.wait(5000));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_sandbox.start(30000));
        m_launcher = &m_sandbox.launcher();
        m_client = &m_sandbox.client();
    }

    void cleanupTestCase() { QVERIFY(m_sandbox.stop()); }

    void snippet_isContainedAndReported_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("timeout");
        QTest::addColumn<QString>("expected"); // must appear in the output, error or message

        QTest::newRow("infinite loop") << "python"
                                       << "while True:\n    pass\n"
                                       << 2 << "TimeoutError";
        QTest::newRow("fork bomb") << "python"
                                   << "import os\nwhile True:\n    try:\n        os.fork()\n    "
                                      "except OSError:\n        pass\n"
                                   << 3 << "TimeoutError";
        QTest::newRow("memory bomb")
                << "python"
                << "blocks = []\nwhile True:\n    blocks.append(bytearray(64 * 1024 * 1024))\n"
                << 20 << "MemoryError";
        QTest::newRow("disk fill") << "python"
                                   << "with open('fill.bin', 'wb') as f:\n    while True:\n        "
                                      "f.write(b'\\0' * (1 << 20))\n"
                                   << 20 << "File too large";
        QTest::newRow("100 MB of output")
                << "python"
                << "import sys\nfor _ in range(100):\n    sys.stdout.write('x' * (1 << 20))\n"
                << 30 << "output truncated";
        QTest::newRow("network")
                << "python"
                << "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=3)\n"
                << 10 << "Network is unreachable";
        QTest::newRow("read /etc/shadow") << "python"
                                          << "open('/etc/shadow').read()\n"
                                          << 10 << "Error";
        QTest::newRow("read the user's home")
                << "python"
                << QStringLiteral("import os\nos.listdir(%1)\n")
                           .arg(QLatin1String("'") + QDir::homePath() + QLatin1String("'"))
                << 10 << "Error";
        QTest::newRow("write outside the workspace") << "python"
                                                     << "open('/usr/agentbay-was-here', 'w')\n"
                                                     << 10 << "Read-only file system";
        QTest::newRow("kill its parent")
                << "python"
                << "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nprint('still here')\n"
                << 10 << "still here";
        QTest::newRow("kill everything it can")
                << "python"
                << "import os, signal\nos.kill(-1, signal.SIGKILL)\n"
                << 10 << "No such process"; // alone in its namespaces
        QTest::newRow("close every descriptor")
                << "python"
                << "import os\nos.closerange(0, 1024)\nwhile True:\n    pass\n"
                << 2 << "TimeoutError";
        QTest::newRow("binary garbage on stdout")
                << "python"
                << "import os\nos.write(1, bytes(range(256)) * 64)\nprint('after')\n"
                << 10 << "after";
        QTest::newRow("garbage frames (js)")
                << "javascript"
                << "require('fs').writeSync(1, Buffer.from([0x1e, 0x7b, "
                   "0xff, 0x0a, 0x1e, 0x0a]));\nconsole.log('after');\n"
                << 10 << "after";
        QTest::newRow("ptrace another process")
                << "python"
                << "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
                   "print(libc.ptrace(0, 0, 0, 0), os.strerror(ctypes.get_errno()))\n"
                << 10 << "-1 Operation not permitted";
        QTest::newRow("js infinite loop") << "javascript"
                                          << "for (;;) {}\n"
                                          << 2 << "TimeoutError";
        QTest::newRow("js memory bomb")
                << "javascript"
                << "const a = []; for (;;) a.push(new Array(1e6).fill(1));\n"
                << 30 << "Kernel";
    }

    void snippet_isContainedAndReported()
    {
        QFETCH(QString, language);
        QFETCH(QString, code);
        QFETCH(int, timeout);
        QFETCH(QString, expected);
        Session session(m_client);
        const RunCodeResult warm = runIn(session, QStringLiteral("1"), language, 10);
        QVERIFY2(warm.success, qPrintable(everything(warm)));
        QElapsedTimer clock;
        clock.start();
        const RunCodeResult result = runIn(session, code, language, timeout);
        const QString text = everything(result);
        QVERIFY2(text.contains(expected), qPrintable(text.left(2000)));
        QVERIFY2(clock.elapsed() < (timeout + 5) * 1000,
                 "the answer came within the timeout and its grace");
        QSignalSpy removed(&session, &Session::removed);
        session.remove();
        QVERIFY(removed.wait(10000));
        expectHealthy();
    }

    void backgroundProcess_diesWithItsSession()
    {
        Session session(m_client);
        const RunCodeResult started = runIn(session,
                                            QStringLiteral(
                                                    "import subprocess\nsubprocess.Popen(['sleep', "
                                                    "'3141'])\nprint('started')\n"),
                                            QStringLiteral("python"), 10);
        QVERIFY2(started.success, qPrintable(everything(started)));
        QTRY_COMPARE(processesWith("sleep 3141"), 1); // it outlived the run...
        QSignalSpy removed(&session, &Session::removed);
        session.remove();
        QVERIFY(removed.wait(10000));
        QTRY_COMPARE_WITH_TIMEOUT(processesWith("sleep 3141"), 0, 5000); // ...not the session
    }

    void tmpAndHomeAreTheSessions_andTheRestIsReadOnly()
    {
        Session session(m_client);
        const RunCodeResult result
                = runIn(session,
                        QStringLiteral(
                                "import os\nopen('/tmp/agentbay-private-marker', 'w').write('x')\n"
                                "open(os.path.expanduser('~/h.txt'), 'w').write('h')\n"
                                "open('kept.txt', 'w').write('y')\nprint(os.getcwd())\n"
                                "for place in ('/', '/usr', '/etc', '/opt', '/var'):\n"
                                "    try:\n"
                                "        open(os.path.join(place, 'planted'), 'w')\n"
                                "        print('wrote', place)\n"
                                "    except OSError as e:\n"
                                "        print('refused', place)\n"),
                        QStringLiteral("python"), 10);
        QVERIFY2(result.success, qPrintable(everything(result)));
        QVERIFY(!QFile::exists(QStringLiteral("/tmp/agentbay-private-marker")));
        QCOMPARE(result.stdoutText(), QStringLiteral("/workspace\nrefused /\nrefused /usr\n"
                                                     "refused /etc\nrefused /opt\n"
                                                     "refused /var\n"));
    }

    void sessionDetails_reportEveryIsolationLayer()
    {
        Session session(m_client);
        QVERIFY(runIn(session, QStringLiteral("1"), QStringLiteral("python"), 10).success);
        ApiCall *call = m_client->getSessionDetail(session.id());
        QSignalSpy done(call, &ApiCall::finished);
        QVERIFY(done.wait(5000));
        const QJsonArray layers = done.first()
                                          .first()
                                          .value<ApiCallResult>()
                                          .envelope.data.toObject()
                                          .value(QLatin1String("Isolation"))
                                          .toArray();
        QStringList names;
        for (const auto &layer : layers) {
            names.append(layer.toObject().value(QLatin1String("layer")).toString());
            QVERIFY(!layer.toObject().value(QLatin1String("detail")).toString().isEmpty());
        }
        QCOMPARE(names, (QStringList{QStringLiteral("bubblewrap"), QStringLiteral("rlimits"),
                                     QStringLiteral("unprivileged-uid"),
                                     QStringLiteral("process-group"), QStringLiteral("cpu-priority"),
                                     QStringLiteral("output-cap"), QStringLiteral("seccomp")}));
        // bubblewrap and libseccomp are installed by the test set-up: every layer is in force,
        // but for the uid switch, which needs the server to run as root, and the lower CPU
        // priority, which the playground asks for (--code-niceness) and this server does not.
        for (const auto &layer : layers) {
            const QString name = layer.toObject().value(QLatin1String("layer")).toString();
            const bool expected = name == QLatin1String("unprivileged-uid")
                                          ? ::geteuid() == 0
                                          : name != QLatin1String("cpu-priority");
            QVERIFY2(layer.toObject().value(QLatin1String("active")).toBool() == expected,
                     qPrintable(name));
        }
    }
};

QTEST_GUILESS_MAIN(TestHostileSnippets)
#include "tst_hostilesnippets.moc"
