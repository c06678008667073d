// SPDX-License-Identifier: GPL-3.0-or-later
// Every captured TypeScript SDK request, made by our client against a server that replays the
// captured answer: the request must equal the capture (normalising only Timestamp,
// SignatureNonce, user-agent, host and the chunked framing; SdkStats is compared by shape since
// its values name this client), and what we parse must match what the SDKs returned
// (tests/data/wire/sdk-results), keeping the union where they differ.
#include "client/agentbayclient.h"
#include "client/apicall.h"
#include "client/session.h"
#include "client/sessiondirectory.h"
#include "protocol/actionresults.h"
#include "protocol/coderesultcodec.h"
#include "protocol/rpcrequest.h"

#include "testsupport.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using agentbay::client::AgentBayClient;
using agentbay::client::ApiCall;
using agentbay::client::ApiCallResult;
using agentbay::client::ClientConfig;
using agentbay::client::Session;
using agentbay::protocol::ApiError;
using agentbay::protocol::RpcRequest;
using agentbay::protocol::RunCodeResult;
using agentbay::protocol::ToolResult;
using agentbay::test::ReplayServer;
using agentbay::test::wireFile;
using agentbay::test::wireJson;
namespace ActionResults = agentbay::protocol::ActionResults;

namespace {

using agentbay::test::HttpRequest;
using agentbay::test::parseHttpRequest;

QByteArray normalizedTarget(QByteArray target)
{
    static const QRegularExpression volatileFields(
            QStringLiteral("(Timestamp|SignatureNonce)=[^&]*"));
    return QString::fromLatin1(target).replace(volatileFields, QStringLiteral("\\1=*")).toLatin1();
}

// SdkStats names the client: same keys in the same order, same value types.
bool sameShape(const QByteArray &ours, const QByteArray &theirs)
{
    const QString a = QString::fromUtf8(QByteArray::fromPercentEncoding(ours));
    const QString b = QString::fromUtf8(QByteArray::fromPercentEncoding(theirs));
    static const QRegularExpression keys(QStringLiteral("\"([a-z_]+)\":(\"|true|false)"));
    QStringList keysA, keysB;
    for (auto it = keys.globalMatch(a); it.hasNext();) {
        const auto match = it.next();
        keysA.append(match.captured(1)
                     + (match.captured(2) == QLatin1String("\"") ? QStringLiteral(":s")
                                                                 : QStringLiteral(":b")));
    }
    for (auto it = keys.globalMatch(b); it.hasNext();) {
        const auto match = it.next();
        keysB.append(match.captured(1)
                     + (match.captured(2) == QLatin1String("\"") ? QStringLiteral(":s")
                                                                 : QStringLiteral(":b")));
    }
    return !keysA.isEmpty() && keysA == keysB;
}

// Empty when the request matches the capture, else what differs.
QString differenceFromCapture(const QByteArray &sent, const QString &fixture)
{
    const HttpRequest ours = parseHttpRequest(sent);
    const HttpRequest theirs = parseHttpRequest(wireFile(fixture + QStringLiteral(".request.http")));
    if (normalizedTarget(ours.target) != normalizedTarget(theirs.target))
        return QStringLiteral("target %1 != %2")
                .arg(QString::fromLatin1(ours.target), QString::fromLatin1(theirs.target));
    for (const QByteArray &name :
         {QByteArray("x-acs-version"), QByteArray("x-acs-action"), QByteArray("content-type")}) {
        if (ours.header(name) != theirs.header(name))
            return QStringLiteral("header %1: %2 != %3")
                    .arg(QString::fromLatin1(name), QString::fromLatin1(ours.header(name)),
                         QString::fromLatin1(theirs.header(name)));
    }
    const QList<QByteArray> a = ours.body.split('&');
    const QList<QByteArray> b = theirs.body.split('&');
    if (a.size() != b.size())
        return QStringLiteral("body fields: %1 != %2")
                .arg(QString::fromLatin1(ours.body), QString::fromLatin1(theirs.body));
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a.at(i).startsWith("SdkStats=") && b.at(i).startsWith("SdkStats=")) {
            if (!sameShape(a.at(i).mid(9), b.at(i).mid(9)))
                return QStringLiteral("SdkStats shape differs: %1").arg(QString::fromLatin1(a.at(i)));
        } else if (a.at(i) != b.at(i)) {
            return QStringLiteral("body field %1: %2 != %3")
                    .arg(i)
                    .arg(QString::fromLatin1(a.at(i)), QString::fromLatin1(b.at(i)));
        }
    }
    return {};
}

