// SPDX-License-Identifier: GPL-3.0-or-later
#include "resultcard.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace agentbay::present {

using protocol::MimeBundle;
using Kind = ResultCard::Kind;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("agentbay::present::ResultCards", text);
}

bool isChartType(const QString &mime)
{
    static const QRegularExpression pattern(
            QStringLiteral("^application/vnd\\.vega(lite)?\\.v\\d+(\\.\\d+)*\\+json$"));
    return pattern.match(mime).hasMatch();
}

QString chartTitle(const QString &mime)
{
    static const QRegularExpression pattern(
            QStringLiteral("^application/vnd\\.vega(lite)?\\.(v\\d+)"));
    const auto match = pattern.match(mime);
    const QString family = match.captured(1).isEmpty() ? tr("Vega chart") : tr("Vega-Lite chart");
    return QStringLiteral("%1 (%2)").arg(family, match.captured(2));
}

std::optional<QString> prettyJson(const QString &text)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error == QJsonParseError::NoError)
        return QString::fromUtf8(document.toJson(QJsonDocument::Indented));
    // Scalars ("42", "\"text\"", "null") are valid JSON results too.
    const QJsonDocument wrapped = QJsonDocument::fromJson(QByteArray("[") + text.toUtf8()
                                                                  + QByteArray("]"),
                                                          &error);
    if (error.error == QJsonParseError::NoError && wrapped.array().size() == 1)
        return text.trimmed();
    return std::nullopt;
}

bool decodeBase64(const QString &text, QByteArray *out)
{
    const auto decoded
            = QByteArray::fromBase64Encoding(text.simplified().remove(QLatin1Char(' ')).toLatin1(),
                                             QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        return false;
    *out = decoded.decoded;
    return true;
}

bool looksLikePng(const QByteArray &bytes)
{
    return bytes.startsWith(QByteArray("\x89PNG\r\n\x1a\n", 8));
}

bool looksLikeJpeg(const QByteArray &bytes)
{
    return bytes.startsWith(QByteArray("\xff\xd8\xff", 3));
}

QString imageTitle(const QString &format, const QByteArray &bytes)
{
    const auto [width, height] = ResultCards::imageSize(bytes);
    if (width <= 0)
        return tr("%1 image").arg(format);
    return tr("%1 image, %2 × %3").arg(format).arg(width).arg(height);
}

// Tries one representation; false when the bundle lacks it or it cannot be decoded.
bool tryKind(const MimeBundle &bundle, const QString &mime, ResultCard *card)
{
    const auto it = bundle.data.constFind(mime);
    if (it == bundle.data.constEnd())
        return false;
    const QString &value = it.value();
    card->mimeType = mime;
    if (isChartType(mime)) {
        const auto pretty = prettyJson(value);
        if (!pretty) {
            card->problem = tr("the %1 spec is not valid JSON").arg(mime);
            return false;
        }
        card->kind = Kind::Chart;
        card->title = chartTitle(mime);
        card->text = *pretty;
        return true;
    }
    if (mime == QLatin1String("image/png") || mime == QLatin1String("image/jpeg")) {
        QByteArray bytes;
        const bool png = mime == QLatin1String("image/png");
        if (!decodeBase64(value, &bytes) || (png ? !looksLikePng(bytes) : !looksLikeJpeg(bytes))) {
            card->problem = tr("the %1 data is not a valid base64 image").arg(mime);
            return false;
        }
        card->kind = png ? Kind::Png : Kind::Jpeg;
        card->bytes = bytes;
        card->title = imageTitle(png ? QStringLiteral("PNG") : QStringLiteral("JPEG"), bytes);
        return true;
    }
    if (mime == QLatin1String("image/svg+xml")) {
        QString source = value;
        QByteArray decoded;
        // Some kernels base64 the SVG; most send the markup.
        if (!source.trimmed().startsWith(QLatin1Char('<')) && decodeBase64(value, &decoded))
            source = QString::fromUtf8(decoded);
        card->kind = Kind::Svg;
        card->text = source;
        card->bytes = source.toUtf8();
        card->title = tr("SVG image");
        return true;
    }
    if (mime == QLatin1String("application/json")) {
        const auto pretty = prettyJson(value);
        if (!pretty) {
            card->problem = tr("the JSON result is not valid JSON");
            return false;
        }
        card->kind = Kind::Json;
        card->text = *pretty;
        card->title = tr("JSON");
        return true;
    }
    card->text = value;
    if (mime == QLatin1String("text/html")) {
        card->kind = Kind::Html;
        card->title = tr("HTML");
    } else if (mime == QLatin1String("text/markdown")) {
        card->kind = Kind::Markdown;
        card->title = tr("Markdown");
    } else if (mime == QLatin1String("text/latex")) {
        card->kind = Kind::Latex;
        card->title = tr("LaTeX (source)");
    } else {
        card->kind = Kind::Text;
        card->title = tr("Text");
    }
    return true;
}

} // namespace

