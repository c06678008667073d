// SPDX-License-Identifier: GPL-3.0-or-later
// The snippet library at scale, printed as a table (never pass/fail on speed): N snippets
// (default 10 000, each a few hundred bytes with metadata), the time to index them at start,
// and search latency over title, tags and content (target p50 <= 20 ms).
#include "benchsupport.h"
#include "workspace/snippetlibrary.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>

using agentbay::workspace::SnippetLibrary;

using agentbay::bench::percentile;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const int count = QCoreApplication::arguments().value(1, QStringLiteral("10000")).toInt();
    QTemporaryDir dir;
    {
        SnippetLibrary writer;
        writer.openNow(dir.path(), false);
        const QStringList words{QStringLiteral("pandas"), QStringLiteral("fetch"),
                                QStringLiteral("matrix"), QStringLiteral("plot"),
                                QStringLiteral("parse"),  QStringLiteral("socket")};
        QString error;
        for (int i = 0; i < count; ++i) {
            const QString word = words.at(i % words.size());
            const QString code = QStringLiteral("# %1 number %2\nimport math\n\ndef f%2(x):\n"
                                                "    return math.sqrt(x) * %2\n\nprint(f%2(%2))\n")
                                         .arg(word)
                                         .arg(i);
            if (writer.create(QStringLiteral("%1 example %2").arg(word).arg(i),
                              i % 3 == 0 ? QStringLiteral("javascript") : QStringLiteral("python"),
                              code, &error, {word, QStringLiteral("bench")})
                        .isEmpty()) {
                out << "could not write snippet " << i << ": " << error << "\n";
                return 1;
            }
        }
    }

    QElapsedTimer clock;
    clock.start();
    SnippetLibrary library;
    const int indexed = library.openNow(dir.path(), false);
    const qint64 syncMs = clock.elapsed();

    SnippetLibrary background;
    QSignalSpy loaded(&background, &SnippetLibrary::loaded);
    clock.restart();
    background.open(dir.path(), false);
    const qint64 returnedMs = clock.elapsed();
    loaded.wait(60000);
    const qint64 asyncMs = clock.elapsed();

    const QStringList queries{QStringLiteral("pandas"),       QStringLiteral("example 9999"),
                              QStringLiteral("tag:plot"),     QStringLiteral("sqrt socket"),
                              QStringLiteral("no-such-text"), QStringLiteral("f1234")};
    QList<double> latencies;
    qsizetype hits = 0;
    for (int round = 0; round < 20; ++round) {
        for (const QString &query : queries) {
            QElapsedTimer one;
            one.start();
            hits += library.search(query).size();
            latencies.append(static_cast<double>(one.nsecsElapsed()) / 1e6);
        }
    }
    out << QStringLiteral("snippet library (%1 snippets, %2 files on disk)\n")
                    .arg(indexed)
                    .arg(indexed * 2);
    out << QStringLiteral("  index at start (blocking)   %1 ms\n").arg(syncMs);
    out << QStringLiteral("  index at start (worker)     %1 ms; open() returned after %2 ms\n")
                    .arg(asyncMs)
                    .arg(returnedMs);
    out << QStringLiteral("  search p50 / p99 / max      %1 / %2 / %3 ms   (target p50 <= 20 ms)\n")
                    .arg(percentile(latencies, 0.5), 0, 'f', 2)
                    .arg(percentile(latencies, 0.99), 0, 'f', 2)
                    .arg(*std::max_element(latencies.cbegin(), latencies.cend()), 0, 'f', 2);
    out << QStringLiteral("  (%1 queries, %2 matches in all)\n").arg(latencies.size()).arg(hits);
    return indexed == count ? 0 : 1;
}
