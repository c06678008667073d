// SPDX-License-Identifier: GPL-3.0-or-later
#include "snippetlibrary.h"

#include "atomicfile.h"

#include "protocol/language.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace agentbay::workspace {

namespace {

constexpr int MaximumWatchedFiles = 2000; // inotify watches are a shared, limited resource
constexpr char LibraryMarker[] = ".agentbay-library";

struct Starter
{
    const char *file;
    const char *title;
    const char *tags;
    int timeout;
};

constexpr Starter Starters[] = {
        {"hello-python.py", "Hello, Python", "starter python", 30},
        {"hello-javascript.js", "Hello, JavaScript", "starter javascript", 30},
        {"rich-output.py", "Rich output: HTML, Markdown, JSON", "starter rich", 30},
        {"matplotlib-chart.py", "A matplotlib chart", "starter rich chart", 30},
        {"an-error.py", "An error and its traceback", "starter error", 30},
        {"timeout-demo.py", "A run that times out", "starter timeout", 3},
};

using protocol::Language;
namespace Languages = protocol::Languages;

QString languageOf(const QString &fileName)
{
    return Languages::name(Languages::fromFileName(fileName).value_or(Language::Python));
}

QString suffixOf(const QString &language)
{
    return Languages::info(Languages::fromNameOr(language)).suffixes.constFirst();
}

// A snippet is a file in a language the local sandbox runs (snippets open offline).
bool isSnippetFile(const QString &fileName)
{
    const auto language = Languages::fromFileName(fileName);
    return language && Languages::info(*language).runsLocally()
           && !fileName.startsWith(QLatin1Char('.'));
}

QString titleFromFileName(const QString &fileName)
{
    QString base = QFileInfo(fileName).completeBaseName();
    base.replace(QLatin1Char('-'), QLatin1Char(' ')).replace(QLatin1Char('_'), QLatin1Char(' '));
    return base.isEmpty() ? fileName : base;
}

QString haystackOf(const Snippet &snippet)
{
    return (snippet.title + QLatin1Char('\n') + snippet.tags.join(QLatin1Char(' '))
            + QLatin1Char('\n') + snippet.content)
            .toLower();
}

} // namespace

SnippetLibrary::SnippetLibrary(QObject *parent)
    : QObject(parent), m_watcher(new QFileSystemWatcher(this)), m_rescan(new QTimer(this))
{
    m_rescan->setSingleShot(true);
    m_rescan->setInterval(300);
    connect(m_rescan, &QTimer::timeout, this, [this] {
        scanInBackground([this] {
            watch();
            Q_EMIT changed();
        });
    });
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &SnippetLibrary::rescanSoon);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &SnippetLibrary::rescanSoon);
}

SnippetLibrary::~SnippetLibrary() = default;

QString SnippetLibrary::defaultFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
           + QStringLiteral("/snippets");
}

QStringList SnippetLibrary::starterNames()
{
    QStringList names;
    for (const Starter &starter : Starters)
        names.append(QLatin1String(starter.file));
    return names;
}

void SnippetLibrary::seedStarters(const QString &folder)
{
    QDir dir(folder);
    const bool existed = dir.exists();
    if (!QDir().mkpath(folder)) {
        Q_EMIT problem(tr("The snippet folder %1 cannot be created.").arg(folder));
        return;
    }
    const bool marked = QFile::exists(dir.filePath(QLatin1String(LibraryMarker)));
    const bool empty = dir.entryList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot).isEmpty();
    if (marked || (existed && !empty))
        return; // a library the user already has: never add to it uninvited
    for (const Starter &starter : Starters) {
        QFile source(QStringLiteral(":/agentbay/snippets/starters/") + QLatin1String(starter.file));
        if (!source.open(QIODevice::ReadOnly))
            continue;
        Snippet snippet;
        snippet.fileName = QLatin1String(starter.file);
        snippet.title = QLatin1String(starter.title);
        snippet.language = languageOf(snippet.fileName);
        snippet.tags = QString::fromLatin1(starter.tags).split(QLatin1Char(' '));
        snippet.timeoutSeconds = starter.timeout;
        snippet.created = snippet.modified = QDateTime::currentDateTimeUtc();
        QString error;
        if (!AtomicFile::write(dir.filePath(snippet.fileName), source.readAll(), &error)
            || !AtomicFile::write(dir.filePath(metadataFileName(snippet.fileName)),
                                  metadataJson(snippet), &error)) {
            Q_EMIT problem(tr("A starter snippet could not be written: %1").arg(error));
            return;
        }
    }
    QString error;
    AtomicFile::write(dir.filePath(QLatin1String(LibraryMarker)),
                      QByteArray("This folder is an AgentBay Playground snippet library.\n"),
                      &error);
}

