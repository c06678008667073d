// SPDX-License-Identifier: GPL-3.0-or-later
// The kernels against the REPLs users know: every case of tests/data/repl/parity.json is a
// sequence of runs in one session of the real agentbay-sandbox, with the stdout, result and error
// each run must give (re-declaration, destructuring, await forms, last-value rules, errors in
// callbacks, tracebacks across runs, display shims, magics, kernel death and recovery). Where
// Node's REPL runs here, tests/integration/node_repl_reference.js replays the JavaScript cases in
// it and this test prints which ones it agrees with.
#include "client/agentbayclient.h"
#include "client/session.h"

#include "testsupport.h"

#include <QJsonArray>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using agentbay::client::AgentBayClient;
using agentbay::client::Session;
using agentbay::protocol::RunCodeResult;

namespace {

const QString Key = QStringLiteral("akm-parity-test-key");

QJsonArray cases()
{
    QFile file(QStringLiteral(AGENTBAY_TEST_DATA_DIR "/repl/parity.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("cases")).toArray();
}

RunCodeResult runIn(Session &session, const QString &code, const QString &language)
{
    QSignalSpy finished(&session, &Session::runFinished);
    const quint64 id = session.runCode(code, language, 20);
    while (finished.wait(30000)) {
        for (const auto &arguments : std::as_const(finished)) {
            if (arguments.first().toULongLong() == id)
                return arguments.at(1).value<RunCodeResult>();
        }
    }
    RunCodeResult none;
    none.errorMessage = QStringLiteral("no answer");
    return none;
}

QString mainResult(const RunCodeResult &result)
{
    for (const auto &bundle : result.results) {
        if (bundle.isMainResult)
            return bundle.text();
    }
    return {};
}

// What differs between a run's answer and its expectation; empty when they agree.
QStringList differences(const QJsonObject &expected, const RunCodeResult &result)
{
    QStringList wrong;
    const auto check = [&wrong](bool ok, const QString &what) {
        if (!ok)
            wrong.append(what);
    };
    if (expected.contains(QLatin1String("stdout"))) {
        check(result.stdoutText() == expected.value(QLatin1String("stdout")).toString(),
              QStringLiteral("stdout %1").arg(result.stdoutText().left(300)));
    }
    if (expected.contains(QLatin1String("stdoutContains"))) {
        check(result.stdoutText().contains(
                      expected.value(QLatin1String("stdoutContains")).toString()),
              QStringLiteral("stdout %1").arg(result.stdoutText().left(300)));
    }
    if (expected.contains(QLatin1String("stderr"))) {
        check(result.stderrText().contains(expected.value(QLatin1String("stderr")).toString()),
              QStringLiteral("stderr %1").arg(result.stderrText().left(300)));
    }
    if (expected.contains(QLatin1String("result"))) {
        check(mainResult(result) == expected.value(QLatin1String("result")).toString(),
              QStringLiteral("result %1").arg(mainResult(result).left(300)));
    }
    if (expected.value(QLatin1String("noResult")).toBool())
        check(mainResult(result).isEmpty(), QStringLiteral("a result %1").arg(mainResult(result)));
    const QString errorName = result.error ? result.error->name : QString();
    if (expected.contains(QLatin1String("error"))) {
        check(errorName == expected.value(QLatin1String("error")).toString(),
              QStringLiteral("error %1: %2 %3")
                      .arg(errorName, result.error ? result.error->value.left(200) : QString(),
                           result.errorMessage.left(200)));
    } else {
        check(!result.error && result.errorMessage.isEmpty(),
              QStringLiteral("unexpected error %1: %2 %3")
                      .arg(errorName, result.error ? result.error->value.left(300) : QString(),
                           result.errorMessage.left(300)));
    }
    if (expected.contains(QLatin1String("line")) && result.error) {
        const auto frame = result.error->raisingFrame(result.executionCount);
        const int line = frame ? frame->line : 0;
        check(line == expected.value(QLatin1String("line")).toInt(),
              QStringLiteral("marked line %1 in %2").arg(line).arg(result.error->traceback));
    }
    if (expected.value(QLatin1String("earlierFrame")).toBool() && result.error) {
        const auto frames = result.error->codeFrames(result.executionCount);
        check(std::any_of(frames.begin(), frames.end(),
                          [](const auto &frame) { return frame.earlierRun; }),
              QStringLiteral("no frame of an earlier run in %1").arg(result.error->traceback));
    }
    if (expected.contains(QLatin1String("traceback")) && result.error) {
        check(QString(result.error->traceback + result.error->value)
                      .contains(expected.value(QLatin1String("traceback")).toString()),
              QStringLiteral("traceback %1").arg(result.error->traceback));
    }
    if (expected.contains(QLatin1String("mime"))) {
        const QString mime = expected.value(QLatin1String("mime")).toString();
        check(std::any_of(result.results.begin(), result.results.end(),
                          [&mime](const auto &bundle) { return bundle.data.contains(mime); }),
              QStringLiteral("no %1 result").arg(mime));
    }
    if (expected.contains(QLatin1String("count"))) {
        check(result.executionCount == expected.value(QLatin1String("count")).toInt(),
              QStringLiteral("execution count %1").arg(result.executionCount));
    }
    return wrong;
}

} // namespace

class TestReplParity final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void corpus_hasFortyCasesPerLanguage()
    {
        int javascript = 0;
        int python = 0;
        for (const QJsonValue &each : cases()) {
            const QString language = each.toObject().value(QLatin1String("language")).toString();
            javascript += language == QLatin1String("javascript");
            python += language == QLatin1String("python");
        }
        QVERIFY2(javascript >= 40, qPrintable(QString::number(javascript)));
        QVERIFY2(python >= 40, qPrintable(QString::number(python)));
    }

    void everyCase_behavesAsTheReplDoes()
    {
        agentbay::test::SandboxProcess sandbox(Key);
        QVERIFY(sandbox.endpoint().isValid());
        AgentBayClient client;
        client.setConfig({sandbox.endpoint(), Key, {}, 60000});
        QStringList failures;
        int runs = 0;
        for (const QJsonValue &each : cases()) {
            const QJsonObject testCase = each.toObject();
            const QString name = testCase.value(QLatin1String("name")).toString();
            const QString language = testCase.value(QLatin1String("language")).toString();
            Session session(&client);
            int index = 0;
            for (const QJsonValue &run : testCase.value(QLatin1String("runs")).toArray()) {
                const QJsonObject expected = run.toObject();
                if (expected.contains(QLatin1String("delayMs"))) // for what happens between runs
                    QTest::qWait(expected.value(QLatin1String("delayMs")).toInt());
                const RunCodeResult result = runIn(session,
                                                   expected.value(QLatin1String("code")).toString(),
                                                   language);
                ++runs;
                ++index;
                for (const QString &wrong : differences(expected, result))
                    failures.append(
                            QStringLiteral("%1, run %2: %3").arg(name).arg(index).arg(wrong));
            }
            QSignalSpy removed(&session, &Session::removed);
            session.remove(10000);
            removed.wait(10000);
        }
        qInfo("%lld cases, %d runs, %lld differences", static_cast<long long>(cases().size()), runs,
              static_cast<long long>(failures.size()));
        for (const QString &failure : std::as_const(failures))
            qWarning("%s", qPrintable(failure));
        QVERIFY(failures.isEmpty());
    }

    void nodesOwnRepl_agreesOnTheJavaScriptCases()
    {
        // A record, not a gate: which cases Node's REPL itself answers the same way.
        const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
        if (node.isEmpty())
            QSKIP("node is not installed here");
        QProcess reference;
        reference.start(node, {QStringLiteral(AGENTBAY_TEST_SOURCE_DIR "/node_repl_reference.js"),
                               QStringLiteral(AGENTBAY_TEST_DATA_DIR "/repl/parity.json")});
        QVERIFY(reference.waitForFinished(60000));
        const QByteArray report = reference.readAllStandardOutput();
        qInfo("%s", report.constData());
        QCOMPARE(reference.exitCode(), 0);
        QVERIFY(report.contains("agrees on"));
    }
};

QTEST_GUILESS_MAIN(TestReplParity)
#include "tst_replparity.moc"
