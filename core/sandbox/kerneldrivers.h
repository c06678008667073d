// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace agentbay::sandbox {

// The driver scripts the kernels run (Python, JavaScript, R, the file tool), read once when the
// server starts so that a package upgrade under a running server never mixes two versions.
// They come from a directory found relative to the program (the build tree, /usr, /usr/local
// or an unpacked archive all hold <prefix>/share/agentbay-playground/kernels beside
// <prefix>/bin), or from the copies compiled into the program.
struct KernelDrivers
{
    QString source; // the directory they were read from, or BuiltInSource
    QString python;
    QString javascript;
    QString r;
    QString java;
    QString fileTool;

    static constexpr const char *BuiltInSource = ":/agentbay/kernels";

    bool isComplete() const;
    // The copies compiled into the program.
    static KernelDrivers builtIn();
    // Every driver from directory, or nothing with why set (a missing or unreadable file).
    static std::optional<KernelDrivers> fromDirectory(const QString &directory, QString *why);
    // The installed drivers' directory relative to programDirectory (normally
    // ../share/agentbay-playground/kernels), cleaned, when it holds the Python driver; else empty.
    static QString besideProgram(const QString &programDirectory);
};

} // namespace agentbay::sandbox