void SnippetLibrary::open(const QString &folder, bool seed)
{
    m_folder = QDir(folder).absolutePath();
    m_loaded = false;
    if (seed)
        seedStarters(m_folder);
    else
        QDir().mkpath(m_folder);
    ++m_generation; // whatever an earlier folder's scan finds no longer applies
    scanInBackground([this] {
        m_loaded = true;
        watch();
        Q_EMIT loaded(static_cast<int>(m_snippets.size()));
    });
}

void SnippetLibrary::scanInBackground(std::function<void()> applied)
{
    const quint64 generation = m_generation;
    const QString folder = m_folder;
    auto *watcher = new QFutureWatcher<QList<Snippet>>(this);
    connect(watcher, &QFutureWatcher<QList<Snippet>>::finished, this,
            [this, watcher, generation, folder, applied = std::move(applied)]() mutable {
                watcher->deleteLater();
                if (folder != m_folder)
                    return; // another folder was opened meanwhile
                if (generation != m_generation) {
                    // The index changed while the scan ran (a save, a rename): its picture is
                    // older than what we hold. Look again rather than go back in time.
                    scanInBackground(std::move(applied));
                    return;
                }
                setSnippets(watcher->result());
                applied();
            });
    watcher->setFuture(QtConcurrent::run(&SnippetLibrary::scan, folder));
}

int SnippetLibrary::openNow(const QString &folder, bool seed)
{
    m_folder = QDir(folder).absolutePath();
    m_rescan->stop();
    if (seed)
        seedStarters(m_folder);
    else
        QDir().mkpath(m_folder);
    setSnippets(scan(m_folder));
    m_loaded = true;
    watch();
    return static_cast<int>(m_snippets.size());
}

QList<Snippet> SnippetLibrary::scan(const QString &folder)
{
    QList<Snippet> out;
    const QStringList files = QDir(folder).entryList({QStringLiteral("*.py"),
                                                      QStringLiteral("*.js")},
                                                     QDir::Files);
    out.reserve(files.size());
    for (const QString &fileName : files) {
        if (isSnippetFile(fileName))
            out.append(readSnippet(folder, fileName));
    }
    return out;
}

Snippet SnippetLibrary::readSnippet(const QString &folder, const QString &fileName)
{
    const QDir dir(folder);
    Snippet snippet;
    snippet.fileName = fileName;
    const QFileInfo info(dir.filePath(fileName));
    QFile file(info.filePath());
    if (file.open(QIODevice::ReadOnly))
        snippet.content = QString::fromUtf8(file.readAll());
    snippet.title = titleFromFileName(fileName);
    snippet.language = languageOf(fileName);
    snippet.created = info.birthTime().isValid() ? info.birthTime() : info.lastModified();
    snippet.modified = info.lastModified();
    QFile metadata(dir.filePath(metadataFileName(fileName)));
    if (metadata.open(QIODevice::ReadOnly)) {
        const QJsonObject object = QJsonDocument::fromJson(metadata.readAll()).object();
        if (const QString title = object.value(QLatin1String("title")).toString(); !title.isEmpty())
            snippet.title = title;
        for (const QJsonValue &tag : object.value(QLatin1String("tags")).toArray())
            snippet.tags.append(tag.toString());
        const int timeout = object.value(QLatin1String("timeoutSeconds")).toInt(30);
        snippet.timeoutSeconds = std::clamp(timeout, 1, 60);
        const QDateTime created
                = QDateTime::fromString(object.value(QLatin1String("created")).toString(),
                                        Qt::ISODate);
        if (created.isValid())
            snippet.created = created;
        const QDateTime modified
                = QDateTime::fromString(object.value(QLatin1String("modified")).toString(),
                                        Qt::ISODate);
        // An edit outside the app is newer than the metadata: the file's own time wins.
        if (modified.isValid() && modified > info.lastModified())
            snippet.modified = modified;
    }
    return snippet;
}