QString ResultCard::fileSuffix() const
{
    switch (kind) {
    case Kind::Png:
        return QStringLiteral("png");
    case Kind::Jpeg:
        return QStringLiteral("jpg");
    case Kind::Svg:
        return QStringLiteral("svg");
    case Kind::Html:
        return QStringLiteral("html");
    case Kind::Markdown:
        return QStringLiteral("md");
    case Kind::Latex:
        return QStringLiteral("tex");
    case Kind::Json:
    case Kind::Chart:
        return QStringLiteral("json");
    case Kind::Text:
        break;
    }
    return QStringLiteral("txt");
}

QString ResultCard::copyText() const
{
    if (kind == Kind::Png || kind == Kind::Jpeg)
        return plainText;
    return text.isEmpty() ? plainText : text;
}

namespace ResultCards {

ResultCard fromBundle(const MimeBundle &bundle)
{
    ResultCard card;
    card.isMainResult = bundle.isMainResult;
    card.plainText = bundle.text();
    card.mimeTypes = bundle.data.keys();

    QStringList order;
    for (const QString &mime : card.mimeTypes) {
        if (isChartType(mime))
            order.append(mime);
    }
    order << QStringLiteral("image/png") << QStringLiteral("image/jpeg")
          << QStringLiteral("image/svg+xml") << QStringLiteral("text/html")
          << QStringLiteral("text/markdown") << QStringLiteral("text/latex")
          << QStringLiteral("application/json") << QStringLiteral("text/plain");
    QString problem;
    for (const QString &mime : std::as_const(order)) {
        ResultCard attempt = card;
        if (tryKind(bundle, mime, &attempt)) {
            attempt.problem = problem;
            return attempt;
        }
        if (!attempt.problem.isEmpty() && problem.isEmpty())
            problem = attempt.problem;
    }
    // Only representations we do not know: show their names and the first one as text.
    card.kind = Kind::Text;
    card.title = tr("Text");
    if (!card.mimeTypes.isEmpty()) {
        card.mimeType = card.mimeTypes.constFirst();
        card.title = card.mimeType;
        card.text = bundle.data.value(card.mimeType);
    }
    card.problem = problem;
    return card;
}

QList<ResultCard> fromResult(const protocol::RunCodeResult &result)
{
    QList<ResultCard> cards;
    cards.reserve(result.results.size());
    for (const MimeBundle &bundle : result.results)
        cards.append(fromBundle(bundle));
    return cards;
}

QString chartPage(const ResultCard &card)
{
    // The spec is JSON, so it is valid JavaScript; "</" is escaped so it cannot end the script.
    QString spec = card.text;
    spec.replace(QStringLiteral("</"), QStringLiteral("<\\/"));
    return QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
                          "<title>%1 — AgentBay Playground</title>\n"
                          "<script src=\"https://cdn.jsdelivr.net/npm/vega@5\"></script>\n"
                          "<script src=\"https://cdn.jsdelivr.net/npm/vega-lite@5\"></script>\n"
                          "<script src=\"https://cdn.jsdelivr.net/npm/vega-embed@6\"></script>\n"
                          "</head><body>\n<div id=\"chart\"></div>\n<script>\n"
                          "vegaEmbed('#chart', %2).catch(function (e) {\n"
                          "  document.body.textContent = 'The chart could not be drawn: ' + e;\n"
                          "});\n</script>\n</body></html>\n")
            .arg(card.title.toHtmlEscaped(), spec);
}

QPair<int, int> imageSize(const QByteArray &bytes)
{
    const auto be16 = [&bytes](qsizetype at) {
        return (static_cast<unsigned char>(bytes.at(at)) << 8)
               | static_cast<unsigned char>(bytes.at(at + 1));
    };
    if (looksLikePng(bytes) && bytes.size() >= 24)
        return {be16(16) << 16 | be16(18), be16(20) << 16 | be16(22)};
    if (!looksLikeJpeg(bytes))
        return {-1, -1};
    qsizetype at = 2;
    while (at + 9 < bytes.size()) {
        if (static_cast<unsigned char>(bytes.at(at)) != 0xff)
            return {-1, -1};
        const unsigned char marker = static_cast<unsigned char>(bytes.at(at + 1));
        const int length = be16(at + 2);
        const bool startOfFrame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4
                                  && marker != 0xc8 && marker != 0xcc;
        if (startOfFrame)
            return {be16(at + 7), be16(at + 5)};
        at += 2 + length;
    }
    return {-1, -1};
}

} // namespace ResultCards
} // namespace agentbay::present
