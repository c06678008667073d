// SPDX-License-Identifier: GPL-3.0-or-later
// The real agentbay-sandbox answers the exact bytes the official SDKs sent (TypeScript: chunked,
// %20, true; Python: Content-Length, '+', True, raw ':'), replayed from the captures.
#include "protocol/coderesultcodec.h"

#include "testsupport.h"

#include <QJsonArray>
#include <QTest>

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
        const RawResponse gone
                = sendRaw(m_sandbox->endpoint(),
                          withSession(QStringLiteral("19-get-session-detail-after-delete-notfound"),
                                      "session-a59aaa8e63744eedb9b0", session));
        QCOMPARE(gone.status, 400);
        QCOMPARE(bodyOf(gone).value(QLatin1String("Code")).toString(),
                 QStringLiteral("InvalidMcpSession.NotFound"));
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

    void otherImages_areRefusedClearly()
    {
        QByteArray request = wireFile(QStringLiteral("01-create-session.request.http"));
        request.replace("ImageId=code_latest", "ImageId=linux_latest");
        request.replace("\r\n137\r\n", "\r\n138\r\n"); // the chunk grew by one byte
        const RawResponse response = sendRaw(m_sandbox->endpoint(), request);
        QCOMPARE(response.status, 400);
        QVERIFY(bodyOf(response)
                        .value(QLatin1String("Message"))
                        .toString()
                        .contains(QLatin1String("linux_latest")));
    }
};

QTEST_GUILESS_MAIN(TestSandboxServer)
#include "tst_sandboxserver.moc"
