// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QStringList>

#include <functional>

class QFileSystemWatcher;
class QTimer;

namespace agentbay::workspace {

// One snippet: a plain source file (`name.py`, `name.js`) in the library folder, and its
// metadata in `name.py.meta.json` beside it (indented JSON, keys sorted: readable and diffable).
struct Snippet
{
    QString fileName; // relative to the library folder: "hello.py"
    QString title;
    QString language; // "python", "javascript"
    QStringList tags;
    int timeoutSeconds = 30;
    QDateTime created;
    QDateTime modified;
    QString content;

    bool operator==(const Snippet &other) const = default;
};

// The snippet library: a folder of plain files, indexed in memory for search, watched for
// edits made outside the app, written atomically (QSaveFile: a failed write leaves the old file
// whole and reports why). Deleting moves to `.trash/` inside the folder, so it can be undone.
class SnippetLibrary final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SnippetLibrary)

public:
    explicit SnippetLibrary(QObject *parent = nullptr);
    ~SnippetLibrary() override;

    static QString defaultFolder(); // AppDataLocation/snippets
    static QString metadataFileName(const QString &fileName)
    {
        return fileName + QStringLiteral(".meta.json");
    }
    static QString trashFolderName() { return QStringLiteral(".trash"); }

    QString folder() const { return m_folder; }
    // Opens a folder (created when missing) and indexes it on a worker thread; loaded() follows.
    // When the folder is new (or empty and never seeded) the starter snippets are copied in first.
    void open(const QString &folder, bool seedStarters = true);
    // The same, synchronously (tests, benchmarks). Returns the number of snippets.
    int openNow(const QString &folder, bool seedStarters = true);
    bool isLoaded() const { return m_loaded; }

    const QList<Snippet> &snippets() const { return m_snippets; }
    int indexOf(const QString &fileName) const;
    Snippet snippet(const QString &fileName) const;

    // Indices of snippets matching every word of the query in title, tags or content
    // (case-insensitive); `tag:x` matches tags only. An empty query matches everything.
    QList<int> search(const QString &query) const;

    // Each returns the affected file name (empty + *error on failure; nothing is half-written).
    QString create(const QString &title, const QString &language, const QString &content,
                   QString *error, const QStringList &tags = {}, int timeoutSeconds = 30);
    bool save(const QString &fileName, const QString &content, QString *error);
    bool saveMetadata(const Snippet &snippet, QString *error);
    QString rename(const QString &fileName, const QString &title, QString *error);
    QString duplicate(const QString &fileName, QString *error);
    // Moves the file and its metadata to `.trash/`; returns the trash entry for undo().
    QString remove(const QString &fileName, QString *error);
    QString restore(const QString &trashEntry, QString *error);
    // Copies outside files in (.py/.js; others are refused with the reason in *error).
    QStringList importFiles(const QStringList &paths, QString *error);
    // Writes the snippets' files and metadata into a directory.
    bool exportTo(const QStringList &fileNames, const QString &directory, QString *error);

    // Starter snippets shipped in the resources (":/agentbay/snippets/starters").
    static QStringList starterNames();

Q_SIGNALS:
    void loaded(int count);
    // The index changed (our own write, or an edit outside the app).
    void changed();
    void problem(const QString &message);

private:
    static QList<Snippet> scan(const QString &folder);
    static Snippet readSnippet(const QString &folder, const QString &fileName);
    static QByteArray metadataJson(const Snippet &snippet);
    QString uniqueFileName(const QString &title, const QString &language) const;
    void seedStarters(const QString &folder);
    void watch();
    void rescanSoon();
    // Scans the folder on a worker; applies the result (then calls applied) only if the index
    // has not changed since the scan began.
    void scanInBackground(std::function<void()> applied);
    void setSnippets(QList<Snippet> snippets);
    // Keep the index sorted by title without re-sorting or re-watching everything.
    void insertSnippet(const Snippet &snippet);
    void removeSnippet(const QString &fileName);

    QString m_folder;
    QList<Snippet> m_snippets;
    QList<QString> m_haystacks; // lower-cased title + tags + content, for search
    QFileSystemWatcher *m_watcher;
    QTimer *m_rescan;
    bool m_loaded = false;
    quint64 m_generation = 0; // bumped by every change of the index
};

} // namespace agentbay::workspace
