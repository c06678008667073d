// SPDX-License-Identifier: GPL-3.0-or-later
// agentbay-run, the headless runner, as scripts use it: stdin or a file, text or JSON, exit codes.
#include "testsupport.h"

#include "agentbayversion.h"

#include <QJsonArray>
#include <QMap>
#include <QTemporaryDir>
#include <QTest>

namespace {
struct RunOutput
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

RunOutput agentbayRun(const QStringList &arguments, const QByteArray &input = {},
                      const QMap<QString, QString> &extraEnvironment = {})
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("AGENTBAY_SANDBOX_PROGRAM"), QStringLiteral(AGENTBAY_SANDBOX_PROGRAM));
    for (const char *name :
         {"AGENTBAY_API_KEY", "AGENTBAY_ENDPOINT", "AGENTBAY_REGION_ID", "AGENTBAY_TIMEOUT_MS"})
        env.remove(QString::fromLatin1(name));
    for (auto it = extraEnvironment.begin(); it != extraEnvironment.end(); ++it)
        env.insert(it.key(), it.value());
    process.setProcessEnvironment(env);
    // A directory with no .env above it that we do not control.
    static QTemporaryDir home;
    process.setWorkingDirectory(home.path());
    process.start(QStringLiteral(AGENTBAY_RUN_PROGRAM), arguments);
    process.write(input);
    process.closeWriteChannel();
    RunOutput output;
    if (!process.waitForFinished(60000))
        return output;
    output.exitCode = process.exitCode();
    output.out = process.readAllStandardOutput();
    output.err = process.readAllStandardError();
    return output;
}
} // namespace