QByteArray SnippetLibrary::metadataJson(const Snippet &snippet)
{
    // QJsonObject keeps keys sorted, so the file diffs cleanly.
    const QJsonObject object{{QStringLiteral("title"), snippet.title},
                             {QStringLiteral("language"), snippet.language},
                             {QStringLiteral("tags"), QJsonArray::fromStringList(snippet.tags)},
                             {QStringLiteral("timeoutSeconds"), snippet.timeoutSeconds},
                             {QStringLiteral("created"),
                              snippet.created.toUTC().toString(Qt::ISODate)},
                             {QStringLiteral("modified"),
                              snippet.modified.toUTC().toString(Qt::ISODate)}};
    return QJsonDocument(object).toJson(QJsonDocument::Indented);
}

void SnippetLibrary::setSnippets(QList<Snippet> snippets)
{
    std::sort(snippets.begin(), snippets.end(), [](const Snippet &a, const Snippet &b) {
        const int order = a.title.compare(b.title, Qt::CaseInsensitive);
        return order != 0 ? order < 0 : a.fileName < b.fileName;
    });
    ++m_generation;
    m_snippets = std::move(snippets);
    m_haystacks.clear();
    m_haystacks.reserve(m_snippets.size());
    for (const Snippet &snippet : std::as_const(m_snippets))
        m_haystacks.append(haystackOf(snippet));
}

void SnippetLibrary::insertSnippet(const Snippet &snippet)
{
    const auto before = [](const Snippet &a, const Snippet &b) {
        const int order = a.title.compare(b.title, Qt::CaseInsensitive);
        return order != 0 ? order < 0 : a.fileName < b.fileName;
    };
    const auto at = std::lower_bound(m_snippets.begin(), m_snippets.end(), snippet, before);
    const qsizetype index = at - m_snippets.begin();
    ++m_generation;
    m_snippets.insert(index, snippet);
    m_haystacks.insert(index, haystackOf(snippet));
    const QString path = QDir(m_folder).filePath(snippet.fileName);
    if (m_watcher->files().size() < MaximumWatchedFiles)
        m_watcher->addPath(path);
}

void SnippetLibrary::removeSnippet(const QString &fileName)
{
    const int index = indexOf(fileName);
    if (index < 0)
        return;
    ++m_generation;
    m_snippets.removeAt(index);
    m_haystacks.removeAt(index);
    m_watcher->removePath(QDir(m_folder).filePath(fileName));
}

void SnippetLibrary::watch()
{
    if (!m_watcher->files().isEmpty())
        m_watcher->removePaths(m_watcher->files());
    if (!m_watcher->directories().contains(m_folder))
        m_watcher->addPath(m_folder);
    QStringList files;
    const QDir dir(m_folder);
    for (qsizetype i = 0; i < m_snippets.size() && i < MaximumWatchedFiles; ++i)
        files.append(dir.filePath(m_snippets.at(i).fileName));
    if (!files.isEmpty())
        m_watcher->addPaths(files);
}

void SnippetLibrary::rescanSoon()
{
    if (!m_folder.isEmpty())
        m_rescan->start();
}

int SnippetLibrary::indexOf(const QString &fileName) const
{
    for (qsizetype i = 0; i < m_snippets.size(); ++i) {
        if (m_snippets.at(i).fileName == fileName)
            return static_cast<int>(i);
    }
    return -1;
}

Snippet SnippetLibrary::snippet(const QString &fileName) const
{
    const int index = indexOf(fileName);
    return index < 0 ? Snippet() : m_snippets.at(index);
}

QList<int> SnippetLibrary::search(const QString &query) const
{
    QStringList words;
    QStringList tags;
    for (const QString &word : query.toLower().split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (word.startsWith(QLatin1String("tag:")) && word.size() > 4)
            tags.append(word.mid(4));
        else
            words.append(word);
    }
    QList<int> matches;
    for (qsizetype i = 0; i < m_snippets.size(); ++i) {
        const QString &haystack = m_haystacks.at(i);
        bool match = std::all_of(words.cbegin(), words.cend(),
                                 [&](const QString &word) { return haystack.contains(word); });
        if (match && !tags.isEmpty()) {
            const QStringList &own = m_snippets.at(i).tags;
            match = std::all_of(tags.cbegin(), tags.cend(), [&](const QString &tag) {
                return own.contains(tag, Qt::CaseInsensitive);
            });
        }
        if (match)
            matches.append(static_cast<int>(i));
    }
    return matches;
}

