// SPDX-License-Identifier: GPL-3.0-or-later
#include "resultspane.h"

#include "dialogs.h"
#include "fulltextdialog.h"

#include "present/jsontreemodel.h"
#include "workspace/atomicfile.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QTextBrowser>
#include <QToolButton>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

namespace agentbay::ui {

using present::ResultCard;
using Kind = present::ResultCard::Kind;

namespace {

constexpr int MaximumImageWidth = 640;

QPlainTextEdit *sourceView(const QString &text, QWidget *parent, int maxLines = 14)
{
    auto *view = new QPlainTextEdit(parent);
    view->setReadOnly(true);
    view->setUndoRedoEnabled(false);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    view->setPlainText(text);
    const int lines = qBound(1, static_cast<int>(text.count(QLatin1Char('\n'))) + 1, maxLines);
    view->setFixedHeight(view->fontMetrics().lineSpacing() * lines + 12);
    return view;
}

QTextBrowser *documentView(const ResultCard &card, QWidget *parent)
{
    auto *browser = new QTextBrowser(parent);
    browser->setOpenExternalLinks(true);
    browser->setOpenLinks(true);
    if (card.kind == Kind::Markdown)
        browser->setMarkdown(card.text);
    else
        browser->setHtml(card.text);
    // As tall as its content at the width it gets (up to a bound; it scrolls beyond that).
    const auto fit = [browser](const QSizeF &size) {
        const int frame = 2 * browser->frameWidth() + 4;
        browser->setFixedHeight(qBound(40, static_cast<int>(size.height()) + frame, 420));
    };
    QObject::connect(browser->document()->documentLayout(),
                     &QAbstractTextDocumentLayout::documentSizeChanged, browser, fit);
    fit(browser->document()->size());
    return browser;
}

QLabel *imageView(const QImage &image, QWidget *parent)
{
    auto *label = new QLabel(parent);
    const QImage shown = image.width() > MaximumImageWidth
                                 ? image.scaledToWidth(MaximumImageWidth, Qt::SmoothTransformation)
                                 : image;
    label->setPixmap(QPixmap::fromImage(shown));
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    label->setToolTip(QObject::tr("%1 × %2 pixels").arg(image.width()).arg(image.height()));
    return label;
}

} // namespace

ResultsPane::ResultsPane(QWidget *parent)
    : QWidget(parent), m_scroll(new QScrollArea(this)), m_body(new QWidget),
      m_layout(new QVBoxLayout(m_body)), m_empty(new QLabel(tr("No results yet."), m_body))
{
    setObjectName(QStringLiteral("resultsPane"));
    m_empty->setObjectName(QStringLiteral("resultsEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_layout->addWidget(m_empty);
    m_layout->addStretch(1);
    m_scroll->setWidget(m_body);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_scroll);
}

ResultsPane::~ResultsPane() = default;

void ResultsPane::clear()
{
    qDeleteAll(m_cardWidgets);
    m_cardWidgets.clear();
    m_cards.clear();
    m_empty->setText(tr("No results yet."));
    m_empty->show();
}

QWidget *ResultsPane::cardWidget(int index) const
{
    return index >= 0 && index < m_cardWidgets.size() ? m_cardWidgets.at(index) : nullptr;
}

void ResultsPane::showResults(const QList<ResultCard> &cards)
{
    clear();
    m_cards = cards;
    m_empty->setText(tr("The last run returned no results."));
    m_empty->setVisible(cards.isEmpty());
    for (int i = 0; i < cards.size(); ++i) {
        QWidget *card = makeCard(cards.at(i), i);
        m_layout->insertWidget(m_layout->count() - 1, card);
        m_cardWidgets.append(card);
    }
}

QWidget *ResultsPane::makeCard(const ResultCard &card, int index)
{
    auto *frame = new QFrame(m_body);
    frame->setObjectName(QStringLiteral("resultCard%1").arg(index));
    frame->setFrameShape(QFrame::StyledPanel);
    auto *layout = new QVBoxLayout(frame);

    auto *header = new QHBoxLayout;
    auto *title = new QLabel(QStringLiteral("<b>%1</b>").arg(card.title.toHtmlEscaped()), frame);
    title->setObjectName(QStringLiteral("cardTitle"));
    header->addWidget(title);
    if (card.isMainResult) {
        auto *badge = new QLabel(tr("main result"), frame);
        badge->setObjectName(QStringLiteral("mainResultBadge"));
        badge->setToolTip(tr("The value of the snippet's last expression"));
        badge->setStyleSheet(QStringLiteral("QLabel { border: 1px solid palette(highlight); "
                                            "border-radius: 3px; padding: 0 4px; }"));
        header->addWidget(badge);
    }
    header->addStretch(1);
    const auto tool = [frame, header](const QString &text, const QString &name) {
        auto *button = new QToolButton(frame);
        button->setText(text);
        button->setObjectName(name);
        button->setAutoRaise(true);
        header->addWidget(button);
        return button;
    };
    connect(tool(tr("Copy"), QStringLiteral("copyCardButton")), &QToolButton::clicked, this, [card] {
        if (card.kind == Kind::Png || card.kind == Kind::Jpeg)
            QGuiApplication::clipboard()->setImage(QImage::fromData(card.bytes));
        else
            QGuiApplication::clipboard()->setText(card.copyText());
    });
    connect(tool(tr("Save As…"), QStringLiteral("saveCardButton")), &QToolButton::clicked, this,
            [this, card] {
                Dialogs::askSaveFile(this, tr("Save Result"),
                                     QStringLiteral("result.") + card.fileSuffix(), {},
                                     [this, card](const QString &path) {
                                         QString error;
                                         if (!saveCard(card, path, &error))
                                             Dialogs::showProblem(this, tr("Save Result"),
                                                                  tr("Could not save: %1")
                                                                          .arg(error));
                                     });
            });
    if (card.kind == Kind::Chart) {
        connect(tool(tr("Open in Browser"), QStringLiteral("openChartButton")),
                &QToolButton::clicked, this, [this, card] {
                    QString error;
                    const QString path = writeChartPage(card, &error);
                    if (path.isEmpty()) {
                        Dialogs::showProblem(this, tr("Open Chart"),
                                             tr("Could not write the chart page: %1").arg(error));
                        return;
                    }
                    QDesktopServices::openUrl(QUrl::fromLocalFile(path));
                    Q_EMIT chartOpened(path);
                });
    }
    layout->addLayout(header);
    if (!card.problem.isEmpty()) {
        auto *problem = new QLabel(tr("Shown as %1: %2").arg(card.mimeType, card.problem), frame);
        problem->setWordWrap(true);
        layout->addWidget(problem);
    }
    layout->addWidget(makeContent(card, frame));
    return frame;
}

QWidget *ResultsPane::makeContent(const ResultCard &card, QWidget *parent)
{
    switch (card.kind) {
    case Kind::Html:
    case Kind::Markdown:
        return documentView(card, parent);
    case Kind::Png:
    case Kind::Jpeg: {
        const QImage image = QImage::fromData(card.bytes);
        if (image.isNull())
            return new QLabel(tr("The image could not be decoded."), parent);
        return imageView(image, parent);
    }
    case Kind::Svg: {
        QSvgRenderer renderer(card.bytes);
        if (!renderer.isValid())
            return sourceView(card.text, parent);
        QSize size = renderer.defaultSize();
        if (size.isEmpty())
            size = QSize(400, 300);
        if (size.width() > MaximumImageWidth)
            size.scale(MaximumImageWidth, 10000, Qt::KeepAspectRatio);
        QImage image(size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        renderer.render(&painter);
        painter.end();
        return imageView(image, parent);
    }
    case Kind::Json: {
        auto *view = new QTreeView(parent);
        auto *model = new present::JsonTreeModel(view);
        model->setJson(card.text);
        view->setModel(model);
        view->setObjectName(QStringLiteral("jsonTree"));
        view->setUniformRowHeights(true);
        view->expandToDepth(0);
        view->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
        view->setMinimumHeight(160);
        return view;
    }
    case Kind::Chart: {
        auto *box = new QWidget(parent);
        auto *layout = new QVBoxLayout(box);
        layout->setContentsMargins(0, 0, 0, 0);
        auto *note = new QLabel(tr("Chart spec (%1). Open in Browser draws it.").arg(card.mimeType),
                                box);
        note->setWordWrap(true);
        layout->addWidget(note);
        layout->addWidget(sourceView(card.text, box, 10));
        return box;
    }
    case Kind::Latex:
    case Kind::Text:
        break;
    }
    return sourceView(card.text, parent);
}

QString ResultsPane::writeChartPage(const ResultCard &card, QString *error)
{
    const QString directory = QStandardPaths::writableLocation(QStandardPaths::CacheLocation)
                              + QStringLiteral("/charts");
    if (!QDir().mkpath(directory)) {
        *error = tr("cannot create %1").arg(directory);
        return {};
    }
    const QString path = directory
                         + QStringLiteral("/chart-%1.html").arg(QDateTime::currentMSecsSinceEpoch());
    if (!FullTextDialog::saveText(path, present::ResultCards::chartPage(card), error))
        return {};
    return path;
}

bool ResultsPane::saveCard(const ResultCard &card, const QString &path, QString *error)
{
    if (card.kind == Kind::Png || card.kind == Kind::Jpeg || card.kind == Kind::Svg) {
        return workspace::AtomicFile::write(path, card.bytes, error);
    }
    return FullTextDialog::saveText(path, card.copyText(), error);
}

} // namespace agentbay::ui
