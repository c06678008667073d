// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QHash>
#include <QProcessEnvironment>

#include <memory>

namespace Ui {
class SettingsDialog;
}
namespace agentbay::workspace {
class PlaygroundSettings;
class SecretStore;
} // namespace agentbay::workspace

namespace agentbay::ui {

// Profiles (endpoint, region, API key in the system keychain, with an explicit in-memory
// fallback when there is none), default language and timeout, editor font and theme, autosave.
// Values the AGENTBAY_* environment sets are shown as such and cannot be edited here.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    SettingsDialog(workspace::PlaygroundSettings *settings, workspace::SecretStore *secrets,
                   const QProcessEnvironment &environment, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    void selectProfile(const QString &profileId);
    Ui::SettingsDialog *form() const { return m_ui.get(); }

    void accept() override;

Q_SIGNALS:
    // A key was stored (or kept in memory) or removed for these profiles.
    void apiKeysChanged(const QStringList &profiles);

private:
    struct ProfileEdits
    {
        QString endpoint;
        QString region;
        QString apiKey; // typed in this dialog; empty: unchanged
        bool clearKey = false;
    };

    void loadProfile(const QString &profileId);
    void storeProfileEdits();
    void showKeychainState();
    void finishAccept();

    std::unique_ptr<Ui::SettingsDialog> m_ui;
    workspace::PlaygroundSettings *m_settings;
    workspace::SecretStore *m_secrets;
    QProcessEnvironment m_environment;
    QHash<QString, ProfileEdits> m_edits;
    QHash<QString, bool> m_hasStoredKey;
    QString m_shownProfile;
    int m_pendingWrites = 0;
    QStringList m_changedKeys;
    QStringList m_writeErrors;
};

} // namespace agentbay::ui
