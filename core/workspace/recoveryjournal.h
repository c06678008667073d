// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace agentbay::workspace {

// What it takes to bring a tab back exactly: its text, language, timeout, cursor, and which
// library snippet it edits (if any) and whether it has changes not saved there.
struct RecoveredTab
{
    QString id; // stable for the tab's life
    int order = 0;
    QString title;
    QString text;
    QString language;
    int timeoutSeconds = 30;
    int cursorLine = 0; // 0-based, as the editor reports it
    int cursorIndex = 0;
    QString snippetFile; // library file name, empty for a scratch tab
    bool dirty = false;
    QString profile;
    QDateTime journaledAt;

    bool operator==(const RecoveredTab &other) const = default;
};

// The recovery area: one small JSON file per open tab (AppDataLocation/recovery/tab-<id>.json),
// each written atomically, so a crash at any moment leaves every tab as it was at its last
// journaling. Closed tabs move to recovery/closed/ (the newest MaximumClosed kept), so closing
// one can be undone. Its one writer is the application's main thread (autosave, close, quit);
// nothing writes these files from a worker.
class RecoveryJournal
{
public:
    explicit RecoveryJournal(const QString &folder = {});

    QString folder() const { return m_folder; }
    bool write(const RecoveredTab &tab, QString *error);
    QList<RecoveredTab> openTabs() const; // by order
    // Moves a tab's file to closed/; false when it had none.
    bool close(const QString &id);
    // The most recently closed tab, removed from closed/ (nullopt when there is none).
    std::optional<RecoveredTab> reopenLastClosed();
    int closedCount() const;

    static constexpr int MaximumClosed = 20;

private:
    static std::optional<RecoveredTab> read(const QString &path);
    QString pathFor(const QString &id) const;

    QString m_folder;
};

} // namespace agentbay::workspace
