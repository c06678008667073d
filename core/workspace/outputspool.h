// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <memory>

class QTemporaryFile;

namespace agentbay::workspace {

// The full text of one run's output. Small, it stays in memory in the pieces it came in (never
// copied to grow one string); past SpillCharacters it moves to a temporary file (UTF-8) and
// what follows is appended there, so a flood's text does not stay in the window's memory. If
// the file cannot be written (a full disk), the text stays in memory and problem() says why:
// nothing is lost either way.
class OutputSpool
{
public:
    static constexpr qsizetype SpillCharacters = qsizetype{1024} * 1024;

    explicit OutputSpool(qsizetype spillCharacters = SpillCharacters);
    ~OutputSpool();
    OutputSpool(const OutputSpool &) = delete;
    OutputSpool &operator=(const OutputSpool &) = delete;

    void append(const QString &text);
    // Everything appended so far, read back from the file when it was spilled.
    QString text() const;
    qsizetype size() const { return m_size; } // characters
    bool isEmpty() const { return m_size == 0; }
    bool endsWithNewline() const { return m_lastCharacter == QLatin1Char('\n'); }
    bool isSpilled() const { return m_file != nullptr; }
    QString problem() const { return m_problem; }
    // Drops the text for `replacement` (kept in memory).
    void replace(const QString &replacement);

private:
    void spill();

    qsizetype m_spillCharacters;
    QStringList m_parts; // in memory: all of it, or none once spilled
    qsizetype m_size = 0;
    QChar m_lastCharacter;
    std::unique_ptr<QTemporaryFile> m_file;
    qint64 m_fileBytes = 0; // written to it and flushed
    QString m_problem;
};

} // namespace agentbay::workspace