// "name" replays the fixture's answer; "name:STATUS" replays it with Data.Status replaced.
QByteArray answerFor(const QString &fixture)
{
    const qsizetype colon = fixture.indexOf(QLatin1Char(':'));
    if (colon < 0)
        return ReplayServer::fixtureAnswer(fixture);
    QJsonObject response = wireJson(fixture.left(colon) + QStringLiteral(".response.json"));
    QJsonObject body = response.value(QLatin1String("body")).toObject();
    QJsonObject data = body.value(QLatin1String("Data")).toObject();
    data.insert(QLatin1String("Status"), fixture.mid(colon + 1));
    body.insert(QLatin1String("Data"), data);
    return ReplayServer::answer(200, QJsonDocument(body).toJson());
}

ApiCallResult waitFor(ApiCall *call)
{
    QSignalSpy spy(call, &ApiCall::finished);
    if (!spy.wait(10000))
        return {};
    return spy.first().first().value<ApiCallResult>();
}

QStringList chunks(const QJsonValue &value)
{
    QStringList out;
    const QJsonArray array = value.toArray();
    for (const auto &item : array)
        out.append(item.toString());
    return out;
}

// run_code results against the TS SDK's result, and the Python SDK's where it keeps more.
void compareRun(const RunCodeResult &ours, const QString &tsResult)
{
    const QJsonObject ts = wireJson(QStringLiteral("sdk-results/") + tsResult);
    QCOMPARE(ours.requestId, ts.value(QLatin1String("requestId")).toString());
    QCOMPARE(ours.success, ts.value(QLatin1String("success")).toBool());
    QCOMPARE(ours.legacyResultText(), ts.value(QLatin1String("result")).toString());
    QCOMPARE(ours.errorMessage, ts.value(QLatin1String("errorMessage")).toString());
    const QJsonObject logs = ts.value(QLatin1String("logs")).toObject();
    QCOMPARE(ours.stdoutChunks, chunks(logs.value(QLatin1String("stdout"))));
    QCOMPARE(ours.stderrChunks, chunks(logs.value(QLatin1String("stderr"))));
    const QJsonArray results = ts.value(QLatin1String("results")).toArray();
    QCOMPARE(ours.results.size(), results.size());
    for (qsizetype i = 0; i < results.size(); ++i) {
        const QJsonObject expected = results.at(i).toObject();
        QCOMPARE(ours.results.at(i).text(), expected.value(QLatin1String("text")).toString());
        QCOMPARE(ours.results.at(i).isMainResult,
                 expected.value(QLatin1String("isMainResult")).toBool());
    }
    if (ts.contains(QLatin1String("error"))) {
        // TS flattens the error to ExecutionError/executionError; we keep that text and the name.
        QVERIFY(ours.error.has_value());
        QCOMPARE(ours.executionError, ts.value(QLatin1String("error"))
                                              .toObject()
                                              .value(QLatin1String("value"))
                                              .toString());
    }
}

} // namespace

