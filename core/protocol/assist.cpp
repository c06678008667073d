// SPDX-License-Identifier: GPL-3.0-or-later
#include "assist.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>

namespace agentbay::protocol {

QString AssistCodec::kindName(AssistKind kind)
{
    switch (kind) {
    case AssistKind::Complete:
        return QStringLiteral("complete");
    case AssistKind::Signature:
        return QStringLiteral("signature");
    case AssistKind::Doc:
        return QStringLiteral("doc");
    case AssistKind::Lint:
        return QStringLiteral("lint");
    case AssistKind::Warm:
        return QStringLiteral("warm");
    }
    return {};
}

AssistAnswer AssistCodec::decode(AssistKind kind, const QJsonObject &data)
{
    AssistAnswer answer;
    answer.kind = kind;
    answer.source = data.value(QLatin1String("source")).toString();
    answer.error = data.value(QLatin1String("error")).toString();
    answer.kernelMs = data.value(QLatin1String("elapsedMs")).toDouble(-1);
    answer.bufferToken = data.value(QLatin1String("bufferToken")).toString();
    const QJsonArray candidates = data.value(QLatin1String("candidates")).toArray();
    for (const QJsonValue &value : candidates) {
        const QJsonObject item = value.toObject();
        AssistCandidate candidate{item.value(QLatin1String("name")).toString(),
                                  item.value(QLatin1String("complete")).toString(),
                                  item.value(QLatin1String("type")).toString()};
        if (!candidate.name.isEmpty())
            answer.candidates.append(candidate);
    }
    const QJsonObject signature = data.value(QLatin1String("signature")).toObject();
    if (!signature.value(QLatin1String("label")).toString().isEmpty()) {
        AssistSignature decoded;
        decoded.label = signature.value(QLatin1String("label")).toString();
        for (const QJsonValue &param : signature.value(QLatin1String("params")).toArray())
            decoded.params.append(param.toString());
        decoded.index = signature.value(QLatin1String("index")).toInt(-1);
        const QJsonArray highlight = signature.value(QLatin1String("highlight")).toArray();
        if (highlight.size() == 2) {
            const int start = highlight.at(0).toInt(-1);
            const int end = highlight.at(1).toInt(-1);
            if (start >= 0 && end > start && end <= decoded.label.size()) {
                decoded.highlightStart = start;
                decoded.highlightEnd = end;
            }
        }
        decoded.doc = signature.value(QLatin1String("doc")).toString();
        answer.signature = decoded;
    }
    const QJsonObject doc = data.value(QLatin1String("doc")).toObject();
    if (!doc.isEmpty()) {
        answer.doc = AssistDoc{doc.value(QLatin1String("name")).toString(),
                               doc.value(QLatin1String("type")).toString(),
                               doc.value(QLatin1String("signature")).toString(),
                               doc.value(QLatin1String("text")).toString()};
    }
    const QJsonArray diagnostics = data.value(QLatin1String("diagnostics")).toArray();
    for (const QJsonValue &value : diagnostics) {
        const QJsonObject item = value.toObject();
        AssistDiagnostic diagnostic;
        diagnostic.line = item.value(QLatin1String("line")).toInt();
        diagnostic.column = qMax(0, item.value(QLatin1String("column")).toInt());
        diagnostic.endColumn = qMax(diagnostic.column + 1,
                                    item.value(QLatin1String("endColumn")).toInt());
        diagnostic.severity = item.value(QLatin1String("severity")).toString();
        diagnostic.message = item.value(QLatin1String("message")).toString();
        if (diagnostic.line > 0)
            answer.diagnostics.append(diagnostic);
    }
    return answer;
}

AssistBufferEdit AssistCodec::editBetween(const QString &baseToken, const QString &base,
                                          const QString &now)
{
    const qsizetype shorter = std::min(base.size(), now.size());
    qsizetype prefix = 0;
    while (prefix < shorter && base.at(prefix) == now.at(prefix))
        ++prefix;
    qsizetype suffix = 0;
    while (suffix < shorter - prefix
           && base.at(base.size() - 1 - suffix) == now.at(now.size() - 1 - suffix))
        ++suffix;
    return AssistBufferEdit{baseToken, static_cast<int>(prefix),
                            static_cast<int>(base.size() - prefix - suffix),
                            now.mid(prefix, now.size() - prefix - suffix)};
}

std::optional<QString> AssistCodec::applyEdit(const QString &base, const AssistBufferEdit &edit)
{
    if (edit.at < 0 || edit.removed < 0 || edit.at > base.size()
        || edit.removed > base.size() - edit.at)
        return std::nullopt;
    QString text = base;
    text.replace(edit.at, edit.removed, edit.inserted);
    return text;
}

} // namespace agentbay::protocol
