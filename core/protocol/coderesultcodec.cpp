// SPDX-License-Identifier: GPL-3.0-or-later
#include "coderesultcodec.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace agentbay::protocol::CodeResultCodec {

namespace {

const QLatin1String MainResultKey("isMainResult");
const QLatin1String MainResultSnakeKey("is_main_result");

// Short names the Python SDK also accepts for result items.
const QMap<QString, QString> &shortMimeNames()
{
    static const QMap<QString, QString> names = {
            {QStringLiteral("text"), QStringLiteral("text/plain")},
            {QStringLiteral("html"), QStringLiteral("text/html")},
            {QStringLiteral("markdown"), QStringLiteral("text/markdown")},
            {QStringLiteral("png"), QStringLiteral("image/png")},
            {QStringLiteral("jpeg"), QStringLiteral("image/jpeg")},
            {QStringLiteral("svg"), QStringLiteral("image/svg+xml")},
            {QStringLiteral("latex"), QStringLiteral("text/latex")},
            {QStringLiteral("json"), QStringLiteral("application/json")},
            {QStringLiteral("chart"), QStringLiteral("application/vnd.vegalite.v5+json")},
    };
    return names;
}

std::optional<QJsonValue> parseJson(const QString &text)
{
    QJsonParseError error;
    // QJsonDocument only takes arrays and objects at top level: wrap to accept any value.
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray("[" + text.toUtf8() + "]"), &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1)
        return std::nullopt;
    return doc.array().first();
}

QString valueText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isDouble())
        return QString::number(value.toDouble());
    return {};
}

QStringList chunkList(const QJsonValue &value)
{
    QStringList out;
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (const auto &item : array)
            out.append(valueText(item));
    } else if (value.isString() && !value.toString().isEmpty()) {
        out.append(value.toString());
    }
    return out;
}

std::optional<MimeBundle> bundleFromItem(const QJsonValue &item)
{
    QJsonValue decoded = item;
    // Items are JSON strings of a bundle; some backends encode them twice.
    for (int depth = 0; depth < 2 && decoded.isString(); ++depth) {
        const auto parsed = parseJson(decoded.toString());
        if (!parsed)
            break;
        decoded = *parsed;
    }
    if (decoded.isObject())
        return bundleFromJson(decoded.toObject());
    if (decoded.isString() || decoded.isDouble() || decoded.isBool()) {
        MimeBundle bundle;
        bundle.data.insert(QStringLiteral("text/plain"), valueText(decoded));
        return bundle;
    }
    return std::nullopt;
}

double numberOf(const QJsonObject &object, QLatin1String camel, QLatin1String snake, double fallback)
{
    for (const auto key : {camel, snake}) {
        const QJsonValue value = object.value(key);
        if (value.isDouble())
            return value.toDouble();
        if (value.isString()) {
            bool ok = false;
            const double parsed = value.toString().toDouble(&ok);
            if (ok)
                return parsed;
        }
    }
    return fallback;
}

void readStructuredError(const QJsonValue &value, RunCodeResult &result)
{
    if (!value.isObject())
        return;
    const QJsonObject object = value.toObject();
    ExecutionError error;
    error.name = object.value(QLatin1String("name")).toString();
    error.value = valueText(object.value(QLatin1String("value")));
    const QJsonValue traceback = object.value(QLatin1String("traceback"));
    error.traceback = traceback.isArray() ? chunkList(traceback).join(QLatin1Char('\n'))
                                          : valueText(traceback);
    if (!error.name.isEmpty() || !error.value.isEmpty())
        result.error = error;
}

