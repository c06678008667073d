// SPDX-License-Identifier: GPL-3.0-or-later
// A run's full output: in memory while small, in a temporary file once large, whole either way.
#include "workspace/outputspool.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using agentbay::workspace::OutputSpool;

class TestOutputSpool final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void smallOutput_staysInMemory()
    {
        OutputSpool spool(100);
        spool.append(QStringLiteral("héllo\n"));
        spool.append(QString());
        spool.append(QStringLiteral("world"));
        QVERIFY(!spool.isSpilled());
        QCOMPARE(spool.text(), QStringLiteral("héllo\nworld"));
        QCOMPARE(spool.size(), 11);
        QVERIFY(!spool.endsWithNewline());
    }

    void largeOutput_movesToAFile_andComesBackWhole()
    {
        OutputSpool spool(1000);
        QString expected;
        for (int i = 0; i < 500; ++i) {
            const QString piece = QStringLiteral("line %1 — ünïcode\n").arg(i);
            spool.append(piece);
            expected += piece;
        }
        QVERIFY(spool.isSpilled());
        QVERIFY(spool.problem().isEmpty());
        QCOMPARE(spool.size(), expected.size());
        QVERIFY(spool.endsWithNewline());
        QCOMPARE(spool.text(), expected);
        spool.replace(QStringLiteral("dropped\n"));
        QVERIFY(!spool.isSpilled());
        QCOMPARE(spool.text(), QStringLiteral("dropped\n"));
    }

    void aFileThatCannotBeMade_keepsTheTextInMemory()
    {
        // The temporary folder is a file: no file can be made in it, even by root.
        QTemporaryDir dir;
        QFile notAFolder(dir.filePath(QStringLiteral("tmp")));
        QVERIFY(notAFolder.open(QIODevice::WriteOnly));
        notAFolder.close();
        const QByteArray saved = qgetenv("TMPDIR");
        qputenv("TMPDIR", notAFolder.fileName().toUtf8());
        OutputSpool spool(10);
        spool.append(QStringLiteral("0123456789abcdef\n"));
        spool.append(QStringLiteral("more\n"));
        if (saved.isEmpty())
            qunsetenv("TMPDIR");
        else
            qputenv("TMPDIR", saved);
        QVERIFY(!spool.isSpilled());
        QVERIFY(!spool.problem().isEmpty());
        QCOMPARE(spool.text(), QStringLiteral("0123456789abcdef\nmore\n"));
    }
};

QTEST_GUILESS_MAIN(TestOutputSpool)
#include "tst_outputspool.moc"