class TestWireFidelity final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ReplayServer> m_server;
    QStringList m_answers; // fixtures answered in order
    std::unique_ptr<AgentBayClient> m_client;

    void serve(const QStringList &answers,
               const QString &apiKey = QStringLiteral("akm-capture-test-key"))
    {
        m_answers = answers;
        m_server = std::make_unique<ReplayServer>([this](const QByteArray &) {
            if (m_answers.isEmpty())
                return ReplayServer::answer(500, "{\"Code\":\"NoMoreAnswers\"}");
            QByteArray answer = answerFor(m_answers.takeFirst());
            // A LinkUrl in an answer points at this server instead of the capture's.
            answer.replace("http://127.0.0.1:8081", m_server->url().toString().toLatin1());
            return answer;
        });
        m_client = std::make_unique<AgentBayClient>();
        ClientConfig config;
        config.endpoint = m_server->url();
        config.apiKey = apiKey;
        m_client->setConfig(config);
    }

    QByteArray sent(int index) const { return m_server->requests.value(index); }

    // Labels as the capture's session was created with.
    void createVia(Session &session, const QString &labelValue = QStringLiteral("api"))
    {
        session.setLabels({{QStringLiteral("project"), QStringLiteral("playground")},
                           {QStringLiteral("capture_mode"), labelValue}});
    }

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<ApiCallResult>(); }

    void createSession_matchesCaptureAndTheSdkResult()
    {
        serve({QStringLiteral("01-create-session")});
        const ApiCallResult result = waitFor(
                m_client->createSession({{QStringLiteral("project"), QStringLiteral("playground")},
                                         {QStringLiteral("capture_mode"), QStringLiteral("api")}}));
        const QString difference = differenceFromCapture(sent(0),
                                                         QStringLiteral("01-create-session"));
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
        ApiError error;
        const auto created = ActionResults::parseCreated(result.envelope.data,
                                                         result.envelope.requestId, &error);
        QVERIFY(!error.isError());
        QCOMPARE(result.envelope.requestId, wireJson(QStringLiteral("sdk-results/ts-create.json"))
                                                    .value(QLatin1String("requestId"))
                                                    .toString());
        QCOMPARE(created.sessionId, QStringLiteral("session-a59aaa8e63744eedb9b0"));
    }

    void runCode_matchesCapturesAndTheSdkResults_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("language");
        QTest::addColumn<int>("timeout");
        QTest::addColumn<QString>("sdkResult");
        QTest::newRow("python") << "02-call-run-code-python"
                                << "print(\"hello from python\")\n1+1"
                                << "python" << 60 << "ts-runcode-python.json";
        QTest::newRow("javascript") << "03-call-run-code-javascript"
                                    << "console.log(\"hello from javascript\")"
                                    << "javascript" << 60 << "ts-runcode-javascript.json";
        QTest::newRow("alias PY, 30 s") << "04-call-run-code-alias-py-timeout30"
                                        << "print(\"alias\")"
                                        << "  PY " << 30 << "ts-runcode-alias-py-timeout-30.json";
        QTest::newRow("error") << "05-call-run-code-python-error"
                               << "print(undefined_name)"
                               << "python" << 60 << "ts-runcode-error.json";
    }

    void runCode_matchesCapturesAndTheSdkResults()
    {
        QFETCH(QString, fixture);
        QFETCH(QString, code);
        QFETCH(QString, language);
        QFETCH(int, timeout);
        QFETCH(QString, sdkResult);
        const QJsonObject form = wireJson(fixture + QStringLiteral(".request.json"))
                                         .value(QLatin1String("form"))
                                         .toObject();
        const QString capturedCode = QJsonDocument::fromJson(
                                             form.value(QLatin1String("Args")).toString().toUtf8())
                                             .object()
                                             .value(QLatin1String("code"))
                                             .toString();
        QCOMPARE(code, capturedCode);

        serve({QStringLiteral("01-create-session"), fixture});
        Session session(m_client.get());
        createVia(session);
        QSignalSpy finished(&session, &Session::runFinished);
        session.runCode(code, language, timeout);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        const QString difference = differenceFromCapture(sent(1), fixture);
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
        compareRun(finished.first().at(1).value<RunCodeResult>(), sdkResult);
    }

    void shell_matchesCaptureAndTheSdkResult()
    {
        serve({QStringLiteral("01-create-session"), QStringLiteral("06-call-shell")});
        Session session(m_client.get());
        createVia(session);
        QSignalSpy finished(&session, &Session::toolFinished);
        session.runShell(QStringLiteral("echo capture"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        const QString difference = differenceFromCapture(sent(1), QStringLiteral("06-call-shell"));
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
        const auto shell = ActionResults::parseShell(finished.first().at(1).value<ToolResult>());
        const QJsonObject ts = wireJson(QStringLiteral("sdk-results/ts-executecommand.json"));
        QCOMPARE(shell.stdoutText, ts.value(QLatin1String("stdout")).toString());
        QCOMPARE(shell.stderrText, ts.value(QLatin1String("stderr")).toString());
        QCOMPARE(shell.exitCode, ts.value(QLatin1String("exitCode")).toInt());
        QCOMPARE(finished.first().at(1).value<ToolResult>().requestId,
                 ts.value(QLatin1String("requestId")).toString());
    }

    void fileTools_sendTheSdksArgumentNames()
    {
        serve({QStringLiteral("01-create-session"), QStringLiteral("06-call-shell"),
               QStringLiteral("06-call-shell"), QStringLiteral("06-call-shell")});
        Session session(m_client.get());
        QSignalSpy finished(&session, &Session::toolFinished);
        session.readFile(QStringLiteral("/workspace/a.txt"));
        session.writeFile(QStringLiteral("/workspace/b.txt"), QStringLiteral("hi"));
        session.listDirectory(QStringLiteral("/workspace"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 10000);
        const auto argsOf = [this](int index) {
            const auto request = RpcRequest::decode("Action=CallMcpTool",
                                                    parseHttpRequest(sent(index)).body, {});
            return std::make_pair(request->field(QStringLiteral("Name")).value_or(QString()),
                                  QJsonDocument::fromJson(request->field(QStringLiteral("Args"))
                                                                  .value_or(QString())
                                                                  .toUtf8())
                                          .object());
        };
        QCOMPARE(argsOf(1).first, QStringLiteral("read_file"));
        QCOMPARE(argsOf(1).second,
                 (QJsonObject{{QStringLiteral("path"), QStringLiteral("/workspace/a.txt")}}));
        QCOMPARE(argsOf(2).first, QStringLiteral("write_file"));
        QCOMPARE(argsOf(2).second,
                 (QJsonObject{{QStringLiteral("path"), QStringLiteral("/workspace/b.txt")},
                              {QStringLiteral("content"), QStringLiteral("hi")},
                              {QStringLiteral("mode"), QStringLiteral("overwrite")}}));
        QCOMPARE(argsOf(3).first, QStringLiteral("list_directory"));
    }

    void sessionActions_matchCapturesAndTheSdkResults()
    {
        const QString id = QStringLiteral("session-a59aaa8e63744eedb9b0");
        serve({QStringLiteral("07-get-session"), QStringLiteral("08-get-session-detail"),
               QStringLiteral("09-list-session"), QStringLiteral("10-set-label"),
               QStringLiteral("11-get-label"), QStringLiteral("17-delete-session-async"),
               QStringLiteral("19-get-session-detail-after-delete-notfound")});
        const ApiCallResult get = waitFor(m_client->getSession(id));
        QCOMPARE(ActionResults::parseSessionInfo(get.envelope.data).status,
                 QStringLiteral("RUNNING"));
        const ApiCallResult detail = waitFor(m_client->getSessionDetail(id));
        const QJsonObject status = wireJson(QStringLiteral("sdk-results/ts-getstatus.json"));
        QCOMPARE(detail.envelope.data.toObject().value(QLatin1String("Status")).toString(),
                 status.value(QLatin1String("status")).toString());
        QCOMPARE(detail.envelope.requestId, status.value(QLatin1String("requestId")).toString());
        QCOMPARE(detail.envelope.code, status.value(QLatin1String("code")).toString());

        const ApiCallResult list = waitFor(
                m_client->listSessions({{QStringLiteral("project"), QStringLiteral("playground")}},
                                       5));
        const auto page = ActionResults::parseSessionPage(list.envelope.body);
        const QJsonObject tsList = wireJson(QStringLiteral("sdk-results/ts-list.json"));
        QCOMPARE(page.sessions.size(), 1);
        QCOMPARE(page.sessions.first().sessionId, tsList.value(QLatin1String("sessionIds"))
                                                          .toArray()
                                                          .first()
                                                          .toObject()
                                                          .value(QLatin1String("sessionId"))
                                                          .toString());
        QCOMPARE(page.sessions.first().status, QStringLiteral("RUNNING"));
        QCOMPARE(page.maxResults, tsList.value(QLatin1String("maxResults")).toInt());
        QCOMPARE(page.totalCount, tsList.value(QLatin1String("totalCount")).toInt());
        QCOMPARE(page.nextToken, tsList.value(QLatin1String("nextToken")).toString());

        const ApiCallResult set = waitFor(
                m_client->setLabels(id, {{QStringLiteral("project"), QStringLiteral("playground")},
                                         {QStringLiteral("owner"), QStringLiteral("qt-client")}}));
        QVERIFY(set.ok());
        QCOMPARE(set.envelope.requestId, wireJson(QStringLiteral("sdk-results/ts-setlabels.json"))
                                                 .value(QLatin1String("requestId"))
                                                 .toString());
        const ApiCallResult labels = waitFor(m_client->getLabels(id));
        const QJsonObject tsLabels = wireJson(QStringLiteral("sdk-results/ts-getlabels.json"))
                                             .value(QLatin1String("data"))
                                             .toObject();
        const auto parsedLabels = ActionResults::parseLabels(labels.envelope.data);
        QCOMPARE(parsedLabels.size(), tsLabels.size());
        for (auto it = tsLabels.begin(); it != tsLabels.end(); ++it)
            QCOMPARE(parsedLabels.value(it.key()), it.value().toString());

        const ApiCallResult deleted = waitFor(m_client->deleteSessionAsync(id));
        QCOMPARE(deleted.envelope.requestId, wireJson(QStringLiteral("sdk-results/ts-delete.json"))
                                                     .value(QLatin1String("requestId"))
                                                     .toString());
        const ApiCallResult gone = waitFor(m_client->getSessionDetail(id));
        QVERIFY(gone.error.isSessionNotFound());

        const QStringList fixtures{QStringLiteral("07-get-session"),
                                   QStringLiteral("08-get-session-detail"),
                                   QStringLiteral("09-list-session"),
                                   QStringLiteral("10-set-label"),
                                   QStringLiteral("11-get-label"),
                                   QStringLiteral("17-delete-session-async"),
                                   QStringLiteral("19-get-session-detail-after-delete-notfound")};
        for (qsizetype i = 0; i < fixtures.size(); ++i) {
            const QString difference = differenceFromCapture(sent(static_cast<int>(i)),
                                                             fixtures.at(i));
            QVERIFY2(difference.isEmpty(),
                     qPrintable(fixtures.at(i) + QStringLiteral(": ") + difference));
        }
    }

    void remove_pollsThroughDeletingUntilNotFound()
    {
        serve({QStringLiteral("07-get-session"), QStringLiteral("17-delete-session-async"),
               QStringLiteral("18-get-session-detail-after-delete-deleting"),
               QStringLiteral("19-get-session-detail-after-delete-notfound")});
        Session session(m_client.get());
        QSignalSpy attached(&session, &Session::attached);
        session.attach(QStringLiteral("session-a59aaa8e63744eedb9b0"));
        QVERIFY(attached.wait(5000));
        QSignalSpy removed(&session, &Session::removed);
        session.remove();
        QVERIFY(removed.wait(5000)); // one poll a second, as the SDKs
        QCOMPARE(removed.first().first().toBool(), true);
        QCOMPARE(session.state(), Session::State::Deleted);
        const QStringList fixtures{QStringLiteral("07-get-session"),
                                   QStringLiteral("17-delete-session-async"),
                                   QStringLiteral("18-get-session-detail-after-delete-deleting"),
                                   QStringLiteral("19-get-session-detail-after-delete-notfound")};
        QCOMPARE(m_server->requests.size(), fixtures.size());
        for (qsizetype i = 0; i < fixtures.size(); ++i) {
            const QString difference = differenceFromCapture(sent(static_cast<int>(i)),
                                                             fixtures.at(i));
            QVERIFY2(difference.isEmpty(),
                     qPrintable(fixtures.at(i) + QStringLiteral(": ") + difference));
        }
    }

    void listAll_walksEveryPage()
    {
        serve({});
        int page = 0;
        m_server = std::make_unique<ReplayServer>([&page](const QByteArray &request) {
            ++page;
            const QByteArray next = page < 3 ? "page-" + QByteArray::number(page + 1)
                                             : QByteArray();
            const QByteArray expectedToken = page == 1
                                                     ? QByteArray()
                                                     : "NextToken=page-" + QByteArray::number(page);
            const bool tokenOk = expectedToken.isEmpty() ? !request.contains("NextToken=")
                                                         : request.contains(expectedToken);
            return ReplayServer::answer(
                    200, "{\"RequestId\":\"r\",\"Success\":true,\"Data\":[{\"SessionId\":\"s-"
                                 + QByteArray::number(page) + "\",\"SessionStatus\":\""
                                 + (tokenOk ? "RUNNING" : "BAD-TOKEN") + "\"}],\"NextToken\":\""
                                 + next + "\",\"MaxResults\":1,\"TotalCount\":3}");
        });
        ClientConfig config;
        config.endpoint = m_server->url();
        config.apiKey = QStringLiteral("k");
        m_client->setConfig(config);
        agentbay::client::SessionDirectory directory(m_client.get());
        QSignalSpy listed(&directory, &agentbay::client::SessionDirectory::listed);
        directory.listAll({}, 1);
        QVERIFY(listed.wait(5000));
        const auto sessions
                = listed.first().first().value<QList<agentbay::protocol::SessionSummary>>();
        QCOMPARE(sessions.size(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(sessions.at(i).sessionId, QStringLiteral("s-%1").arg(i + 1));
            QCOMPARE(sessions.at(i).status,
                     QStringLiteral("RUNNING")); // each page asked with the right token
        }
        QVERIFY(sent(0).contains("Labels=%7B%7D&MaxResults=1"));
    }

    void pythonSdkAnswers_parseToWhatThePythonSdkReturned_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("sdkResult");
        QTest::newRow("run python") << "python-sdk/py-02-call-run-code-python-sync"
                                    << "py-sync-run-code-python.json";
        QTest::newRow("run javascript") << "python-sdk/py-03-call-run-code-javascript-sync"
                                        << "py-sync-run-code-javascript.json";
    }

    void pythonSdkAnswers_parseToWhatThePythonSdkReturned()
    {
        QFETCH(QString, fixture);
        QFETCH(QString, sdkResult);
        serve({fixture});
        const ApiCallResult result = waitFor(
                m_client->callTool(QStringLiteral("s"), QStringLiteral("run_code"), {}));
        const RunCodeResult ours = agentbay::protocol::CodeResultCodec::parseToolData(
                result.envelope.data);
        const QJsonObject py = wireJson(QStringLiteral("sdk-results/") + sdkResult);
        QCOMPARE(result.envelope.requestId, py.value(QLatin1String("request_id")).toString());
        QCOMPARE(ours.success, py.value(QLatin1String("success")).toBool());
        const QJsonObject logs = py.value(QLatin1String("logs")).toObject();
        QCOMPARE(ours.stdoutChunks, chunks(logs.value(QLatin1String("stdout"))));
        QCOMPARE(ours.stderrChunks, chunks(logs.value(QLatin1String("stderr"))));
        const QJsonArray results = py.value(QLatin1String("results")).toArray();
        QCOMPARE(ours.results.size(), results.size());
        for (qsizetype i = 0; i < results.size(); ++i) {
            QCOMPARE(ours.results.at(i).text(),
                     results.at(i).toObject().value(QLatin1String("text")).toString());
            QCOMPARE(ours.results.at(i).isMainResult,
                     results.at(i).toObject().value(QLatin1String("is_main_result")).toBool());
        }
    }

    void pauseAndResume_pollUntilTheNewState()
    {
        // "fixture:STATUS" answers the fixture with its Status rewritten.
        serve({QStringLiteral("07-get-session"), QStringLiteral("12-pause-session-async"),
               QStringLiteral("13-get-session-while-pausing"),
               QStringLiteral("13-get-session-while-pausing:PAUSED"),
               QStringLiteral("15-resume-session-async"),
               QStringLiteral("13-get-session-while-pausing:RESUMING"),
               QStringLiteral("07-get-session")});
        Session session(m_client.get());
        QSignalSpy attached(&session, &Session::attached);
        session.attach(QStringLiteral("session-a59aaa8e63744eedb9b0"));
        QVERIFY(attached.wait(5000));
        QCOMPARE(session.state(), Session::State::Ready);

        QSignalSpy states(&session, &Session::stateChanged);
        QSignalSpy paused(&session, &Session::paused);
        session.pause(20);
        QVERIFY(paused.wait(5000));
        QCOMPARE(paused.first().at(0).toBool(), true);
        QCOMPARE(paused.first().at(1).toString(),
                 wireJson(QStringLiteral("sdk-results/ts-pause.json"))
                         .value(QLatin1String("status"))
                         .toString());
        QCOMPARE(session.state(), Session::State::Paused);

        QSignalSpy resumed(&session, &Session::resumed);
        session.resume(20);
        QVERIFY(resumed.wait(5000));
        QCOMPARE(resumed.first().at(0).toBool(), true);
        QCOMPARE(resumed.first().at(1).toString(),
                 wireJson(QStringLiteral("sdk-results/ts-resume.json"))
                         .value(QLatin1String("status"))
                         .toString());
        QCOMPARE(session.state(), Session::State::Ready);

        QList<Session::State> seen;
        for (const auto &arguments : std::as_const(states))
            seen.append(arguments.first().value<Session::State>());
        QCOMPARE(seen, (QList<Session::State>{Session::State::Pausing, Session::State::Paused,
                                              Session::State::Resuming, Session::State::Ready}));
        const QStringList fixtures{QStringLiteral("07-get-session"),
                                   QStringLiteral("12-pause-session-async"),
                                   QStringLiteral("13-get-session-while-pausing"),
                                   QStringLiteral("13-get-session-while-pausing"),
                                   QStringLiteral("15-resume-session-async")};
        for (qsizetype i = 0; i < fixtures.size(); ++i) {
            const QString difference = differenceFromCapture(sent(static_cast<int>(i)),
                                                             fixtures.at(i));
            QVERIFY2(difference.isEmpty(),
                     qPrintable(fixtures.at(i) + QStringLiteral(": ") + difference));
        }
    }

    void pause_failsClearlyWhenTheSessionGoesElsewhere()
    {
        serve({QStringLiteral("07-get-session"), QStringLiteral("12-pause-session-async"),
               QStringLiteral("13-get-session-while-pausing:ERROR")});
        Session session(m_client.get());
        QSignalSpy attached(&session, &Session::attached);
        session.attach(QStringLiteral("session-a59aaa8e63744eedb9b0"));
        QVERIFY(attached.wait(5000));
        QSignalSpy paused(&session, &Session::paused);
        session.pause(20);
        QVERIFY(paused.wait(5000));
        QCOMPARE(paused.first().at(0).toBool(), false);
        QVERIFY(paused.first().at(1).toString().contains(QLatin1String("ERROR")));
        QCOMPARE(session.state(), Session::State::Ready);
    }

    void linkUrl_routesRunCodeToTheDataPlane()
    {
        serve({QStringLiteral("21-create-session-linkurl-mode"),
               QStringLiteral("22-linkurl-calltool-run-code")});
        Session session(m_client.get());
        session.setLabels({{QStringLiteral("capture_mode"), QStringLiteral("linkurl")}});
        QSignalSpy finished(&session, &Session::runFinished);
        session.runCode(QStringLiteral("print(\"hello via link\")"), QStringLiteral("python"), 60);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        const QString difference = differenceFromCapture(sent(0),
                                                         QStringLiteral(
                                                                 "21-create-session-linkurl-mode"));
        QVERIFY2(difference.isEmpty(), qPrintable(difference));

        const QJsonObject tsCreate = wireJson(QStringLiteral("sdk-results/ts-create-linkurl.json"));
        QCOMPARE(session.details().token, tsCreate.value(QLatin1String("token")).toString());
        const QJsonArray tools = tsCreate.value(QLatin1String("tools")).toArray();
        QCOMPARE(session.details().tools.size(), tools.size());
        for (qsizetype i = 0; i < tools.size(); ++i) {
            QCOMPARE(session.details().tools.at(i).name,
                     tools.at(i).toObject().value(QLatin1String("name")).toString());
            QCOMPARE(session.details().tools.at(i).server,
                     tools.at(i).toObject().value(QLatin1String("server")).toString());
        }

        // The data-plane request: path, token header, and the JSON body in the SDK's key order.
        const HttpRequest ours = parseHttpRequest(sent(1));
        const HttpRequest theirs = parseHttpRequest(
                wireFile(QStringLiteral("22-linkurl-calltool-run-code.request.http")));
        QCOMPARE(ours.target, theirs.target);
        QCOMPARE(ours.header("x-access-token"), theirs.header("x-access-token"));
        QCOMPARE(ours.header("content-type"), theirs.header("content-type"));
        static const QRegularExpression linkId(
                QStringLiteral("\"requestId\":\"link-\\d+-\\d{9}\""));
        QCOMPARE(QString::fromUtf8(ours.body).replace(linkId, QStringLiteral("\"requestId\":*")),
                 QString::fromUtf8(theirs.body).replace(linkId, QStringLiteral("\"requestId\":*")));

        const RunCodeResult result = finished.first().at(1).value<RunCodeResult>();
        const QJsonObject ts = wireJson(QStringLiteral("sdk-results/ts-runcode-via-linkurl.json"));
        QVERIFY(result.requestId.startsWith(QLatin1String("link-")));
        QCOMPARE(result.legacyResultText(), ts.value(QLatin1String("result")).toString());
        QCOMPARE(result.stdoutChunks,
                 chunks(ts.value(QLatin1String("logs")).toObject().value(QLatin1String("stdout"))));
        QVERIFY(result.success);
    }

    void invalidKey_keepsTheSdkMessageAndTheRequestId()
    {
        serve({QStringLiteral("26-create-session-invalid-api-key")}, QStringLiteral("invalid-key"));
        Session session(m_client.get());
        QSignalSpy failed(&session, &Session::creationFailed);
        session.runCode(QStringLiteral("1"), QStringLiteral("python"), 10);
        QVERIFY(failed.wait(5000));
        const QString difference
                = differenceFromCapture(sent(0),
                                        QStringLiteral("26-create-session-invalid-api-key"));
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
        const auto error = failed.first().first().value<ApiError>();
        const QString ts = wireJson(QStringLiteral("sdk-results/ts-create-with-bad-key.json"))
                                   .value(QLatin1String("errorMessage"))
                                   .toString();
        QVERIFY(ts.contains(error.code));
        QVERIFY(ts.contains(error.message));
        QVERIFY(ts.contains(error.requestId)); // TS leaves requestId empty; we keep it
    }
};

QTEST_GUILESS_MAIN(TestWireFidelity)
#include "tst_wirefidelity.moc"
