// SPDX-License-Identifier: GPL-3.0-or-later
// Where the sandbox finds its kernel drivers: beside the program as installed, else built in.
#include "sandbox/kerneldrivers.h"
#include "sandbox/sandboxconfig.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using agentbay::sandbox::KernelDrivers;

class TestKernelDrivers : public QObject
{
    Q_OBJECT

    static void writeFile(const QString &path, const QByteArray &text)
    {
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(text), text.size());
    }

private slots:
    void builtIn_holdsEveryDriver()
    {
        const KernelDrivers drivers = KernelDrivers::builtIn();
        QVERIFY(drivers.isComplete());
        QCOMPARE(drivers.source, QStringLiteral(":/agentbay/kernels"));
        QVERIFY(drivers.python.contains(QLatin1String("AgentBay Playground Python kernel")));
        QVERIFY(drivers.javascript.contains(QLatin1String("JavaScript kernel")));
        QVERIFY(drivers.r.contains(QLatin1String("AgentBay Playground R kernel")));
        QVERIFY(drivers.fileTool.contains(QLatin1String("file tools")));
        // What a server runs with unless told otherwise.
        QCOMPARE(agentbay::sandbox::SandboxConfig().drivers.source, drivers.source);
    }

    void besideProgram_findsThePrefixLayout()
    {
        QTemporaryDir prefix;
        QVERIFY(prefix.isValid());
        const QString bin = prefix.filePath(QStringLiteral("bin"));
        QVERIFY(QDir().mkpath(bin));
        // No drivers installed: nothing is found, so the built-in ones are used.
        QVERIFY(KernelDrivers::besideProgram(bin).isEmpty());
        QVERIFY(KernelDrivers::besideProgram(QString()).isEmpty());

        const QString kernels = prefix.filePath(
                QStringLiteral("share/agentbay-playground/kernels"));
        writeFile(kernels + QStringLiteral("/python_kernel.py"), "# python driver\n");
        writeFile(kernels + QStringLiteral("/node_kernel.js"), "// node driver\n");
        writeFile(kernels + QStringLiteral("/r_kernel.R"), "# R driver\n");
        writeFile(kernels + QStringLiteral("/java_kernel.java"), "// Java driver\n");
        writeFile(kernels + QStringLiteral("/file_tool.py"), "# file tool\n");
        QCOMPARE(KernelDrivers::besideProgram(bin), QDir::cleanPath(kernels));

        QString why;
        const auto drivers = KernelDrivers::fromDirectory(kernels, &why);
        QVERIFY2(drivers, qPrintable(why));
        QCOMPARE(drivers->source, QDir::cleanPath(kernels));
        QCOMPARE(drivers->python, QStringLiteral("# python driver\n"));
        QCOMPARE(drivers->javascript, QStringLiteral("// node driver\n"));
        QCOMPARE(drivers->r, QStringLiteral("# R driver\n"));
        QCOMPARE(drivers->java, QStringLiteral("// Java driver\n"));
        QCOMPARE(drivers->fileTool, QStringLiteral("# file tool\n"));
    }

    void fromDirectory_namesWhatIsMissingOrEmpty()
    {
        QTemporaryDir directory;
        QVERIFY(directory.isValid());
        writeFile(directory.filePath(QStringLiteral("python_kernel.py")), "# python\n");
        QString why;
        QVERIFY(!KernelDrivers::fromDirectory(directory.path(), &why));
        QVERIFY2(why.contains(QLatin1String("node_kernel.js")), qPrintable(why));

        writeFile(directory.filePath(QStringLiteral("node_kernel.js")), "");
        writeFile(directory.filePath(QStringLiteral("file_tool.py")), "# tool\n");
        QVERIFY(!KernelDrivers::fromDirectory(directory.path(), &why));
        QVERIFY2(why.contains(QLatin1String("node_kernel.js"))
                         && why.contains(QLatin1String("empty")),
                 qPrintable(why));
    }
};

QTEST_GUILESS_MAIN(TestKernelDrivers)
#include "tst_kerneldrivers.moc"
