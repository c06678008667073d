// SPDX-License-Identifier: GPL-3.0-or-later
// The snippet library: plain files with readable metadata beside them, seeded with the starters,
// searched in memory, watched for edits made outside, written atomically, deleted to a trash.
// secretstore-free and widget-free. The failing-write cases run under bubblewrap (a read-only
// bind and a 64 KiB tmpfs), from library_failing_writes.sh.
#include "workspace/snippetlibrary.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using agentbay::workspace::Snippet;
using agentbay::workspace::SnippetLibrary;

namespace {
QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}
} // namespace

class TestSnippetLibrary final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aNewLibrary_isSeededWithTheStarters_once()
    {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("library"));
        SnippetLibrary library;
        QCOMPARE(library.openNow(folder), 6);
        for (const QString &name : SnippetLibrary::starterNames()) {
            QVERIFY2(QFile::exists(QDir(folder).filePath(name)), qPrintable(name));
            const QJsonObject meta = QJsonDocument::fromJson(
                                             readAll(QDir(folder).filePath(
                                                     SnippetLibrary::metadataFileName(name))))
                                             .object();
            QVERIFY(!meta.value(QLatin1String("title")).toString().isEmpty());
            QVERIFY(meta.value(QLatin1String("tags")).toArray().contains(QStringLiteral("starter")));
        }
        const Snippet timeout = library.snippet(QStringLiteral("timeout-demo.py"));
        QCOMPARE(timeout.timeoutSeconds, 3);
        QCOMPARE(library.snippet(QStringLiteral("hello-javascript.js")).language,
                 QStringLiteral("javascript"));
        // Deleting every starter and reopening does not bring them back.
        for (const QString &name : SnippetLibrary::starterNames()) {
            QString error;
            QVERIFY(!library.remove(name, &error).isEmpty());
        }
        SnippetLibrary again;
        QCOMPARE(again.openNow(folder), 0);
        // A folder the user already has is never added to.
        const QString own = dir.filePath(QStringLiteral("own"));
        QDir().mkpath(own);
        QVERIFY(writeAll(own + QStringLiteral("/mine.py"), "print('mine')\n"));
        SnippetLibrary theirs;
        QCOMPARE(theirs.openNow(own), 1);
        QCOMPARE(theirs.snippets().first().title, QStringLiteral("mine"));
    }

    void snippets_areCreatedSavedRenamedDuplicatedAndExported()
    {
        QTemporaryDir dir;
        SnippetLibrary library;
        library.openNow(dir.path(), false);
        QString error;
        const QString name = library.create(QStringLiteral("Fetch a URL!"),
                                            QStringLiteral("python"),
                                            QStringLiteral("print('v1')\n"), &error,
                                            {QStringLiteral("net")}, 12);
        QCOMPARE(name, QStringLiteral("fetch-a-url.py"));
        QCOMPARE(readAll(dir.filePath(name)), QByteArray("print('v1')\n"));
        const QByteArray meta = readAll(dir.filePath(SnippetLibrary::metadataFileName(name)));
        QVERIFY(meta.contains("\n    \"title\": \"Fetch a URL!\"\n")); // indented: diffable
        QVERIFY(meta.contains("\"timeoutSeconds\": 12"));
        QVERIFY(library.save(name, QStringLiteral("print('v2')\n"), &error));
        QCOMPARE(library.snippet(name).content, QStringLiteral("print('v2')\n"));
        QCOMPARE(readAll(dir.filePath(name)), QByteArray("print('v2')\n"));

        const QString renamed = library.rename(name, QStringLiteral("Fetch pages"), &error);
        QCOMPARE(renamed, QStringLiteral("fetch-pages.py"));
        QVERIFY(!QFile::exists(dir.filePath(name)));
        QVERIFY(!QFile::exists(dir.filePath(SnippetLibrary::metadataFileName(name))));
        QCOMPARE(library.snippet(renamed).title, QStringLiteral("Fetch pages"));
        QCOMPARE(library.snippet(renamed).tags, QStringList{QStringLiteral("net")});

        const QString copy = library.duplicate(renamed, &error);
        QCOMPARE(copy, QStringLiteral("fetch-pages-copy.py"));
        QCOMPARE(library.snippet(copy).content, QStringLiteral("print('v2')\n"));
        QCOMPARE(library.snippets().size(), 2);

        QTemporaryDir out;
        QVERIFY(library.exportTo({renamed, copy}, out.filePath(QStringLiteral("export")), &error));
        QCOMPARE(QDir(out.filePath(QStringLiteral("export"))).entryList(QDir::Files).size(), 4);

        // A second library over the same folder sees the same snippets (nothing only in memory).
        SnippetLibrary reread;
        QCOMPARE(reread.openNow(dir.path(), false), 2);
        QCOMPARE(reread.snippet(renamed).timeoutSeconds, 12);
    }

    void delete_goesToTheTrash_andCanBeUndone()
    {
        QTemporaryDir dir;
        SnippetLibrary library;
        library.openNow(dir.path(), false);
        QString error;
        const QString name = library.create(QStringLiteral("keep me"), QStringLiteral("javascript"),
                                            QStringLiteral("1 + 1\n"), &error);
        const QString entry = library.remove(name, &error);
        QVERIFY(!entry.isEmpty());
        QCOMPARE(library.snippets().size(), 0);
        QVERIFY(QFile::exists(
                dir.filePath(SnippetLibrary::trashFolderName() + QLatin1Char('/') + entry)));
        QCOMPARE(library.restore(entry, &error), name);
        QCOMPARE(library.snippet(name).content, QStringLiteral("1 + 1\n"));
        QCOMPARE(library.snippet(name).title, QStringLiteral("keep me"));
    }

    void import_takesPythonAndJavaScriptFiles_andSaysWhatItRefused()
    {
        QTemporaryDir outside;
        QVERIFY(writeAll(outside.filePath(QStringLiteral("analysis_step.py")), "x = 1\n"));
        QVERIFY(writeAll(outside.filePath(QStringLiteral("notes.txt")), "no\n"));
        QTemporaryDir dir;
        SnippetLibrary library;
        library.openNow(dir.path(), false);
        QString error;
        const QStringList imported
                = library.importFiles({outside.filePath(QStringLiteral("analysis_step.py")),
                                       outside.filePath(QStringLiteral("notes.txt"))},
                                      &error);
        QCOMPARE(imported, QStringList{QStringLiteral("analysis-step.py")});
        QVERIFY(error.contains(QLatin1String("notes.txt")));
        QCOMPARE(library.snippet(QStringLiteral("analysis-step.py")).title,
                 QStringLiteral("analysis step"));
    }

    void search_coversTitleTagsAndContent()
    {
        QTemporaryDir dir;
        SnippetLibrary library;
        library.openNow(dir.path(), false);
        QString error;
        library.create(QStringLiteral("Pandas demo"), QStringLiteral("python"),
                       QStringLiteral("import pandas as pd\n"), &error, {QStringLiteral("data")});
        library.create(QStringLiteral("Fetch"), QStringLiteral("javascript"),
                       QStringLiteral("await fetch('https://example.com')\n"), &error,
                       {QStringLiteral("net"), QStringLiteral("data")});
        const auto titles = [&](const QString &query) {
            QStringList out;
            for (int index : library.search(query))
                out.append(library.snippets().at(index).title);
            return out;
        };
        QCOMPARE(titles(QString()).size(), 2);
        QCOMPARE(titles(QStringLiteral("PANDAS")), QStringList{QStringLiteral("Pandas demo")});
        QCOMPARE(titles(QStringLiteral("example.com")), QStringList{QStringLiteral("Fetch")});
        QCOMPARE(titles(QStringLiteral("tag:data")).size(), 2);
        QCOMPARE(titles(QStringLiteral("tag:net")), QStringList{QStringLiteral("Fetch")});
        QCOMPARE(titles(QStringLiteral("tag:data import")),
                 QStringList{QStringLiteral("Pandas demo")});
        QVERIFY(titles(QStringLiteral("nothing-like-this")).isEmpty());
    }

    void editsMadeOutside_arePickedUp()
    {
        QTemporaryDir dir;
        SnippetLibrary library;
        library.openNow(dir.path(), false);
        QString error;
        const QString name = library.create(QStringLiteral("watched"), QStringLiteral("python"),
                                            QStringLiteral("old = 1\n"), &error);
        QSignalSpy changed(&library, &SnippetLibrary::changed);
        QVERIFY(writeAll(dir.filePath(QStringLiteral("from-an-editor.py")), "print('new file')\n"));
        QTRY_COMPARE_WITH_TIMEOUT(library.snippets().size(), 2, 5000);
        QVERIFY(writeAll(dir.filePath(name), "new = 2\n"));
        QTRY_COMPARE_WITH_TIMEOUT(library.snippet(name).content, QStringLiteral("new = 2\n"), 5000);
        QFile::remove(dir.filePath(QStringLiteral("from-an-editor.py")));
        QTRY_COMPARE_WITH_TIMEOUT(library.snippets().size(), 1, 5000);
        QVERIFY(!changed.isEmpty());
    }

    void theAsyncOpen_indexesOffTheCallingThread()
    {
        QTemporaryDir dir;
        for (int i = 0; i < 50; ++i)
            QVERIFY(writeAll(dir.filePath(QStringLiteral("s%1.py").arg(i)), "pass\n"));
        SnippetLibrary library;
        QSignalSpy loaded(&library, &SnippetLibrary::loaded);
        library.open(dir.path(), false);
        QVERIFY(!library.isLoaded()); // answered later, from the worker's result
        QVERIFY(loaded.wait(5000));
        QCOMPARE(loaded.first().first().toInt(), 50);
    }

    void aStaleScan_neverReplacesANewerIndex()
    {
        // A background scan of folder A is still running when folder B is opened: what A's scan
        // finds must not become the index of B.
        QTemporaryDir a;
        QTemporaryDir b;
        for (int i = 0; i < 300; ++i)
            QVERIFY(writeAll(a.filePath(QStringLiteral("a%1.py").arg(i)), "pass\n"));
        QVERIFY(writeAll(b.filePath(QStringLiteral("only-in-b.py")), "pass\n"));
        SnippetLibrary library;
        QSignalSpy loaded(&library, &SnippetLibrary::loaded);
        library.open(a.path(), false);
        QCOMPARE(library.openNow(b.path(), false), 1);
        // Long enough for A's scan to finish and be delivered.
        QTest::qWait(1500);
        QCOMPARE(library.snippets().size(), 1);
        QCOMPARE(library.snippets().first().fileName, QStringLiteral("only-in-b.py"));
        QVERIFY(loaded.isEmpty()); // the open of A was superseded, so it never reports
    }

    void aSaveDuringTheOpeningScan_isKept()
    {
        // The scan started by open() may list the folder before a snippet is created; the
        // created snippet stays in the index when the scan's result arrives.
        QTemporaryDir dir;
        for (int i = 0; i < 300; ++i)
            QVERIFY(writeAll(dir.filePath(QStringLiteral("s%1.py").arg(i)), "pass\n"));
        SnippetLibrary library;
        QSignalSpy loaded(&library, &SnippetLibrary::loaded);
        library.open(dir.path(), false);
        QString error;
        const QString name = library.create(QStringLiteral("made while scanning"),
                                            QStringLiteral("python"), QStringLiteral("x = 1\n"),
                                            &error);
        QVERIFY2(!name.isEmpty(), qPrintable(error));
        QVERIFY(loaded.wait(5000));
        QCOMPARE(loaded.first().first().toInt(), 301);
        QCOMPARE(library.snippet(name).content, QStringLiteral("x = 1\n"));
        QTest::qWait(800); // any rescan the write itself triggered
        QCOMPARE(library.snippets().size(), 301);
    }

    void aFailedWrite_leavesTheOldFileWhole_andSaysWhy()
    {
        // Run by library_failing_writes.sh inside bubblewrap: READONLY is a read-only bind of a
        // library, FULL a 64 KiB tmpfs holding one.
        const QString readOnly = qEnvironmentVariable("AGENTBAY_TEST_READONLY_LIBRARY");
        const QString full = qEnvironmentVariable("AGENTBAY_TEST_FULL_LIBRARY");
        if (readOnly.isEmpty() || full.isEmpty())
            QSKIP("needs library_failing_writes.sh (bubblewrap)");

        SnippetLibrary locked;
        QCOMPARE(locked.openNow(readOnly, false), 1);
        QString error;
        QVERIFY(!locked.save(QStringLiteral("kept.py"), QStringLiteral("changed\n"), &error));
        QVERIFY2(error.contains(QLatin1String("kept.py")), qPrintable(error));
        QCOMPARE(readAll(readOnly + QStringLiteral("/kept.py")), QByteArray("original\n"));
        QCOMPARE(locked.snippet(QStringLiteral("kept.py")).content, QStringLiteral("original\n"));
        QVERIFY(locked.create(QStringLiteral("new"), QStringLiteral("python"), QStringLiteral("x"),
                              &error)
                        .isEmpty());

        SnippetLibrary crowded;
        QCOMPARE(crowded.openNow(full, false), 1);
        const QString big(200 * 1024, QLatin1Char('x')); // more than the disk holds
        error.clear();
        QVERIFY(!crowded.save(QStringLiteral("kept.py"), big, &error));
        QVERIFY2(!error.isEmpty(), "a full disk must be reported");
        QCOMPARE(readAll(full + QStringLiteral("/kept.py")), QByteArray("original\n"));
        QCOMPARE(crowded.snippet(QStringLiteral("kept.py")).content, QStringLiteral("original\n"));
        // No temporary file is left behind to fill the disk further.
        QCOMPARE(QDir(full).entryList(QDir::Files).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestSnippetLibrary)
#include "tst_snippetlibrary.moc"
