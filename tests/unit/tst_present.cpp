// SPDX-License-Identifier: GPL-3.0-or-later
// What the panes show, decided without widgets: result cards (richest representation first,
// falling back when one cannot be decoded), the JSON tree, and `# %%` cells.
#include "present/codecells.h"
#include "present/jsontreemodel.h"
#include "present/resultcard.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace agentbay;
using present::ResultCard;
using Kind = present::ResultCard::Kind;

namespace {

// A PNG signature and IHDR chunk for a width × height image (enough for the header readers).
QByteArray pngHeader(quint32 width, quint32 height)
{
    QByteArray bytes("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", 16);
    for (quint32 value : {width, height}) {
        for (int shift = 24; shift >= 0; shift -= 8)
            bytes.append(static_cast<char>((value >> shift) & 0xff));
    }
    bytes.append(QByteArray("\x08\x06\x00\x00\x00\x00\x00\x00\x00", 9));
    return bytes;
}

// SOI, an APP0 segment, then SOF0 for a width × height image.
QByteArray jpegHeader(int width, int height)
{
    QByteArray bytes("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 20);
    bytes.append(QByteArray("\xff\xc0\x00\x11\x08", 5));
    bytes.append(static_cast<char>(height >> 8)).append(static_cast<char>(height & 0xff));
    bytes.append(static_cast<char>(width >> 8)).append(static_cast<char>(width & 0xff));
    bytes.append(QByteArray(12, '\x01'));
    return bytes;
}

protocol::MimeBundle bundle(std::initializer_list<std::pair<const char *, QString>> items,
                            bool main = false)
{
    protocol::MimeBundle out;
    for (const auto &[mime, value] : items)
        out.data.insert(QLatin1String(mime), value);
    out.isMainResult = main;
    return out;
}

} // namespace

class TestPresent final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cards_preferTheRichestRepresentation()
    {
        const QString png = QString::fromLatin1(pngHeader(640, 480).toBase64());
        const ResultCard image = present::ResultCards::fromBundle(
                bundle({{"text/plain", QStringLiteral("<Figure>")},
                        {"image/png", png},
                        {"text/html", QStringLiteral("<b>x</b>")}},
                       true));
        QCOMPARE(image.kind, Kind::Png);
        QCOMPARE(image.title, QStringLiteral("PNG image, 640 × 480"));
        QCOMPARE(image.bytes, pngHeader(640, 480));
        QCOMPARE(image.plainText, QStringLiteral("<Figure>"));
        QVERIFY(image.isMainResult);
        QCOMPARE(image.fileSuffix(), QStringLiteral("png"));
        QCOMPARE(image.mimeTypes.size(), 3);

        const ResultCard chart = present::ResultCards::fromBundle(
                bundle({{"application/vnd.vegalite.v5+json", QStringLiteral("{\"mark\":\"bar\"}")},
                        {"image/png", png}}));
        QCOMPARE(chart.kind, Kind::Chart);
        QCOMPARE(chart.title, QStringLiteral("Vega-Lite chart (v5)"));
        QVERIFY(chart.text.contains(QLatin1String("\"mark\": \"bar\"")));
        QCOMPARE(present::ResultCards::fromBundle(
                         bundle({{"application/vnd.vega.v5+json", QStringLiteral("{}")}}))
                         .title,
                 QStringLiteral("Vega chart (v5)"));

