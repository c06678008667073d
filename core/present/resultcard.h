// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/runcoderesult.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace agentbay::present {

// How the Results pane shows one result: its richest representation, already decoded, so the
// widgets only draw (images as bytes, JSON and chart specs pretty-printed).
struct ResultCard
{
    enum class Kind { Text, Html, Markdown, Png, Jpeg, Svg, Latex, Json, Chart };

    Kind kind = Kind::Text;
    QString mimeType;      // the representation shown
    QString title;         // "PNG image, 640 × 480", "Vega-Lite chart (v5)", "HTML"
    QString text;          // text, HTML, Markdown, LaTeX source, SVG source, pretty JSON or spec
    QByteArray bytes;      // PNG/JPEG/SVG bytes
    QString plainText;     // text/plain, when the bundle had it
    QStringList mimeTypes; // every representation the bundle carried
    bool isMainResult = false;
    QString problem; // why the rich form could not be used (bad base64, bad JSON)

    // The file name suffix for "Save as" ("png", "svg", "html", "json", "tex", "md", "txt").
    QString fileSuffix() const;
    // What "Copy" puts on the clipboard: the source text, else the plain text.
    QString copyText() const;
};

namespace ResultCards {
// The card for one result bundle. Preference: charts, PNG, JPEG, SVG, HTML, Markdown, LaTeX,
// JSON, plain text. A representation that cannot be decoded falls back to the next one.
ResultCard fromBundle(const protocol::MimeBundle &bundle);
QList<ResultCard> fromResult(const protocol::RunCodeResult &result);
// A standalone HTML page that draws a Vega or Vega-Lite spec with vega-embed (loaded from
// the jsDelivr CDN by the browser that opens it).
QString chartPage(const ResultCard &card);
// Pixel size read from a PNG header or JPEG SOF marker; {-1, -1} when unknown.
QPair<int, int> imageSize(const QByteArray &bytes);
} // namespace ResultCards

} // namespace agentbay::present
