// SPDX-License-Identifier: GPL-3.0-or-later
// The real agentbay-sandbox answers the exact bytes the official SDKs sent (TypeScript: chunked,
// %20, true; Python: Content-Length, '+', True, raw ':'), replayed from the captures.
#include "client/agentbayclient.h"
#include "client/session.h"
#include "protocol/actionresults.h"
#include "protocol/coderesultcodec.h"

#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using agentbay::test::RawResponse;
using agentbay::test::SandboxProcess;
using agentbay::test::sendRaw;
using agentbay::test::wireFile;

namespace {
const QByteArray CapturedKey = "akm-capture-test-key";

QJsonObject bodyOf(const RawResponse &response)
{
    return QJsonDocument::fromJson(response.body).object();
}

// A captured request with its session id swapped for a live one of the same length, so
// Content-Length and chunk sizes stay true.
QByteArray withSession(const QString &fixture, const QByteArray &capturedId,
                       const QByteArray &liveId)
{
    QByteArray request = wireFile(fixture + QStringLiteral(".request.http"));
    if (capturedId.size() != liveId.size())
        qFatal("session ids differ in length: %s / %s", capturedId.constData(), liveId.constData());
    request.replace(capturedId, liveId);
    return request;
}
} // namespace

class TestSandboxServer final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SandboxProcess> m_sandbox;

    QByteArray createSession(const QString &fixture)
    {
        const RawResponse created = sendRaw(m_sandbox->endpoint(),
                                            wireFile(fixture + QStringLiteral(".request.http")));
        if (created.status != 200)
            return {};
        return bodyOf(created)
                .value(QLatin1String("Data"))
                .toObject()
                .value(QLatin1String("SessionId"))
                .toString()
                .toLatin1();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_sandbox = std::make_unique<SandboxProcess>(QString::fromLatin1(CapturedKey));
        QVERIFY(m_sandbox->endpoint().isValid());
    }

    void cleanupTestCase() { m_sandbox.reset(); }

    void typeScriptCaptures_createRunAndDelete()
    {
        const QByteArray session = createSession(QStringLiteral("01-create-session"));
        QVERIFY(session.startsWith("session-"));

        const RawResponse run = sendRaw(m_sandbox->endpoint(),
                                        withSession(QStringLiteral("02-call-run-code-python"),
                                                    "session-a59aaa8e63744eedb9b0", session));
        QCOMPARE(run.status, 200);
        QVERIFY(run.headers.toLower().contains("content-type: application/json"));
        const QJsonObject envelope = bodyOf(run);
        QCOMPARE(envelope.value(QLatin1String("Success")).toBool(), true);
        QCOMPARE(envelope.value(QLatin1String("Code")).toString(), QStringLiteral("ok"));
        QVERIFY(!envelope.value(QLatin1String("RequestId")).toString().isEmpty());
        // Data is an object with content[0].text a JSON string, as the SDK parsers expect.
        const QJsonObject data = envelope.value(QLatin1String("Data")).toObject();
        QCOMPARE(data.value(QLatin1String("isError")).toBool(), false);
        QVERIFY(data.value(QLatin1String("content"))
                        .toArray()
                        .first()
                        .toObject()
                        .value(QLatin1String("text"))
                        .isString());
        const auto result = agentbay::protocol::CodeResultCodec::parseToolData(data);
        QCOMPARE(result.stdoutChunks, QStringList{QStringLiteral("hello from python\n")});
        QCOMPARE(result.results.value(0).text(), QStringLiteral("2"));
        QVERIFY(result.results.value(0).isMainResult);

        const RawResponse detail = sendRaw(m_sandbox->endpoint(),
                                           withSession(QStringLiteral("08-get-session-detail"),
                                                       "session-a59aaa8e63744eedb9b0", session));
        QCOMPARE(detail.status, 200);
        QCOMPARE(bodyOf(detail)
                         .value(QLatin1String("Data"))
                         .toObject()
                         .value(QLatin1String("Status"))
                         .toString(),
                 QStringLiteral("RUNNING"));

        const RawResponse deleted = sendRaw(m_sandbox->endpoint(),
                                            withSession(QStringLiteral("17-delete-session-async"),
                                                        "session-a59aaa8e63744eedb9b0", session));
        QCOMPARE(deleted.status, 200);
        // DELETING while it is torn down, then not found, as the captures show.
        const QByteArray poll = withSession(QStringLiteral(
                                                    "19-get-session-detail-after-delete-notfound"),
                                            "session-a59aaa8e63744eedb9b0", session);
        const RawResponse deleting = sendRaw(m_sandbox->endpoint(), poll);
        QCOMPARE(deleting.status, 200);
        const auto status = [this, &poll] {
            return bodyOf(sendRaw(m_sandbox->endpoint(), poll))
                    .value(QLatin1String("Data"))
                    .toObject()
                    .value(QLatin1String("Status"))
                    .toString();
        };
        QCOMPARE(bodyOf(deleting)
                         .value(QLatin1String("Data"))
                         .toObject()
                         .value(QLatin1String("Status"))
                         .toString(),
                 QStringLiteral("DELETING"));
        // Then FINISH to a status poll for a grace period, then not found.
        QTRY_COMPARE(status(), QStringLiteral("FINISH"));
        QTRY_COMPARE_WITH_TIMEOUT(sendRaw(m_sandbox->endpoint(), poll).status, 400, 10000);
        QCOMPARE(bodyOf(sendRaw(m_sandbox->endpoint(), poll)).value(QLatin1String("Code")).toString(),
                 QStringLiteral("InvalidMcpSession.NotFound"));
    }

    void codeErrors_areIsErrorAsInTheCloud_andCountAndTimeHaveBothSpellings()
    {
        const QByteArray session = createSession(QStringLiteral("01-create-session"));
        const auto answerOf = [this, &session](const char *capture) {
            const QJsonObject data = bodyOf(sendRaw(m_sandbox->endpoint(),
                                                    withSession(QLatin1String(capture),
                                                                "session-a59aaa8e63744eedb9b0",
                                                                session)))
                                             .value(QLatin1String("Data"))
                                             .toObject();
            const QJsonObject text = QJsonDocument::fromJson(data.value(QLatin1String("content"))
                                                                     .toArray()
                                                                     .first()
                                                                     .toObject()
                                                                     .value(QLatin1String("text"))
                                                                     .toString()
                                                                     .toUtf8())
                                             .object();
            return std::pair{data.value(QLatin1String("isError")).toBool(), text};
        };
        const auto [okIsError, ok] = answerOf("02-call-run-code-python");
        QVERIFY(!okIsError);
        const auto [failedIsError, failed] = answerOf("05-call-run-code-python-error");
        // The cloud's capture of the same request says isError:true: the Python SDK then gives
        // the text as error_message, the TypeScript SDK parses it all the same.
        QVERIFY(failedIsError);
        QVERIFY(failed.value(QLatin1String("executionError"))
                        .toString()
                        .startsWith(QLatin1String("NameError")));
        for (const QJsonObject &text : {ok, failed}) {
            QCOMPARE(text.value(QLatin1String("execution_count")),
                     text.value(QLatin1String("executionCount")));
            QVERIFY(text.value(QLatin1String("executionCount")).toInt() >= 1);
            QCOMPARE(text.value(QLatin1String("execution_time")),
                     text.value(QLatin1String("executionTime")));
            QVERIFY(text.value(QLatin1String("execution_time")).isDouble());
        }
    }

    void pythonCaptures_plusSpacesCapitalBooleansAndRawColons()
    {
        const QByteArray session = createSession(
                QStringLiteral("python-sdk/py-10-create-session-async-aiohttp"));
        QVERIFY(session.startsWith("session-"));
        const RawResponse python
                = sendRaw(m_sandbox->endpoint(),
                          withSession(QStringLiteral("python-sdk/py-02-call-run-code-python-sync"),
                                      "session-2670d77c7e0e41ab95b7", session));
        QCOMPARE(python.status, 200);
        const auto result = agentbay::protocol::CodeResultCodec::parseToolData(
                bodyOf(python).value(QLatin1String("Data")));
        QCOMPARE(result.stdoutText(), QStringLiteral("hello from python\n"));

        const QByteArray jsCapture = wireFile(
                QStringLiteral("python-sdk/py-03-call-run-code-javascript-sync.request.http"));
        const QByteArray jsId = jsCapture.mid(jsCapture.indexOf("SessionId=") + 10, 28);
        const RawResponse js
                = sendRaw(m_sandbox->endpoint(),
                          withSession(QStringLiteral(
                                              "python-sdk/py-03-call-run-code-javascript-sync"),
                                      jsId, session));
        QCOMPARE(js.status, 200);
        const auto jsResult = agentbay::protocol::CodeResultCodec::parseToolData(
                bodyOf(js).value(QLatin1String("Data")));
        QVERIFY2(jsResult.success, qPrintable(jsResult.errorMessage));

        const QByteArray deleteCapture = wireFile(
                QStringLiteral("python-sdk/py-14-delete-session-async-aiohttp.request.http"));
        const QByteArray deleteId = deleteCapture.mid(deleteCapture.indexOf("SessionId=") + 10, 28);
        const RawResponse deleted
                = sendRaw(m_sandbox->endpoint(),
                          withSession(QStringLiteral(
                                              "python-sdk/py-14-delete-session-async-aiohttp"),
                                      deleteId, session));
        QCOMPARE(deleted.status, 200);
    }

    void wrongKey_isNotLoginInThePopShape()
    {
        const RawResponse response
                = sendRaw(m_sandbox->endpoint(),
                          wireFile(QStringLiteral(
                                  "26-create-session-invalid-api-key.request.http")));
        QCOMPARE(response.status, 400);
        const QJsonObject body = bodyOf(response);
        QCOMPARE(body.value(QLatin1String("Code")).toString(), QStringLiteral("NOT_LOGIN"));
        QVERIFY(!body.value(QLatin1String("RequestId")).toString().isEmpty());
        QVERIFY(!body.value(QLatin1String("HostId")).toString().isEmpty());
        QVERIFY(!body.value(QLatin1String("Message")).toString().isEmpty());
    }

    void otherPathsAndActions_getEnvelopeErrors_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("GET /") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n") << 404
                               << "InvalidAction.NotFound";
        const QByteArray body = "Authorization=Bearer%20" + CapturedKey;
        QTest::newRow("unknown action")
                << QByteArray("POST /?Action=LaunchRocket HTTP/1.1\r\nHost: x\r\nContent-Length: "
                              + QByteArray::number(body.size()) + "\r\n\r\n" + body)
                << 400 << "InvalidAction.NotFound";
        QTest::newRow("no action")
                << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: "
                              + QByteArray::number(body.size()) + "\r\n\r\n" + body)
                << 400 << "MissingAction";
        QTest::newRow("action in header only") << QByteArray(
                "POST /?Format=json HTTP/1.1\r\nHost: x\r\nx-acs-action: "
                "GetSession\r\nContent-Length: "
                + QByteArray::number(body.size() + 15) + "\r\n\r\n" + body + "&SessionId=nope")
                                               << 400 << "InvalidMcpSession.NotFound";
    }

    void otherPathsAndActions_getEnvelopeErrors()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        QFETCH(QString, code);
        const RawResponse response = sendRaw(m_sandbox->endpoint(), request);
        QCOMPARE(response.status, status);
        QCOMPARE(bodyOf(response).value(QLatin1String("Code")).toString(), code);
    }

    void linuxLatest_servesCommandsAndFiles_andOtherImagesAreRefusedClearly()
    {
        const QByteArray captured = "session-a59aaa8e63744eedb9b0";
        const auto createWith = [this](const QByteArray &image) {
            QByteArray request = wireFile(QStringLiteral("01-create-session.request.http"));
            request.replace("ImageId=code_latest", QByteArray("ImageId=" + image));
            const qsizetype grown = image.size() - qsizetype{11}; // the chunk's size changes
            request.replace("\r\n137\r\n",
                            QByteArray("\r\n" + QByteArray::number(0x137 + grown, 16) + "\r\n"));
            return sendRaw(m_sandbox->endpoint(), request);
        };
        const RawResponse linux = createWith("linux_latest");
        QCOMPARE(linux.status, 200);
        const QByteArray session = bodyOf(linux)
                                           .value(QLatin1String("Data"))
                                           .toObject()
                                           .value(QLatin1String("SessionId"))
                                           .toString()
                                           .toLatin1();
        QVERIFY(session.startsWith("session-"));
        const auto dataOf = [this, &captured, &session](const char *capture) {
            return bodyOf(sendRaw(m_sandbox->endpoint(),
                                  withSession(QLatin1String(capture), captured, session)))
                    .value(QLatin1String("Data"))
                    .toObject();
        };
        const QJsonObject shell = dataOf("06-call-shell");
        QVERIFY2(!shell.value(QLatin1String("isError")).toBool(),
                 QJsonDocument(shell).toJson().constData());
        const QJsonObject code = dataOf("02-call-run-code-python");
        QVERIFY(code.value(QLatin1String("isError")).toBool());
        QVERIFY(QJsonDocument(code).toJson().contains("not served on a linux_latest session"));
        const QJsonObject got = dataOf("07-get-session");
        QCOMPARE(got.value(QLatin1String("ImageId")).toString(), QStringLiteral("linux_latest"));
        QVERIFY(got.value(QLatin1String("AppInstanceId"))
                        .toString()
                        .startsWith(QLatin1String("ai-")));
        QVERIFY(!got.value(QLatin1String("ResourceId")).toString().isEmpty());

        for (const QByteArray &image :
             {QByteArrayLiteral("browser_latest"), QByteArrayLiteral("mobile_latest"),
              QByteArrayLiteral("windows_latest")}) {
            const RawResponse refused = createWith(image);
            QCOMPARE(refused.status, 400);
            const QJsonObject body = bodyOf(refused);
            QCOMPARE(body.value(QLatin1String("Code")).toString(),
                     QStringLiteral("InvalidImageId.NotSupported"));
            const QString message = body.value(QLatin1String("Message")).toString();
            QVERIFY2(message.contains(QLatin1String(image))
                             && message.contains(QLatin1String("code_latest"))
                             && message.contains(QLatin1String("linux_latest")),
                     qPrintable(message));
        }
    }

    void sessionInfo_tools_andLinks_areAnsweredOrRefusedClearly()
    {
        const QByteArray session = createSession(QStringLiteral("01-create-session"));
        const auto call = [this](const QByteArray &action, const QByteArray &fields) {
            const QByteArray body = "Authorization=Bearer%20" + CapturedKey + fields;
            return sendRaw(m_sandbox->endpoint(),
                           "POST /?Action=" + action + " HTTP/1.1\r\nHost: x\r\nContent-Length: "
                                   + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        };
        const RawResponse info = call("GetMcpResource", "&SessionId=" + session);
        QCOMPARE(info.status, 200);
        const QJsonObject resource = bodyOf(info).value(QLatin1String("Data")).toObject();
        QCOMPARE(resource.value(QLatin1String("SessionId")).toString(),
                 QString::fromLatin1(session));
        QVERIFY(resource.value(QLatin1String("DesktopInfo")).isObject());
        QCOMPARE(bodyOf(call("GetMcpResource", "&SessionId=session-gone"))
                         .value(QLatin1String("Code"))
                         .toString(),
                 QStringLiteral("InvalidMcpSession.NotFound"));

        // ListMcpTools: Data is a JSON string of the tools, per image.
        const auto toolsOf = [&call](const QByteArray &image) {
            QStringList names;
            const QJsonArray tools = QJsonDocument::fromJson(
                                             bodyOf(call("ListMcpTools", "&ImageId=" + image))
                                                     .value(QLatin1String("Data"))
                                                     .toString()
                                                     .toUtf8())
                                             .array();
            for (const QJsonValue &tool : tools)
                names << tool.toObject().value(QLatin1String("name")).toString();
            return names;
        };
        QVERIFY(toolsOf("code_latest").contains(QStringLiteral("run_code")));
        QVERIFY(toolsOf("code_latest").contains(QStringLiteral("get_file_info")));
        QVERIFY(!toolsOf("linux_latest").contains(QStringLiteral("run_code")));
        QVERIFY(toolsOf("linux_latest").contains(QStringLiteral("shell")));
        QCOMPARE(call("ListMcpTools", "&ImageId=browser_latest").status, 400);

        const RawResponse link = call("GetLink", "&SessionId=" + session + "&Port=30100");
        QCOMPARE(link.status, 400);
        QVERIFY(bodyOf(link)
                        .value(QLatin1String("Message"))
                        .toString()
                        .contains(QLatin1String("GetLink needs the AgentBay cloud")));
    }

    void malformedRequests_getEnvelopeErrorsNotCrashes_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("expected");
        const QByteArray key = "Authorization=Bearer%20" + CapturedKey;
        QTest::newRow("bad percent-encoding") << QByteArray("%ZZ%=&&=x&" + key + "&SessionId=%")
                                              << 400 << "InvalidMcpSession.NotFound";
        QTest::newRow("no session id") << QByteArray(key + "&Name=run_code&Args=%7B%7D") << 400
                                       << "InvalidMcpSession.NotFound";
        QTest::newRow("no key") << QByteArray("Name=run_code") << 400 << "NOT_LOGIN";
    }

    void malformedRequests_getEnvelopeErrorsNotCrashes()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, expected);
        const QByteArray request
                = "POST /?Action=CallMcpTool HTTP/1.1\r\nHost: x\r\nContent-Length: "
                  + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        const RawResponse response = sendRaw(m_sandbox->endpoint(), request);
        QCOMPARE(response.status, status);
        QCOMPARE(bodyOf(response).value(QLatin1String("Code")).toString(), expected);
    }

    void badToolArguments_areToolErrors()
    {
        const QByteArray session = createSession(QStringLiteral("01-create-session"));
        const auto call = [&](const QByteArray &fields) {
            const QByteArray body = "Authorization=Bearer%20" + CapturedKey
                                    + "&SessionId=" + session + fields;
            const RawResponse response
                    = sendRaw(m_sandbox->endpoint(),
                              "POST /?Action=CallMcpTool HTTP/1.1\r\nHost: x\r\nContent-Length: "
                                      + QByteArray::number(body.size()) + "\r\n\r\n" + body);
            return agentbay::protocol::ActionResults::parseToolResult(
                    bodyOf(response).value(QLatin1String("Data")));
        };
        const auto badJson = call("&Name=run_code&Args=%7Bnot%20json");
        QVERIFY(badJson.isError);
        QVERIFY2(badJson.text.contains(QLatin1String("not a JSON object")),
                 qPrintable(badJson.text));
        const auto noName = call("&Args=%7B%7D");
        QVERIFY(noName.isError);
        QVERIFY2(noName.text.contains(QLatin1String("is not served")), qPrintable(noName.text));
        const auto badTimeout = call("&Name=run_code&Args=%7B%22code%22%3A%221%22%2C%22language%22%"
                                     "3A%22python%22%2C%22timeout_s%22%3A61%7D");
        QVERIFY(badTimeout.isError);
        QVERIFY(badTimeout.text.contains(QLatin1String("60 seconds")));
        const auto ruby = call(
                "&Name=run_code&Args=%7B%22code%22%3A%221%22%2C%22language%22%3A%22ruby%22%7D");
        QVERIFY(ruby.isError);
        QVERIFY(ruby.text.startsWith(QLatin1String("Unsupported language: ruby")));
    }

    void oversizedBody_isRefusedWithAnEnvelope()
    {
        SandboxProcess small(QString::fromLatin1(CapturedKey),
                             {QStringLiteral("--max-request-bytes"), QStringLiteral("2048")});
        const QByteArray body = "Authorization=Bearer%20" + CapturedKey
                                + "&ImageId=code_latest&Labels=" + QByteArray(5000, 'x');
        const RawResponse response
                = sendRaw(small.endpoint(),
                          "POST /?Action=CreateMcpSession HTTP/1.1\r\nHost: x\r\nContent-Length: "
                                  + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QCOMPARE(response.status, 413);
        QCOMPARE(bodyOf(response).value(QLatin1String("Code")).toString(),
                 QStringLiteral("RequestTooLarge"));
    }

    void endlessChunkedBody_isCutOffBeforeItIsBuffered()
    {
        SandboxProcess small(QString::fromLatin1(CapturedKey),
                             {QStringLiteral("--max-request-bytes"), QStringLiteral("1048576")});
        QTcpSocket socket;
        socket.connectToHost(small.endpoint().host(), static_cast<quint16>(small.endpoint().port()));
        QVERIFY(socket.waitForConnected(5000));
        socket.write("POST /?Action=CreateMcpSession HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                     "chunked\r\n\r\n");
        const QByteArray chunk = "100000\r\n" + QByteArray(0x100000, 'a') + "\r\n"; // 1 MiB chunks
        QByteArray answer;
        qint64 sent = 0;
        while (sent < 64LL * 1024 * 1024 && socket.state() == QAbstractSocket::ConnectedState
               && answer.isEmpty()) {
            socket.write(chunk);
            sent += chunk.size();
            socket.waitForBytesWritten(2000);
            if (socket.waitForReadyRead(50))
                answer += socket.readAll();
        }
        while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(2000))
            answer += socket.readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 413"), answer.left(100).constData());
        QVERIFY(answer.contains("RequestTooLarge"));
        QVERIFY2(sent < 16LL * 1024 * 1024, qPrintable(QString::number(sent))); // cut off early
        // And it still serves everyone else.
        QCOMPARE(sendRaw(small.endpoint(),
                         wireFile(QStringLiteral("01-create-session.request.http")))
                         .status,
                 200);
    }

    void tls_servesTheSameProtocolOverHttps()
    {
        QTemporaryDir dir;
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                       QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
                       QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"),
                       QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-keyout"),
                       dir.filePath(QStringLiteral("key.pem")), QStringLiteral("-out"),
                       dir.filePath(QStringLiteral("cert.pem"))});
        QVERIFY(openssl.waitForFinished(30000));
        QCOMPARE(openssl.exitCode(), 0);
        SandboxProcess secure(QString::fromLatin1(CapturedKey),
                              {QStringLiteral("--tls-cert"),
                               dir.filePath(QStringLiteral("cert.pem")), QStringLiteral("--tls-key"),
                               dir.filePath(QStringLiteral("key.pem"))});
        QCOMPARE(secure.endpoint().scheme(), QStringLiteral("https"));
        QSslSocket socket;
        socket.setPeerVerifyMode(QSslSocket::VerifyNone);
        socket.connectToHostEncrypted(secure.endpoint().host(),
                                      static_cast<quint16>(secure.endpoint().port()));
        QVERIFY2(socket.waitForEncrypted(10000), qPrintable(socket.errorString()));
        socket.write(wireFile(QStringLiteral("01-create-session.request.http")));
        QByteArray answer;
        while (!answer.contains("\"SessionId\"") && socket.waitForReadyRead(10000))
            answer += socket.readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.left(200).constData());
        QVERIFY(answer.contains("\"SessionId\":\"session-"));
    }

    static QJsonObject status(const QUrl &endpoint)
    {
        return bodyOf(sendRaw(endpoint, "GET /status HTTP/1.1\r\nHost: x\r\n\r\n"));
    }

    void runsBeyondTheLimit_waitTheirTurn_andPastTheQueueAreRefused()
    {
        SandboxProcess one(QString::fromLatin1(CapturedKey),
                           {QStringLiteral("--max-concurrent-runs"), QStringLiteral("1"),
                            QStringLiteral("--max-waiting-runs"), QStringLiteral("1")});
        agentbay::client::AgentBayClient client;
        client.setConfig({one.endpoint(), QString::fromLatin1(CapturedKey), {}, 30000});
        agentbay::client::Session busy(&client);
        agentbay::client::Session second(&client);
        agentbay::client::Session third(&client);
        QSignalSpy busyDone(&busy, &agentbay::client::Session::runFinished);
        QSignalSpy secondDone(&second, &agentbay::client::Session::runFinished);
        QSignalSpy thirdDone(&third, &agentbay::client::Session::runFinished);
        busy.runCode(QStringLiteral("import time\ntime.sleep(1.5)"), QStringLiteral("python"), 10);
        QTRY_COMPARE_WITH_TIMEOUT(status(one.endpoint()).value(QLatin1String("runningRuns")).toInt(),
                                  1, 10000);
        // Its timeout (1 s) is shorter than its wait: it counts from when the run starts.
        second.runCode(QStringLiteral("print('second')"), QStringLiteral("python"), 1);
        QTRY_COMPARE_WITH_TIMEOUT(status(one.endpoint()).value(QLatin1String("waitingRuns")).toInt(),
                                  1, 10000);
        third.runCode(QStringLiteral("print('third')"), QStringLiteral("python"), 10);
        QTRY_COMPARE_WITH_TIMEOUT(thirdDone.size(), 1, 10000);
        const auto refused = thirdDone.first().at(1).value<agentbay::protocol::RunCodeResult>();
        QVERIFY(!refused.success);
        QVERIFY2(refused.errorMessage.contains(QLatin1String("busy")),
                 qPrintable(refused.errorMessage));
        QVERIFY(secondDone.isEmpty()); // still waiting for the first
        QTRY_COMPARE_WITH_TIMEOUT(secondDone.size(), 1, 15000);
        QCOMPARE(busyDone.size(), 1);
        QVERIFY(busyDone.first().at(1).value<agentbay::protocol::RunCodeResult>().success);
        const auto waited = secondDone.first().at(1).value<agentbay::protocol::RunCodeResult>();
        QVERIFY2(waited.success, qPrintable(waited.errorMessage));
        QCOMPARE(waited.stdoutText(), QStringLiteral("second\n"));
        const QJsonObject idle = status(one.endpoint());
        QCOMPARE(idle.value(QLatin1String("runningRuns")).toInt(), 0);
        QCOMPARE(idle.value(QLatin1String("waitingRuns")).toInt(), 0);
    }

    void sixteenClients_atMostTheLimitRunAtOnce_andAllAreAnswered()
    {
        // The default limit (8) and sixteen sessions each starting a one-second run at once:
        // the sandbox never reports more than eight running, the others wait, and every run
        // is answered; the runs' own clocks agree that at most eight overlapped.
        SandboxProcess sandbox(QString::fromLatin1(CapturedKey));
        agentbay::client::AgentBayClient client;
        client.setConfig({sandbox.endpoint(), QString::fromLatin1(CapturedKey), {}, 30000});
        QList<agentbay::client::Session *> sessions;
        QList<QSignalSpy *> done;
        for (int i = 0; i < 16; ++i) {
            sessions.append(new agentbay::client::Session(&client, this));
            done.append(
                    new QSignalSpy(sessions.constLast(), &agentbay::client::Session::runFinished));
        }
        for (agentbay::client::Session *session : std::as_const(sessions))
            session->runCode(QStringLiteral("import time\nstart = time.time()\ntime.sleep(1)\n"
                                            "print(start, time.time())"),
                             QStringLiteral("python"), 2);
        int mostRunning = 0;
        int mostWaiting = 0;
        QElapsedTimer clock;
        clock.start();
        const auto allDone = [&done] {
            return std::all_of(done.begin(), done.end(),
                               [](const QSignalSpy *spy) { return spy->size() == 1; });
        };
        while (!allDone() && clock.elapsed() < 60000) {
            const QJsonObject now = status(sandbox.endpoint());
            mostRunning = std::max(mostRunning, now.value(QLatin1String("runningRuns")).toInt());
            mostWaiting = std::max(mostWaiting, now.value(QLatin1String("waitingRuns")).toInt());
            QTest::qWait(20);
        }
        QVERIFY(allDone());
        QCOMPARE(mostRunning, 8);
        QVERIFY(mostWaiting > 0);
        QList<QPair<double, double>> spans;
        for (const QSignalSpy *spy : std::as_const(done)) {
            const auto result = spy->first().at(1).value<agentbay::protocol::RunCodeResult>();
            QVERIFY2(result.success, qPrintable(result.errorMessage));
            const QStringList times = result.stdoutText().trimmed().split(QLatin1Char(' '));
            QCOMPARE(times.size(), 2);
            spans.append({times.at(0).toDouble(), times.at(1).toDouble()});
        }
        int mostOverlapping = 0;
        for (const auto &span : std::as_const(spans)) {
            // At the instant this run started, how many were between their start and end?
            mostOverlapping = std::max<int>(
                    mostOverlapping,
                    static_cast<int>(std::count_if(spans.begin(), spans.end(),
                                                   [&span](const QPair<double, double> &other) {
                                                       return other.first <= span.first
                                                              && span.first < other.second;
                                                   })));
        }
        QVERIFY2(mostOverlapping <= 8, qPrintable(QString::number(mostOverlapping)));
        qDeleteAll(done);
        qDeleteAll(sessions);
    }

    void idleSessions_areReleased()
    {
        SandboxProcess brief(QString::fromLatin1(CapturedKey),
                             {QStringLiteral("--idle-timeout"), QStringLiteral("1")});
        const RawResponse created = sendRaw(brief.endpoint(),
                                            wireFile(QStringLiteral(
                                                    "01-create-session.request.http")));
        const QByteArray id = bodyOf(created)
                                      .value(QLatin1String("Data"))
                                      .toObject()
                                      .value(QLatin1String("SessionId"))
                                      .toString()
                                      .toLatin1();
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(bodyOf(sendRaw(brief.endpoint(),
                                                "POST /?Action=GetSessionDetail&SessionId=" + id
                                                        + " HTTP/1.1\r\nHost: x\r\nContent-Length: "
                                                          "43\r\n\r\nAuthorization=Bearer%20"
                                                        + CapturedKey))
                                                 .value(QLatin1String("Code"))
                                                 .toString()
                                         == QLatin1String("InvalidMcpSession.NotFound"),
                                 6000);
    }

    void sigterm_endsKernelsAndRemovesWorkspaces()
    {
        QTemporaryDir root;
        auto sandbox = std::make_unique<SandboxProcess>(QString::fromLatin1(CapturedKey),
                                                        QStringList{QStringLiteral(
                                                                            "--workspace-root"),
                                                                    root.path()});
        agentbay::client::AgentBayClient client;
        client.setConfig({sandbox->endpoint(), QString::fromLatin1(CapturedKey), {}, 30000});
        agentbay::client::Session session(&client);
        QSignalSpy done(&session, &agentbay::client::Session::runFinished);
        session.runCode(QStringLiteral("open('left.txt', 'w').write('x')"),
                        QStringLiteral("python"), 10);
        QVERIFY(done.wait(20000));
        const QString machine = root.filePath(session.id()); // its workspace, tmp and home
        QVERIFY(QFile::exists(machine + QStringLiteral("/workspace/left.txt")));
        const qint64 serverPid = sandbox->process().processId();
        QVERIFY(kernelsOf(serverPid) > 0);
        sandbox->process().terminate();
        QVERIFY(sandbox->process().waitForFinished(10000));
        QCOMPARE(sandbox->process().exitCode(), 0);
        QVERIFY(!QFile::exists(machine));
        QTRY_COMPARE_WITH_TIMEOUT(kernelsOf(serverPid), 0, 5000);
    }

    void withoutBubblewrap_itStillRunsAndSaysSo()
    {
        SandboxProcess plain(QString::fromLatin1(CapturedKey), {QStringLiteral("--no-bubblewrap")});
        agentbay::client::AgentBayClient client;
        client.setConfig({plain.endpoint(), QString::fromLatin1(CapturedKey), {}, 30000});
        agentbay::client::Session session(&client);
        QSignalSpy done(&session, &agentbay::client::Session::runFinished);
        session.runCode(QStringLiteral("import os\nprint(os.getcwd() != '/workspace')"),
                        QStringLiteral("python"), 10);
        QVERIFY(done.wait(20000));
        QCOMPARE(done.first().at(1).value<agentbay::protocol::RunCodeResult>().stdoutText(),
                 QStringLiteral("True\n"));
        const RawResponse detail = sendRaw(plain.endpoint(),
                                           "POST /?Action=GetSessionDetail&SessionId="
                                                   + session.id().toLatin1()
                                                   + " HTTP/1.1\r\nHost: x\r\nContent-Length: "
                                                     "43\r\n\r\nAuthorization=Bearer%20"
                                                   + CapturedKey);
        const QJsonObject bubblewrap = bodyOf(detail)
                                               .value(QLatin1String("Data"))
                                               .toObject()
                                               .value(QLatin1String("Isolation"))
                                               .toArray()
                                               .first()
                                               .toObject();
        QCOMPARE(bubblewrap.value(QLatin1String("layer")).toString(), QStringLiteral("bubblewrap"));
        QCOMPARE(bubblewrap.value(QLatin1String("active")).toBool(), false);
        QVERIFY(bubblewrap.value(QLatin1String("detail"))
                        .toString()
                        .contains(QLatin1String("--no-bubblewrap")));
    }

private:
    // Kernel driver processes whose ancestor is the given server.
    static int kernelsOf(qint64 serverPid)
    {
        return agentbay::test::descendantsOf(serverPid, "Python kernel driver");
    }
};

QTEST_GUILESS_MAIN(TestSandboxServer)
#include "tst_sandboxserver.moc"
