// SPDX-License-Identifier: GPL-3.0-or-later
// AgentBayClient against servers that replay the captured AgentBay answers: the bytes it sends,
// and every way a call can fail, told apart.
#include "client/agentbayclient.h"
#include "client/apicall.h"
#include "protocol/actionresults.h"
#include "protocol/coderesultcodec.h"

#include "testsupport.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using agentbay::client::AgentBayClient;
using agentbay::client::ApiCall;
using agentbay::client::ApiCallResult;
using agentbay::client::ClientConfig;
using agentbay::protocol::ApiError;
using agentbay::test::ReplayServer;

namespace {
ApiCallResult waitFor(ApiCall *call, int timeoutMs = 10000)
{
    QSignalSpy spy(call, &ApiCall::finished);
    if (!spy.wait(timeoutMs))
        return {};
    return spy.first().first().value<ApiCallResult>();
}

QByteArray headerOf(const QByteArray &request, const QByteArray &name)
{
    const auto lines = request.left(request.indexOf("\r\n\r\n")).split('\n');
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == name)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}
} // namespace

class TestAgentBayClient final : public QObject
{
    Q_OBJECT

private:
    AgentBayClient *clientFor(const QUrl &url, int timeoutMs = 5000)
    {
        auto *client = new AgentBayClient(this);
        ClientConfig config;
        config.endpoint = url;
        config.apiKey = QStringLiteral("akm-capture-test-key");
        config.requestTimeoutMs = timeoutMs;
        client->setConfig(config);
        return client;
    }

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<ApiCallResult>(); }

    void runCode_sendsTheCapturedBytesAndParsesTheCapturedAnswer()
    {
        ReplayServer server([](const QByteArray &) {
            return ReplayServer::fixtureAnswer(QStringLiteral("02-call-run-code-python"));
        });
        AgentBayClient *client = clientFor(server.url());
        const QJsonObject args{{QStringLiteral("code"),
                                QStringLiteral("print(\"hello from python\")\n1+1")},
                               {QStringLiteral("language"), QStringLiteral("python")},
                               {QStringLiteral("timeout_s"), 60}};
        const ApiCallResult result = waitFor(
                client->callTool(QStringLiteral("session-a59aaa8e63744eedb9b0"),
                                 QStringLiteral("run_code"), args));
        QVERIFY2(result.ok(), qPrintable(result.error.humanMessage()));
        QCOMPARE(server.requests.size(), 1);
        const QByteArray sent = server.requests.first();

        // Request line: the fixed query, a fresh UTC timestamp and nonce.
        const QString requestLine = QString::fromLatin1(sent.left(sent.indexOf("\r\n")));
        static const QRegularExpression line(QStringLiteral(
                R"(^POST /\?Action=CallMcpTool&Format=json&Version=2025-05-06&Timestamp=\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\dZ&SignatureNonce=[0-9a-f]{32} HTTP/1\.1$)"));
        QVERIFY2(line.match(requestLine).hasMatch(), qPrintable(requestLine));

        // Body: identical to what the TypeScript SDK sent.
        const QByteArray captured = agentbay::test::wireFile(
                QStringLiteral("02-call-run-code-python.request.http"));
        const QByteArray capturedChunked = captured.mid(captured.indexOf("\r\n\r\n") + 4);
        const QByteArray capturedBody
                = capturedChunked.mid(capturedChunked.indexOf("\r\n") + 2).split('\r').first();
        QCOMPARE(sent.mid(sent.indexOf("\r\n\r\n") + 4), capturedBody);
        QCOMPARE(headerOf(sent, "x-acs-version"), QByteArrayLiteral("2025-05-06"));
        QCOMPARE(headerOf(sent, "x-acs-action"), QByteArrayLiteral("CallMcpTool"));
        QCOMPARE(headerOf(sent, "content-type"),
                 QByteArrayLiteral("application/x-www-form-urlencoded"));
        QVERIFY(headerOf(sent, "user-agent").startsWith("AgentBayPlayground/"));
        QVERIFY(headerOf(sent, "authorization").isEmpty()); // the key travels in the body only

        const auto parsed = agentbay::protocol::CodeResultCodec::parseToolData(result.envelope.data);
        QCOMPARE(parsed.stdoutText(), QStringLiteral("hello from python\n"));
        QCOMPARE(result.envelope.requestId, QStringLiteral("2408EA1F-163F-4454-A585-3EC9387168EA"));
    }

    void getSessionDetail_putsSessionIdInTheQuery()
    {
        ReplayServer server([](const QByteArray &) {
            return ReplayServer::fixtureAnswer(QStringLiteral("08-get-session-detail"));
        });
        const ApiCallResult result = waitFor(
                clientFor(server.url())->getSessionDetail(QStringLiteral("session-x")));
        QVERIFY(result.ok());
        const QByteArray sent = server.requests.value(0);
        QVERIFY(sent.left(sent.indexOf("\r\n")).contains("&SessionId=session-x HTTP/1.1"));
        QCOMPARE(sent.mid(sent.indexOf("\r\n\r\n") + 4),
                 QByteArrayLiteral("Authorization=Bearer%20akm-capture-test-key"));
    }

    void serviceErrors_keepCodeAndRequestId_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("code");
        QTest::addColumn<bool>("notFound");
        QTest::newRow("invalid key") << "26-create-session-invalid-api-key"
                                     << "NOT_LOGIN" << false;
        QTest::newRow("gone") << "19-get-session-detail-after-delete-notfound"
                              << "InvalidMcpSession.NotFound" << true;
    }

    void serviceErrors_keepCodeAndRequestId()
    {
        QFETCH(QString, fixture);
        QFETCH(QString, code);
        QFETCH(bool, notFound);
        ReplayServer server(
                [fixture](const QByteArray &) { return ReplayServer::fixtureAnswer(fixture); });
        const ApiCallResult result = waitFor(clientFor(server.url())->createSession());
        QCOMPARE(result.error.kind, ApiError::Kind::ServiceError);
        QCOMPARE(result.error.code, code);
        QCOMPARE(result.error.httpStatus, 400);
        QVERIFY(!result.error.requestId.isEmpty());
        QCOMPARE(result.error.isSessionNotFound(), notFound);
    }

    void gatewayHtmlPage_isAClearServiceError()
    {
        ReplayServer server([](const QByteArray &) {
            return ReplayServer::answer(502, "<html><body><h1>502 Bad Gateway</h1></body></html>",
                                        "text/html");
        });
        const ApiCallResult result = waitFor(clientFor(server.url())->createSession());
        QCOMPARE(result.error.kind, ApiError::Kind::ServiceError);
        QCOMPARE(result.error.httpStatus, 502);
        QVERIFY2(result.error.message.contains(QLatin1String("not a JSON object")),
                 qPrintable(result.error.message));
        QVERIFY(result.error.message.contains(QLatin1String("Bad Gateway")));
    }

    void throttlingAndRejections_areTyped_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("code");
        QTest::newRow("Throttling.User 400")
                << 400
                << QByteArray(
                           R"({"RequestId":"r-t","Code":"Throttling.User","Message":"Request was denied due to user flow control."})")
                << int(ApiError::Kind::Throttled) << "Throttling.User";
        QTest::newRow("Throttling 503")
                << 503 << QByteArray(R"({"RequestId":"r-t2","Code":"Throttling","Message":"busy"})")
                << int(ApiError::Kind::Throttled) << "Throttling";
        QTest::newRow("Success false 200")
                << 200
                << QByteArray(
                           R"({"RequestId":"r-s","Success":false,"Code":"QuotaExceeded","Message":"no more sessions"})")
                << int(ApiError::Kind::Rejected) << "QuotaExceeded";
        QTest::newRow("server error 500")
                << 500
                << QByteArray(R"({"RequestId":"r-5","Code":"InternalError","Message":"oops"})")
                << int(ApiError::Kind::ServiceError) << "InternalError";
    }

    void throttlingAndRejections_areTyped()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, kind);
        QFETCH(QString, code);
        ReplayServer server(
                [status, body](const QByteArray &) { return ReplayServer::answer(status, body); });
        const ApiCallResult result = waitFor(clientFor(server.url())->createSession());
        QCOMPARE(int(result.error.kind), kind);
        QCOMPARE(result.error.code, code);
        QVERIFY(!result.error.requestId.isEmpty());
        QVERIFY(result.error.humanMessage().contains(result.error.requestId));
    }

    void createWithDataSuccessFalse_isRejectedWithErrMsg()
    {
        ReplayServer server([](const QByteArray &) {
            return ReplayServer::answer(
                    200,
                    R"({"RequestId":"r-c","Success":true,"Code":"ok","Data":{"Success":false,"ErrMsg":"image code_latest is not available in this region"}})");
        });
        const ApiCallResult result = waitFor(clientFor(server.url())->createSession());
        QVERIFY(result.ok());
        ApiError error;
        agentbay::protocol::ActionResults::parseCreated(result.envelope.data,
                                                        result.envelope.requestId, &error);
        QCOMPARE(error.kind, ApiError::Kind::Rejected);
        QCOMPARE(error.message,
                 QStringLiteral("image code_latest is not available in this region"));
        QCOMPARE(error.requestId, QStringLiteral("r-c"));
    }

    void resetMidBody_isAConnectionError()
    {
        ReplayServer server([](const QByteArray &) { return QByteArray(); });
        ApiCall *call = clientFor(server.url())->createSession();
        QSignalSpy spy(call, &ApiCall::finished);
        QTRY_COMPARE(server.requests.size(), 1);
        const auto sockets = server.findChildren<QTcpSocket *>();
        for (QTcpSocket *socket : sockets) {
            socket->write("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"RequestId\":\"r");
            socket->flush();
            socket->setSocketOption(QAbstractSocket::KeepAliveOption, 0);
            socket->abort(); // RST, not FIN
        }
        QVERIFY(spy.wait(5000));
        const auto result = spy.first().first().value<ApiCallResult>();
        QVERIFY2(result.error.kind == ApiError::Kind::ConnectionClosed
                         || result.error.kind == ApiError::Kind::NetworkFailure
                         || result.error.kind == ApiError::Kind::MalformedResponse,
                 qPrintable(ApiError::kindName(result.error.kind)));
        QVERIFY(!result.error.message.isEmpty());
    }

    void tlsToAPlainServer_isATlsFailure()
    {
        // A plain HTTP server answers a TLS hello with a 400 and closes, as real ones do.
        QTcpServer plain;
        QVERIFY(plain.listen(QHostAddress::LocalHost, 0));
        connect(&plain, &QTcpServer::newConnection, &plain, [&plain] {
            QTcpSocket *socket = plain.nextPendingConnection();
            connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                socket->readAll();
                socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: "
                              "close\r\n\r\n");
                socket->disconnectFromHost();
            });
        });
        const QUrl url(QStringLiteral("https://127.0.0.1:%1/").arg(plain.serverPort()));
        const ApiCallResult result = waitFor(clientFor(url)->createSession());
        QVERIFY2(result.error.kind == ApiError::Kind::TlsFailure,
                 qPrintable(ApiError::kindName(result.error.kind) + QLatin1Char(' ')
                            + result.error.message));
    }

    void unknownHost_isHostNotFound()
    {
        const ApiCallResult result = waitFor(
                clientFor(QUrl(QStringLiteral("https://no-such-host.invalid/")))->createSession());
        QCOMPARE(result.error.kind, ApiError::Kind::HostNotFound);
    }

    void apiKeyNeverAppearsInErrorText()
    {
        ReplayServer echo([](const QByteArray &request) {
            // A gateway that echoes the request body in its error page.
            return ReplayServer::answer(502,
                                        "<html>bad request: "
                                                + request.mid(request.indexOf("\r\n\r\n") + 4)
                                                + "</html>",
                                        "text/html");
        });
        const ApiCallResult result = waitFor(clientFor(echo.url())->createSession());
        QVERIFY(result.error.isError());
        QVERIFY2(!result.error.humanMessage().contains(QLatin1String("akm-capture-test-key")),
                 qPrintable(result.error.humanMessage()));
    }

    void connectionRefused_isReported()
    {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        const ApiCallResult result = waitFor(
                clientFor(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)))->createSession());
        QCOMPARE(result.error.kind, ApiError::Kind::ConnectionRefused);
    }

    void closedMidAnswer_isAnError()
    {
        ReplayServer server([](const QByteArray &) { return QByteArray(); });
        connect(&server, &QTcpServer::newConnection, &server, [] {});
        AgentBayClient *client = clientFor(server.url());
        ApiCall *call = client->createSession();
        QSignalSpy spy(call, &ApiCall::finished);
        QTRY_COMPARE(server.requests.size(), 1);
        const auto sockets = server.findChildren<QTcpSocket *>();
        for (QTcpSocket *socket : sockets) {
            socket->write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"Req");
            socket->flush();
            socket->disconnectFromHost();
        }
        QVERIFY(spy.wait(5000));
        const auto result = spy.first().first().value<ApiCallResult>();
        QVERIFY(result.error.isError());
        QVERIFY(result.error.kind == ApiError::Kind::ConnectionClosed
                || result.error.kind == ApiError::Kind::MalformedResponse);
    }

    void timeoutAndCancel_areToldApart()
    {
        ReplayServer silent([](const QByteArray &) { return QByteArray(); });
        AgentBayClient *client = clientFor(silent.url(), 300);
        const ApiCallResult timedOut = waitFor(client->createSession());
        QCOMPARE(timedOut.error.kind, ApiError::Kind::Timeout);

        AgentBayClient *patient = clientFor(silent.url(), 30000);
        ApiCall *call = patient->createSession();
        QSignalSpy spy(call, &ApiCall::finished);
        QTRY_COMPARE(silent.requests.size(), 2);
        call->cancel();
        QTRY_COMPARE(spy.size(), 1); // abort() may report before cancel() returns
        QCOMPARE(spy.first().first().value<ApiCallResult>().error.kind, ApiError::Kind::Cancelled);
    }

    void destroyingTheClientMidFlight_isSafe()
    {
        ReplayServer slow([](const QByteArray &) { return QByteArray(); });
        auto *client = clientFor(slow.url(), 30000);
        QObject owner; // a session adopts its calls the same way
        QPointer<ApiCall> call = client->createSession();
        call->setParent(&owner);
        bool finished = false;
        connect(call, &ApiCall::finished, this, [&finished] { finished = true; });
        QTRY_COMPARE(slow.requests.size(), 1);
        delete client; // the owner lives on
        QVERIFY(call.isNull());
        QVERIFY(!finished);
        QVERIFY(owner.children().isEmpty());
    }

    void destroyingACallMidFlight_isSafeAndSilent()
    {
        ReplayServer slow([](const QByteArray &) { return QByteArray(); });
        AgentBayClient *client = clientFor(slow.url(), 30000);
        ApiCall *call = client->createSession();
        bool finished = false;
        connect(call, &ApiCall::finished, this, [&finished] { finished = true; });
        QTRY_COMPARE(slow.requests.size(), 1);
        delete call;
        // The request is really aborted: the server sees its connection close.
        QTRY_VERIFY([&slow] {
            const auto sockets = slow.findChildren<QTcpSocket *>();
            return std::all_of(sockets.begin(), sockets.end(), [](QTcpSocket *socket) {
                return socket->state() == QAbstractSocket::UnconnectedState;
            });
        }());
        QVERIFY(!finished);
    }
};

QTEST_GUILESS_MAIN(TestAgentBayClient)
#include "tst_agentbayclient.moc"
