// SPDX-License-Identifier: GPL-3.0-or-later
#include "theme.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace agentbay::ui::Theme {

namespace {

const QPalette &startupPalette()
{
    static const QPalette palette = QApplication::palette();
    return palette;
}

QPalette lightPalette()
{
    QPalette palette = QApplication::style()->standardPalette();
    palette.setColor(QPalette::Window, QColor(0xf5, 0xf5, 0xf5));
    palette.setColor(QPalette::Base, Qt::white);
    palette.setColor(QPalette::AlternateBase, QColor(0xf0, 0xf0, 0xf0));
    palette.setColor(QPalette::Text, QColor(0x1e, 0x1e, 0x1e));
    palette.setColor(QPalette::WindowText, QColor(0x1e, 0x1e, 0x1e));
    palette.setColor(QPalette::ButtonText, QColor(0x1e, 0x1e, 0x1e));
    palette.setColor(QPalette::Highlight, QColor(0x1a, 0x5f, 0xb4));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    // Setting a role sets it for every state: disabled text must read as disabled again.
    const QColor disabled(0x8c, 0x8c, 0x8c);
    for (const auto role : {QPalette::Text, QPalette::WindowText, QPalette::ButtonText})
        palette.setColor(QPalette::Disabled, role, disabled);
    return palette;
}

QPalette darkPalette()
{
    QPalette palette;
    const QColor window(0x2b, 0x2d, 0x31);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xdf, 0xe1, 0xe5);
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2c));
    palette.setColor(QPalette::ToolTipBase, window);
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::PlaceholderText, QColor(0x8c, 0x8f, 0x94));
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3c));
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::BrightText, QColor(0xff, 0x7b, 0x72));
    palette.setColor(QPalette::Link, QColor(0x79, 0xc0, 0xff));
    palette.setColor(QPalette::Highlight, QColor(0x26, 0x4f, 0x78));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::Mid, QColor(0x4a, 0x4d, 0x52));
    palette.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    palette.setColor(QPalette::Light, QColor(0x45, 0x47, 0x4c));
    palette.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6e, 0x71, 0x76));
    palette.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x6e, 0x71, 0x76));
    palette.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x6e, 0x71, 0x76));
    return palette;
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness()
           < palette.color(QPalette::WindowText).lightness();
}

} // namespace

bool systemPrefersDark()
{
    return isDark(startupPalette());
}

bool apply(const QString &choice)
{
    startupPalette(); // remember the desktop's palette before the first change
    QPalette palette;
    if (choice == QLatin1String("dark"))
        palette = darkPalette();
    else if (choice == QLatin1String("light"))
        palette = lightPalette();
    else
        palette = startupPalette();
    QApplication::setPalette(palette);
    return isDark(palette);
}

QActionGroup *makeChoices(QObject *parent, std::function<void(const QString &)> onChosen)
{
    auto *group = new QActionGroup(parent);
    group->setObjectName(QStringLiteral("themeGroup"));
    const QList<QPair<QString, QString>>
            themes{{QStringLiteral("system"),
                    QCoreApplication::translate("Theme", "Follow the &System")},
                   {QStringLiteral("light"), QCoreApplication::translate("Theme", "&Light")},
                   {QStringLiteral("dark"), QCoreApplication::translate("Theme", "&Dark")}};
    for (const auto &[id, text] : themes) {
        auto *action = new QAction(text, group);
        action->setObjectName(QStringLiteral("theme_") + id);
        action->setCheckable(true);
        action->setData(id);
        QObject::connect(action, &QAction::triggered, group, [onChosen, id = id] { onChosen(id); });
    }
    return group;
}

void showChoice(QActionGroup *choices, const QString &choice)
{
    for (QAction *action : choices->actions())
        action->setChecked(action->data().toString() == choice);
}

} // namespace agentbay::ui::Theme
