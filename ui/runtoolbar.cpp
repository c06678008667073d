// SPDX-License-Identifier: GPL-3.0-or-later
#include "runtoolbar.h"

#include "client/backend.h"
#include "client/profiles.h"
#include "client/runcontroller.h"
#include "protocol/language.h"
#include "workbench/document.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QSpinBox>

namespace agentbay::ui {

namespace Rules = protocol::RunCodeRules;

RunToolBar::RunToolBar(int defaultTimeoutSeconds, QWidget *parent)
    : QToolBar(tr("Run"), parent), m_profile(new QComboBox(this)), m_language(new QComboBox(this)),
      m_timeout(new QSpinBox(this))
{
    setObjectName(QStringLiteral("runToolBar"));
    m_profile->setObjectName(QStringLiteral("profileBox"));
    for (const client::Profile &profile : client::Profiles::all())
        m_profile->addItem(profile.name, profile.id);
    m_profile->setToolTip(tr("Where code runs: the local sandbox on this machine, or an AgentBay "
                             "gateway (needs an API key)"));
    connect(m_profile, &QComboBox::activated, this,
            [this] { Q_EMIT profileChosen(m_profile->currentData().toString()); });
    m_language->setObjectName(QStringLiteral("languageBox"));
    connect(m_language, &QComboBox::activated, this, [this] {
        if (m_document)
            m_document->setLanguage(m_language->currentData().toString());
    });
    m_timeout->setObjectName(QStringLiteral("timeoutBox"));
    m_timeout->setRange(Rules::MinTimeoutSeconds, Rules::MaxTimeoutSeconds);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setValue(defaultTimeoutSeconds);
    m_timeout->setToolTip(tr("How long a run may take, 1 to 60 seconds. AgentBay's gateway ends "
                             "every request after 60 seconds, so no run can take longer."));
    connect(m_timeout, &QSpinBox::valueChanged, this, [this](int seconds) {
        if (m_document)
            m_document->setTimeoutSeconds(seconds);
    });
    const QList<QPair<QString, QWidget *>> fields{{tr(" Profile "), m_profile},
                                                  {tr(" Language "), m_language},
                                                  {tr(" Timeout "), m_timeout}};
    for (const auto &[label, field] : fields) {
        addWidget(new QLabel(label, this));
        addWidget(field);
    }
    addSeparator();
}

RunToolBar::~RunToolBar() = default;

void RunToolBar::setDocument(workbench::Document *document)
{
    if (m_document)
        m_document->disconnect(this);
    m_document = document;
    if (document) {
        connect(document, &workbench::Document::languageChanged, this, &RunToolBar::showLanguages);
        connect(document, &workbench::Document::timeoutChanged, this, [this](int seconds) {
            const QSignalBlocker blocker(m_timeout);
            m_timeout->setValue(seconds);
        });
        connect(document, &workbench::Document::controllerChanged, this, &RunToolBar::refresh);
        connect(document, &workbench::Document::statusChanged, this, &RunToolBar::updateState);
        connect(document, &workbench::Document::runningChanged, this, &RunToolBar::updateState);
    }
    refresh();
    updateState();
}

void RunToolBar::refresh()
{
    if (!m_document)
        return;
    m_profile->setCurrentIndex(qMax(0, m_profile->findData(m_document->profileId())));
    // The local sandbox says which languages it runs once it is up.
    if (const client::RunController *controller = m_document->controller();
        controller && controller->backend()) {
        connect(controller->backend(), &client::Backend::ready, this, &RunToolBar::showLanguages,
                Qt::UniqueConnection);
    }
    showLanguages();
    const QSignalBlocker blocker(m_timeout);
    m_timeout->setValue(m_document->timeoutSeconds());
}

void RunToolBar::setRunActions(QAction *run, QAction *runCell, QAction *stop, QAction *pause,
                               QAction *resume)
{
    m_actions = {run, runCell, stop, pause, resume};
    for (QAction *action : {run, runCell, stop})
        addAction(action);
    updateState();
}

void RunToolBar::setQuitting(bool quitting)
{
    m_quitting = quitting;
    updateState();
}

void RunToolBar::updateState()
{
    if (m_actions.size() != 5 || !m_document)
        return;
    using State = client::Session::State;
    const bool running = m_document->isRunning();
    const bool idle = !running && !m_quitting;
    const State state = m_document->sessionState();
    const QList<bool> enabled{idle, idle, running, idle && state == State::Ready,
                              !m_quitting && state == State::Paused};
    for (qsizetype i = 0; i < m_actions.size(); ++i) {
        if (m_actions.at(i))
            m_actions.at(i)->setEnabled(enabled.at(i));
    }
    m_profile->setEnabled(idle);
}

void RunToolBar::showLanguages()
{
    const QSignalBlocker blocker(m_language);
    m_language->clear();
    // Every language on a cloud profile; on the local sandbox, those it has kernels for here
    // (R when Debian's R is installed), once it has said which.
    const bool cloud = m_document && !client::Profiles::byId(m_document->profileId()).isLocal;
    const client::RunController *controller = m_document ? m_document->controller() : nullptr;
    const QStringList local = controller && controller->backend()
                                      ? controller->backend()->languages()
                                      : QStringList();
    for (const protocol::LanguageInfo &language : protocol::Languages::all()) {
        const bool offered = cloud
                             || (local.isEmpty() ? language.runsLocally()
                                                 : local.contains(language.name));
        if (offered)
            m_language->addItem(language.displayName, language.name);
    }
    if (!m_document)
        return;
    const int index = m_language->findData(m_document->language());
    if (index < 0) {
        m_document->setLanguage(protocol::Languages::name(protocol::Language::Python));
        return; // languageChanged() shows the list again
    }
    m_language->setCurrentIndex(index);
}

} // namespace agentbay::ui
