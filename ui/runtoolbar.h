// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QToolBar>

class QAction;
class QComboBox;
class QSpinBox;

namespace agentbay::workbench {
class Document;
}

namespace agentbay::ui {

// The run toolbar's fields for the current document: where it runs (the profile), its
// language (R and Java only where the backend offers them) and its timeout. Language and
// timeout go straight to the document; a profile change is the workbench's to decide, so it is
// only asked for (profileChosen()).
class RunToolBar final : public QToolBar
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunToolBar)

public:
    explicit RunToolBar(int defaultTimeoutSeconds, QWidget *parent = nullptr);
    ~RunToolBar() override;

    void setDocument(workbench::Document *document);
    // Shows the document's profile, language and timeout again (after a profile change).
    void refresh();
    // The run commands it enables and disables as the document runs, idles, pauses, and as the
    // application quits (the actions may live in menus too).
    void setRunActions(QAction *run, QAction *runCell, QAction *stop, QAction *pause,
                       QAction *resume);
    void setQuitting(bool quitting);

    QComboBox *profileBox() const { return m_profile; }
    QComboBox *languageBox() const { return m_language; }
    QSpinBox *timeoutBox() const { return m_timeout; }

Q_SIGNALS:
    void profileChosen(const QString &profileId);

private:
    void showLanguages();
    void updateState();

    QPointer<workbench::Document> m_document;
    QComboBox *m_profile;
    QComboBox *m_language;
    QSpinBox *m_timeout;
    QList<QPointer<QAction>> m_actions; // run, run cell, stop, pause, resume
    bool m_quitting = false;
};

} // namespace agentbay::ui
