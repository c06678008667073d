// SPDX-License-Identifier: GPL-3.0-or-later
// ActionResults reads each action's Data the way the SDKs do, with their alternative spellings.
#include "protocol/actionresults.h"
#include "protocol/coderesultcodec.h"

#include "fixtures.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

using agentbay::protocol::ApiError;
namespace ActionResults = agentbay::protocol::ActionResults;
namespace CodeResultCodec = agentbay::protocol::CodeResultCodec;

class TestActionResults final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Qt clears the guard after each test function, so it is set again before each one.
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }

    void linkReply_fromThePythonCapture_givesTheRunResult()
    {
        const QJsonObject response = agentbay::test::wireJson(
                QStringLiteral("python-sdk/py-11-linkurl-calltool-httpx.response.json"));
        ApiError error;
        const QJsonValue result = ActionResults::parseLinkReply(
                200, QJsonDocument(response.value(QLatin1String("body")).toObject()).toJson(),
                &error);
        QVERIFY(!error.isError());
        const auto run = CodeResultCodec::parseToolData(result);
        QVERIFY(run.success);
        QCOMPARE(run.stdoutChunks, QStringList{QStringLiteral("hello from python\n")});
        QCOMPARE(run.legacyResultText(), QStringLiteral("2"));
    }

    void linkReply_failuresAreClear_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("message");
        QTest::newRow("502") << 502 << QByteArray("gateway") << int(ApiError::Kind::ServiceError)
                             << "HTTP request failed with code: 502";
        QTest::newRow("no data.result")
                << 200 << QByteArray(R"({"code":200,"data":"{}"})")
                << int(ApiError::Kind::MalformedResponse) << "no data.result";
        QTest::newRow("not json") << 200 << QByteArray("<html>")
                                  << int(ApiError::Kind::MalformedResponse) << "no data.result";
    }

    void linkReply_failuresAreClear()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, kind);
        QFETCH(QString, message);
        ApiError error;
        ActionResults::parseLinkReply(status, body, &error);
        QCOMPARE(int(error.kind), kind);
        QVERIFY2(error.message.contains(message), qPrintable(error.message));
    }

    void linkCallBody_keepsTheSdkKeyOrder()
    {
        const QByteArray body = ActionResults::linkCallBody(
                QJsonObject{{QStringLiteral("code"), QStringLiteral("print(\"hello via link\")")},
                            {QStringLiteral("language"), QStringLiteral("python")},
                            {QStringLiteral("timeout_s"), 60}},
                QStringLiteral("wuying_codespace"), QStringLiteral("link-1795743126518-474358650"),
                QStringLiteral("run_code"), QStringLiteral("tok-9a50381908374a778ae7d215509ec445"));
        const QByteArray captured = agentbay::test::wireFile(
                QStringLiteral("22-linkurl-calltool-run-code.request.http"));
        QCOMPARE(body, captured.mid(captured.indexOf("\r\n\r\n") + 4));
    }

    void newLinkRequestId_hasTheSdkShape()
    {
        static const QRegularExpression shape(QStringLiteral("^link-\\d{13}-\\d{9}$"));
        const QString id = ActionResults::newLinkRequestId();
        QVERIFY2(shape.match(id).hasMatch(), qPrintable(id));
    }

    void toolList_acceptsEverySpelling()
    {
        const auto tools = ActionResults::parseToolList(QStringLiteral(
                R"([{"name":"run_code","server":"wuying_codespace"},{"Name":"shell","serverName":"wuying_shell"},{"name":"read_file","Server":"fs"},{"description":"nameless"}])"));
        QCOMPARE(tools.size(), 3);
        QCOMPARE(tools.at(0).server, QStringLiteral("wuying_codespace"));
        QCOMPARE(tools.at(1).name, QStringLiteral("shell"));
        QCOMPARE(tools.at(1).server, QStringLiteral("wuying_shell"));
        QCOMPARE(tools.at(2).server, QStringLiteral("fs"));
    }

    void created_usesLinkUrlOnlyWithEveryPart()
    {
        const QJsonObject body = agentbay::test::wireJson(
                                         QStringLiteral(
                                                 "21-create-session-linkurl-mode.response.json"))
                                         .value(QLatin1String("body"))
                                         .toObject();
        ApiError error;
        auto created = ActionResults::parseCreated(body.value(QLatin1String("Data")),
                                                   QStringLiteral("r"), &error);
        QVERIFY(!error.isError());
        QVERIFY(created.usesLinkUrlFor(QStringLiteral("run_code")));
        QCOMPARE(created.serverFor(QStringLiteral("shell")), QStringLiteral("wuying_shell"));
        QVERIFY(!created.usesLinkUrlFor(QStringLiteral("read_file"))); // no server named
        created.token.clear();
        QVERIFY(!created.usesLinkUrlFor(QStringLiteral("run_code")));
    }

    void created_withoutSessionId_isMalformed()
    {
        ApiError error;
        ActionResults::parseCreated(QJsonObject{{QStringLiteral("Success"), true}},
                                    QStringLiteral("r-9"), &error);
        QCOMPARE(error.kind, ApiError::Kind::MalformedResponse);
        QCOMPARE(error.message, QStringLiteral("SessionId not found in response"));
        QCOMPARE(error.requestId, QStringLiteral("r-9"));
    }

    void shell_readsBothShapes()
    {
        const auto ok = ActionResults::parseShell(
                {QStringLiteral(R"({"stdout":"hi\n","stderr":"","exit_code":0,"traceId":"t"})"),
                 false,
                 {}});
        QCOMPARE(ok.stdoutText, QStringLiteral("hi\n"));
        QCOMPARE(ok.exitCode, 0);
        QCOMPARE(ok.traceId, QStringLiteral("t"));
        const auto failed = ActionResults::parseShell(
                {QStringLiteral(R"({"stdout":"","stderr":"no such file","errorCode":127})"),
                 true,
                 {}});
        QVERIFY(failed.isError);
        QCOMPARE(failed.exitCode, 127);
        QCOMPARE(failed.errorCode, QStringLiteral("127"));
        QCOMPARE(failed.stderrText, QStringLiteral("no such file"));
        const auto plain = ActionResults::parseShell(
                {QStringLiteral("permission denied"), true, {}});
        QCOMPARE(plain.stderrText, QStringLiteral("permission denied"));
    }

    void labels_acceptCompactAndSpacedJson()
    {
        const auto spaced = ActionResults::parseLabels(QJsonObject{
                {QStringLiteral("Labels"),
                 QStringLiteral(R"({"project": "playground", "owner": "qt-client"})")}});
        QCOMPARE(spaced.value(QStringLiteral("owner")), QStringLiteral("qt-client"));
        const auto compact = ActionResults::parseLabels(
                QJsonObject{{QStringLiteral("Labels"), QStringLiteral(R"({"a":"1"})")}});
        QCOMPARE(compact.value(QStringLiteral("a")), QStringLiteral("1"));
        QVERIFY(ActionResults::parseLabels(QJsonObject()).isEmpty());
    }

    void toolResult_joinsErrorTextsAndFallsBackToBlob()
    {
        const auto error = ActionResults::parseToolResult(QJsonObject{
                {QStringLiteral("isError"), true},
                {QStringLiteral("content"),
                 QJsonArray{QJsonObject{{QStringLiteral("text"), QStringLiteral("first")}},
                            QJsonObject{{QStringLiteral("text"), QStringLiteral("second")}}}}});
        QVERIFY(error.isError);
        QCOMPARE(error.text, QStringLiteral("first; second"));
        const auto blob = ActionResults::parseToolResult(QJsonObject{
                {QStringLiteral("content"),
                 QJsonArray{QJsonObject{{QStringLiteral("blob"), QStringLiteral("YmxvYg==")}}}}});
        QCOMPARE(blob.text, QStringLiteral("YmxvYg=="));
    }
};

QTEST_GUILESS_MAIN(TestActionResults)
#include "tst_actionresults.moc"
