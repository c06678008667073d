// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "present/resultcard.h"

#include <QWidget>

class QLabel;
class QScrollArea;
class QVBoxLayout;

namespace agentbay::ui {

// The rich results of the last run, one card each: text, HTML, Markdown, images (scaled, with
// Save as), SVG, LaTeX source, JSON as a tree, charts as their spec with Open in Browser. The
// main result is marked.
class ResultsPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResultsPane)

public:
    explicit ResultsPane(QWidget *parent = nullptr);
    ~ResultsPane() override;

    void showResults(const QList<present::ResultCard> &cards);
    void clear();
    int cardCount() const { return static_cast<int>(m_cards.size()); }
    const QList<present::ResultCard> &cards() const { return m_cards; }
    QWidget *cardWidget(int index) const;

    // Writes a chart's page under the cache location and returns its path (empty + *error on
    // failure); Open in Browser hands that file to the desktop.
    static QString writeChartPage(const present::ResultCard &card, QString *error);
    // Saves a card's content (image bytes or source text) atomically.
    static bool saveCard(const present::ResultCard &card, const QString &path, QString *error);

Q_SIGNALS:
    void chartOpened(const QString &path);

private:
    QWidget *makeCard(const present::ResultCard &card, int index);
    QWidget *makeContent(const present::ResultCard &card, QWidget *parent);

    QScrollArea *m_scroll;
    QWidget *m_body;
    QVBoxLayout *m_layout;
    QLabel *m_empty;
    QList<present::ResultCard> m_cards;
    QList<QWidget *> m_cardWidgets;
};

} // namespace agentbay::ui
