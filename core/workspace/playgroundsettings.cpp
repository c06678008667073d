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
    const auto canonical = Rules::normalizeLanguage(stored);
    if (canonical == QLatin1String("python") || canonical == QLatin1String("javascript"))
        return *canonical;
    return QStringLiteral("python");
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

void PlaygroundSettings::sync()
{
    m_settings->sync();
}

} // namespace agentbay::workspace
