// SPDX-License-Identifier: GPL-3.0-or-later
#include "rpcrequest.h"

#include "randomtoken.h"

#include <algorithm>

namespace agentbay::protocol {

namespace {
const QString BearerPrefix = QStringLiteral("Bearer ");
}

RpcRequest::RpcRequest(QString action) : m_action(std::move(action)) {}

void RpcRequest::upsert(QList<QPair<QString, QString>> &list, const QString &name,
                        const QString &value)
{
    for (auto &entry : list) {
        if (entry.first == name) {
            entry.second = value;
            return;
        }
    }
    list.append({name, value});
}

void RpcRequest::setField(const QString &name, const QString &value)
{
    upsert(m_fields, name, value);
}

void RpcRequest::setField(const QString &name, bool value)
{
    // The TypeScript SDK stringifies booleans in lower case.
    setField(name, value ? QStringLiteral("true") : QStringLiteral("false"));
}

void RpcRequest::setField(const QString &name, qint64 value)
{
    setField(name, QString::number(value));
}

std::optional<QString> RpcRequest::field(const QString &name) const
{
    for (const auto &entry : m_fields) {
        if (entry.first == name)
            return entry.second;
    }
    return std::nullopt;
}

void RpcRequest::setQueryField(const QString &name, const QString &value)
{
    upsert(m_query, name, value);
}

std::optional<QString> RpcRequest::queryField(const QString &name) const
{
    for (const auto &entry : m_query) {
        if (entry.first == name)
            return entry.second;
    }
    return std::nullopt;
}

void RpcRequest::setApiKey(const QString &apiKey)
{
    setField(QStringLiteral("Authorization"), BearerPrefix + apiKey);
}

QString RpcRequest::apiKey() const
{
    const QString value = field(QStringLiteral("Authorization")).value_or(QString());
    if (value.startsWith(BearerPrefix, Qt::CaseInsensitive))
        return value.mid(BearerPrefix.size()).trimmed();
    return value.trimmed();
}

QByteArray RpcRequest::encodeComponent(const QString &value)
{
    return value.toUtf8().toPercentEncoding(QByteArrayLiteral("!*'()"));
}

EncodedRequest RpcRequest::encode(const QDateTime &timestampUtc, const QByteArray &nonce,
                                  const QByteArray &userAgent) const
{
    EncodedRequest out;
    const QString timestamp = timestampUtc.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));

    QByteArray query = "/?Action=" + encodeComponent(m_action)
                       + "&Format=json&Version=" + QByteArray(ApiVersion)
                       + "&Timestamp=" + encodeComponent(timestamp) + "&SignatureNonce=" + nonce;
    for (const auto &[name, value] : m_query)
        query += '&' + encodeComponent(name) + '=' + encodeComponent(value);
    out.pathAndQuery = query;

    auto sorted = m_fields;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    QByteArray body;
    for (const auto &[name, value] : sorted) {
        if (!body.isEmpty())
            body += '&';
        body += encodeComponent(name) + '=' + encodeComponent(value);
    }
    out.body = body;

    out.headers = {
            {QByteArrayLiteral("x-acs-version"), QByteArray(ApiVersion)},
            {QByteArrayLiteral("x-acs-action"), m_action.toUtf8()},
            {QByteArrayLiteral("user-agent"), userAgent},
            {QByteArrayLiteral("content-type"),
             QByteArrayLiteral("application/x-www-form-urlencoded")},
    };
    return out;
}

EncodedRequest RpcRequest::encode(const QByteArray &userAgent) const
{
    return encode(QDateTime::currentDateTimeUtc(), randomNonce(), userAgent);
}

QByteArray RpcRequest::randomNonce()
{
    // 32 lowercase hex characters, like the SDKs' MD5-of-random nonce.
    return RandomToken::hex(16);
}

QList<QPair<QString, QString>> RpcRequest::decodeForm(const QByteArray &encoded)
{
    QList<QPair<QString, QString>> out;
    const auto pairs = encoded.split('&');
    for (QByteArray pair : pairs) {
        if (pair.isEmpty())
            continue;
        pair.replace('+', ' ');
        const qsizetype eq = pair.indexOf('=');
        const QByteArray name = eq < 0 ? pair : pair.left(eq);
        const QByteArray value = eq < 0 ? QByteArray() : pair.mid(eq + 1);
        out.append({QString::fromUtf8(QByteArray::fromPercentEncoding(name)),
                    QString::fromUtf8(QByteArray::fromPercentEncoding(value))});
    }
    return out;
}

std::optional<RpcRequest> RpcRequest::decode(const QByteArray &rawQuery, const QByteArray &body,
                                             const QByteArray &actionHeader)
{
    RpcRequest request;
    const auto query = decodeForm(rawQuery);
    for (const auto &[name, value] : query) {
        if (name == QLatin1String("Action"))
            request.m_action = value;
        else
            request.m_query.append({name, value});
    }
    if (request.m_action.isEmpty())
        request.m_action = QString::fromUtf8(actionHeader).trimmed();
    if (request.m_action.isEmpty())
        return std::nullopt;
    request.m_fields = decodeForm(body);
    return request;
}

bool RpcRequest::parseBool(const QString &value, bool *ok)
{
    const QString v = value.trimmed().toLower();
    const bool known = v == QLatin1String("true") || v == QLatin1String("false");
    if (ok)
        *ok = known;
    return v == QLatin1String("true");
}

} // namespace agentbay::protocol
