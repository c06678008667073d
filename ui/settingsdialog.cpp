// SPDX-License-Identifier: GPL-3.0-or-later
#include "settingsdialog.h"

#include "ui_settingsdialog.h"

#include "client/profiles.h"
#include "workspace/playgroundsettings.h"
#include "workspace/secretstore.h"
#include "workspace/snippetlibrary.h"

#include "protocol/language.h"

#include <QDir>
#include <QFontDatabase>
#include <QPushButton>

namespace agentbay::ui {

using client::ConfigSource;
using workspace::SecretStore;

namespace {
bool fromEnvironment(ConfigSource source)
{
    return source == ConfigSource::Environment || source == ConfigSource::DotEnv;
}
} // namespace

SettingsDialog::SettingsDialog(workspace::PlaygroundSettings *settings, SecretStore *secrets,
                               const QProcessEnvironment &environment, QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::SettingsDialog>()), m_settings(settings),
      m_secrets(secrets), m_environment(environment)
{
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("settingsDialog"));
    for (const client::Profile &profile : client::Profiles::all()) {
        if (profile.isLocal)
            continue;
        m_ui->profileBox->addItem(profile.name, profile.id);
        m_edits.insert(profile.id, {settings->profileEndpoint(profile.id),
                                    settings->profileRegion(profile.id), QString(), false});
    }
    m_ui->memoryFallbackCheck->hide();
    for (const protocol::LanguageInfo &language : protocol::Languages::all()) {
        if (language.runsLocally()) // new tabs must run offline too
            m_ui->languageBox->addItem(language.displayName, language.name);
    }
    m_ui->languageBox->setCurrentIndex(
            qMax(0, m_ui->languageBox->findData(settings->defaultLanguage())));
    m_ui->timeoutSpin->setValue(settings->defaultTimeoutSeconds());
    m_ui->timeoutSpin->setToolTip(tr("1 to 60 seconds: AgentBay's gateway ends every request "
                                     "after 60 seconds."));
    m_ui->fontBox->setCurrentFont(settings->editorFontFamily().isEmpty()
                                          ? QFontDatabase::systemFont(QFontDatabase::FixedFont)
                                          : QFont(settings->editorFontFamily()));
    m_ui->fontSizeSpin->setValue(settings->editorFontSize() > 0 ? settings->editorFontSize()
                                                                : font().pointSize());
    m_ui->themeBox->addItem(tr("Follow the system"), QStringLiteral("system"));
    m_ui->themeBox->addItem(tr("Light"), QStringLiteral("light"));
    m_ui->themeBox->addItem(tr("Dark"), QStringLiteral("dark"));
    m_ui->themeBox->setCurrentIndex(qMax(0, m_ui->themeBox->findData(settings->theme())));
    m_ui->autoCompleteCheck->setChecked(settings->autoComplete());
    m_ui->autoCompleteCheck->setToolTip(tr("Ctrl+Space always asks for completions"));
    m_ui->lintCheck->setChecked(settings->lintWhileTyping());
    m_ui->lintCheck->setToolTip(tr("Syntax errors, and with python3-pyflakes undefined names and "
                                   "unused imports"));
    m_ui->autosaveSpin->setValue(settings->autosaveIntervalSeconds());
    m_ui->autosaveSpin->setToolTip(tr("How soon after a change every open tab is written to the "
                                      "recovery area"));
    m_ui->snippetFolderEdit->setText(settings->snippetFolder());
    m_ui->historyRunsSpin->setValue(settings->historyMaximumRuns());
    m_ui->historySizeSpin->setValue(settings->historyMaximumMiB());
    m_ui->snippetFolderEdit->setPlaceholderText(
            tr("the default: %1").arg(workspace::SnippetLibrary::defaultFolder()));

