// SPDX-License-Identifier: GPL-3.0-or-later
// CodeResultCodec reads every run_code shape the SDKs accept and keeps the union of what they keep.
#include "protocol/coderesultcodec.h"

#include "fixtures.h"

#include <QJsonArray>
#include <QTest>

using agentbay::protocol::ExecutionError;
using agentbay::protocol::MimeBundle;
using agentbay::protocol::RunCodeResult;
namespace CodeResultCodec = agentbay::protocol::CodeResultCodec;

namespace {
QJsonValue fixtureData(const QString &name)
{
    return agentbay::test::wireJson(name + QStringLiteral(".response.json"))
            .value(QLatin1String("body"))
            .toObject()
            .value(QLatin1String("Data"));
}

QJsonObject textData(const QString &text, bool isError = false)
{
    return CodeResultCodec::toolData(text, isError);
}
} // namespace

class TestCodeResultCodec final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Qt clears the guard after each test function, so it is set again before each one.
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }

    void parse_pythonFixture_givesStdoutAndMainResult()
    {
        const RunCodeResult result = CodeResultCodec::parseToolData(
                fixtureData(QStringLiteral("02-call-run-code-python")));
        QVERIFY(result.success);
        QCOMPARE(result.stdoutChunks, QStringList{QStringLiteral("hello from python\n")});
        QCOMPARE(result.results.size(), 1);
        QVERIFY(result.results.first().isMainResult);
        QCOMPARE(result.results.first().text(), QStringLiteral("2"));
        QCOMPARE(result.legacyResultText(), QStringLiteral("2"));
        QVERIFY(!result.error);
    }

    void parse_javascriptFixture_givesStdout()
    {
        const RunCodeResult result = CodeResultCodec::parseToolData(
                fixtureData(QStringLiteral("03-call-run-code-javascript")));
        QVERIFY(result.success);
        QVERIFY(!result.stdoutChunks.isEmpty());
    }

    void parse_isErrorWithStructuredJson_isParsedNotDropped()
    {
        // The Python SDK drops this into error_message as raw JSON; we keep every part.
        const RunCodeResult result = CodeResultCodec::parseToolData(
                fixtureData(QStringLiteral("05-call-run-code-python-error")));
        QVERIFY(!result.success);
        QVERIFY(result.toolReportedError);
        QVERIFY(result.error.has_value());
        QCOMPARE(result.error->name, QStringLiteral("NameError"));
        QCOMPARE(result.error->value, QStringLiteral("name 'undefined_name' is not defined"));
        QCOMPARE(result.executionError,
                 QStringLiteral("NameError: name 'undefined_name' is not defined"));
        QCOMPARE(result.errorMessage, result.executionError); // as the TS SDK reports it
        QCOMPARE(result.stderrChunks.size(), 2);
        QCOMPARE(result.traceId, QStringLiteral("trace-1d31824d5d9f482a"));
    }

    void parse_dataAsJsonString_isAccepted()
    {
        const QJsonObject data = fixtureData(QStringLiteral("02-call-run-code-python")).toObject();
        const QString asString = QString::fromUtf8(
                QJsonDocument(data).toJson(QJsonDocument::Compact));
        const RunCodeResult result = CodeResultCodec::parseToolData(asString);
        QCOMPARE(result.stdoutText(), QStringLiteral("hello from python\n"));
        QCOMPARE(result.results.value(0).text(), QStringLiteral("2"));
    }

    void parse_doubleEncodedItemsAndCharts_keepEveryMimeType()
    {
        const QString bundle = QStringLiteral(
                R"({"text/plain":"chart","application/vnd.vegalite.v4+json":{"mark":"bar"},)"
                R"("application/vnd.vegalite.v5+json":{"mark":"line"},"application/vnd.vega.v5+json":{"marks":[]},)"
                R"("image/png":"iVBORw0KGgo=","text/latex":"$x$","is_main_result":true})");
        // Encoded twice: the item is a JSON string whose content is a JSON string literal.
        const QString literal = QString::fromUtf8(QJsonDocument(QJsonArray{bundle})
                                                          .toJson(QJsonDocument::Compact))
                                        .mid(1)
                                        .chopped(1);
        const QJsonObject payload{{QStringLiteral("executionError"), QString()},
                                  {QStringLiteral("result"), QJsonArray{literal}},
                                  {QStringLiteral("stdout"), QJsonArray()}};
        const RunCodeResult result
                = CodeResultCodec::parseToolText(QString::fromUtf8(QJsonDocument(payload).toJson(
                                                         QJsonDocument::Compact)),
                                                 false);
        QCOMPARE(result.results.size(), 1);
        const MimeBundle &parsed = result.results.first();
        QVERIFY(parsed.isMainResult);
        QCOMPARE(parsed.data.value(QStringLiteral("application/vnd.vegalite.v4+json")),
                 QStringLiteral(R"({"mark":"bar"})"));
        QCOMPARE(parsed.data.value(QStringLiteral("application/vnd.vegalite.v5+json")),
                 QStringLiteral(R"({"mark":"line"})"));
        QCOMPARE(parsed.data.value(QStringLiteral("application/vnd.vega.v5+json")),
                 QStringLiteral(R"({"marks":[]})"));
        QCOMPARE(parsed.data.value(QStringLiteral("image/png")), QStringLiteral("iVBORw0KGgo="));
        QCOMPARE(parsed.data.value(QStringLiteral("text/latex")), QStringLiteral("$x$"));
    }

    void parse_legacyRichShape_isAccepted()
    {
        const QString text = QStringLiteral(
                R"({"logs":{"stdout":["a\n"],"stderr":["w\n"]},"results":[{"text":"3","html":"<b>3</b>","is_main_result":true}],)"
                R"("error":{"name":"ValueError","value":"bad","traceback":"tb"},"execution_count":4,"execution_time":0.25})");
        const RunCodeResult result = CodeResultCodec::parseToolText(text, false);
        QVERIFY(!result.success);
        QCOMPARE(result.stdoutChunks, QStringList{QStringLiteral("a\n")});
        QCOMPARE(result.stderrChunks, QStringList{QStringLiteral("w\n")});
        QCOMPARE(result.results.value(0).data.value(QStringLiteral("text/html")),
                 QStringLiteral("<b>3</b>"));
        QVERIFY(result.results.value(0).isMainResult);
        QCOMPARE(result.error->name, QStringLiteral("ValueError"));
        QCOMPARE(result.error->traceback, QStringLiteral("tb"));
        QCOMPARE(result.executionCount, 4);
        QCOMPARE(result.executionTimeSeconds, 0.25);
    }

    void parse_plainText_isStdoutAndMainResult()
    {
        const RunCodeResult result = CodeResultCodec::parseToolData(
                textData(QStringLiteral("hello\n")));
        QVERIFY(result.success);
        QCOMPARE(result.stdoutChunks, QStringList{QStringLiteral("hello\n")});
        QVERIFY(result.results.value(0).isMainResult);
        QCOMPARE(result.results.value(0).text(), QStringLiteral("hello\n"));
    }

    void parse_plainTextWithIsError_isTheErrorMessage()
    {
        const RunCodeResult result = CodeResultCodec::parseToolData(
                textData(QStringLiteral("tool not found"), true));
        QVERIFY(!result.success);
        QCOMPARE(result.errorMessage, QStringLiteral("tool not found"));
        QVERIFY(result.results.isEmpty());
    }

    void parse_executionCountAndTime_inEitherSpelling_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("camel") << R"({"result":[],"stdout":[],"executionCount":7,"executionTime":1.5})";
        QTest::newRow("snake")
                << R"({"result":[],"stdout":[],"execution_count":7,"execution_time":1.5})";
    }

    void parse_executionCountAndTime_inEitherSpelling()
    {
        QFETCH(QString, text);
        const RunCodeResult result = CodeResultCodec::parseToolText(text, false);
        QCOMPARE(result.executionCount, 7);
        QCOMPARE(result.executionTimeSeconds, 1.5);
    }

    void parse_flatExecutionErrorWithoutName_keepsWholeText()
    {
        const RunCodeResult result = CodeResultCodec::parseToolText(
                QStringLiteral(R"({"executionError":"kernel restarted unexpectedly","result":[]})"),
                false);
        QVERIFY(!result.success);
        QCOMPARE(result.error->name, QStringLiteral("ExecutionError"));
        QCOMPARE(result.error->value, QStringLiteral("kernel restarted unexpectedly"));
    }

    void roundTrip_sandboxTextParsesBackToTheSameResult()
    {
        RunCodeResult original;
        original.stdoutChunks = {QStringLiteral("line 1\n"), QStringLiteral("ü\n")};
        original.stderrChunks = {QStringLiteral("warn\n")};
        MimeBundle bundle;
        bundle.data.insert(QStringLiteral("text/plain"), QStringLiteral("42"));
        bundle.data.insert(QStringLiteral("text/html"), QStringLiteral("<i>42</i>"));
        bundle.isMainResult = true;
        original.results = {bundle};
        original.error = ExecutionError{QStringLiteral("TimeoutError"), QStringLiteral("too slow"),
                                        QStringLiteral("tb")};
        original.executionError = QStringLiteral("TimeoutError: too slow");
        original.executionCount = 3;
        original.executionTimeSeconds = 2.5;
        original.timedOut = true;

        const RunCodeResult parsed = CodeResultCodec::parseToolData(
                CodeResultCodec::toolData(CodeResultCodec::toToolText(original), false));
        QCOMPARE(parsed.stdoutChunks, original.stdoutChunks);
        QCOMPARE(parsed.stderrChunks, original.stderrChunks);
        QCOMPARE(parsed.results, original.results);
        QCOMPARE(parsed.error, original.error);
        QCOMPARE(parsed.executionError, original.executionError);
        QCOMPARE(parsed.executionCount, 3);
        QCOMPARE(parsed.executionTimeSeconds, 2.5);
        QVERIFY(parsed.timedOut);
        QVERIFY(!parsed.success);
    }

    void codeFrames_pointIntoTheSubmittedCode_data()
    {
        QTest::addColumn<QString>("traceback");
        QTest::addColumn<QList<int>>("lines");
        QTest::addColumn<QString>("innermost");
        QTest::newRow("python nested") << "Traceback (most recent call last):\n  File \"<cell>\", "
                                          "line 3, in <module>\n    f()\n"
                                          "  File \"<cell>\", line 2, in f\n    return "
                                          "1/0\nZeroDivisionError: division by zero\n"
                                       << QList<int>{3, 2} << "f";
        QTest::newRow("python syntax")
                << "  File \"<cell>\", line 4\n    if x\n        ^\nSyntaxError: expected ':'\n"
                << QList<int>{4} << "";
        QTest::newRow("javascript, innermost first")
                << "TypeError: bad\n    at f (cell.js:1:21)\n    at cell.js:2:1" << QList<int>{2, 1}
                << "f";
        QTest::newRow("no frames of ours")
                << "Error: boom\n    at node:internal/x:1:1" << QList<int>{} << "";
    }

    void codeFrames_pointIntoTheSubmittedCode()
    {
        QFETCH(QString, traceback);
        QFETCH(QList<int>, lines);
        QFETCH(QString, innermost);
        const ExecutionError error{QStringLiteral("E"), QStringLiteral("v"), traceback};
        const auto frames = error.codeFrames();
        QList<int> found;
        for (const auto &frame : frames)
            found.append(frame.line);
        QCOMPARE(found, lines);
        if (!frames.isEmpty())
            QCOMPARE(frames.last().function, innermost);
    }

    void legacyResultText_followsTheSdkRule()
    {
        RunCodeResult result;
        result.stdoutChunks = {QStringLiteral("out")};
        QCOMPARE(result.legacyResultText(), QStringLiteral("out"));
        MimeBundle first;
        first.data.insert(QStringLiteral("text/plain"), QStringLiteral("first"));
        result.results.append(first);
        QCOMPARE(result.legacyResultText(), QStringLiteral("first"));
        MimeBundle main;
        main.data.insert(QStringLiteral("text/plain"), QStringLiteral("main"));
        main.isMainResult = true;
        result.results.append(main);
        QCOMPARE(result.legacyResultText(), QStringLiteral("main"));
    }

    void resultJson_roundTrips_andCompactKeepsTheJoinedOutput()
    {
        using namespace agentbay::protocol;
        RunCodeResult result;
        result.success = false;
        result.stdoutChunks = {QStringLiteral("a\n"), QStringLiteral("b\n")};
        result.stderrChunks = {QStringLiteral("warn\n")};
        MimeBundle main;
        main.data.insert(QStringLiteral("text/plain"), QStringLiteral("42"));
        main.isMainResult = true;
        MimeBundle html;
        html.data.insert(QStringLiteral("text/html"), QStringLiteral("<b>x</b>"));
        result.results = {html, main};
        result.error = ExecutionError{QStringLiteral("ValueError"), QStringLiteral("bad"),
                                      QStringLiteral("Traceback…\nValueError: bad")};
        result.executionError = QStringLiteral("ValueError: bad");
        result.errorMessage = QStringLiteral("the run raised");
        result.executionCount = 7;
        result.executionTimeSeconds = 0.25;
        result.timedOut = true;
        result.cancelled = true;
        result.droppedOutputCharacters = 12;
        result.requestId = QStringLiteral("req-1");

        const QJsonObject full = CodeResultCodec::resultToJson(result);
        const RunCodeResult back = CodeResultCodec::resultFromJson(full);
        QCOMPARE(back.stdoutChunks, result.stdoutChunks);
        QCOMPARE(back.stderrChunks, result.stderrChunks);
        QCOMPARE(back.results, result.results);
        QCOMPARE(back.error, result.error);
        QCOMPARE(back.executionError, result.executionError);
        QCOMPARE(back.errorMessage, result.errorMessage);
        QCOMPARE(back.executionCount, 7);
        QCOMPARE(back.executionTimeSeconds, 0.25);
        QVERIFY(back.timedOut && back.cancelled && !back.success);
        QCOMPARE(back.droppedOutputCharacters, 12);
        QCOMPARE(back.requestId, QStringLiteral("req-1"));
        QCOMPARE(full.value(QLatin1String("result")).toString(), result.legacyResultText());

        const QJsonObject compact = CodeResultCodec::resultToJson(result,
                                                                  CodeResultCodec::Detail::Compact);
        QVERIFY(!compact.contains(QLatin1String("logs")));
        QVERIFY(!compact.contains(QLatin1String("result")));
        const RunCodeResult joined = CodeResultCodec::resultFromJson(compact);
        QCOMPARE(joined.stdoutText(), QStringLiteral("a\nb\n"));
        QCOMPARE(joined.stdoutChunks.size(), 1);
        QCOMPARE(joined.error, result.error);

        // No error is null, and reads back as none; an empty run has no output chunks.
        const QJsonObject clean = CodeResultCodec::resultToJson(RunCodeResult());
        QVERIFY(clean.value(QLatin1String("error")).isNull());
        const RunCodeResult empty = CodeResultCodec::resultFromJson(clean);
        QVERIFY(!empty.error);
        QVERIFY(empty.stdoutChunks.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCodeResultCodec)
#include "tst_coderesultcodec.moc"
