// SPDX-License-Identifier: GPL-3.0-or-later
// RpcRequest encodes byte-for-byte like the TypeScript SDK and decodes what every SDK sends.
#include "protocol/rpcrequest.h"

#include "fixtures.h"

#include <QJsonObject>
#include <QTest>

using agentbay::protocol::RpcRequest;

using agentbay::test::capturedRequest;

class TestRpcRequest final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Qt clears the guard after each test function, so it is set again before each one.
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }

    void encode_matchesTypeScriptCaptureByteForByte_data()
    {
        QTest::addColumn<QString>("fixture");
        const char *names[] = {"01-create-session",
                               "02-call-run-code-python",
                               "03-call-run-code-javascript",
                               "04-call-run-code-alias-py-timeout30",
                               "05-call-run-code-python-error",
                               "06-call-shell",
                               "07-get-session",
                               "08-get-session-detail",
                               "09-list-session",
                               "10-set-label",
                               "11-get-label",
                               "12-pause-session-async",
                               "15-resume-session-async",
                               "17-delete-session-async",
                               "19-get-session-detail-after-delete-notfound",
                               "21-create-session-linkurl-mode",
                               "26-create-session-invalid-api-key"};
        for (const char *name : names)
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    void encode_matchesTypeScriptCaptureByteForByte()
    {
        QFETCH(QString, fixture);
        const agentbay::test::HttpRequest capture = capturedRequest(fixture);
        const QJsonObject decoded = agentbay::test::wireJson(fixture
                                                             + QStringLiteral(".request.json"));
        const QJsonObject query = decoded.value(QLatin1String("query")).toObject();
        const QJsonObject form = decoded.value(QLatin1String("form")).toObject();

        RpcRequest request(query.value(QLatin1String("Action")).toString());
        // Fields in reverse order: the encoder must restore the SDK's order itself.
        const QStringList names = form.keys();
        for (auto it = names.crbegin(); it != names.crend(); ++it) {
            if (*it == QLatin1String("Authorization"))
                request.setApiKey(form.value(*it).toString().mid(7));
            else
                request.setField(*it, form.value(*it).toString());
        }
        if (query.contains(QLatin1String("SessionId")))
            request.setQueryField(QStringLiteral("SessionId"),
                                  query.value(QLatin1String("SessionId")).toString());

        const auto timestamp
                = QDateTime::fromString(query.value(QLatin1String("Timestamp")).toString(),
                                        Qt::ISODate);
        const auto encoded
                = request.encode(timestamp,
                                 query.value(QLatin1String("SignatureNonce")).toString().toLatin1(),
                                 capture.header("user-agent"));

        QCOMPARE(capture.method, QByteArrayLiteral("POST"));
        QCOMPARE(encoded.pathAndQuery, capture.target);
        QCOMPARE(encoded.body, capture.body);
        for (const auto &[name, value] : encoded.headers)
            QCOMPARE(value, capture.header(name));
    }

    void decode_acceptsEverySdksEncoding_data()
    {
        QTest::addColumn<QString>("fixture");
        const char *names[] = {"02-call-run-code-python",
                               "08-get-session-detail",
                               "python-sdk/py-01-create-session-sync-requests",
                               "python-sdk/py-02-call-run-code-python-sync",
                               "python-sdk/py-03-call-run-code-javascript-sync",
                               "python-sdk/py-05-call-shell-sync",
                               "python-sdk/py-06-get-session-detail-sync",
                               "python-sdk/py-10-create-session-async-aiohttp",
                               "python-sdk/py-14-delete-session-async-aiohttp"};
        for (const char *name : names)
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    void decode_acceptsEverySdksEncoding()
    {
        QFETCH(QString, fixture);
        const agentbay::test::HttpRequest capture = capturedRequest(fixture);
        const QJsonObject decoded = agentbay::test::wireJson(fixture
                                                             + QStringLiteral(".request.json"));
        const QByteArray rawQuery = capture.target.mid(capture.target.indexOf('?') + 1);
        const auto request = RpcRequest::decode(rawQuery, capture.body,
                                                capture.header("x-acs-action"));
        QVERIFY(request.has_value());

        const QJsonObject query = decoded.value(QLatin1String("query")).toObject();
        QCOMPARE(request->action(), query.value(QLatin1String("Action")).toString());
        QCOMPARE(request->queryField(QStringLiteral("Timestamp")).value_or(QString()),
                 query.value(QLatin1String("Timestamp")).toString());
        const QJsonObject form = decoded.value(QLatin1String("form")).toObject();
        QCOMPARE(request->fields().size(), form.size());
        for (auto it = form.begin(); it != form.end(); ++it)
            QCOMPARE(request->field(it.key()).value_or(QStringLiteral("<missing>")),
                     it.value().toString());
        QCOMPARE(request->apiKey(), QStringLiteral("akm-capture-test-key"));
    }

    void decode_takesActionFromHeaderWhenQueryHasNone()
    {
        const auto request = RpcRequest::decode("Format=json", "SessionId=s-1", "GetSession");
        QVERIFY(request.has_value());
        QCOMPARE(request->action(), QStringLiteral("GetSession"));
        QVERIFY(!RpcRequest::decode("Format=json", "", "").has_value());
    }

    void parseBool_acceptsBothSpellings_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("value");
        QTest::addColumn<bool>("known");
        QTest::newRow("ts true") << "true" << true << true;
        QTest::newRow("py True") << "True" << true << true;
        QTest::newRow("py False") << "False" << false << true;
        QTest::newRow("garbage") << "yes" << false << false;
    }

    void parseBool_acceptsBothSpellings()
    {
        QFETCH(QString, text);
        QFETCH(bool, value);
        QFETCH(bool, known);
        bool ok = false;
        QCOMPARE(RpcRequest::parseBool(text, &ok), value);
        QCOMPARE(ok, known);
    }

    void encodeComponent_followsEncodeUriComponent_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("space") << "a b" << QByteArray("a%20b");
        QTest::newRow("marks kept") << "(x)!*'~-_." << QByteArray("(x)!*'~-_.");
        QTest::newRow("plus") << "1+1" << QByteArray("1%2B1");
        QTest::newRow("colon") << "01:32" << QByteArray("01%3A32");
        QTest::newRow("utf8") << QStringLiteral("é中") << QByteArray("%C3%A9%E4%B8%AD");
        QTest::newRow("json") << "{\"a\":\"\\n\"}" << QByteArray("%7B%22a%22%3A%22%5Cn%22%7D");
    }

    void encodeComponent_followsEncodeUriComponent()
    {
        QFETCH(QString, input);
        QFETCH(QByteArray, expected);
        QCOMPARE(RpcRequest::encodeComponent(input), expected);
        // And it decodes back to itself.
        const auto decoded = RpcRequest::decodeForm("k=" + expected);
        QCOMPARE(decoded.value(0).second, input);
    }

    void randomNonce_isThirtyTwoLowercaseHex()
    {
        const QByteArray a = RpcRequest::randomNonce();
        const QByteArray b = RpcRequest::randomNonce();
        QCOMPARE(a.size(), 32);
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{32}$"))
                        .match(QString::fromLatin1(a))
                        .hasMatch());
        QVERIFY(a != b);
    }
};

QTEST_GUILESS_MAIN(TestRpcRequest)
#include "tst_rpcrequest.moc"
