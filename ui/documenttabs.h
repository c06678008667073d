// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTabWidget>

#include <array>

class QStackedWidget;

namespace agentbay::workbench {
class Document;
class Workbench;
} // namespace agentbay::workbench

namespace agentbay::ui {

class PlaygroundTab;

// The window's central tabs: one PlaygroundTab per open document, titled with its name, an
// asterisk while unsaved and a dot while running. Each tab's output, results, errors and
// session panes live in the docks' stacks, and the current tab's are the ones shown.
class DocumentTabs final : public QTabWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DocumentTabs)

public:
    enum Pane { Output, Results, Errors, Session, PaneCount };

    explicit DocumentTabs(QWidget *parent = nullptr);
    ~DocumentTabs() override;

    void setPaneStack(Pane pane, QStackedWidget *stack) { m_stacks.at(pane) = stack; }
    // How every editor looks, now and in tabs opened later.
    void setEditorTheme(bool dark);
    void setEditorFont(const QString &family, int pointSize);
    // The editor helper's settings, for every editor and those opened later.
    void setEditorAssist(bool autoComplete, bool lint);
    // A view of the document, appended and made current.
    PlaygroundTab *addDocument(workbench::Document *document);
    void removeDocument(const workbench::Document *document);

    // Shows the workbench's documents: closes, moves and activations go both ways, the current
    // tab is its current document, and editors hand over their cursors before it journals.
    void follow(workbench::Workbench *workbench);

    PlaygroundTab *tab(int index) const;
    PlaygroundTab *current() const;
    PlaygroundTab *tabOf(const workbench::Document *document) const;

Q_SIGNALS:
    void currentTabChanged(agentbay::ui::PlaygroundTab *tab);

private:
    void updateTitle(PlaygroundTab *tab);
    void showCurrent();

    std::array<QStackedWidget *, PaneCount> m_stacks{};
    bool m_dark = false;
    QString m_fontFamily;
    int m_fontSize = 0;
    bool m_autoComplete = true;
    bool m_lint = true;
};

} // namespace agentbay::ui
