// SPDX-License-Identifier: GPL-3.0-or-later
// The local sandbox's streaming extension against the real agentbay-sandbox: output arrives
// while a run goes on, in order, and the streamed run's final answer is the plain one; a request
// without the extension (an official SDK's, from the wire captures) is answered as before; a
// client that leaves mid-stream leaves the session usable; the output cap still ends a flood.
#include "../common/testsupport.h"

#include "client/agentbayclient.h"
#include "client/apicall.h"
#include "client/session.h"
#include "protocol/coderesultcodec.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using namespace agentbay;
using test::RawResponse;
using test::SandboxProcess;
using test::sendRaw;
using test::wireFile;

namespace {
const QByteArray CapturedKey = "akm-capture-test-key";
const QByteArray CapturedSession = "session-a59aaa8e63744eedb9b0";

// A captured SDK request with its session id swapped for a live one of the same length.
QByteArray sdkRequest(const QString &fixture, const QByteArray &liveSession)
{
    QByteArray request = wireFile(fixture + QStringLiteral(".request.http"));
    request.replace(CapturedSession, liveSession);
    return request;
}

// The same request asking for the stream (a header added before the blank line).
QByteArray streamed(QByteArray request)
{
    request.insert(request.indexOf("\r\n\r\n"), "\r\nX-Agentbay-Stream: ndjson");
    return request;
}

// A body with the values that differ between two runs of the same code blanked.
QByteArray normalised(QByteArray body)
{
    static const QRegularExpression requestId(QStringLiteral(R"("RequestId":"[^"]*")"));
    static const QRegularExpression time(
            QStringLiteral(R"(\\"(executionTime|execution_time)\\":[0-9.e-]+)"));
    QString text = QString::fromUtf8(body);
    text.replace(requestId, QStringLiteral(R"("RequestId":"")"));
    text.replace(time, QStringLiteral(R"(\"\1\":0)"));
    return text.toUtf8();
}

struct Streamed
{
    QList<QJsonObject> events; // in arrival order, with the millisecond each arrived
    QList<qint64> arrivedMs;
    int status = 0;
    QByteArray body; // the final line's body, as sent
};

// Reads a streamed answer off a raw connection (chunked NDJSON), until its final event.
Streamed readStream(QTcpSocket &socket, int timeoutMs = 30000)
{
    Streamed out;
    QElapsedTimer clock;
    clock.start();
    QByteArray data;
    qsizetype bodyStart = -1;
    QByteArray lines;
    while (clock.elapsed() < timeoutMs && socket.waitForReadyRead(timeoutMs)) {
        data += socket.readAll();
        if (bodyStart < 0) {
            bodyStart = data.indexOf("\r\n\r\n");
            if (bodyStart < 0)
                continue;
            out.status = data.mid(9, 3).toInt();
            data.remove(0, bodyStart + 4);
        }
        // Take whole chunks: "<hex size>\r\n<bytes>\r\n"; a chunk of size 0 ends the answer.
        bool ended = false;
        for (;;) {
            const qsizetype sizeEnd = data.indexOf("\r\n");
            if (sizeEnd < 0)
                break;
            bool ok = false;
            const qsizetype size = data.left(sizeEnd).toLongLong(&ok, 16);
            if (!ok || data.size() < sizeEnd + 2 + size + 2)
                break;
            lines += data.mid(sizeEnd + 2, size);
            data.remove(0, sizeEnd + 2 + size + 2);
            if (size == 0) {
                ended = true;
                break;
            }
        }
        qsizetype newline = 0;
        while ((newline = lines.indexOf('\n')) >= 0) {
            const QByteArray line = lines.left(newline);
            lines.remove(0, newline + 1);
            const QJsonObject event = QJsonDocument::fromJson(line).object();
            if (event.value(QLatin1String("type")).toString() == QLatin1String("final")) {
                out.status = event.value(QLatin1String("status")).toInt();
                const qsizetype at = line.indexOf(R"(,"body":)");
                out.body = line.mid(at + 8, line.size() - at - 9);
                continue;
            }
            out.events.append(event);
            out.arrivedMs.append(clock.elapsed());
        }
        if (ended)
            return out;
    }
    return out;
}

QString textOf(const QList<QJsonObject> &events, const char *type)
{
    QString text;
    for (const QJsonObject &event : events) {
        if (event.value(QLatin1String("type")).toString() == QLatin1String(type))
            text += event.value(QLatin1String("text")).toString();
    }
    return text;
}
} // namespace

class TestStreaming final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SandboxProcess> m_sandbox;

    QByteArray newSession() { return newSessionAt(m_sandbox->endpoint()); }

    static QByteArray newSessionAt(const QUrl &endpoint)
    {
        const RawResponse created = sendRaw(endpoint, wireFile(QStringLiteral(
                                                              "01-create-session.request.http")));
        return QJsonDocument::fromJson(created.body)
                .object()
                .value(QLatin1String("Data"))
                .toObject()
                .value(QLatin1String("SessionId"))
                .toString()
                .toLatin1();
    }

    client::ClientConfig config(bool stream) const
    {
        client::ClientConfig config;
        config.endpoint = m_sandbox->endpoint();
        config.apiKey = QString::fromLatin1(CapturedKey);
        config.streamOutput = stream;
        return config;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_sandbox = std::make_unique<SandboxProcess>(QString::fromLatin1(CapturedKey));
        QVERIFY(m_sandbox->endpoint().isValid());
    }

    void cleanupTestCase() { m_sandbox.reset(); }

    void output_arrivesBeforeTheRunEnds_forEveryWayOfWriting_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("code");
        QTest::newRow("python print") << QStringLiteral("python")
                                      << QStringLiteral("import time\nprint('first')\n"
                                                        "time.sleep(2)\nprint('second')");
        QTest::newRow("python sys.stdout.write")
                << QStringLiteral("python")
                << QStringLiteral("import sys, time\nsys.stdout.write('first\\n')\n"
                                  "time.sleep(2)\nprint('second')");
        QTest::newRow("node console.log")
                << QStringLiteral("javascript")
                << QStringLiteral("console.log('first')\n"
                                  "await new Promise(r => setTimeout(r, 2000))\n"
                                  "console.log('second')");
        QTest::newRow("node process.stdout.write, then busy")
                << QStringLiteral("javascript")
                << QStringLiteral("process.stdout.write('first\\n')\n"
                                  "const end = Date.now() + 2000; while (Date.now() < end) {}\n"
                                  "console.log('second')");
    }

