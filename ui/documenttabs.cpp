// SPDX-License-Identifier: GPL-3.0-or-later
#include "documenttabs.h"

#include "codeeditor.h"
#include "errorpane.h"
#include "outputpane.h"
#include "playgroundtab.h"
#include "resultspane.h"
#include "sessionpane.h"

#include "workbench/document.h"
#include "workbench/workbench.h"

#include <QStackedWidget>
#include <QTabBar>

namespace agentbay::ui {

using workbench::Document;

DocumentTabs::DocumentTabs(QWidget *parent) : QTabWidget(parent)
{
    setObjectName(QStringLiteral("snippetTabs"));
    setDocumentMode(true);
    setTabsClosable(true);
    setMovable(true);
    connect(this, &QTabWidget::currentChanged, this, &DocumentTabs::showCurrent);
}

DocumentTabs::~DocumentTabs() = default;

void DocumentTabs::follow(workbench::Workbench *workbench)
{
    using workbench::Workbench;
    connect(this, &DocumentTabs::currentTabChanged, workbench, [workbench](PlaygroundTab *current) {
        workbench->setCurrentDocument(current->document());
    });
    connect(this, &QTabWidget::tabCloseRequested, workbench, [this, workbench](int index) {
        if (PlaygroundTab *closing = tab(index))
            workbench->closeDocument(closing->document());
    });
    connect(tabBar(), &QTabBar::tabMoved, workbench, &Workbench::moveDocument);
    connect(workbench, &Workbench::documentClosing, this, &DocumentTabs::removeDocument);
    connect(workbench, &Workbench::documentActivated, this,
            [this](Document *document) { setCurrentWidget(tabOf(document)); });
    connect(workbench, &Workbench::aboutToJournal, this, [this] {
        for (int i = 0; i < count(); ++i)
            tab(i)->syncCursor();
    });
}

PlaygroundTab *DocumentTabs::addDocument(Document *document)
{
    auto *tab = new PlaygroundTab(document, this);
    tab->editor()->applyTheme(m_dark);
    tab->editor()->setEditorFont(m_fontFamily, m_fontSize);
    tab->editor()->setAutoCompletion(m_autoComplete);
    tab->editor()->setLintEnabled(m_lint);
    const std::array<QWidget *, PaneCount> panes{tab->outputPane(), tab->resultsPane(),
                                                 tab->errorPane(), tab->sessionPane()};
    for (int pane = 0; pane < PaneCount; ++pane)
        m_stacks.at(pane)->addWidget(panes.at(pane));
    for (const auto signal : {&Document::runningChanged, &Document::dirtyChanged})
        connect(document, signal, this, [this, tab] { updateTitle(tab); });
    connect(document, &Document::titleChanged, this, [this, tab] { updateTitle(tab); });
    const int index = addTab(tab, document->title());
    updateTitle(tab);
    setCurrentIndex(index);
    showCurrent();
    tab->editor()->setFocus();
    return tab;
}

void DocumentTabs::setEditorTheme(bool dark)
{
    m_dark = dark;
    for (int i = 0; i < count(); ++i)
        tab(i)->editor()->applyTheme(dark);
}

void DocumentTabs::setEditorFont(const QString &family, int pointSize)
{
    m_fontFamily = family;
    m_fontSize = pointSize;
    for (int i = 0; i < count(); ++i)
        tab(i)->editor()->setEditorFont(family, pointSize);
}

void DocumentTabs::setEditorAssist(bool autoComplete, bool lint)
{
    m_autoComplete = autoComplete;
    m_lint = lint;
    for (int i = 0; i < count(); ++i) {
        tab(i)->editor()->setAutoCompletion(autoComplete);
        tab(i)->editor()->setLintEnabled(lint);
    }
}

void DocumentTabs::removeDocument(const Document *document)
{
    if (PlaygroundTab *closing = tabOf(document)) {
        removeTab(indexOf(closing));
        closing->deleteLater();
    }
}

void DocumentTabs::updateTitle(PlaygroundTab *tab)
{
    const int index = indexOf(tab);
    if (index < 0)
        return;
    QString text = tab->title();
    if (tab->isDirty())
        text += QLatin1Char('*');
    if (tab->isRunning())
        text += QStringLiteral(" ●");
    setTabText(index, text);
    setTabToolTip(index, tab->snippetFile().isEmpty()
                                 ? tr("Not saved in the library yet (Ctrl+S saves it)")
                                 : tab->snippetFile());
}

void DocumentTabs::showCurrent()
{
    PlaygroundTab *tab = current();
    if (!tab)
        return;
    const std::array<QWidget *, PaneCount> panes{tab->outputPane(), tab->resultsPane(),
                                                 tab->errorPane(), tab->sessionPane()};
    for (int pane = 0; pane < PaneCount; ++pane)
        m_stacks.at(pane)->setCurrentWidget(panes.at(pane));
    Q_EMIT currentTabChanged(tab);
}

PlaygroundTab *DocumentTabs::tab(int index) const
{
    return qobject_cast<PlaygroundTab *>(widget(index));
}

PlaygroundTab *DocumentTabs::current() const
{
    return qobject_cast<PlaygroundTab *>(currentWidget());
}

PlaygroundTab *DocumentTabs::tabOf(const Document *document) const
{
    for (int i = 0; document && i < count(); ++i) {
        if (tab(i)->document() == document)
            return tab(i);
    }
    return nullptr;
}

} // namespace agentbay::ui
