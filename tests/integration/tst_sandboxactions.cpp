// SPDX-License-Identifier: GPL-3.0-or-later
// The local sandbox's actions beyond run_code, through our client: the shell and file tools
// confined to the session workspace, labels with filtered and paged listing, pause and resume.
#include "client/agentbayclient.h"
#include "client/apicall.h"
#include "client/profiles.h"
#include "client/session.h"
#include "client/sessiondirectory.h"

#include "localsandbox.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using agentbay::client::AgentBayClient;
using agentbay::client::ApiCall;
using agentbay::client::ApiCallResult;
using agentbay::client::Session;
using agentbay::client::SessionDirectory;
using agentbay::protocol::ApiError;
using agentbay::protocol::RunCodeResult;
using agentbay::protocol::ToolResult;
namespace ActionResults = agentbay::protocol::ActionResults;

namespace {
ToolResult toolResult(Session &session, quint64 id)
{
    QSignalSpy spy(&session, &Session::toolFinished);
    while (spy.wait(30000)) {
        for (const auto &arguments : std::as_const(spy)) {
            if (arguments.at(0).toULongLong() == id) {
                const auto error = arguments.at(2).value<ApiError>();
                ToolResult result = arguments.at(1).value<ToolResult>();
                if (error.isError())
                    result.text = QStringLiteral("API error: ") + error.humanMessage();
                return result;
            }
        }
    }
    return {QStringLiteral("no answer"), true, {}};
}

RunCodeResult run(Session &session, const QString &code)
{
    QSignalSpy spy(&session, &Session::runFinished);
    session.runCode(code, QStringLiteral("python"), 20);
    if (!spy.wait(30000))
        return {};
    return spy.first().at(1).value<RunCodeResult>();
}

ApiCallResult waitFor(ApiCall *call)
{
    QSignalSpy spy(call, &ApiCall::finished);
    if (!spy.wait(10000))
        return {};
    return spy.first().first().value<ApiCallResult>();
}
} // namespace