    void output_arrivesBeforeTheRunEnds_forEveryWayOfWriting()
    {
        QFETCH(QString, language);
        QFETCH(QString, code);
        client::AgentBayClient client;
        client.setConfig(config(true));
        client::Session session(&client);
        QSignalSpy output(&session, &client::Session::runOutput);
        QSignalSpy finished(&session, &client::Session::runFinished);
        QElapsedTimer clock;
        session.runCode(code, language, 20);
        QTRY_VERIFY_WITH_TIMEOUT(!output.isEmpty(), 15000);
        clock.start();
        QCOMPARE(output.first().at(2).toString(), QStringLiteral("first\n"));
        QVERIFY(finished.isEmpty()); // the run is still going
        QVERIFY(finished.wait(15000));
        QVERIFY2(clock.elapsed() > 1000, qPrintable(QString::number(clock.elapsed())));
        const auto result = finished.first().at(1).value<protocol::RunCodeResult>();
        QCOMPARE(result.stdoutText(), QStringLiteral("first\nsecond\n"));
        QString streamedText;
        for (const auto &arguments : output)
            streamedText += arguments.at(2).toString();
        QCOMPARE(streamedText, result.stdoutText());
    }

    void displaysAndFigures_arriveWhileTheRunGoesOn_inTheirPlace()
    {
        client::AgentBayClient client;
        client.setConfig(config(true));
        client::Session session(&client);
        QSignalSpy displayed(&session, &client::Session::runDisplay);
        QSignalSpy output(&session, &client::Session::runOutput);
        QSignalSpy finished(&session, &client::Session::runFinished);
        // pyplot first imported in this very run: plt.show() shows the figure where it is called.
        session.runCode(QStringLiteral("import time\nprint('before')\ndisplay({'k': 1})\n"
                                       "import matplotlib.pyplot as plt\n"
                                       "plt.plot([1, 2])\nplt.show()\ntime.sleep(1.5)\n"
                                       "print('after')"),
                        QStringLiteral("python"), 30);
        QTRY_VERIFY_WITH_TIMEOUT(displayed.size() == 2, 20000);
        QVERIFY(finished.isEmpty()); // still sleeping
        QCOMPARE(output.size(), 1);  // "before" came first
        const auto json = displayed.at(0).at(1).value<protocol::MimeBundle>();
        QVERIFY2(json.text().contains(QLatin1String("'k': 1")), qPrintable(json.text()));
        QVERIFY(displayed.at(1).at(1).value<protocol::MimeBundle>().data.contains(
                QStringLiteral("image/png")));
        QVERIFY(finished.wait(15000));
        const auto result = finished.first().at(1).value<protocol::RunCodeResult>();
        QCOMPARE(result.results.size(), 2);
        QCOMPARE(result.results.at(0), json);
    }

