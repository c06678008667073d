// SPDX-License-Identifier: GPL-3.0-or-later
#include "errorpane.h"

#include <QFontDatabase>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QVBoxLayout>

namespace agentbay::ui {

ErrorPane::ErrorPane(QWidget *parent)
    : QWidget(parent), m_headline(new QLabel(this)), m_frames(new QListWidget(this)),
      m_traceback(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("errorPane"));
    m_headline->setObjectName(QStringLiteral("errorHeadline"));
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_headline->setWordWrap(true);
    m_frames->setObjectName(QStringLiteral("errorFrames"));
    m_frames->setToolTip(tr("Click a frame to go to its line in the editor"));
    m_traceback->setObjectName(QStringLiteral("errorTraceback"));
    m_traceback->setReadOnly(true);
    m_traceback->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_frames);
    splitter->addWidget(m_traceback);
    splitter->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_headline);
    layout->addWidget(splitter, 1);
    connect(m_frames, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        Q_EMIT lineActivated(item->data(Qt::UserRole).toInt());
    });
    connect(m_frames, &QListWidget::itemClicked, this, [this](QListWidgetItem *item) {
        Q_EMIT lineActivated(item->data(Qt::UserRole).toInt());
    });
    clear();
}

ErrorPane::~ErrorPane() = default;

void ErrorPane::showError(const protocol::ExecutionError &error, int run)
{
    m_headline->setText(QStringLiteral("<b>%1</b>: %2")
                                .arg(error.name.toHtmlEscaped(), error.value.toHtmlEscaped()));
    m_frames->clear();
    const auto frames = error.codeFrames(run);
    for (const protocol::CodeFrame &frame : frames) {
        QString label = frame.function.isEmpty()
                                ? tr("line %1").arg(frame.line)
                                : tr("line %1, in %2").arg(frame.line).arg(frame.function);
        if (frame.earlierRun)
            label = tr("%1 (code of run %2)").arg(label).arg(frame.run);
        auto *item = new QListWidgetItem(label, m_frames);
        // Code of an earlier run is not in the editor any more: listed, not a place to jump to.
        item->setData(Qt::UserRole, frame.earlierRun ? 0 : frame.line);
        if (frame.earlierRun)
            item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
        item->setToolTip(frame.text);
    }
    m_traceback->setPlainText(error.traceback.isEmpty()
                                      ? error.name + QLatin1String(": ") + error.value
                                      : error.traceback);
}

void ErrorPane::clear()
{
    m_headline->setText(tr("No error in the last run."));
    m_frames->clear();
    m_traceback->clear();
}

QString ErrorPane::headline() const
{
    return m_headline->text();
}

int ErrorPane::frameCount() const
{
    return m_frames->count();
}

QString ErrorPane::frameLabel(int row) const
{
    const QListWidgetItem *item = m_frames->item(row);
    return item ? item->text() : QString();
}

void ErrorPane::activateFrame(int row)
{
    QListWidgetItem *item = m_frames->item(row);
    if (item && item->data(Qt::UserRole).toInt() > 0)
        Q_EMIT lineActivated(item->data(Qt::UserRole).toInt());
}

} // namespace agentbay::ui
