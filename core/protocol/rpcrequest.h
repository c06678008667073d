// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace agentbay::protocol {

inline constexpr char ApiVersion[] = "2025-05-06";

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// The bytes of one POP RPC call, ready for any HTTP stack.
struct EncodedRequest
{
    QByteArray pathAndQuery; // "/?Action=...&Format=json&..."
    HeaderList headers;      // x-acs-version, x-acs-action, user-agent, content-type
    QByteArray body;         // application/x-www-form-urlencoded
};

// One AgentBay POP RPC action with its query and form fields, encoded exactly as the official
// TypeScript SDK sends it (captures in tests/data/wire) and decoded as leniently as the local
// server must accept it (Python's '+', 'True', raw ':' in the query, action in a header).
class RpcRequest final
{
public:
    explicit RpcRequest(QString action = {});

    QString action() const { return m_action; }

    // Form fields; the wire order is by name, as the generated SDK models emit them.
    void setField(const QString &name, const QString &value);
    void setField(const QString &name, bool value);
    void setField(const QString &name, qint64 value);
    std::optional<QString> field(const QString &name) const;
    const QList<QPair<QString, QString>> &fields() const { return m_fields; }

    // Action-specific query fields (GetSessionDetail's SessionId); they follow the fixed five.
    void setQueryField(const QString &name, const QString &value);
    std::optional<QString> queryField(const QString &name) const;

    // The API key goes in the form body as "Bearer <key>", never in a header.
    void setApiKey(const QString &apiKey);
    QString apiKey() const;

    EncodedRequest encode(const QDateTime &timestampUtc, const QByteArray &nonce,
                          const QByteArray &userAgent) const;
    EncodedRequest encode(const QByteArray &userAgent) const; // now, random nonce

    // Server side: rebuild a request from what arrived. Returns nullopt when no action is named.
    static std::optional<RpcRequest> decode(const QByteArray &rawQuery, const QByteArray &body,
                                            const QByteArray &actionHeader);

    // encodeURIComponent semantics: letters, digits and -_.!~*'() stay as they are.
    static QByteArray encodeComponent(const QString &value);
    // application/x-www-form-urlencoded decoding: '+' and %20 are both a space.
    static QList<QPair<QString, QString>> decodeForm(const QByteArray &encoded);
    static QByteArray randomNonce();
    static bool parseBool(const QString &value, bool *ok = nullptr);

private:
    static void upsert(QList<QPair<QString, QString>> &list, const QString &name,
                       const QString &value);

    QString m_action;
    QList<QPair<QString, QString>> m_fields;
    QList<QPair<QString, QString>> m_query;
};

} // namespace agentbay::protocol