    // Sends a streamed run_code over a raw socket and reads its events and final answer.
    Streamed streamRun(const QByteArray &session, const QString &code, const QString &language)
    {
        return streamRunAt(m_sandbox->endpoint(), session, code, language);
    }

    static Streamed streamRunAt(const QUrl &endpoint, const QByteArray &session,
                                const QString &code, const QString &language)
    {
        const QJsonObject args{{QStringLiteral("code"), code},
                               {QStringLiteral("language"), language},
                               {QStringLiteral("timeout_s"), 20}};
        QTcpSocket socket;
        socket.connectToHost(endpoint.host(), static_cast<quint16>(endpoint.port()));
        if (!socket.waitForConnected(5000))
            return {};
        const QByteArray body = "Args="
                                + QUrl::toPercentEncoding(QString::fromUtf8(
                                        QJsonDocument(args).toJson(QJsonDocument::Compact)))
                                + "&Authorization=Bearer%20" + CapturedKey
                                + "&Name=run_code&Server=&SessionId=" + session;
        socket.write(
                "POST /?Action=CallMcpTool HTTP/1.1\r\nHost: x\r\nx-acs-action: CallMcpTool\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                "X-Agentbay-Stream: ndjson\r\nContent-Length: "
                + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        return readStream(socket);
    }

    void interleavedStreams_keepTheirOrder()
    {
        const QByteArray session = newSession();
        QVERIFY(!session.isEmpty());
        const Streamed answer = streamRun(session,
                                          QStringLiteral("import sys, time\n"
                                                         "for i in range(3):\n"
                                                         "    print('out', i)\n"
                                                         "    time.sleep(0.1)\n"
                                                         "    print('err', i, file=sys.stderr)\n"
                                                         "    time.sleep(0.1)"),
                                          QStringLiteral("python"));
        QCOMPARE(answer.status, 200);
        QStringList order;
        for (const QJsonObject &event : answer.events)
            order << event.value(QLatin1String("type")).toString() + QLatin1Char(':')
                             + event.value(QLatin1String("text")).toString();
        QCOMPARE(order,
                 (QStringList{QStringLiteral("stdout:out 0\n"), QStringLiteral("stderr:err 0\n"),
                              QStringLiteral("stdout:out 1\n"), QStringLiteral("stderr:err 1\n"),
                              QStringLiteral("stdout:out 2\n"), QStringLiteral("stderr:err 2\n")}));
        const protocol::RunCodeResult result = protocol::CodeResultCodec::parseToolData(
                QJsonDocument::fromJson(answer.body).object().value(QLatin1String("Data")));
        QCOMPARE(result.stdoutText(), textOf(answer.events, "stdout"));
        QCOMPARE(result.stderrText(), textOf(answer.events, "stderr"));
    }

    void interleavedStreams_withoutPauses_keepTheirOrder_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("code");
        QTest::newRow("python") << QStringLiteral("python")
                                << QStringLiteral("import sys\n"
                                                  "for i in range(300):\n"
                                                  "    print('o', i)\n"
                                                  "    sys.stderr.write('e %d\\n' % i)\n"
                                                  "    if i % 100 == 0: display(i)");
        QTest::newRow("javascript") << QStringLiteral("javascript")
                                    << QStringLiteral("for (let i = 0; i < 300; i++) {\n"
                                                      "  console.log('o', i);\n"
                                                      "  process.stderr.write('e ' + i + '\\n');\n"
                                                      "  if (i % 100 === 0) display(i);\n}");
    }

    void interleavedStreams_withoutPauses_keepTheirOrder()
    {
        // Written back to back, faster than any flush: each stream is batched, yet what the
        // client receives, read in order, is exactly the order the code wrote in.
        QFETCH(QString, language);
        QFETCH(QString, code);
        const QByteArray session = newSession();
        QVERIFY(!session.isEmpty());
        const Streamed answer = streamRun(session, code, language);
        QCOMPARE(answer.status, 200);
        QString received;
        for (const QJsonObject &event : answer.events) {
            const QString type = event.value(QLatin1String("type")).toString();
            if (type == QLatin1String("display"))
                received += QStringLiteral("[display]\n");
            else
                received += event.value(QLatin1String("text")).toString();
        }
        QString expected;
        for (int i = 0; i < 300; ++i) {
            expected += QStringLiteral("o %1\ne %1\n").arg(i);
            if (i % 100 == 0)
                expected += QStringLiteral("[display]\n");
        }
        QCOMPARE(received, expected);
    }