        QCOMPARE(present::ResultCards::fromBundle(
                         bundle({{"text/html", QStringLiteral("<table></table>")},
                                 {"text/markdown", QStringLiteral("# t")}}))
                         .kind,
                 Kind::Html);
        QCOMPARE(present::ResultCards::fromBundle(bundle({{"text/markdown", QStringLiteral("# t")},
                                                          {"text/latex", QStringLiteral("$x$")}}))
                         .kind,
                 Kind::Markdown);
        const ResultCard latex = present::ResultCards::fromBundle(bundle(
                {{"text/latex", QStringLiteral("$x^2$")}, {"text/plain", QStringLiteral("x**2")}}));
        QCOMPARE(latex.kind, Kind::Latex);
        QCOMPARE(latex.text, QStringLiteral("$x^2$"));
        QCOMPARE(latex.fileSuffix(), QStringLiteral("tex"));
        const ResultCard json = present::ResultCards::fromBundle(
                bundle({{"application/json", QStringLiteral("{\"a\":[1,2]}")}}));
        QCOMPARE(json.kind, Kind::Json);
        QVERIFY(json.text.contains(QLatin1String("\"a\": [")));
        const ResultCard jpeg = present::ResultCards::fromBundle(
                bundle({{"image/jpeg", QString::fromLatin1(jpegHeader(320, 200).toBase64())}}));
        QCOMPARE(jpeg.kind, Kind::Jpeg);
        QCOMPARE(jpeg.title, QStringLiteral("JPEG image, 320 × 200"));
    }

    void cards_fallBackWhenARepresentationCannotBeDecoded()
    {
        const ResultCard card = present::ResultCards::fromBundle(
                bundle({{"image/png", QStringLiteral("this is !!! not base64")},
                        {"text/plain", QStringLiteral("fallback")}}));
        QCOMPARE(card.kind, Kind::Text);
        QCOMPARE(card.text, QStringLiteral("fallback"));
        QVERIFY(card.problem.contains(QLatin1String("image/png")));
        // Base64 that decodes to something that is not a PNG is refused too.
        const ResultCard notPng = present::ResultCards::fromBundle(
                bundle({{"image/png", QStringLiteral("aGVsbG8=")}}));
        QCOMPARE(notPng.kind, Kind::Text);
        QVERIFY(!notPng.problem.isEmpty());
        const ResultCard badChart = present::ResultCards::fromBundle(
                bundle({{"application/vnd.vegalite.v4+json", QStringLiteral("{not json")},
                        {"text/plain", QStringLiteral("chart")}}));
        QCOMPARE(badChart.kind, Kind::Text);
        QVERIFY(badChart.problem.contains(QLatin1String("not valid JSON")));
        const ResultCard unknown = present::ResultCards::fromBundle(
                bundle({{"application/x-custom", QStringLiteral("payload")}}));
        QCOMPARE(unknown.kind, Kind::Text);
        QCOMPARE(unknown.title, QStringLiteral("application/x-custom"));
        QCOMPARE(unknown.text, QStringLiteral("payload"));
    }

    void svg_isAcceptedAsMarkupOrBase64()
    {
        const QString svg = QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        QCOMPARE(present::ResultCards::fromBundle(bundle({{"image/svg+xml", svg}})).bytes,
                 svg.toUtf8());
        QCOMPARE(present::ResultCards::fromBundle(
                         bundle({{"image/svg+xml", QString::fromLatin1(svg.toUtf8().toBase64())}}))
                         .text,
                 svg);
    }

    void chartPage_embedsTheSpec_andCannotBeBrokenOutOf()
    {
        ResultCard card = present::ResultCards::fromBundle(
                bundle({{"application/vnd.vegalite.v5+json",
                         QStringLiteral("{\"title\":\"</script><script>alert(1)</script>\"}")}}));
        const QString page = present::ResultCards::chartPage(card);
        QVERIFY(page.contains(QLatin1String("vegaEmbed('#chart', {")));
        QVERIFY(page.contains(QLatin1String("vega-lite@5")));
        QCOMPARE(page.count(QLatin1String("</script>")), 4); // the three loaders and ours
    }

