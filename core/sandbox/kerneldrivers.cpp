// SPDX-License-Identifier: GPL-3.0-or-later
#include "kerneldrivers.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace agentbay::sandbox {

namespace {

const QString PythonDriver = QStringLiteral("python_kernel.py");
const QString JavaScriptDriver = QStringLiteral("node_kernel.js");
const QString RDriver = QStringLiteral("r_kernel.R");
const QString JavaDriver = QStringLiteral("java_kernel.java");
const QString FileToolDriver = QStringLiteral("file_tool.py");

std::optional<QString> readText(const QString &path, QString *why)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (why)
            *why = QCoreApplication::translate("KernelDrivers", "cannot read the kernel driver "
                                                                "%1: %2")
                           .arg(QDir::toNativeSeparators(path), file.errorString());
        return std::nullopt;
    }
    QString text = QString::fromUtf8(file.readAll());
    if (text.isEmpty()) {
        if (why)
            *why = QCoreApplication::translate("KernelDrivers", "the kernel driver %1 is empty")
                           .arg(QDir::toNativeSeparators(path));
        return std::nullopt;
    }
    return text;
}

std::optional<KernelDrivers> readAll(const QString &directory, const QString &source, QString *why)
{
    KernelDrivers drivers;
    drivers.source = source;
    const auto python = readText(directory + QLatin1Char('/') + PythonDriver, why);
    const auto javascript = python ? readText(directory + QLatin1Char('/') + JavaScriptDriver, why)
                                   : std::nullopt;
    const auto r = javascript ? readText(directory + QLatin1Char('/') + RDriver, why)
                              : std::nullopt;
    const auto java = r ? readText(directory + QLatin1Char('/') + JavaDriver, why) : std::nullopt;
    const auto fileTool = java ? readText(directory + QLatin1Char('/') + FileToolDriver, why)
                               : std::nullopt;
    if (!fileTool)
        return std::nullopt;
    drivers.python = *python;
    drivers.javascript = *javascript;
    drivers.r = *r;
    drivers.java = *java;
    drivers.fileTool = *fileTool;
    return drivers;
}

} // namespace

bool KernelDrivers::isComplete() const
{
    return !python.isEmpty() && !javascript.isEmpty() && !r.isEmpty() && !java.isEmpty()
           && !fileTool.isEmpty();
}

KernelDrivers KernelDrivers::builtIn()
{
    const QString source = QString::fromLatin1(BuiltInSource);
    // The resource is linked into every program that links the sandbox library.
    return readAll(source, source, nullptr).value_or(KernelDrivers{source, {}, {}, {}, {}, {}});
}

std::optional<KernelDrivers> KernelDrivers::fromDirectory(const QString &directory, QString *why)
{
    const QString absolute = QFileInfo(directory).absoluteFilePath();
    return readAll(absolute, QDir::cleanPath(absolute), why);
}

QString KernelDrivers::besideProgram(const QString &programDirectory)
{
    if (programDirectory.isEmpty())
        return {};
    const QString directory = QDir::cleanPath(programDirectory + QLatin1Char('/')
                                              + QStringLiteral(AGENTBAY_KERNELS_FROM_BIN));
    return QFileInfo(directory + QLatin1Char('/') + PythonDriver).isFile() ? directory : QString();
}

} // namespace agentbay::sandbox
