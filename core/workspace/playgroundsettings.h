// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

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

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);

    void sync();

Q_SIGNALS:
    void defaultLanguageChanged(const QString &language);
    void defaultTimeoutSecondsChanged(int seconds);

private:
    QSettings *m_settings;
};

} // namespace agentbay::workspace