RunCodeResult parseObject(const QJsonObject &object, bool toolReportedError)
{
    RunCodeResult result;
    result.toolReportedError = toolReportedError;
    result.executionCount = static_cast<int>(numberOf(object, QLatin1String("executionCount"),
                                                      QLatin1String("execution_count"), -1));
    result.executionTimeSeconds = numberOf(object, QLatin1String("executionTime"),
                                           QLatin1String("execution_time"), -1);
    result.traceId = object.value(QLatin1String("traceId")).toString();
    result.timedOut = object.value(QLatin1String("timedOut")).toBool();
    result.droppedOutputCharacters = object.value(QLatin1String("outputTruncated")).toInteger();

    if (object.contains(QLatin1String("logs")) || object.contains(QLatin1String("results"))) {
        // The legacy rich shape (Python and Java SDKs).
        const QJsonObject logs = object.value(QLatin1String("logs")).toObject();
        result.stdoutChunks = chunkList(logs.value(QLatin1String("stdout")));
        result.stderrChunks = chunkList(logs.value(QLatin1String("stderr")));
        const QJsonArray items = object.value(QLatin1String("results")).toArray();
        for (const auto &item : items) {
            if (auto bundle = bundleFromItem(item))
                result.results.append(*bundle);
        }
        readStructuredError(object.value(QLatin1String("error")), result);
        if (result.error)
            result.executionError = result.error->name + QLatin1String(": ") + result.error->value;
    } else {
        result.stdoutChunks = chunkList(object.value(QLatin1String("stdout")));
        result.stderrChunks = chunkList(object.value(QLatin1String("stderr")));
        const QJsonValue items = object.value(QLatin1String("result"));
        const QJsonArray array = items.isArray() ? items.toArray() : QJsonArray{items};
        for (const auto &item : array) {
            if (item.isNull() || item.isUndefined())
                continue;
            if (auto bundle = bundleFromItem(item))
                result.results.append(*bundle);
        }
        result.executionError = valueText(object.value(QLatin1String("executionError")));
        readStructuredError(object.value(QLatin1String("error")), result);
        if (!result.error && !result.executionError.isEmpty()) {
            // The flat string is all the cloud gives: split "Name: value" when it has that form.
            const qsizetype colon = result.executionError.indexOf(QLatin1String(": "));
            const QString head = colon > 0 ? result.executionError.left(colon) : QString();
            const bool looksLikeName = !head.isEmpty() && !head.contains(QLatin1Char(' '));
            result.error = ExecutionError{looksLikeName ? head : QStringLiteral("ExecutionError"),
                                          looksLikeName ? result.executionError.mid(colon + 2)
                                                        : result.executionError,
                                          result.stderrText()};
        }
    }
    result.success = !result.error && result.executionError.isEmpty() && !toolReportedError;
    if (result.error && result.executionError.isEmpty())
        result.executionError = result.error->name + QLatin1String(": ") + result.error->value;
    if (!result.success)
        result.errorMessage = result.executionError;
    return result;
}

} // namespace

MimeBundle bundleFromJson(const QJsonObject &object)
{
    MimeBundle bundle;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key() == MainResultKey || it.key() == MainResultSnakeKey) {
            bundle.isMainResult = it.value().toBool();
            continue;
        }
        const QString mime = shortMimeNames().value(it.key(), it.key());
        bundle.data.insert(mime, valueText(it.value()));
    }
    return bundle;
}

QJsonObject bundleToJson(const MimeBundle &bundle)
{
    QJsonObject object;
    for (auto it = bundle.data.begin(); it != bundle.data.end(); ++it)
        object.insert(it.key(), it.value());
    if (bundle.isMainResult)
        object.insert(MainResultKey, true);
    return object;
}

RunCodeResult parseToolText(const QString &text, bool toolReportedError)
{
    const auto parsed = parseJson(text);
    if (parsed && parsed->isObject()) {
        const QJsonObject object = parsed->toObject();
        const bool known = object.contains(QLatin1String("result"))
                           || object.contains(QLatin1String("executionError"))
                           || object.contains(QLatin1String("stdout"))
                           || object.contains(QLatin1String("logs"))
                           || object.contains(QLatin1String("results"));
        if (known)
            return parseObject(object, toolReportedError);
    }
    // Plain text: stdout plus a main text result (TS, Go); an error text when isError.
    RunCodeResult result;
    result.toolReportedError = toolReportedError;
    if (toolReportedError) {
        result.success = false;
        result.errorMessage = text;
        result.executionError = text;
        return result;
    }
    result.success = true;
    if (!text.isEmpty()) {
        result.stdoutChunks = QStringList{text};
        MimeBundle bundle;
        bundle.data.insert(QStringLiteral("text/plain"), text);
        bundle.isMainResult = true;
        result.results.append(bundle);
    }
    return result;
}

RunCodeResult parseToolData(const QJsonValue &data)
{
    QJsonValue value = data;
    if (value.isString()) {
        const auto parsed = parseJson(value.toString());
        if (parsed && parsed->isObject())
            value = *parsed;
        else
            return parseToolText(value.toString(), false);
    }
    const QJsonObject object = value.toObject();
    const bool isError = object.value(QLatin1String("isError")).toBool();
    const QJsonArray content = object.value(QLatin1String("content")).toArray();
    if (content.isEmpty()) {
        // No content: the SDKs fall back to the whole Data stringified.
        return parseToolText(valueText(value), isError);
    }
    const QJsonObject first = content.first().toObject();
    QString text = first.value(QLatin1String("text")).toString();
    if (text.isEmpty())
        text = valueText(first.value(QLatin1String("blob")));
    if (text.isEmpty())
        text = valueText(first.value(QLatin1String("data")));
    return parseToolText(text, isError);
}

