// SPDX-License-Identifier: GPL-3.0-or-later
#include "playgroundsettings.h"

#include "settingskeys.h"

#include "protocol/language.h"

#include <QSettings>
#include <QStandardPaths>

namespace agentbay::workspace {

namespace Rules = protocol::RunCodeRules;

namespace {
QString defaultSettingsPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)
           + QStringLiteral("/settings.ini");
}
} // namespace

PlaygroundSettings::PlaygroundSettings(const QString &filePath, QObject *parent)
    : QObject(parent),
      m_settings(new QSettings(filePath.isEmpty() ? defaultSettingsPath() : filePath,
                               QSettings::IniFormat, this))
{}

PlaygroundSettings::~PlaygroundSettings() = default;

QString PlaygroundSettings::fileName() const
{
    return m_settings->fileName();
}

QString PlaygroundSettings::defaultLanguage() const
{
    const QString stored = m_settings->value(QLatin1String(SettingsKeys::DefaultLanguage)).toString();
    // A language the local sandbox runs, so a new tab works offline.
    const auto language = protocol::Languages::fromName(stored);
    if (language && protocol::Languages::info(*language).runsLocally())
        return protocol::Languages::name(*language);
    return protocol::Languages::name(protocol::Language::Python);
}

void PlaygroundSettings::setDefaultLanguage(const QString &language)
{
    const auto canonical = Rules::normalizeLanguage(language);
    if (!canonical || *canonical == defaultLanguage())
        return;
    m_settings->setValue(QLatin1String(SettingsKeys::DefaultLanguage), *canonical);
    Q_EMIT defaultLanguageChanged(*canonical);
}

int PlaygroundSettings::defaultTimeoutSeconds() const
{
    bool ok = false;
    const int stored = m_settings->value(QLatin1String(SettingsKeys::DefaultTimeout)).toInt(&ok);
    if (!ok || !Rules::timeoutProblem(stored).isEmpty())
        return 30;
    return stored;
}

void PlaygroundSettings::setDefaultTimeoutSeconds(int seconds)
{
    const int clamped = std::clamp(seconds, Rules::MinTimeoutSeconds, Rules::MaxTimeoutSeconds);
    if (clamped == defaultTimeoutSeconds())
        return;
    m_settings->setValue(QLatin1String(SettingsKeys::DefaultTimeout), clamped);
    Q_EMIT defaultTimeoutSecondsChanged(clamped);
}

QByteArray PlaygroundSettings::windowGeometry() const
{
    return m_settings->value(QLatin1String(SettingsKeys::WindowGeometry)).toByteArray();
}

void PlaygroundSettings::setWindowGeometry(const QByteArray &geometry)
{
    m_settings->setValue(QLatin1String(SettingsKeys::WindowGeometry), geometry);
}

QByteArray PlaygroundSettings::windowState() const
{
    return m_settings->value(QLatin1String(SettingsKeys::WindowState)).toByteArray();
}

void PlaygroundSettings::setWindowState(const QByteArray &state)
{
    m_settings->setValue(QLatin1String(SettingsKeys::WindowState), state);
}

QString PlaygroundSettings::theme() const
{
    const QString stored = m_settings->value(QLatin1String(SettingsKeys::Theme)).toString();
    if (stored == QLatin1String("light") || stored == QLatin1String("dark"))
        return stored;
    return QStringLiteral("system");
}

void PlaygroundSettings::setTheme(const QString &theme)
{
    const QString valid = theme == QLatin1String("light") || theme == QLatin1String("dark")
                                  ? theme
                                  : QStringLiteral("system");
    if (valid == this->theme())
        return;
    m_settings->setValue(QLatin1String(SettingsKeys::Theme), valid);
    Q_EMIT themeChanged(valid);
}

QString PlaygroundSettings::editorFontFamily() const
{
    return m_settings->value(QLatin1String(SettingsKeys::EditorFontFamily)).toString().trimmed();
}

void PlaygroundSettings::setEditorFontFamily(const QString &family)
{
    if (family.trimmed() == editorFontFamily())
        return;
    m_settings->setValue(QLatin1String(SettingsKeys::EditorFontFamily), family.trimmed());
    Q_EMIT editorFontChanged();
}

int PlaygroundSettings::editorFontSize() const
{
    const int stored = m_settings->value(QLatin1String(SettingsKeys::EditorFontSize)).toInt();
    return stored >= 6 && stored <= 48 ? stored : 0;
}

void PlaygroundSettings::setEditorFontSize(int points)
{
    const int valid = points >= 6 && points <= 48 ? points : 0;
    if (valid == editorFontSize())
        return;
    m_settings->setValue(QLatin1String(SettingsKeys::EditorFontSize), valid);
    Q_EMIT editorFontChanged();
}

bool PlaygroundSettings::autoComplete() const
{
    return m_settings->value(QLatin1String(SettingsKeys::EditorAutoComplete), true).toBool();
}