class TestAgentBayRun final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void version_comesFromTheProject()
    {
        const RunOutput output = agentbayRun({QStringLiteral("--version")});
        QCOMPARE(output.exitCode, 0);
        QCOMPARE(output.out.trimmed(), QByteArray("agentbay-run " AGENTBAY_VERSION_STRING));
    }

    void json_fromStdin_hasTheWholeResult()
    {
        const RunOutput output
                = agentbayRun({QStringLiteral("--json"), QStringLiteral("-")},
                              "import sys\nprint(6*7)\nprint('warn', file=sys.stderr)\n{'a': 1}\n");
        QCOMPARE(output.exitCode, 0);
        const QJsonObject json = QJsonDocument::fromJson(output.out).object();
        QCOMPARE(json.value(QLatin1String("success")).toBool(), true);
        QCOMPARE(json.value(QLatin1String("stdout")).toString(), QStringLiteral("42\n"));
        QCOMPARE(json.value(QLatin1String("stderr")).toString(), QStringLiteral("warn\n"));
        const QJsonArray results = json.value(QLatin1String("results")).toArray();
        QCOMPARE(results.size(), 1);
        QCOMPARE(results.first().toObject().value(QLatin1String("text/plain")).toString(),
                 QStringLiteral("{'a': 1}"));
        QCOMPARE(results.first().toObject().value(QLatin1String("isMainResult")).toBool(), true);
        QVERIFY(json.value(QLatin1String("error")).isNull());
        QCOMPARE(json.value(QLatin1String("errorMessage")).toString(), QString());
        QVERIFY(json.value(QLatin1String("sessionId"))
                        .toString()
                        .startsWith(QLatin1String("session-")));
        QVERIFY(!json.value(QLatin1String("requestId")).toString().isEmpty());
    }

    void json_carriesALargeOutputOnce_andJsonFullAsTheSdksDo()
    {
        // 50 000 lines, no result: --json has the text once (no logs, no result repeating it);
        // --json-full has it three times, as the SDKs' fields do.
        const QByteArray code = "for i in range(50000): print('line', i)\n";
        const RunOutput compact = agentbayRun({QStringLiteral("--json"), QStringLiteral("-")}, code);
        QCOMPARE(compact.exitCode, 0);
        const QJsonObject json = QJsonDocument::fromJson(compact.out).object();
        const QString stdoutText = json.value(QLatin1String("stdout")).toString();
        QCOMPARE(stdoutText.count(QLatin1Char('\n')), 50000);
        QVERIFY(!json.contains(QLatin1String("logs")));
        QVERIFY(!json.contains(QLatin1String("result")));
        QVERIFY2(compact.out.size() < stdoutText.size() * 12 / 10,
                 qPrintable(QStringLiteral("%1 bytes for %2 characters")
                                    .arg(compact.out.size())
                                    .arg(stdoutText.size())));
        const RunOutput full = agentbayRun({QStringLiteral("--json-full"), QStringLiteral("-")},
                                           code);
        QCOMPARE(full.exitCode, 0);
        const QJsonObject fullJson = QJsonDocument::fromJson(full.out).object();
        QStringList chunks;
        for (const QJsonValue &chunk : fullJson.value(QLatin1String("logs"))
                                               .toObject()
                                               .value(QLatin1String("stdout"))
                                               .toArray())
            chunks.append(chunk.toString());
        QCOMPARE(chunks.join(QString()), stdoutText);
        QCOMPARE(fullJson.value(QLatin1String("result")).toString(), stdoutText);
        // A run with a result: its text is `result`, with --json too.
        const RunOutput valued = agentbayRun({QStringLiteral("--json"), QStringLiteral("-")},
                                             "print('x')\n6 * 7\n");
        QCOMPARE(QJsonDocument::fromJson(valued.out).object().value(QLatin1String("result")),
                 QJsonValue(QStringLiteral("42")));
    }

    void text_fromFile_printsOutputAndResult()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("snippet.js")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("console.log('from a file');\n6 * 7\n");
        file.close();
        const RunOutput output = agentbayRun({file.fileName()});
        QCOMPARE(output.exitCode, 0);
        QCOMPARE(output.out, QByteArray("from a file\n42\n"));
    }

    void text_isWrittenAsItArrives_andJsonStaysOneObject()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("long.py")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("import sys, time\nprint('first')\nprint('warned', file=sys.stderr)\n"
                   "time.sleep(2)\nprint('second')\n");
        file.close();
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("AGENTBAY_SANDBOX_PROGRAM"),
                   QStringLiteral(AGENTBAY_SANDBOX_PROGRAM));
        env.remove(QStringLiteral("AGENTBAY_ENDPOINT"));
        process.setProcessEnvironment(env);
        process.setWorkingDirectory(dir.path());
        process.start(QStringLiteral(AGENTBAY_RUN_PROGRAM), {file.fileName()});
        QVERIFY(process.waitForStarted(10000));
        QByteArray out;
        QElapsedTimer clock;
        while (!out.contains("first\n") && process.waitForReadyRead(20000))
            out += process.readAllStandardOutput();
        clock.start();
        QCOMPARE(out, QByteArray("first\n")); // alone: the run is still going
        QVERIFY(process.waitForFinished(20000));
        QVERIFY2(clock.elapsed() > 1000, qPrintable(QString::number(clock.elapsed())));
        out += process.readAllStandardOutput();
        QCOMPARE(process.exitCode(), 0);
        QCOMPARE(out, QByteArray("first\nsecond\n")); // each line once
        QCOMPARE(process.readAllStandardError(), QByteArray("warned\n"));

        const RunOutput json = agentbayRun({QStringLiteral("--json"), file.fileName()});
        QCOMPARE(json.exitCode, 0);
        QCOMPARE(json.out.count('\n'), 1); // one object, at the end
        const QJsonObject object = QJsonDocument::fromJson(json.out).object();
        QCOMPARE(object.value(QLatin1String("stdout")).toString(),
                 QStringLiteral("first\nsecond\n"));
    }

    void codeError_exitsOneWithTheError()
    {
        const RunOutput output = agentbayRun({QStringLiteral("--json"), QStringLiteral("-")},
                                             "1/0\n");
        QCOMPARE(output.exitCode, 1);
        const QJsonObject json = QJsonDocument::fromJson(output.out).object();
        QCOMPARE(json.value(QLatin1String("success")).toBool(), false);
        const QJsonObject error = json.value(QLatin1String("error")).toObject();
        QCOMPARE(error.value(QLatin1String("name")).toString(),
                 QStringLiteral("ZeroDivisionError"));
        QVERIFY(error.value(QLatin1String("traceback")).toString().contains(QLatin1String("line 1")));
        QCOMPARE(json.value(QLatin1String("errorMessage")).toString(),
                 QStringLiteral("ZeroDivisionError: division by zero"));
    }

    void timeout_exitsOneAndSaysSo()
    {
        const RunOutput output = agentbayRun({QStringLiteral("--timeout"), QStringLiteral("1"),
                                              QStringLiteral("-")},
                                             "while True:\n    pass\n");
        QCOMPARE(output.exitCode, 1);
        QVERIFY2(output.err.contains("TimeoutError: execution exceeded the 1 s timeout"),
                 output.err.constData());
    }

    void usageErrors_exitTwoBeforeAnyRequest_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("ruby") << QStringList{QStringLiteral("--language"), QStringLiteral("ruby"),
                                             QStringLiteral("-")}
                              << QByteArray("Unsupported language: ruby");
        QTest::newRow("timeout 0") << QStringList{QStringLiteral("--timeout"), QStringLiteral("0"),
                                                  QStringLiteral("-")}
                                   << QByteArray("60 seconds");
        QTest::newRow("no file") << QStringList{} << QByteArray("exactly one FILE");
        QTest::newRow("missing file")
                << QStringList{QStringLiteral("/nonexistent/x.py")} << QByteArray("cannot read");
        QTest::newRow("list without endpoint")
                << QStringList{QStringLiteral("--list-sessions")} << QByteArray("need an endpoint");
        QTest::newRow("keep without endpoint")
                << QStringList{QStringLiteral("--keep-session"), QStringLiteral("-")}
                << QByteArray("need an endpoint");
        QTest::newRow("bad label") << QStringList{QStringLiteral("--label"),
                                                  QStringLiteral("novalue"), QStringLiteral("-")}
                                   << QByteArray("KEY=VALUE");
        QTest::newRow("bad endpoint")
                << QStringList{QStringLiteral("--endpoint"), QStringLiteral("ftp://x"),
                               QStringLiteral("--api-key"), QStringLiteral("k"),
                               QStringLiteral("-")}
                << QByteArray("not a host");
        QTest::newRow("endpoint without key")
                << QStringList{QStringLiteral("--endpoint"), QStringLiteral("127.0.0.1:1"),
                               QStringLiteral("-")}
                << QByteArray("needs an API key");
    }

    void usageErrors_exitTwoBeforeAnyRequest()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, message);
        const RunOutput output = agentbayRun(arguments, "print(1)\n");
        QCOMPARE(output.exitCode, 2);
        QVERIFY2(output.err.contains(message), output.err.constData());
    }

    void unreachableEndpoint_exitsThree()
    {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        const RunOutput output = agentbayRun({QStringLiteral("--endpoint"),
                                              QStringLiteral("http://127.0.0.1:%1").arg(port),
                                              QStringLiteral("--api-key"), QStringLiteral("k"),
                                              QStringLiteral("--json"), QStringLiteral("-")},
                                             "print(1)\n");
        QCOMPARE(output.exitCode, 3);
        const QJsonObject json = QJsonDocument::fromJson(output.out).object();
        QVERIFY2(json.value(QLatin1String("errorMessage"))
                         .toString()
                         .contains(QLatin1String("refused"), Qt::CaseInsensitive),
                 output.out.constData());
    }

    void keptSession_isReusedListedAndDeleted()
    {
        agentbay::test::SandboxProcess sandbox(QStringLiteral("akm-test-keep"));
        QVERIFY(sandbox.endpoint().isValid());
        const QMap<QString, QString> env{{QStringLiteral("AGENTBAY_ENDPOINT"),
                                          sandbox.endpoint().toString()},
                                         {QStringLiteral("AGENTBAY_API_KEY"),
                                          QStringLiteral("akm-test-keep")}};
        const RunOutput first = agentbayRun({QStringLiteral("--keep-session"),
                                             QStringLiteral("--json"), QStringLiteral("-")},
                                            "x = 41\n", env);
        QCOMPARE(first.exitCode, 0);
        const QJsonObject json = QJsonDocument::fromJson(first.out).object();
        const QString id = json.value(QLatin1String("sessionId")).toString();
        QVERIFY(id.startsWith(QLatin1String("session-")));
        QCOMPARE(json.value(QLatin1String("keptSession")).toBool(), true);
        QVERIFY(first.err.contains("kept"));

        const RunOutput second = agentbayRun({QStringLiteral("--session"), id, QStringLiteral("-")},
                                             "x + 1\n", env);
        QCOMPARE(second.exitCode, 0);
        QCOMPARE(second.out, QByteArray("42\n")); // the state survived between the two runs

        const RunOutput listed = agentbayRun({QStringLiteral("--list-sessions"),
                                              QStringLiteral("--json")},
                                             {}, env);
        QCOMPARE(listed.exitCode, 0);
        const QJsonArray sessions = QJsonDocument::fromJson(listed.out)
                                            .object()
                                            .value(QLatin1String("sessions"))
                                            .toArray();
        QCOMPARE(sessions.size(), 1);
        QCOMPARE(sessions.first().toObject().value(QLatin1String("sessionId")).toString(), id);

        const RunOutput deleted = agentbayRun({QStringLiteral("--delete-session"), id}, {}, env);
        QCOMPARE(deleted.exitCode, 0);
        QCOMPARE(deleted.out, QByteArray("deleted " + id.toLatin1() + "\n"));
        const RunOutput empty = agentbayRun({QStringLiteral("--list-sessions")}, {}, env);
        QCOMPARE(empty.exitCode, 0);
        QCOMPARE(empty.out, QByteArray());
        const RunOutput gone = agentbayRun({QStringLiteral("--session"), id, QStringLiteral("-")},
                                           "1\n", env);
        QCOMPARE(gone.exitCode, 3);
        QVERIFY2(gone.err.contains("InvalidMcpSession.NotFound"), gone.err.constData());
        const RunOutput deleteAgain = agentbayRun({QStringLiteral("--delete-session"), id}, {}, env);
        QCOMPARE(deleteAgain.exitCode, 3);
    }

    void dotEnvFile_suppliesEndpointAndKey()
    {
        agentbay::test::SandboxProcess sandbox(QStringLiteral("akm-test-dotenv"));
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("playground.env")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("AGENTBAY_ENDPOINT=" + sandbox.endpoint().toString().toUtf8()
                   + "\nAGENTBAY_API_KEY=akm-test-dotenv\n");
        file.close();
        const RunOutput output = agentbayRun({QStringLiteral("--env-file"), file.fileName(),
                                              QStringLiteral("--json"), QStringLiteral("-")},
                                             "print('from dotenv')\n");
        QCOMPARE(output.exitCode, 0);
        const QJsonObject json = QJsonDocument::fromJson(output.out).object();
        QCOMPARE(json.value(QLatin1String("stdout")).toString(), QStringLiteral("from dotenv\n"));
        QVERIFY(json.value(QLatin1String("endpoint"))
                        .toString()
                        .contains(QString::number(sandbox.endpoint().port())));
    }

    void externalSandbox_isReachableByEndpoint()
    {
        agentbay::test::SandboxProcess sandbox(QStringLiteral("akm-test-external"));
        QVERIFY(sandbox.endpoint().isValid());
        const RunOutput output = agentbayRun({QStringLiteral("--endpoint"),
                                              sandbox.endpoint().toString(),
                                              QStringLiteral("--api-key"),
                                              QStringLiteral("akm-test-external"),
                                              QStringLiteral("-")},
                                             "print('remote ok')\n");
        QCOMPARE(output.exitCode, 0);
        QCOMPARE(output.out, QByteArray("remote ok\n"));
    }
};

QTEST_GUILESS_MAIN(TestAgentBayRun)
#include "tst_agentbayrun.moc"