QString SnippetLibrary::uniqueFileName(const QString &title, const QString &language) const
{
    QString slug = title.toLower();
    slug.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
    slug = slug.mid(0, 60);
    while (slug.startsWith(QLatin1Char('-')))
        slug.remove(0, 1);
    while (slug.endsWith(QLatin1Char('-')))
        slug.chop(1);
    if (slug.isEmpty())
        slug = QStringLiteral("snippet");
    const QString suffix = suffixOf(language);
    const QDir dir(m_folder);
    QString name = slug + QLatin1Char('.') + suffix;
    for (int n = 2; QFile::exists(dir.filePath(name)) || indexOf(name) >= 0; ++n)
        name = QStringLiteral("%1-%2.%3").arg(slug).arg(n).arg(suffix);
    return name;
}

QString SnippetLibrary::create(const QString &title, const QString &language,
                               const QString &content, QString *error, const QStringList &tags,
                               int timeoutSeconds)
{
    Snippet snippet;
    snippet.title = title.trimmed().isEmpty() ? tr("Untitled") : title.trimmed();
    const Language known = Languages::fromNameOr(language);
    snippet.language = Languages::name(Languages::info(known).runsLocally() ? known
                                                                            : Language::Python);
    snippet.fileName = uniqueFileName(snippet.title, snippet.language);
    snippet.tags = tags;
    snippet.timeoutSeconds = std::clamp(timeoutSeconds, 1, 60);
    snippet.created = snippet.modified = QDateTime::currentDateTimeUtc();
    snippet.content = content;
    const QDir dir(m_folder);
    if (!AtomicFile::write(dir.filePath(snippet.fileName), content.toUtf8(), error))
        return {};
    if (!AtomicFile::write(dir.filePath(metadataFileName(snippet.fileName)), metadataJson(snippet),
                           error)) {
        QFile::remove(dir.filePath(snippet.fileName));
        return {};
    }
    insertSnippet(snippet);
    Q_EMIT changed();
    return snippet.fileName;
}

bool SnippetLibrary::save(const QString &fileName, const QString &content, QString *error)
{
    const int index = indexOf(fileName);
    Snippet snippet = index >= 0 ? m_snippets.at(index) : readSnippet(m_folder, fileName);
    snippet.fileName = fileName;
    snippet.content = content;
    snippet.modified = QDateTime::currentDateTimeUtc();
    const QDir dir(m_folder);
    if (!AtomicFile::write(dir.filePath(fileName), content.toUtf8(), error))
        return false;
    if (!AtomicFile::write(dir.filePath(metadataFileName(fileName)), metadataJson(snippet), error))
        return false;
    removeSnippet(fileName);
    insertSnippet(snippet);
    Q_EMIT changed();
    return true;
}

bool SnippetLibrary::saveMetadata(const Snippet &snippet, QString *error)
{
    const int index = indexOf(snippet.fileName);
    if (index < 0) {
        *error = tr("no snippet named %1").arg(snippet.fileName);
        return false;
    }
    Snippet updated = snippet;
    updated.content = m_snippets.at(index).content;
    updated.modified = QDateTime::currentDateTimeUtc();
    if (!AtomicFile::write(QDir(m_folder).filePath(metadataFileName(snippet.fileName)),
                           metadataJson(updated), error))
        return false;
    removeSnippet(updated.fileName);
    insertSnippet(updated);
    Q_EMIT changed();
    return true;
}

QString SnippetLibrary::rename(const QString &fileName, const QString &title, QString *error)
{
    const int index = indexOf(fileName);
    if (index < 0) {
        *error = tr("no snippet named %1").arg(fileName);
        return {};
    }
    Snippet snippet = m_snippets.at(index);
    const QString target = uniqueFileName(title, snippet.language);
    const QDir dir(m_folder);
    snippet.title = title.trimmed();
    snippet.modified = QDateTime::currentDateTimeUtc();
    // The new metadata is written first under the new name, then the source moves: a failure at
    // any step leaves the old snippet whole.
    if (!AtomicFile::write(dir.filePath(metadataFileName(target)), metadataJson(snippet), error))
        return {};
    if (!QFile::rename(dir.filePath(fileName), dir.filePath(target))) {
        QFile::remove(dir.filePath(metadataFileName(target)));
        *error = tr("%1 cannot be renamed to %2").arg(fileName, target);
        return {};
    }
    QFile::remove(dir.filePath(metadataFileName(fileName)));
    removeSnippet(fileName);
    snippet.fileName = target;
    insertSnippet(snippet);
    Q_EMIT changed();
    return target;
}