void PlaygroundSettings::setAutoComplete(bool automatic)
{
    if (automatic == autoComplete())
        return;
    m_settings->setValue(QLatin1String(SettingsKeys::EditorAutoComplete), automatic);
    Q_EMIT editorAssistChanged();
}

bool PlaygroundSettings::lintWhileTyping() const
{
    return m_settings->value(QLatin1String(SettingsKeys::EditorLint), true).toBool();
}

void PlaygroundSettings::setLintWhileTyping(bool lint)
{
    if (lint == lintWhileTyping())
        return;
    m_settings->setValue(QLatin1String(SettingsKeys::EditorLint), lint);
    Q_EMIT editorAssistChanged();
}

int PlaygroundSettings::autosaveIntervalSeconds() const
{
    bool ok = false;
    const int stored = m_settings->value(QLatin1String(SettingsKeys::AutosaveInterval)).toInt(&ok);
    return ok && stored >= 1 && stored <= 60 ? stored : 2;
}

void PlaygroundSettings::setAutosaveIntervalSeconds(int seconds)
{
    m_settings->setValue(QLatin1String(SettingsKeys::AutosaveInterval), std::clamp(seconds, 1, 60));
}

QStringList PlaygroundSettings::profileIds()
{
    return {QStringLiteral("local"), QStringLiteral("shanghai"), QStringLiteral("singapore"),
            QStringLiteral("custom")};
}

QString PlaygroundSettings::currentProfile() const
{
    const QString stored = m_settings->value(QLatin1String(SettingsKeys::CurrentProfile)).toString();
    return profileIds().contains(stored) ? stored : QStringLiteral("local");
}

void PlaygroundSettings::setCurrentProfile(const QString &profile)
{
    if (!profileIds().contains(profile) || profile == currentProfile())
        return;
    m_settings->setValue(QLatin1String(SettingsKeys::CurrentProfile), profile);
    Q_EMIT currentProfileChanged(profile);
}

namespace {
QString profileKey(const QString &profile, const char *field)
{
    return QLatin1String(SettingsKeys::ProfileGroup) + QLatin1Char('/') + profile + QLatin1Char('/')
           + QLatin1String(field);
}
} // namespace

QString PlaygroundSettings::profileEndpoint(const QString &profile) const
{
    return m_settings->value(profileKey(profile, "endpoint")).toString().trimmed();
}

void PlaygroundSettings::setProfileEndpoint(const QString &profile, const QString &endpoint)
{
    if (profileIds().contains(profile))
        m_settings->setValue(profileKey(profile, "endpoint"), endpoint.trimmed());
}

QString PlaygroundSettings::profileRegion(const QString &profile) const
{
    return m_settings->value(profileKey(profile, "region")).toString().trimmed();
}

void PlaygroundSettings::setProfileRegion(const QString &profile, const QString &region)
{
    if (profileIds().contains(profile))
        m_settings->setValue(profileKey(profile, "region"), region.trimmed());
}

QString PlaygroundSettings::snippetFolder() const
{
    return m_settings->value(QLatin1String(SettingsKeys::SnippetFolder)).toString().trimmed();
}

void PlaygroundSettings::setSnippetFolder(const QString &folder)
{
    if (folder.trimmed() == snippetFolder())
        return;
    m_settings->setValue(QLatin1String(SettingsKeys::SnippetFolder), folder.trimmed());
    Q_EMIT snippetFolderChanged(folder.trimmed());
}

int PlaygroundSettings::historyMaximumRuns() const
{
    bool ok = false;
    const int stored = m_settings->value(QLatin1String(SettingsKeys::HistoryMaximumRuns)).toInt(&ok);
    return ok && stored >= 10 && stored <= 100000 ? stored : 2000;
}

void PlaygroundSettings::setHistoryMaximumRuns(int runs)
{
    const int valid = std::clamp(runs, 10, 100000);
    if (valid == historyMaximumRuns())
        return;
    m_settings->setValue(QLatin1String(SettingsKeys::HistoryMaximumRuns), valid);
    Q_EMIT historyRetentionChanged();
}

int PlaygroundSettings::historyMaximumMiB() const
{
    bool ok = false;
    const int stored = m_settings->value(QLatin1String(SettingsKeys::HistoryMaximumMiB)).toInt(&ok);
    return ok && stored >= 16 && stored <= 102400 ? stored : 512;
}

void PlaygroundSettings::setHistoryMaximumMiB(int mib)
{
    const int valid = std::clamp(mib, 16, 102400);
    if (valid == historyMaximumMiB())
        return;
    m_settings->setValue(QLatin1String(SettingsKeys::HistoryMaximumMiB), valid);
    Q_EMIT historyRetentionChanged();
}

bool PlaygroundSettings::welcomeShown() const
{
    return m_settings->value(QLatin1String(SettingsKeys::WelcomeShown)).toBool();
}

void PlaygroundSettings::setWelcomeShown(bool shown)
{
    m_settings->setValue(QLatin1String(SettingsKeys::WelcomeShown), shown);
}

void PlaygroundSettings::sync()
{
    m_settings->sync();
}

} // namespace agentbay::workspace
