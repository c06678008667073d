// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTreeView;

namespace agentbay::workspace {
class SnippetLibrary;
}

namespace agentbay::workbench {
class SnippetListModel;
}

namespace agentbay::ui {

// The snippet library: search over title, tags and content; new, open, rename, duplicate,
// delete (undoable: the file goes to the library's trash), import and export.
class SnippetsPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SnippetsPane)

public:
    explicit SnippetsPane(workspace::SnippetLibrary *library, QWidget *parent = nullptr);
    ~SnippetsPane() override;

    QLineEdit *searchField() const { return m_search; }
    // File names shown, in order.
    QStringList shownFiles() const;
    QString selectedFile() const;
    QSize sizeHint() const override { return {300, 400}; }
    void select(const QString &fileName);

    // The actions, as the buttons run them (the dialogs they need open window-modal).
    void renameSelected(const QString &title);
    void duplicateSelected();
    void deleteSelected();
    bool undoDelete();
    void importFiles(const QStringList &paths);
    void exportSelected(const QString &directory);

Q_SIGNALS:
    void openRequested(const QString &fileName);
    void newRequested();
    void renamed(const QString &from, const QString &to);
    void message(const QString &text);

private:
    void refresh();

    workspace::SnippetLibrary *m_library;
    QLineEdit *m_search;
    QTreeView *m_list;
    workbench::SnippetListModel *m_model;
    QString m_keep; // the selection across a model reset
    QPushButton *m_undo;
    QLabel *m_count;
    QStringList m_trashEntries; // newest last, for undo
};

} // namespace agentbay::ui
