// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace agentbay::ui {

// A run's complete output, read-only, with search (Enter: next match) and Save.
class FullTextDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FullTextDialog)

public:
    FullTextDialog(const QString &title, const QString &text, QWidget *parent = nullptr);
    ~FullTextDialog() override;

    bool findNext(const QString &pattern);
    QString text() const;

    // Writes atomically (QSaveFile); false with *error when it cannot.
    static bool saveText(const QString &path, const QString &text, QString *error);

private:
    QPlainTextEdit *m_view;
    QLineEdit *m_search;
    QLabel *m_status;
    QString m_text;
};

} // namespace agentbay::ui