    connect(m_ui->profileBox, &QComboBox::currentIndexChanged, this, [this] {
        storeProfileEdits();
        loadProfile(m_ui->profileBox->currentData().toString());
    });
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_secrets, &SecretStore::readFinished, this,
            [this](const QString &key, const QString &secret, SecretStore::Status status) {
                for (auto it = m_edits.cbegin(); it != m_edits.cend(); ++it) {
                    if (SecretStore::keyForProfile(it.key()) == key)
                        m_hasStoredKey.insert(it.key(), status == SecretStore::Status::Ok
                                                                && !secret.isEmpty());
                }
                showKeychainState();
            });
    for (auto it = m_edits.cbegin(); it != m_edits.cend(); ++it)
        m_secrets->read(SecretStore::keyForProfile(it.key()));
    loadProfile(m_ui->profileBox->currentData().toString());
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::selectProfile(const QString &profileId)
{
    const int index = m_ui->profileBox->findData(profileId);
    if (index >= 0)
        m_ui->profileBox->setCurrentIndex(index);
}

void SettingsDialog::storeProfileEdits()
{
    if (m_shownProfile.isEmpty())
        return;
    ProfileEdits &edits = m_edits[m_shownProfile];
    if (m_ui->endpointEdit->isEnabled())
        edits.endpoint = m_ui->endpointEdit->text().trimmed();
    if (m_ui->regionEdit->isEnabled())
        edits.region = m_ui->regionEdit->text().trimmed();
    if (m_ui->apiKeyEdit->isEnabled())
        edits.apiKey = m_ui->apiKeyEdit->text().trimmed();
}

void SettingsDialog::loadProfile(const QString &profileId)
{
    m_shownProfile = profileId;
    const client::Profile profile = client::Profiles::byId(profileId);
    const ProfileEdits edits = m_edits.value(profileId);
    const client::ProfileConfig config = client::Profiles::resolve(profileId, edits.endpoint,
                                                                   edits.region, QString(),
                                                                   m_environment,
                                                                   QDir::currentPath());
    const auto &resolved = config.resolved;

    const bool custom = profileId == QLatin1String("custom");
    const bool endpointFromEnv = custom
                                 && fromEnvironment(resolved.sourceOf(QStringLiteral("endpoint")));
    m_ui->endpointEdit->setEnabled(custom && !endpointFromEnv);
    m_ui->endpointEdit->setText(custom && !endpointFromEnv ? edits.endpoint
                                                           : resolved.config.endpoint.host());
    m_ui->endpointEdit->setToolTip(endpointFromEnv ? tr("Set by AGENTBAY_ENDPOINT")
                                   : custom        ? QString()
                                                   : tr("The gateway of this profile"));

    const bool regionFromEnv = fromEnvironment(resolved.sourceOf(QStringLiteral("regionId")));
    m_ui->regionEdit->setEnabled(!regionFromEnv);
    m_ui->regionEdit->setText(regionFromEnv ? resolved.config.regionId : edits.region);
    m_ui->regionEdit->setToolTip(regionFromEnv ? tr("Set by AGENTBAY_REGION_ID") : QString());

    const bool keyFromEnv = fromEnvironment(resolved.sourceOf(QStringLiteral("apiKey")));
    m_ui->apiKeyEdit->setEnabled(!keyFromEnv);
    m_ui->apiKeyEdit->setText(keyFromEnv ? QString() : edits.apiKey);
    m_ui->apiKeyEdit->setPlaceholderText(keyFromEnv ? tr("from the environment (AGENTBAY_API_KEY)")
                                                    : tr("akm-… (stored in the system keychain)"));

    QStringList notes;
    if (endpointFromEnv)
        notes << tr("The endpoint comes from the environment (AGENTBAY_ENDPOINT).");
    if (regionFromEnv)
        notes << tr("The region comes from the environment (AGENTBAY_REGION_ID).");
    if (keyFromEnv)
        notes << tr("The API key comes from the environment (AGENTBAY_API_KEY%1).")
                         .arg(resolved.sourceOf(QStringLiteral("apiKey")) == ConfigSource::DotEnv
                                      ? tr(" in %1").arg(resolved.dotEnvPath)
                                      : QString());
    notes << tr("Get a key in the <a href=\"%1\">AgentBay console</a>. Keys are kept in the "
                "system keychain, never in the settings file.")
                     .arg(client::Profiles::consoleUrl());
    m_ui->profileNote->setText(notes.join(QStringLiteral("<br>")));
    Q_UNUSED(profile);
    showKeychainState();
}

