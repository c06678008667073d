// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QToolButton;

namespace agentbay::ui {

class CodeEditor;

// Find (Ctrl+F) and replace (Ctrl+H) under the editor: case, whole word and regular expression
// options, next/previous, replace and replace all (one undo step). Esc closes it.
class FindBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FindBar)

public:
    explicit FindBar(CodeEditor *editor, QWidget *parent = nullptr);
    ~FindBar() override;

    void showFind();
    void showReplace();
    // Each returns whether a match was found (and selected).
    bool findNext();
    bool findPrevious();
    bool replaceCurrent();
    int replaceAll();

    QLineEdit *findField() const { return m_find; }
    QLineEdit *replaceField() const { return m_replace; }
    QString status() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    bool find(bool forward, bool fromSelectionStart);
    void setReplaceVisible(bool visible);

    CodeEditor *m_editor;
    QLineEdit *m_find;
    QLineEdit *m_replace;
    QCheckBox *m_case;
    QCheckBox *m_word;
    QCheckBox *m_regex;
    QWidget *m_replaceRow;
    QLabel *m_status;
};

} // namespace agentbay::ui
