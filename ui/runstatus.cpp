// SPDX-License-Identifier: GPL-3.0-or-later
#include "runstatus.h"

#include "workbench/document.h"

#include <QLabel>
#include <QStatusBar>

namespace agentbay::ui {

RunStatus::RunStatus(QStatusBar *bar)
    : QObject(bar), m_backend(new QLabel(bar)), m_session(new QLabel(bar)), m_timer(new QLabel(bar))
{
    m_backend->setObjectName(QStringLiteral("backendLabel"));
    m_session->setObjectName(QStringLiteral("sessionLabel"));
    m_session->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_timer->setObjectName(QStringLiteral("timerLabel"));
    bar->addWidget(m_backend);
    bar->addWidget(m_session, 1);
    bar->addPermanentWidget(m_timer);
}

RunStatus::~RunStatus() = default;

void RunStatus::setDocument(workbench::Document *document)
{
    if (m_document)
        m_document->disconnect(this);
    m_document = document;
    if (document)
        connect(document, &workbench::Document::statusChanged, this, &RunStatus::update);
    update();
}

void RunStatus::update()
{
    if (!m_document)
        return;
    m_backend->setText(m_document->backendText());
    m_session->setText(m_document->lastOutcome().isEmpty()
                               ? m_document->sessionText()
                               : tr("%1 · last run %2")
                                         .arg(m_document->sessionText(), m_document->lastOutcome()));
    m_timer->setText(m_document->timerText());
}

QString RunStatus::text() const
{
    return QStringList{m_backend->text(), m_session->text(), m_timer->text()}.join(
            QStringLiteral(" | "));
}

} // namespace agentbay::ui