void SettingsDialog::showKeychainState()
{
    QString text;
    if (!m_secrets->keychainAvailable()) {
        text = tr("No system keychain is available (%1). A key typed here can only be kept in "
                  "memory until you quit: tick the box below to allow that, or set "
                  "AGENTBAY_API_KEY.")
                       .arg(m_secrets->keychainProblem());
        m_ui->memoryFallbackCheck->show();
    } else if (m_secrets->isInMemory(SecretStore::keyForProfile(m_shownProfile))) {
        text = tr("A key is kept in memory for this profile until you quit.");
    } else if (m_hasStoredKey.value(m_shownProfile)) {
        text = tr("A key is stored in the system keychain. Type a new one to replace it.");
    } else {
        text = tr("No key is stored for this profile.");
    }
    m_ui->keyStatusLabel->setText(text);
}

void SettingsDialog::accept()
{
    storeProfileEdits();
    m_settings->setDefaultLanguage(m_ui->languageBox->currentData().toString());
    m_settings->setDefaultTimeoutSeconds(m_ui->timeoutSpin->value());
    m_settings->setEditorFontFamily(m_ui->fontBox->currentFont().family());
    m_settings->setEditorFontSize(m_ui->fontSizeSpin->value());
    m_settings->setTheme(m_ui->themeBox->currentData().toString());
    m_settings->setAutosaveIntervalSeconds(m_ui->autosaveSpin->value());
    m_settings->setAutoComplete(m_ui->autoCompleteCheck->isChecked());
    m_settings->setLintWhileTyping(m_ui->lintCheck->isChecked());
    m_settings->setSnippetFolder(m_ui->snippetFolderEdit->text());
    m_settings->setHistoryMaximumRuns(m_ui->historyRunsSpin->value());
    m_settings->setHistoryMaximumMiB(m_ui->historySizeSpin->value());
    m_writeErrors.clear();
    m_changedKeys.clear();
    m_pendingWrites = 0;
    for (auto it = m_edits.cbegin(); it != m_edits.cend(); ++it) {
        m_settings->setProfileEndpoint(it.key(), it.value().endpoint);
        m_settings->setProfileRegion(it.key(), it.value().region);
    }
    m_settings->sync();

    const bool memoryOnly = !m_secrets->keychainAvailable()
                            && m_ui->memoryFallbackCheck->isChecked();
    for (auto it = m_edits.cbegin(); it != m_edits.cend(); ++it) {
        if (it.value().apiKey.isEmpty())
            continue;
        const QString key = SecretStore::keyForProfile(it.key());
        if (memoryOnly) {
            m_secrets->keepInMemory(key, it.value().apiKey);
            m_changedKeys.append(it.key());
            continue;
        }
        ++m_pendingWrites;
        const QString profile = it.key();
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = connect(m_secrets, &SecretStore::writeFinished, this,
                              [this, key, profile, connection](const QString &written,
                                                               SecretStore::Status status,
                                                               const QString &error) {
                                  if (written != key)
                                      return;
                                  disconnect(*connection);
                                  if (status == SecretStore::Status::Ok)
                                      m_changedKeys.append(profile);
                                  else
                                      m_writeErrors.append(error.isEmpty() ? tr("unknown error")
                                                                           : error);
                                  if (--m_pendingWrites == 0)
                                      finishAccept();
                              });
        m_secrets->write(key, it.value().apiKey);
    }
    if (m_pendingWrites == 0)
        finishAccept();
    else
        m_ui->buttonBox->setEnabled(false);
}

void SettingsDialog::finishAccept()
{
    m_ui->buttonBox->setEnabled(true);
    if (!m_changedKeys.isEmpty())
        Q_EMIT apiKeysChanged(m_changedKeys);
    if (!m_writeErrors.isEmpty()) {
        // Nothing typed is lost: the dialog stays open with the key in its field.
        m_ui->pages->setCurrentWidget(m_ui->profilesPage);
        showKeychainState();
        m_ui->keyStatusLabel->setText(tr("The key could not be stored: %1. %2")
                                              .arg(m_writeErrors.join(QStringLiteral("; ")),
                                                   m_ui->keyStatusLabel->text()));
        return;
    }
    QDialog::accept();
}

} // namespace agentbay::ui
