// SPDX-License-Identifier: GPL-3.0-or-later
#include "outputspool.h"

#include <QDir>
#include <QTemporaryFile>

namespace agentbay::workspace {

OutputSpool::OutputSpool(qsizetype spillCharacters) : m_spillCharacters(spillCharacters) {}

OutputSpool::~OutputSpool() = default;

void OutputSpool::append(const QString &text)
{
    if (text.isEmpty())
        return;
    m_size += text.size();
    m_lastCharacter = text.back();
    if (m_file) {
        const QByteArray bytes = text.toUtf8();
        if (m_file->write(bytes) == bytes.size() && m_file->flush()) {
            m_fileBytes += bytes.size();
            return;
        }
        // The disk is full (or the file went away): back into memory, with what the file had.
        m_problem = QStringLiteral("%1: %2").arg(m_file->fileName(), m_file->errorString());
        QFile reader(m_file->fileName());
        const QString before = reader.open(QIODevice::ReadOnly)
                                       ? QString::fromUtf8(reader.read(m_fileBytes))
                                       : QString();
        m_file.reset();
        m_fileBytes = 0;
        m_parts = {before, text};
        m_size = before.size() + text.size();
        return;
    }
    m_parts.append(text);
    if (m_size > m_spillCharacters && m_problem.isEmpty())
        spill();
}

void OutputSpool::spill()
{
    auto file = std::make_unique<QTemporaryFile>(QDir::tempPath()
                                                 + QStringLiteral("/agentbay-output-XXXXXX.txt"));
    if (!file->open()) {
        m_problem = QStringLiteral("%1: %2").arg(file->fileTemplate(), file->errorString());
        return;
    }
    qint64 written = 0;
    for (const QString &part : std::as_const(m_parts)) {
        const QByteArray bytes = part.toUtf8();
        if (file->write(bytes) != bytes.size()) {
            m_problem = QStringLiteral("%1: %2").arg(file->fileName(), file->errorString());
            return; // the file goes; the parts stay
        }
        written += bytes.size();
    }
    if (!file->flush()) {
        m_problem = QStringLiteral("%1: %2").arg(file->fileName(), file->errorString());
        return;
    }
    m_file = std::move(file);
    m_fileBytes = written;
    m_parts = QStringList();
}

QString OutputSpool::text() const
{
    if (!m_file)
        return m_parts.join(QString());
    QFile reader(m_file->fileName());
    if (!reader.open(QIODevice::ReadOnly))
        return QString();
    return QString::fromUtf8(reader.readAll());
}

void OutputSpool::replace(const QString &replacement)
{
    m_file.reset();
    m_fileBytes = 0;
    m_parts = replacement.isEmpty() ? QStringList() : QStringList{replacement};
    m_size = replacement.size();
    m_lastCharacter = replacement.isEmpty() ? QChar() : replacement.back();
}

} // namespace agentbay::workspace
