// SPDX-License-Identifier: GPL-3.0-or-later
// The captured AgentBay wire fixtures in tests/data/wire (QtCore only).
#pragma once

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace agentbay::test {

inline QByteArray wireFile(const QString &name)
{
    QFile file(QStringLiteral(AGENTBAY_TEST_DATA_DIR "/wire/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(file.fileName()));
    return file.readAll();
}

inline QJsonObject wireJson(const QString &name)
{
    return QJsonDocument::fromJson(wireFile(name)).object();
}

} // namespace agentbay::test
