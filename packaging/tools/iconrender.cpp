// SPDX-License-Identifier: GPL-3.0-or-later
// agentbay-iconrender: renders the one SVG icon into everything the packages need, so the SVG
// stays the only source of the icon:
//   OUT/hicolor/NxN/apps/NAME.png  for the Linux icon theme (16 to 512 pixels)
//   OUT/NAME.ico                   for the Windows executable and installer (PNG entries)
//   OUT/NAME.icns                  for the macOS bundle (PNG entries)
// Usage: agentbay-iconrender SVG NAME OUT
#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSaveFile>
#include <QSvgRenderer>
#include <QtEndian>

#include <cstdio>
#include <utility>
#include <vector>

namespace {

QByteArray renderPng(QSvgRenderer &renderer, int size)
{
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter, QRectF(0, 0, size, size));
    painter.end();
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return png;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        std::fprintf(stderr, "agentbay-iconrender: cannot write %s: %s\n", qPrintable(path),
                     qPrintable(file.errorString()));
        return false;
    }
    return true;
}

void appendLittle16(QByteArray &out, quint16 value)
{
    const quint16 little = qToLittleEndian(value);
    out.append(reinterpret_cast<const char *>(&little), 2);
}

void appendLittle32(QByteArray &out, quint32 value)
{
    const quint32 little = qToLittleEndian(value);
    out.append(reinterpret_cast<const char *>(&little), 4);
}

void appendBig32(QByteArray &out, quint32 value)
{
    const quint32 big = qToBigEndian(value);
    out.append(reinterpret_cast<const char *>(&big), 4);
}

// An ICO file whose images are PNG streams (read by Windows Vista and later).
QByteArray icoFile(const std::vector<std::pair<int, QByteArray>> &images)
{
    QByteArray out;
    appendLittle16(out, 0); // reserved
    appendLittle16(out, 1); // an icon, not a cursor
    appendLittle16(out, static_cast<quint16>(images.size()));
    quint32 offset = 6 + 16 * static_cast<quint32>(images.size());
    for (const auto &[size, png] : images) {
        out.append(static_cast<char>(size >= 256 ? 0 : size)); // 0 means 256
        out.append(static_cast<char>(size >= 256 ? 0 : size));
        out.append('\0'); // no palette
        out.append('\0');
        appendLittle16(out, 1);  // colour planes
        appendLittle16(out, 32); // bits per pixel
        appendLittle32(out, static_cast<quint32>(png.size()));
        appendLittle32(out, offset);
        offset += static_cast<quint32>(png.size());
    }
    for (const auto &image : images)
        out.append(image.second);
    return out;
}

// An ICNS file: the 'icns' header, then one element per type, each holding a PNG stream.
QByteArray icnsFile(const std::vector<std::pair<QByteArray, QByteArray>> &elements)
{
    QByteArray body;
    for (const auto &[type, png] : elements) {
        body.append(type);
        appendBig32(body, static_cast<quint32>(8 + png.size()));
        body.append(png);
    }
    QByteArray out("icns");
    appendBig32(out, static_cast<quint32>(8 + body.size()));
    return out + body;
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() != 4) {
        std::fprintf(stderr, "usage: agentbay-iconrender SVG NAME OUT\n");
        return 2;
    }
    const QString &name = arguments.at(2);
    const QString out = arguments.at(3);
    QSvgRenderer renderer(arguments.at(1));
    if (!renderer.isValid()) {
        std::fprintf(stderr, "agentbay-iconrender: %s is not a valid SVG file\n",
                     qPrintable(arguments.at(1)));
        return 1;
    }

    std::vector<std::pair<int, QByteArray>> pngs;
    for (const int size : {16, 22, 24, 32, 48, 64, 128, 256, 512, 1024})
        pngs.emplace_back(size, renderPng(renderer, size));
    const auto png = [&pngs](int size) {
        for (const auto &[each, data] : pngs) {
            if (each == size)
                return data;
        }
        return QByteArray();
    };

    bool ok = true;
    for (const int size : {16, 22, 24, 32, 48, 64, 128, 256, 512}) {
        ok = writeFile(QStringLiteral("%1/hicolor/%2x%2/apps/%3.png").arg(out).arg(size).arg(name),
                       png(size))
             && ok;
    }
    std::vector<std::pair<int, QByteArray>> ico;
    for (const int size : {16, 24, 32, 48, 64, 128, 256})
        ico.emplace_back(size, png(size));
    ok = writeFile(QStringLiteral("%1/%2.ico").arg(out, name), icoFile(ico)) && ok;
    // Apple's element types: icp4/icp5 (16, 32), ic07-ic10 (128 to 1024), ic11-ic14 (@2x).
    const std::vector<std::pair<QByteArray, QByteArray>>
            icns{{"icp4", png(16)},  {"icp5", png(32)},  {"ic11", png(32)},  {"ic12", png(64)},
                 {"ic07", png(128)}, {"ic13", png(256)}, {"ic08", png(256)}, {"ic14", png(512)},
                 {"ic09", png(512)}, {"ic10", png(1024)}};
    ok = writeFile(QStringLiteral("%1/%2.icns").arg(out, name), icnsFile(icns)) && ok;
    return ok ? 0 : 1;
}