    void aRunWaitingForASlot_isToldSo_thenStarts()
    {
        // One slot: a streamed run behind a busy one hears "queued" at once, then "started",
        // then its output; its answer is the usual one.
        SandboxProcess one(QString::fromLatin1(CapturedKey),
                           {QStringLiteral("--max-concurrent-runs"), QStringLiteral("1")});
        QVERIFY(one.endpoint().isValid());
        client::AgentBayClient client;
        client.setConfig({one.endpoint(), QString::fromLatin1(CapturedKey), {}, 30000});
        client::Session busy(&client);
        QSignalSpy busyDone(&busy, &client::Session::runFinished);
        busy.runCode(QStringLiteral("import time\ntime.sleep(1.5)"), QStringLiteral("python"), 10);
        QTRY_VERIFY_WITH_TIMEOUT(!busy.id().isEmpty(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(busy.state(), client::Session::State::Running, 10000);
        const QByteArray other = newSessionAt(one.endpoint());
        QVERIFY(!other.isEmpty());
        QTest::qWait(300); // the busy run has reached its kernel
        const Streamed answer = streamRunAt(one.endpoint(), other, QStringLiteral("print('mine')"),
                                            QStringLiteral("python"));
        QCOMPARE(answer.status, 200);
        QStringList types;
        for (const QJsonObject &event : answer.events)
            types << event.value(QLatin1String("type")).toString();
        QVERIFY2(types.size() >= 3, qPrintable(types.join(QLatin1Char(' '))));
        QCOMPARE(types.constFirst(), QStringLiteral("queued"));
        QCOMPARE(answer.events.constFirst().value(QLatin1String("running")).toInt(), 1);
        QCOMPARE(types.at(types.size() - 2), QStringLiteral("started"));
        QCOMPARE(types.constLast(), QStringLiteral("stdout"));
        const protocol::RunCodeResult result = protocol::CodeResultCodec::parseToolData(
                QJsonDocument::fromJson(answer.body).object().value(QLatin1String("Data")));
        QCOMPARE(result.stdoutText(), QStringLiteral("mine\n"));
        QVERIFY(busyDone.wait(10000) || busyDone.size() == 1);
    }

    void theSdkRequest_getsThePlainAnswer_andTheStreamedFinalIsTheSame()
    {
        // The TypeScript SDK's capture, as it was sent: no stream, a plain JSON answer.
        const QByteArray first = newSession();
        const QByteArray second = newSession();
        QCOMPARE(first.size(), CapturedSession.size());
        const RawResponse plain = sendRaw(m_sandbox->endpoint(),
                                          sdkRequest(QStringLiteral("02-call-run-code-python"),
                                                     first));
        QCOMPARE(plain.status, 200);
        const QByteArray headers = plain.headers.toLower();
        QVERIFY2(headers.contains("content-type: application/json"), headers.constData());
        QVERIFY(headers.contains("content-length:"));
        QVERIFY(!headers.contains("x-agentbay-stream"));
        QVERIFY(!headers.contains("chunked"));
        QVERIFY(!plain.body.contains(R"("type":"final")"));

        // The same request asking for the stream ends with the same body, byte for byte but for
        // the request id and the run's duration.
        QTcpSocket socket;
        socket.connectToHost(m_sandbox->endpoint().host(),
                             static_cast<quint16>(m_sandbox->endpoint().port()));
        QVERIFY(socket.waitForConnected(5000));
        socket.write(streamed(sdkRequest(QStringLiteral("02-call-run-code-python"), second)));
        const Streamed answer = readStream(socket);
        QVERIFY2(answer.status == 200, answer.body.constData());
        QVERIFY(!answer.events.isEmpty());
        QCOMPARE(normalised(answer.body), normalised(plain.body));
    }

    void aStreamedAndAPlainRunOfTheSameCode_giveEqualResults()
    {
        const QString code = QStringLiteral(
                "import sys\nprint('a' * 100)\nprint('warn', file=sys.stderr)\n"
                "display({'k': [1, 2]})\nraise ValueError('at the end')");
        QList<protocol::RunCodeResult> results;
        for (const bool stream : {true, false}) {
            client::AgentBayClient client;
            client.setConfig(config(stream));
            client::Session session(&client);
            QSignalSpy finished(&session, &client::Session::runFinished);
            QSignalSpy output(&session, &client::Session::runOutput);
            session.runCode(code, QStringLiteral("python"), 20);
            QVERIFY(finished.wait(20000));
            QCOMPARE(output.isEmpty(), !stream);
            results.append(finished.first().at(1).value<protocol::RunCodeResult>());
        }
        protocol::RunCodeResult streamedResult = results.at(0);
        protocol::RunCodeResult plainResult = results.at(1);
        for (protocol::RunCodeResult *each : {&streamedResult, &plainResult}) {
            each->executionTimeSeconds = 0;
            each->requestId.clear();
        }
        QCOMPARE(protocol::CodeResultCodec::resultToJson(streamedResult),
                 protocol::CodeResultCodec::resultToJson(plainResult));
        QVERIFY(streamedResult.error);
        QCOMPARE(streamedResult.error->name, QStringLiteral("ValueError"));
    }

    void aClientLeavingMidStream_leavesTheSessionUsable()
    {
        const QByteArray session = newSession();
        {
            QTcpSocket socket;
            socket.connectToHost(m_sandbox->endpoint().host(),
                                 static_cast<quint16>(m_sandbox->endpoint().port()));
            QVERIFY(socket.waitForConnected(5000));
            // A long run: it prints for 5 s unless interrupted.
            const QJsonObject args{{QStringLiteral("code"),
                                    QStringLiteral("import time\nfor i in range(100):\n"
                                                   "    print(i)\n    time.sleep(0.05)")},
                                   {QStringLiteral("language"), QStringLiteral("python")},
                                   {QStringLiteral("timeout_s"), 30}};
            const QByteArray body = "Args="
                                    + QUrl::toPercentEncoding(QString::fromUtf8(
                                            QJsonDocument(args).toJson(QJsonDocument::Compact)))
                                    + "&Authorization=Bearer%20" + CapturedKey
                                    + "&Name=run_code&Server=&SessionId=" + session;
            socket.write("POST /?Action=CallMcpTool HTTP/1.1\r\nHost: x\r\n"
                         "x-acs-action: CallMcpTool\r\n"
                         "Content-Type: application/x-www-form-urlencoded\r\n"
                         "X-Agentbay-Stream: ndjson\r\nContent-Length: "
                         + QByteArray::number(body.size()) + "\r\n\r\n" + body);
            QVERIFY(socket.waitForReadyRead(10000)); // the first events
            socket.abort();
        }
        // The run is interrupted; the next one in the same session answers.
        client::AgentBayClient client;
        client.setConfig(config(true));
        QSignalSpy answered(client.callTool(QString::fromLatin1(session), QStringLiteral("run_code"),
                                            {{QStringLiteral("code"),
                                              QStringLiteral("print('still here')")},
                                             {QStringLiteral("language"), QStringLiteral("python")},
                                             {QStringLiteral("timeout_s"), 20}},
                                            30000),
                            &client::ApiCall::finished);
        QVERIFY(answered.wait(20000));
        const auto result = answered.first().first().value<client::ApiCallResult>();
        QVERIFY2(!result.error.isError(), qPrintable(result.error.humanMessage()));
        QCOMPARE(protocol::CodeResultCodec::parseToolData(result.envelope.data).stdoutText(),
                 QStringLiteral("still here\n"));
    }

    void theOutputCap_stillEndsAFlood_withItsMarker()
    {
        SandboxProcess capped(QString::fromLatin1(CapturedKey),
                              {QStringLiteral("--max-output"), QStringLiteral("20000")});
        QVERIFY(capped.endpoint().isValid());
        client::AgentBayClient client;
        client::ClientConfig streamed;
        streamed.endpoint = capped.endpoint();
        streamed.apiKey = QString::fromLatin1(CapturedKey);
        streamed.streamOutput = true;
        client.setConfig(streamed);
        client::Session session(&client);
        QSignalSpy output(&session, &client::Session::runOutput);
        QSignalSpy finished(&session, &client::Session::runFinished);
        session.runCode(QStringLiteral("for i in range(100000): print('line', i)"),
                        QStringLiteral("python"), 30);
        QVERIFY(finished.wait(30000));
        qsizetype streamedCharacters = 0;
        for (const auto &arguments : output)
            streamedCharacters += arguments.at(2).toString().size();
        QVERIFY2(streamedCharacters <= 20000, qPrintable(QString::number(streamedCharacters)));
        const auto result = finished.first().at(1).value<protocol::RunCodeResult>();
        QVERIFY(result.droppedOutputCharacters > 0);
        QVERIFY(result.stdoutText().contains(QLatin1String("[output truncated")));
    }
};

QTEST_GUILESS_MAIN(TestStreaming)
#include "tst_streaming.moc"
