// SPDX-License-Identifier: GPL-3.0-or-later
#include "atomicfile.h"

#include <QSaveFile>

namespace agentbay::workspace::AtomicFile {

bool write(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit())
        return true;
    if (error)
        *error = QStringLiteral("%1: %2").arg(path, file.errorString());
    file.cancelWriting();
    return false;
}

} // namespace agentbay::workspace::AtomicFile
