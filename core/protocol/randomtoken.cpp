// SPDX-License-Identifier: GPL-3.0-or-later
#include "randomtoken.h"

#include <QRandomGenerator>

namespace agentbay::protocol::RandomToken {

QByteArray hex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator *generator = QRandomGenerator::system();
    for (auto &byte : raw)
        byte = static_cast<char>(generator->bounded(256));
    return raw.toHex();
}

QString localApiKey()
{
    return QStringLiteral("akm-local-") + QString::fromLatin1(hex(24));
}

} // namespace agentbay::protocol::RandomToken
