// SPDX-License-Identifier: GPL-3.0-or-later
// ResponseEnvelope turns every answer, good or bad, into an envelope plus a typed error.
#include "protocol/responseenvelope.h"

#include "fixtures.h"

#include <QTest>

using agentbay::protocol::ApiError;
using agentbay::protocol::ResponseEnvelope;

namespace {
QPair<int, QByteArray> fixture(const QString &name)
{
    const QJsonObject response = agentbay::test::wireJson(name + QStringLiteral(".response.json"));
    return {response.value(QLatin1String("http_status")).toInt(),
            QJsonDocument(response.value(QLatin1String("body")).toObject()).toJson()};
}
} // namespace

class TestResponseEnvelope final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Qt clears the guard after each test function, so it is set again before each one.
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }

    void decode_success_keepsDataAndRequestId()
    {
        const auto response = fixture(QStringLiteral("01-create-session"));
        const int status = response.first;
        const QByteArray body = response.second;
        ApiError error;
        const ResponseEnvelope envelope = ResponseEnvelope::decode(status, body, &error);
        QVERIFY(!error.isError());
        QVERIFY(envelope.success);
        QCOMPARE(envelope.requestId, QStringLiteral("12823888-9AEF-410B-BC2D-6A6624962E7E"));
        QCOMPARE(envelope.data.toObject().value(QLatin1String("SessionId")).toString(),
                 QStringLiteral("session-a59aaa8e63744eedb9b0"));
    }

    void decode_invalidKey_isServiceErrorWithCodeAndRequestId()
    {
        const auto response = fixture(QStringLiteral("26-create-session-invalid-api-key"));
        const int status = response.first;
        const QByteArray body = response.second;
        ApiError error;
        ResponseEnvelope::decode(status, body, &error);
        QCOMPARE(error.kind, ApiError::Kind::ServiceError);
        QCOMPARE(error.code, QStringLiteral("NOT_LOGIN"));
        QCOMPARE(error.httpStatus, 400);
        QCOMPARE(error.requestId, QStringLiteral("58BAF78A-BD16-4541-B0FA-1C51EF86ACD0"));
        const QString human = error.humanMessage();
        QVERIFY2(human.contains(QLatin1String("[NOT_LOGIN]")), qPrintable(human));
        QVERIFY2(human.contains(error.requestId), qPrintable(human));
        QVERIFY(!error.isSessionNotFound());
    }

    void decode_notFound_isRecognisedAsSessionNotFound()
    {
        const auto response = fixture(
                QStringLiteral("19-get-session-detail-after-delete-notfound"));
        const int status = response.first;
        const QByteArray body = response.second;
        ApiError error;
        ResponseEnvelope::decode(status, body, &error);
        QCOMPARE(error.kind, ApiError::Kind::ServiceError);
        QVERIFY(error.isSessionNotFound());
    }

    void decode_successFalse_isRejected()
    {
        ApiError error;
        const ResponseEnvelope envelope = ResponseEnvelope::decode(
                200,
                R"({"RequestId":"r-1","Success":false,"Code":"QuotaExceeded","Message":"too many sessions"})",
                &error);
        QVERIFY(!envelope.success);
        QCOMPARE(error.kind, ApiError::Kind::Rejected);
        QCOMPARE(error.humanMessage(),
                 QStringLiteral("[QuotaExceeded] too many sessions (request id r-1)"));
    }

    void decode_badBodies_areClearErrors_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("kind");
        QTest::newRow("gateway html 502")
                << 502 << QByteArray("<html><body>Bad Gateway</body></html>")
                << int(ApiError::Kind::ServiceError);
        QTest::newRow("html with 200") << 200 << QByteArray("<html>login</html>")
                                       << int(ApiError::Kind::MalformedResponse);
        QTest::newRow("truncated") << 200 << QByteArray("{\"RequestId\":\"x\",\"Succ")
                                   << int(ApiError::Kind::MalformedResponse);
        QTest::newRow("empty") << 200 << QByteArray() << int(ApiError::Kind::MalformedResponse);
        QTest::newRow("array") << 200 << QByteArray("[1,2]")
                               << int(ApiError::Kind::MalformedResponse);
    }

    void decode_badBodies_areClearErrors()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, kind);
        ApiError error;
        const ResponseEnvelope envelope = ResponseEnvelope::decode(status, body, &error);
        QVERIFY(!envelope.success);
        QCOMPARE(int(error.kind), kind);
        QVERIFY(!error.message.isEmpty());
    }

    void decode_listExtras_areKept()
    {
        const auto response = fixture(QStringLiteral("09-list-session"));
        const int status = response.first;
        const QByteArray body = response.second;
        ApiError error;
        const ResponseEnvelope envelope = ResponseEnvelope::decode(status, body, &error);
        QVERIFY(!error.isError());
        QVERIFY(envelope.body.contains(QLatin1String("TotalCount")));
        QVERIFY(envelope.data.isArray());
    }

    void serverBodies_decodeBackToTheSame()
    {
        ApiError error;
        const ResponseEnvelope ok = ResponseEnvelope::decode(
                200,
                ResponseEnvelope::successBody(QStringLiteral("r-2"),
                                              QJsonObject{{QStringLiteral("a"), 1}}),
                &error);
        QVERIFY(!error.isError());
        QCOMPARE(ok.requestId, QStringLiteral("r-2"));
        QCOMPARE(ok.data.toObject().value(QLatin1String("a")).toInt(), 1);
        ResponseEnvelope::decode(400,
                                 ResponseEnvelope::errorBody(QStringLiteral("r-3"),
                                                             QStringLiteral("NOT_LOGIN"),
                                                             QStringLiteral("no"),
                                                             QStringLiteral("h")),
                                 &error);
        QCOMPARE(error.code, QStringLiteral("NOT_LOGIN"));
        QCOMPARE(error.requestId, QStringLiteral("r-3"));
    }
};

QTEST_GUILESS_MAIN(TestResponseEnvelope)
#include "tst_responseenvelope.moc"
