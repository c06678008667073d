// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace agentbay::workspace::AtomicFile {
// Writes the whole file or nothing (QSaveFile: a temporary beside it, renamed over the old one
// on success). False with *error naming the path and the reason: a read-only folder, a full
// disk, a directory in the way. The old file, if any, is then untouched.
bool write(const QString &path, const QByteArray &bytes, QString *error);
} // namespace agentbay::workspace::AtomicFile