    void fromResult_keepsOrder()
    {
        protocol::RunCodeResult result;
        result.results = {bundle({{"text/plain", QStringLiteral("1")}}),
                          bundle({{"text/html", QStringLiteral("<i>2</i>")}}, true)};
        const auto cards = present::ResultCards::fromResult(result);
        QCOMPARE(cards.size(), 2);
        QCOMPARE(cards.at(0).kind, Kind::Text);
        QCOMPARE(cards.at(1).kind, Kind::Html);
        QVERIFY(cards.at(1).isMainResult);
    }

    void jsonTree_showsKeysValuesAndTypes()
    {
        present::JsonTreeModel model;
        // Qt's own checker of the model/view contract watches every change below.
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.setJson(
                QStringLiteral("{\"name\":\"x\",\"items\":[1,true,null,{\"deep\":2.5}]}")));
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex root = model.index(0, 0);
        QCOMPARE(model.data(model.index(0, 1)).toString(), QStringLiteral("{2 keys}"));
        QCOMPARE(model.rowCount(root), 2);
        const QModelIndex items = model.index(0, 0, root); // keys keep JSON object order (sorted)
        QCOMPARE(model.data(items).toString(), QStringLiteral("items"));
        QCOMPARE(model.data(model.index(0, 1, root)).toString(), QStringLiteral("[4 items]"));
        QCOMPARE(model.rowCount(items), 4);
        QCOMPARE(model.data(model.index(1, 1, items)).toString(), QStringLiteral("true"));
        QCOMPARE(model.data(model.index(2, 2, items)).toString(), QStringLiteral("null"));
        const QModelIndex deepParent = model.index(3, 0, items);
        QCOMPARE(model.parent(deepParent), items);
        QCOMPARE(model.data(model.index(0, 1, deepParent)).toString(), QStringLiteral("2.5"));
        QCOMPARE(model.headerData(2, Qt::Horizontal).toString(), QStringLiteral("Type"));

        QVERIFY(model.setJson(QStringLiteral("42")));
        QCOMPARE(model.data(model.index(0, 2)).toString(), QStringLiteral("number"));
        QVERIFY(!model.setJson(QStringLiteral("{broken")));
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.errorString().isEmpty());
    }

    void cells_areFoundAroundTheCursor()
    {
        const QString python = QStringLiteral(
                "import os\n# %% first\na = 1\nb = 2\n# %%\nprint(a)\n");
        auto cell = present::CodeCells::cellAt(python, 4, QStringLiteral("python"));
        QVERIFY(cell.hasMarkers);
        QCOMPARE(cell.firstLine, 3);
        QCOMPARE(cell.lastLine, 4);
        QCOMPARE(cell.code, QStringLiteral("a = 1\nb = 2"));
        cell = present::CodeCells::cellAt(python, 1, QStringLiteral("python"));
        QCOMPARE(cell.firstLine, 1);
        QCOMPARE(cell.code, QStringLiteral("import os"));
        cell = present::CodeCells::cellAt(python, 5, QStringLiteral("python")); // on a marker
        QCOMPARE(cell.firstLine, 6);
        QCOMPARE(cell.code, QStringLiteral("print(a)\n"));

        const QString js = QStringLiteral("let a = 1\n// %%\nconsole.log(a)");
        cell = present::CodeCells::cellAt(js, 3, QStringLiteral("javascript"));
        QCOMPARE(cell.firstLine, 3);
        QCOMPARE(cell.code, QStringLiteral("console.log(a)"));
        // `# %%` is not a JavaScript marker.
        cell = present::CodeCells::cellAt(QStringLiteral("a\n# %%\nb"), 3,
                                          QStringLiteral("javascript"));
        QVERIFY(!cell.hasMarkers);
        QCOMPARE(cell.code, QStringLiteral("a\n# %%\nb"));
        QCOMPARE(present::CodeCells::markerFor(QStringLiteral("java")), QStringLiteral("// %%"));
        QCOMPARE(present::CodeCells::markerFor(QStringLiteral("r")), QStringLiteral("# %%"));
    }
};

QTEST_GUILESS_MAIN(TestPresent)
#include "tst_present.moc"