QString toToolText(const RunCodeResult &result)
{
    QJsonObject object;
    object.insert(QLatin1String("executionError"), result.executionError);
    QJsonArray items;
    for (const auto &bundle : result.results) {
        items.append(QString::fromUtf8(
                QJsonDocument(bundleToJson(bundle)).toJson(QJsonDocument::Compact)));
    }
    object.insert(QLatin1String("result"), items);
    object.insert(QLatin1String("stdout"), QJsonArray::fromStringList(result.stdoutChunks));
    object.insert(QLatin1String("stderr"), QJsonArray::fromStringList(result.stderrChunks));
    if (result.error) {
        object.insert(QLatin1String("error"),
                      QJsonObject{{QLatin1String("name"), result.error->name},
                                  {QLatin1String("value"), result.error->value},
                                  {QLatin1String("traceback"), result.error->traceback}});
    }
    // Both spellings: the TypeScript and Go SDKs read camel case, Python and Java snake case.
    if (result.executionCount >= 0) {
        object.insert(QLatin1String("executionCount"), result.executionCount);
        object.insert(QLatin1String("execution_count"), result.executionCount);
    }
    if (result.executionTimeSeconds >= 0) {
        object.insert(QLatin1String("executionTime"), result.executionTimeSeconds);
        object.insert(QLatin1String("execution_time"), result.executionTimeSeconds);
    }
    if (result.timedOut)
        object.insert(QLatin1String("timedOut"), true);
    if (result.droppedOutputCharacters > 0)
        object.insert(QLatin1String("outputTruncated"), result.droppedOutputCharacters);
    if (!result.traceId.isEmpty())
        object.insert(QLatin1String("traceId"), result.traceId);
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QJsonObject resultToJson(const RunCodeResult &result, Detail detail)
{
    QJsonArray results;
    for (const MimeBundle &bundle : result.results)
        results.append(bundleToJson(bundle));
    QJsonValue error = QJsonValue::Null;
    if (result.error) {
        error = QJsonObject{{QLatin1String("name"), result.error->name},
                            {QLatin1String("value"), result.error->value},
                            {QLatin1String("traceback"), result.error->traceback}};
    }
    QJsonObject object{{QLatin1String("success"), result.success},
                       {QLatin1String("stdout"), result.stdoutText()},
                       {QLatin1String("stderr"), result.stderrText()},
                       {QLatin1String("results"), results},
                       {QLatin1String("error"), error},
                       {QLatin1String("errorMessage"), result.errorMessage},
                       {QLatin1String("executionError"), result.executionError},
                       {QLatin1String("executionCount"), result.executionCount},
                       {QLatin1String("executionTime"), result.executionTimeSeconds},
                       {QLatin1String("timedOut"), result.timedOut},
                       {QLatin1String("cancelled"), result.cancelled},
                       {QLatin1String("droppedOutputCharacters"), result.droppedOutputCharacters},
                       {QLatin1String("requestId"), result.requestId}};
    if (detail == Detail::Full) {
        object.insert(QLatin1String("logs"),
                      QJsonObject{{QLatin1String("stdout"),
                                   QJsonArray::fromStringList(result.stdoutChunks)},
                                  {QLatin1String("stderr"),
                                   QJsonArray::fromStringList(result.stderrChunks)}});
        object.insert(QLatin1String("result"), result.legacyResultText());
    }
    return object;
}

RunCodeResult resultFromJson(const QJsonObject &object)
{
    RunCodeResult result;
    result.success = object.value(QLatin1String("success")).toBool();
    for (const QJsonValue &value : object.value(QLatin1String("results")).toArray())
        result.results.append(bundleFromJson(value.toObject()));
    const QJsonObject error = object.value(QLatin1String("error")).toObject();
    if (!error.isEmpty()) {
        result.error = ExecutionError{error.value(QLatin1String("name")).toString(),
                                      error.value(QLatin1String("value")).toString(),
                                      error.value(QLatin1String("traceback")).toString()};
    }
    result.errorMessage = object.value(QLatin1String("errorMessage")).toString();
    result.executionError = object.value(QLatin1String("executionError")).toString();
    result.executionCount = object.value(QLatin1String("executionCount")).toInt(-1);
    result.executionTimeSeconds = object.value(QLatin1String("executionTime")).toDouble(-1);
    result.timedOut = object.value(QLatin1String("timedOut")).toBool();
    result.cancelled = object.value(QLatin1String("cancelled")).toBool();
    result.droppedOutputCharacters = object.value(QLatin1String("droppedOutputCharacters"))
                                             .toInteger();
    result.requestId = object.value(QLatin1String("requestId")).toString();
    const QJsonObject logs = object.value(QLatin1String("logs")).toObject();
    const auto chunks = [&](const char *stream) {
        const QJsonValue logged = logs.value(QLatin1String(stream));
        if (logged.isArray()) {
            QStringList list;
            for (const QJsonValue &chunk : logged.toArray())
                list.append(chunk.toString());
            return list;
        }
        const QString joined = object.value(QLatin1String(stream)).toString();
        return joined.isEmpty() ? QStringList() : QStringList{joined};
    };
    result.stdoutChunks = chunks("stdout");
    result.stderrChunks = chunks("stderr");
    return result;
}

QJsonObject toolData(const QString &text, bool isError)
{
    return QJsonObject{{QLatin1String("content"),
                        QJsonArray{QJsonObject{{QLatin1String("type"), QStringLiteral("text")},
                                               {QLatin1String("text"), text}}}},
                       {QLatin1String("isError"), isError}};
}

} // namespace agentbay::protocol::CodeResultCodec
