// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>

class QSettings;

namespace agentbay::workspace {

// The one typed facade over the playground's settings. Values are validated on the way in and
// out, change signals fire only on real change, and tests inject a file. Secrets never go here.
class PlaygroundSettings final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlaygroundSettings)

public:
    // An empty path uses the per-user location (QStandardPaths::AppConfigLocation).
    explicit PlaygroundSettings(const QString &filePath = {}, QObject *parent = nullptr);
    ~PlaygroundSettings() override;

    QString fileName() const;

    // Canonical language name ("python", "javascript").
    QString defaultLanguage() const;
    void setDefaultLanguage(const QString &language);

    int defaultTimeoutSeconds() const;
    void setDefaultTimeoutSeconds(int seconds);

    // "system" (follow the desktop palette), "light" or "dark".
    QString theme() const;
    void setTheme(const QString &theme);

    // An empty family means the system's fixed-width font.
    QString editorFontFamily() const;
    void setEditorFontFamily(const QString &family);
    int editorFontSize() const; // points, 6..48; 0 means the system's size
    void setEditorFontSize(int points);

    // The editor's helper: completion pops up by itself (after "." and three characters of a
    // name; Ctrl+Space always asks), and Python is linted as typing pauses. Both on by default.
    bool autoComplete() const;
    void setAutoComplete(bool automatic);
    bool lintWhileTyping() const;
    void setLintWhileTyping(bool lint);

    // How soon after a change an open tab is journaled for recovery, 1..60 s.
    int autosaveIntervalSeconds() const;
    void setAutosaveIntervalSeconds(int seconds);

    // "local", "shanghai", "singapore" or "custom".
    QString currentProfile() const;
    void setCurrentProfile(const QString &profile);
    // A profile's endpoint (custom only; the gateways have theirs) and region id.
    QString profileEndpoint(const QString &profile) const;
    void setProfileEndpoint(const QString &profile, const QString &endpoint);
    QString profileRegion(const QString &profile) const;
    void setProfileRegion(const QString &profile, const QString &region);
    static QStringList profileIds();

    // The snippet library folder; empty means the default (AppDataLocation/snippets).
    QString snippetFolder() const;
    void setSnippetFolder(const QString &folder);

    // Run history retention: the newest runs kept (10..100000) within a size (16..102400 MiB).
    int historyMaximumRuns() const;
    void setHistoryMaximumRuns(int runs);
    int historyMaximumMiB() const;
    void setHistoryMaximumMiB(int mib);

    // Whether the first-run welcome snippet has been opened.
    bool welcomeShown() const;
    void setWelcomeShown(bool shown);

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);

    void sync();

Q_SIGNALS:
    void defaultLanguageChanged(const QString &language);
    void defaultTimeoutSecondsChanged(int seconds);
    void themeChanged(const QString &theme);
    void editorFontChanged();
    void editorAssistChanged();
    void currentProfileChanged(const QString &profile);
    void snippetFolderChanged(const QString &folder);
    void historyRetentionChanged();

private:
    QSettings *m_settings;
};

} // namespace agentbay::workspace