class TestSandboxActions final : public QObject
{
    Q_OBJECT

private:
    agentbay::test::LocalSandbox m_sandbox;
    AgentBayClient *m_client = nullptr;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_sandbox.start(30000));
        m_client = &m_sandbox.client();
    }

    void cleanupTestCase() { QVERIFY(m_sandbox.stop()); }

    void shell_runsInTheWorkspaceWithExitCodesAndStderr()
    {
        Session session(m_client);
        QVERIFY(run(session, QStringLiteral("open('made-by-python.txt', 'w').write('hi')")).success);
        const auto ok = ActionResults::parseShell(
                toolResult(session,
                           session.runShell(QStringLiteral(
                                   "pwd; cat made-by-python.txt; echo; echo oops >&2; exit 3"))));
        QCOMPARE(ok.stdoutText, QStringLiteral("/workspace\nhi\n"));
        QCOMPARE(ok.stderrText, QStringLiteral("oops\n"));
        QCOMPARE(ok.exitCode, 3);
        QVERIFY(!ok.isError);

        QVERIFY(run(session, QStringLiteral("import os; os.makedirs('sub', exist_ok=True)")).success);
        const auto inSub = ActionResults::parseShell(
                toolResult(session,
                           session.callTool(QStringLiteral("shell"),
                                            {{QStringLiteral("command"),
                                              QStringLiteral("pwd; echo $GREETING")},
                                             {QStringLiteral("cwd"), QStringLiteral("sub")},
                                             {QStringLiteral("envs"),
                                              QJsonObject{{QStringLiteral("GREETING"),
                                                           QStringLiteral("hello")}}}})));
        QCOMPARE(inSub.stdoutText, QStringLiteral("/workspace/sub\nhello\n"));

        // The session is a machine: a command may run anywhere in it, as in the cloud.
        const auto inTmp = ActionResults::parseShell(
                toolResult(session,
                           session.runShell(QStringLiteral("pwd"), 5000, QStringLiteral("/tmp"))));
        QCOMPARE(inTmp.stdoutText, QStringLiteral("/tmp\n"));
        QCOMPARE(inTmp.exitCode, 0);

        const auto slow = ActionResults::parseShell(
                toolResult(session, session.runShell(QStringLiteral("sleep 30"), 500)));
        QVERIFY(slow.isError);
        QCOMPARE(slow.exitCode, 124);
        QVERIFY(slow.errorMessage.contains(QLatin1String("timed out")));
        QCOMPARE(slow.stdoutText, QString()); // nothing added to what the command printed
        QCOMPARE(slow.stderrText, QString());
    }

    void fileTools_readWriteAndListInsideTheWorkspaceOnly()
    {
        Session session(m_client);
        const ToolResult written = toolResult(session,
                                              session.writeFile(QStringLiteral("notes/a.txt"),
                                                                QStringLiteral("line 1\n")));
        QVERIFY2(!written.isError, qPrintable(written.text));
        QVERIFY(!toolResult(session,
                            session.writeFile(QStringLiteral("/workspace/notes/a.txt"),
                                              QStringLiteral("line 2\n"), QStringLiteral("append")))
                         .isError);
        const ToolResult read = toolResult(session,
                                           session.readFile(QStringLiteral("notes/a.txt")));
        QCOMPARE(read.text, QStringLiteral("line 1\nline 2\n"));
        QVERIFY(run(session, QStringLiteral("print(open('notes/a.txt').read(), end='')")).stdoutText()
                == QStringLiteral("line 1\nline 2\n"));
        const ToolResult listed = toolResult(session, session.listDirectory(QStringLiteral(".")));
        QCOMPARE(listed.text, QStringLiteral("[DIR] notes"));

        // The host's own files are not in the session's machine, however the path is spelled.
        for (const QString &path :
             {QStringLiteral("/etc/passwd"), QStringLiteral("../../etc/passwd"),
              QStringLiteral("/root/.bashrc")}) {
            const ToolResult refused = toolResult(session, session.readFile(path));
            QVERIFY2(refused.isError && refused.text.startsWith(QLatin1String("FileNotFoundError")),
                     qPrintable(path + refused.text));
        }
        // Nor behind a symlink planted by the code.
        QVERIFY(run(session, QStringLiteral("import os; os.symlink('/etc/shadow', 'escape')"))
                        .success);
        const ToolResult escaped = toolResult(session, session.readFile(QStringLiteral("escape")));
        QVERIFY2(escaped.isError, qPrintable(escaped.text));
        // The system is there to read, not to write.
        QVERIFY(toolResult(session, session.readFile(QStringLiteral("/usr/lib/os-release")))
                        .text.contains(QLatin1String("ID=")));
        const ToolResult readOnly = toolResult(session,
                                               session.writeFile(QStringLiteral("/usr/lib/planted"),
                                                                 QStringLiteral("x")));
        QVERIFY2(readOnly.isError && readOnly.text.contains(QLatin1String("Read-only file system")),
                 qPrintable(readOnly.text));
        const ToolResult missing = toolResult(session,
                                              session.readFile(QStringLiteral("nope.txt")));
        QVERIFY(missing.isError);
        QVERIFY(missing.text.contains(QLatin1String("FileNotFoundError")));
    }

    void fileTools_everyToolTheSdksCall_withTheCloudsShapes()
    {
        Session session(m_client);
        const auto call = [&session](const char *tool, const QJsonObject &args) {
            return toolResult(session, session.callTool(QLatin1String(tool), args));
        };
        const auto path = [](const char *value) {
            return QJsonObject{{QStringLiteral("path"), QLatin1String(value)}};
        };
        ToolResult made = call("create_directory", path("data/deep/er"));
        QVERIFY2(!made.isError, qPrintable(made.text));
        QCOMPARE(made.text, QStringLiteral("Successfully created directory data/deep/er"));
        QCOMPARE(call("list_directory", path("data")).text, QStringLiteral("[DIR] deep"));

        const QString text = QStringLiteral("h\u00e9llo w\u00f6rld\nsecond line\n");
        QVERIFY(!toolResult(session, session.writeFile(QStringLiteral("data/a.txt"), text)).isError);
        // get_file_info: "key: value" lines, which the SDKs split at the first colon.
        QHash<QString, QString> info;
        for (const QString &line : call("get_file_info", path("data/a.txt")).text.split(u'\n'))
            info.insert(line.section(u':', 0, 0), line.section(u':', 1).trimmed());
        QCOMPARE(info.value(QStringLiteral("size")).toInt(), text.toUtf8().size());
        QCOMPARE(info.value(QStringLiteral("isDirectory")), QStringLiteral("false"));
        QCOMPARE(info.value(QStringLiteral("isFile")), QStringLiteral("true"));
        QVERIFY(QRegularExpression(QStringLiteral("^[0-7]{3}$"))
                        .match(info.value(QStringLiteral("permissions")))
                        .hasMatch());
        QVERIFY(info.value(QStringLiteral("modified")).startsWith(QLatin1String("20")));
        QVERIFY(call("get_file_info", path("data"))
                        .text.contains(QLatin1String("isDirectory: true")));

        // read_file takes a byte offset and length, as the SDKs' chunked reads send them.
        QJsonObject slice = path("data/a.txt");
        slice.insert(QStringLiteral("offset"), 7);
        slice.insert(QStringLiteral("length"), 5);
        QCOMPARE(call("read_file", slice).text, QStringLiteral("w\u00f6rl"));

        QJsonObject edit = path("data/a.txt");
        edit.insert(QStringLiteral("edits"),
                    QJsonArray{
                            QJsonObject{{QStringLiteral("oldText"), QStringLiteral("h\u00e9llo")},
                                        {QStringLiteral("newText"), QStringLiteral("bye")}}});
        edit.insert(QStringLiteral("dryRun"), true);
        const ToolResult preview = call("edit_file", edit);
        QVERIFY2(!preview.isError && preview.text.startsWith(QLatin1String("```diff\n"))
                         && preview.text.contains(QStringLiteral("-h\u00e9llo w\u00f6rld\n"))
                         && preview.text.contains(QStringLiteral("+bye w\u00f6rld\n")),
                 qPrintable(preview.text));
        QCOMPARE(call("read_file", path("data/a.txt")).text, text); // a dry run writes nothing
        edit.insert(QStringLiteral("dryRun"), false);
        QVERIFY(!call("edit_file", edit).isError);
        QCOMPARE(call("read_file", path("data/a.txt")).text,
                 QStringLiteral("bye w\u00f6rld\nsecond line\n"));
        const ToolResult unmatched = call("edit_file", edit); // its old text is gone now
        QVERIFY(unmatched.isError);
        QVERIFY2(unmatched.text.contains(QLatin1String("Could not find exact match")),
                 qPrintable(unmatched.text));

        const QJsonObject move{{QStringLiteral("source"), QStringLiteral("data/a.txt")},
                               {QStringLiteral("destination"), QStringLiteral("data/deep/b.txt")}};
        QCOMPARE(call("move_file", move).text,
                 QStringLiteral("Successfully moved data/a.txt to data/deep/b.txt"));
        QVERIFY(!call("write_file", {{QStringLiteral("path"), QStringLiteral("data/a.txt")},
                                     {QStringLiteral("content"), QStringLiteral("again")}})
                         .isError);
        QVERIFY(call("move_file", move).isError); // never over an existing file

        QJsonObject search = path("data");
        search.insert(QStringLiteral("pattern"), QStringLiteral("*.txt"));
        QCOMPARE(call("search_files", search).text, QStringLiteral("data/a.txt\ndata/deep/b.txt"));
        search.insert(QStringLiteral("excludePatterns"), QJsonArray{QStringLiteral("deep")});
        QCOMPARE(call("search_files", search).text, QStringLiteral("data/a.txt"));
        // The Python SDK sends its exclusions joined with commas.
        search.insert(QStringLiteral("excludePatterns"), QStringLiteral("nothing*,deep"));
        QCOMPARE(call("search_files", search).text, QStringLiteral("data/a.txt"));
        search.insert(QStringLiteral("pattern"), QStringLiteral("B."));
        search.remove(QStringLiteral("excludePatterns"));
        QCOMPARE(call("search_files", search).text, QStringLiteral("data/deep/b.txt"));

        const ToolResult both = call("read_multiple_files",
                                     {{QStringLiteral("paths"),
                                       QJsonArray{QStringLiteral("data/a.txt"),
                                                  QStringLiteral("nope.txt")}}});
        QCOMPARE(both.text.section(QStringLiteral("\n---\n"), 0, 0),
                 QStringLiteral("data/a.txt:\nagain\n"));
        QVERIFY2(both.text.section(QStringLiteral("\n---\n"), 1)
                         .startsWith(QLatin1String("nope.txt: Error - FileNotFoundError")),
                 qPrintable(both.text));

        QCOMPARE(call("delete_file", path("data/deep/b.txt")).text,
                 QStringLiteral("Successfully deleted data/deep/b.txt"));
        QVERIFY(call("get_file_info", path("data/deep/b.txt"))
                        .text.startsWith(QLatin1String("FileNotFoundError")));
        QVERIFY(call("delete_file", path("data"))
                        .text.startsWith(QLatin1String("IsADirectoryError")));
        // Outside the session's writable places: refused by the read-only system.
        for (const char *tool : {"create_directory", "delete_file"}) {
            const ToolResult refused = call(tool, path("/usr/lib/os-release"));
            QVERIFY2(refused.isError, qPrintable(QLatin1String(tool) + refused.text));
        }
        QVERIFY(call("create_directory", path("/opt/data"))
                        .text.contains(QLatin1String("Read-only file system")));
    }

    // read(path, format="bytes"): the SDKs read 50 KiB chunks with "format": "binary" and get each
    // chunk's bytes in base64.
    void readFile_binaryFormat_answersTheBytesInBase64()
    {
        Session session(m_client);
        const RunCodeResult written
                = run(session,
                      QStringLiteral("open('/tmp/blob.bin', 'wb').write(bytes(range(256)) * 3)"));
        QVERIFY2(written.success, qPrintable(written.errorMessage));
        QByteArray expected;
        for (int i = 0; i < 3 * 256; ++i)
            expected.append(static_cast<char>(i % 256));
        QByteArray read;
        for (int offset = 0; offset < expected.size(); offset += 500) {
            const ToolResult chunk = toolResult(
                    session,
                    session.callTool(QStringLiteral("read_file"),
                                     {{QStringLiteral("path"), QStringLiteral("/tmp/blob.bin")},
                                      {QStringLiteral("offset"), offset},
                                      {QStringLiteral("length"),
                                       std::min<int>(500,
                                                     static_cast<int>(expected.size()) - offset)},
                                      {QStringLiteral("format"), QStringLiteral("binary")}}));
            QVERIFY2(!chunk.isError, qPrintable(chunk.text));
            const auto decoded
                    = QByteArray::fromBase64Encoding(chunk.text.toLatin1(),
                                                     QByteArray::AbortOnBase64DecodingErrors);
            QVERIFY2(decoded, qPrintable(chunk.text.left(200)));
            read += *decoded;
        }
        QCOMPARE(read, expected);
        const ToolResult unknown = toolResult(session,
                                              session.callTool(QStringLiteral("read_file"),
                                                               {{QStringLiteral("path"),
                                                                 QStringLiteral("/tmp/blob.bin")},
                                                                {QStringLiteral("format"),
                                                                 QStringLiteral("hex")}}));
        QVERIFY2(unknown.isError
                         && unknown.text.contains(QLatin1String("format must be text or binary")),
                 qPrintable(unknown.text));
    }

    // The playground's own sandbox gives code a lower CPU priority (--code-niceness 10): its
    // kernels and commands, and their scheduler autogroup, so a flood gives way to the window; a
    // server started without the flag leaves code at its own priority. The server's own group
    // (and with it these tests') is never changed.
    void codeNiceness_lowersTheCodesPriorityAndItsGroupOnly()
    {
        QFile own(QStringLiteral("/proc/self/autogroup"));
        if (!own.open(QIODevice::ReadOnly))
            QSKIP("this kernel has no scheduler autogroups");
        const QByteArray ownBefore = own.readAll();
        own.close();
        const QString probe = QStringLiteral(
                "import os\nprint(os.nice(0), open('/proc/self/autogroup').read().split()[-1])");
        {
            Session session(m_client);
            QCOMPARE(run(session, probe).stdoutText(), QStringLiteral("0 0\n"));
        }
        agentbay::test::LocalSandbox lowered;
        lowered.launcher().setExtraArguments(agentbay::client::BackendPool::LocalArguments);
        QVERIFY(lowered.start(30000));
        {
            Session session(&lowered.client());
            QCOMPARE(run(session, probe).stdoutText(), QStringLiteral("10 10\n"));
            const auto shell = ActionResults::parseShell(
                    toolResult(session,
                               session.runShell(QStringLiteral(
                                                        "nice; cut -d' ' -f3 /proc/self/autogroup"),
                                                5000)));
            QCOMPARE(shell.stdoutText, QStringLiteral("10\n10\n"));
        }
        QVERIFY(lowered.stop());
        QVERIFY(own.open(QIODevice::ReadOnly));
        QCOMPARE(own.readAll(), ownBefore);
    }

    // watch_directory polls get_file_change: a JSON list of what changed under the directory
    // since the last call, in the SDKs' eventType/path/pathType shape; the first call starts it.
    void getFileChange_listsWhatChangedSinceTheLastLook()
    {
        Session session(m_client);
        const auto call = [&session](const char *tool, const QJsonObject &args) {
            return toolResult(session, session.callTool(QLatin1String(tool), args));
        };
        const QJsonObject watched{{QStringLiteral("path"), QStringLiteral("/tmp/watched")}};
        const auto changes = [&] {
            const ToolResult answer = call("get_file_change", watched);
            const QJsonDocument document = QJsonDocument::fromJson(answer.text.toUtf8());
            QStringList events;
            if (answer.isError || !document.isArray())
                return QStringList{QStringLiteral("not a list: ") + answer.text};
            for (const QJsonValue &event : document.array()) {
                const QJsonObject object = event.toObject();
                events.append(QStringLiteral("%1 %2 %3")
                                      .arg(object.value(QLatin1String("eventType")).toString(),
                                           object.value(QLatin1String("pathType")).toString(),
                                           object.value(QLatin1String("path")).toString()));
            }
            return events;
        };
        const ToolResult missing = call("get_file_change", watched);
        QVERIFY2(missing.isError && missing.text.contains(QLatin1String("not a directory")),
                 qPrintable(missing.text));
        QVERIFY(!call("create_directory", watched).isError);
        QVERIFY(!toolResult(session, session.writeFile(QStringLiteral("/tmp/watched/old.txt"),
                                                       QStringLiteral("1")))
                         .isError);
        QCOMPARE(changes(), QStringList()); // the first look
        QCOMPARE(changes(), QStringList()); // nothing since

        // Code and tools change the same machine.
        const RunCodeResult changed = run(session,
                                          QStringLiteral(
                                                  "import os\n"
                                                  "open('/tmp/watched/new.txt', 'w').write('x')\n"
                                                  "os.mkdir('/tmp/watched/sub')\n"
                                                  "open('/tmp/watched/old.txt', 'a').write('22')"));
        QVERIFY2(changed.success, qPrintable(changed.errorMessage));
        QCOMPARE(changes(), (QStringList{QStringLiteral("create file /tmp/watched/new.txt"),
                                         QStringLiteral("modify file /tmp/watched/old.txt"),
                                         QStringLiteral("create directory /tmp/watched/sub")}));
        QVERIFY(!call("delete_file",
                      {{QStringLiteral("path"), QStringLiteral("/tmp/watched/new.txt")}})
                         .isError);
        QCOMPARE(changes(), QStringList{QStringLiteral("delete file /tmp/watched/new.txt")});
        QCOMPARE(changes(), QStringList());
    }

    void aSessionIsOneMachine_itsKernelsShellAndFileToolsShareTmpAndHome()
    {
        Session session(m_client);
        const RunCodeResult written
                = run(session,
                      QStringLiteral("import os\n"
                                     "open('/tmp/shared.txt', 'w').write('from python')\n"
                                     "open(os.path.expanduser('~/note.txt'), 'w').write('home')\n"
                                     "print(os.environ['HOME'])"));
        QVERIFY2(written.success, qPrintable(written.errorMessage));
        QCOMPARE(written.stdoutText(), QStringLiteral("/home/user\n"));

        QSignalSpy ran(&session, &Session::runFinished);
        session.runCode(QStringLiteral("const fs = require('fs');\n"
                                       "console.log(fs.readFileSync('/tmp/shared.txt', 'utf8'), "
                                       "fs.readFileSync(process.env.HOME + '/note.txt', 'utf8'));\n"
                                       "fs.writeFileSync('/tmp/from-node.txt', 'node');"),
                        QStringLiteral("javascript"), 20);
        QVERIFY(ran.wait(30000));
        QCOMPARE(ran.first().at(1).value<RunCodeResult>().stdoutText(),
                 QStringLiteral("from python home\n"));

        const auto shell = ActionResults::parseShell(
                toolResult(session, session.runShell(QStringLiteral("cat shared.txt from-node.txt"),
                                                     5000, QStringLiteral("/tmp"))));
        QCOMPARE(shell.stdoutText, QStringLiteral("from pythonnode"));
        QCOMPARE(toolResult(session, session.readFile(QStringLiteral("/tmp/from-node.txt"))).text,
                 QStringLiteral("node"));
        QVERIFY(!toolResult(session, session.writeFile(QStringLiteral("/tmp/by-tool.txt"),
                                                       QStringLiteral("tool")))
                         .isError);
        QCOMPARE(run(session, QStringLiteral("print(open('/tmp/by-tool.txt').read())")).stdoutText(),
                 QStringLiteral("tool\n"));

        // Another session is another machine.
        Session other(m_client);
        const RunCodeResult elsewhere
                = run(other, QStringLiteral("import os\nprint(os.path.exists('/tmp/shared.txt'), "
                                            "os.path.exists(os.path.expanduser('~/note.txt')))"));
        QCOMPARE(elsewhere.stdoutText(), QStringLiteral("False False\n"));
    }

    void rKernel_keepsState_printsAndFailsAsRDoes_andStopsOnTimeout()
    {
        if (!QFile::exists(QStringLiteral("/usr/bin/Rscript")))
            QSKIP("R is not installed here (Debian's r-base-core and r-cran-jsonlite)");
        Session session(m_client);
        const auto runR = [&session](const QString &code, int timeoutSeconds = 20) {
            QSignalSpy spy(&session, &Session::runFinished);
            session.runCode(code, QStringLiteral("r"), timeoutSeconds);
            return spy.wait(30000) ? spy.first().at(1).value<RunCodeResult>() : RunCodeResult{};
        };
        const RunCodeResult first = runR(QStringLiteral(
                "x <- c(3, 1, 2)\ncat('sorted:', sort(x), '\\n')\nmessage('a note')\n"
                "warning('careful')\nlength(x)\nsum(x)"));
        QVERIFY2(first.success, qPrintable(first.errorMessage));
        // Each visible value but the last is printed, as at R's prompt; the last is the result.
        QCOMPARE(first.stdoutText(), QStringLiteral("sorted: 1 2 3 \n[1] 3\n"));
        QCOMPARE(first.stderrText(), QStringLiteral("a note\nWarning message:\ncareful\n"));
        QCOMPARE(first.results.value(0).text(), QStringLiteral("[1] 6"));
        QVERIFY(first.results.value(0).isMainResult);

        const RunCodeResult failed = runR(
                QStringLiteral("f <- function(v) stop('no ', v)\nf('luck')"));
        QVERIFY(!failed.success);
        QVERIFY(failed.error);
        QCOMPARE(failed.error->value, QStringLiteral("no luck"));
        QCOMPARE(failed.error->traceback, QStringLiteral("Error in f(\"luck\") : no luck\n"));

        const RunCodeResult slow = runR(QStringLiteral("cat('before\\n'); Sys.sleep(30)"), 1);
        QVERIFY(slow.timedOut || (slow.error && slow.error->name == QLatin1String("TimeoutError")));
        const RunCodeResult after = runR(QStringLiteral("x * 10"));
        QCOMPARE(after.results.value(0).text(), QStringLiteral("[1] 30 10 20")); // x survived
        QCOMPARE(after.executionCount, 4);
    }

    void javaKernel_keepsState_givesTheLastValue_andStopsOnTimeout()
    {
        if (!QFile::exists(QStringLiteral("/usr/bin/jshell")))
            QSKIP("no JDK here (Debian's default-jdk-headless)");
        Session session(m_client);
        const auto runJava = [&session](const QString &code, int timeoutSeconds = 30) {
            QSignalSpy spy(&session, &Session::runFinished);
            session.runCode(code, QStringLiteral("java"), timeoutSeconds);
            return spy.wait(60000) ? spy.first().at(1).value<RunCodeResult>() : RunCodeResult{};
        };
        const RunCodeResult first = runJava(QStringLiteral(
                "import java.util.*;\nList<Integer> xs = new ArrayList<>(List.of(3, 1, 2));\n"
                "Collections.sort(xs);\nSystem.out.println(\"sorted: \" + xs);\n"
                "System.err.println(\"a note\");\nint twice(int v) { return 2 * v; }\n"
                "twice(xs.size())"));
        QVERIFY2(first.success, qPrintable(first.errorMessage + first.stderrText()));
        QCOMPARE(first.stdoutText(), QStringLiteral("sorted: [1, 2, 3]\n"));
        QCOMPARE(first.stderrText(), QStringLiteral("a note\n"));
        QCOMPARE(first.results.value(0).text(), QStringLiteral("6"));
        QVERIFY(first.results.value(0).isMainResult);
        // The session's machine: Java sees the /tmp the other kernels write, and leaves nothing
        // of its own there.
        QVERIFY(run(session, QStringLiteral("open('/tmp/from-python.txt', 'w').write('py')"))
                        .success);
        const RunCodeResult shared = runJava(QStringLiteral(
                "new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("
                "\"/tmp/from-python.txt\"))) + \" \" + new java.io.File(\"/tmp\").list().length"));
        QCOMPARE(shared.results.value(0).text(), QStringLiteral("\"py 1\""));

        const RunCodeResult thrown = runJava(QStringLiteral("int y = xs.get(0) / 0;"));
        QVERIFY(!thrown.success);
        QVERIFY(thrown.error);
        QCOMPARE(thrown.error->name, QStringLiteral("java.lang.ArithmeticException"));
        QCOMPARE(thrown.error->value, QStringLiteral("/ by zero"));
        const RunCodeResult rejected = runJava(QStringLiteral("String s = 5;"));
        QVERIFY(!rejected.success);
        QCOMPARE(rejected.error->name, QStringLiteral("CompilationException"));
        QVERIFY2(rejected.error->traceback.contains(QLatin1String("incompatible types")),
                 qPrintable(rejected.error->traceback));

        const RunCodeResult slow
                = runJava(QStringLiteral("System.out.println(\"before\");\nThread.sleep(30000);"),
                          2);
        QVERIFY(slow.timedOut || (slow.error && slow.error->name == QLatin1String("TimeoutError")));
        QCOMPARE(slow.stdoutText(), QStringLiteral("before\n"));
        const RunCodeResult after = runJava(QStringLiteral("twice(xs.get(2))"));
        QCOMPARE(after.results.value(0).text(), QStringLiteral("6")); // state survived the stop
        QCOMPARE(after.executionCount, 6);
    }

    void labels_filterAndPageTheSessionList()
    {
        Session first(m_client);
        first.setLabels({{QStringLiteral("suite"), QStringLiteral("actions")},
                         {QStringLiteral("n"), QStringLiteral("1")}});
        Session second(m_client);
        second.setLabels({{QStringLiteral("suite"), QStringLiteral("actions")},
                          {QStringLiteral("n"), QStringLiteral("2")}});
        Session other(m_client);
        QVERIFY(run(first, QStringLiteral("1")).success);
        QVERIFY(run(second, QStringLiteral("1")).success);
        QVERIFY(run(other, QStringLiteral("1")).success);

        QVERIFY(waitFor(m_client->setLabels(other.id(), {{QStringLiteral("suite"),
                                                          QStringLiteral("elsewhere")}}))
                        .ok());
        QCOMPARE(ActionResults::parseLabels(waitFor(m_client->getLabels(other.id())).envelope.data)
                         .value(QStringLiteral("suite")),
                 QStringLiteral("elsewhere"));

        SessionDirectory directory(m_client);
        QSignalSpy listed(&directory, &SessionDirectory::listed);
        directory.listAll({{QStringLiteral("suite"), QStringLiteral("actions")}},
                          1); // one per page
        QVERIFY(listed.wait(10000));
        const auto sessions
                = listed.first().first().value<QList<agentbay::protocol::SessionSummary>>();
        QCOMPARE(sessions.size(), 2);
        QCOMPARE(sessions.at(0).sessionId, first.id());
        QCOMPARE(sessions.at(1).sessionId, second.id());

        const ApiCallResult bad = waitFor(m_client->setLabels(other.id(), {}));
        QCOMPARE(bad.error.code, QStringLiteral("InvalidParameter.Labels"));
    }

    void pauseKeepsStateAndRefusesRunsUntilResumed()
    {
        Session session(m_client);
        QVERIFY(run(session, QStringLiteral("kept = 41")).success);
        QSignalSpy paused(&session, &Session::paused);
        session.pause(50);
        QVERIFY(paused.wait(5000));
        QCOMPARE(paused.first().at(0).toBool(), true);
        QCOMPARE(ActionResults::parseSessionInfo(
                         waitFor(m_client->getSession(session.id())).envelope.data)
                         .status,
                 QStringLiteral("PAUSED"));
        // A run sent straight to a paused session is refused clearly.
        const ApiCallResult refused = waitFor(
                m_client->callTool(session.id(), QStringLiteral("run_code"),
                                   {{QStringLiteral("code"), QStringLiteral("1")},
                                    {QStringLiteral("language"), QStringLiteral("python")},
                                    {QStringLiteral("timeout_s"), 5}}));
        const ToolResult refusal = ActionResults::parseToolResult(refused.envelope.data);
        QVERIFY(refusal.isError);
        QVERIFY(refusal.text.contains(QLatin1String("paused")));

        QSignalSpy resumed(&session, &Session::resumed);
        session.resume(50);
        QVERIFY(resumed.wait(5000));
        QCOMPARE(resumed.first().at(0).toBool(), true);
        const RunCodeResult after = run(session, QStringLiteral("kept + 1"));
        QVERIFY2(after.success, qPrintable(after.errorMessage));
        QCOMPARE(after.results.value(0).text(), QStringLiteral("42"));
    }
};

QTEST_GUILESS_MAIN(TestSandboxActions)
#include "tst_sandboxactions.moc"