QString SnippetLibrary::duplicate(const QString &fileName, QString *error)
{
    const int index = indexOf(fileName);
    if (index < 0) {
        *error = tr("no snippet named %1").arg(fileName);
        return {};
    }
    const Snippet &source = m_snippets.at(index);
    return create(tr("%1 (copy)").arg(source.title), source.language, source.content, error,
                  source.tags, source.timeoutSeconds);
}

QString SnippetLibrary::remove(const QString &fileName, QString *error)
{
    const QDir dir(m_folder);
    if (!QFile::exists(dir.filePath(fileName))) {
        *error = tr("no snippet named %1").arg(fileName);
        return {};
    }
    if (!dir.mkpath(trashFolderName())) {
        *error = tr("the trash folder cannot be created in %1").arg(m_folder);
        return {};
    }
    const QString entry = QDateTime::currentDateTimeUtc().toString(
                                  QStringLiteral("yyyyMMdd-HHmmsszzz"))
                          + QLatin1Char('-') + fileName;
    const QString trashed = trashFolderName() + QLatin1Char('/') + entry;
    if (!QFile::rename(dir.filePath(fileName), dir.filePath(trashed))) {
        *error = tr("%1 cannot be moved to the trash").arg(fileName);
        return {};
    }
    QFile::rename(dir.filePath(metadataFileName(fileName)), dir.filePath(metadataFileName(trashed)));
    removeSnippet(fileName);
    Q_EMIT changed();
    return entry;
}

QString SnippetLibrary::restore(const QString &trashEntry, QString *error)
{
    const QDir dir(m_folder);
    const QString trashed = trashFolderName() + QLatin1Char('/') + trashEntry;
    if (!QFile::exists(dir.filePath(trashed))) {
        *error = tr("%1 is not in the trash").arg(trashEntry);
        return {};
    }
    QString original = trashEntry.section(QLatin1Char('-'), 2); // after "yyyyMMdd-HHmmsszzz-"
    if (QFile::exists(dir.filePath(original)))
        original = uniqueFileName(titleFromFileName(original), languageOf(original));
    if (!QFile::rename(dir.filePath(trashed), dir.filePath(original))) {
        *error = tr("%1 cannot be restored").arg(trashEntry);
        return {};
    }
    QFile::rename(dir.filePath(metadataFileName(trashed)), dir.filePath(metadataFileName(original)));
    insertSnippet(readSnippet(m_folder, original));
    Q_EMIT changed();
    return original;
}

QStringList SnippetLibrary::importFiles(const QStringList &paths, QString *error)
{
    QStringList imported;
    QStringList problems;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!isSnippetFile(info.fileName())) {
            problems.append(tr("%1 is not a .py or .js file").arg(info.fileName()));
            continue;
        }
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            problems.append(QStringLiteral("%1: %2").arg(path, file.errorString()));
            continue;
        }
        QString problem;
        const QString name = create(titleFromFileName(info.fileName()), languageOf(info.fileName()),
                                    QString::fromUtf8(file.readAll()), &problem);
        if (name.isEmpty())
            problems.append(problem);
        else
            imported.append(name);
    }
    if (error)
        *error = problems.join(QLatin1Char('\n'));
    return imported;
}

bool SnippetLibrary::exportTo(const QStringList &fileNames, const QString &directory, QString *error)
{
    if (!QDir().mkpath(directory)) {
        *error = tr("%1 cannot be created").arg(directory);
        return false;
    }
    const QDir target(directory);
    for (const QString &fileName : fileNames) {
        const int index = indexOf(fileName);
        if (index < 0) {
            *error = tr("no snippet named %1").arg(fileName);
            return false;
        }
        const Snippet &snippet = m_snippets.at(index);
        if (!AtomicFile::write(target.filePath(fileName), snippet.content.toUtf8(), error)
            || !AtomicFile::write(target.filePath(metadataFileName(fileName)),
                                  metadataJson(snippet), error))
            return false;
    }
    return true;
}

} // namespace agentbay::workspace
