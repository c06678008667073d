// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs.h"

#include <QCoreApplication>

#include <QFileDialog>
#include <QInputDialog>
#include <QMessageBox>
#include <QPushButton>

namespace agentbay::ui::Dialogs {

void askSaveFile(QWidget *parent, const QString &title, const QString &suggestedName,
                 const QString &filter, std::function<void(const QString &)> onChosen)
{
    auto *dialog = new QFileDialog(parent, title, suggestedName, filter);
    dialog->setObjectName(QStringLiteral("saveFileDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setFileMode(QFileDialog::AnyFile);
    QObject::connect(dialog, &QFileDialog::fileSelected, dialog,
                     [onChosen = std::move(onChosen)](const QString &path) {
                         if (!path.isEmpty())
                             onChosen(path);
                     });
    dialog->open();
}

void askOpenFiles(QWidget *parent, const QString &title, const QString &filter,
                  std::function<void(const QStringList &)> onChosen)
{
    auto *dialog = new QFileDialog(parent, title, QString(), filter);
    dialog->setObjectName(QStringLiteral("openFilesDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFiles);
    QObject::connect(dialog, &QFileDialog::filesSelected, dialog,
                     [onChosen = std::move(onChosen)](const QStringList &paths) {
                         if (!paths.isEmpty())
                             onChosen(paths);
                     });
    dialog->open();
}

void askDirectory(QWidget *parent, const QString &title,
                  std::function<void(const QString &)> onChosen)
{
    auto *dialog = new QFileDialog(parent, title);
    dialog->setObjectName(QStringLiteral("directoryDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    QObject::connect(dialog, &QFileDialog::fileSelected, dialog,
                     [onChosen = std::move(onChosen)](const QString &path) {
                         if (!path.isEmpty())
                             onChosen(path);
                     });
    dialog->open();
}

void askText(QWidget *parent, const QString &title, const QString &label, const QString &initial,
             std::function<void(const QString &)> onChosen)
{
    auto *dialog = new QInputDialog(parent);
    dialog->setObjectName(QStringLiteral("textDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(title);
    dialog->setLabelText(label);
    dialog->setTextValue(initial);
    QObject::connect(dialog, &QInputDialog::textValueSelected, dialog,
                     [onChosen = std::move(onChosen)](const QString &text) {
                         if (!text.trimmed().isEmpty())
                             onChosen(text.trimmed());
                     });
    dialog->open();
}

namespace {
void showBox(QWidget *parent, QMessageBox::Icon icon, const QString &title, const QString &text)
{
    auto *box = new QMessageBox(icon, title, text, QMessageBox::Close, parent);
    box->setObjectName(QStringLiteral("messageBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}
} // namespace

void showProblem(QWidget *parent, const QString &title, const QString &text)
{
    showBox(parent, QMessageBox::Warning, title, text);
}

void showInformation(QWidget *parent, const QString &title, const QString &text)
{
    showBox(parent, QMessageBox::Information, title, text);
}

void showAbout(QWidget *parent, const QString &version)
{
    showInformation(parent, QCoreApplication::translate("Dialogs", "About AgentBay Playground"),
                    QCoreApplication::translate(
                            "Dialogs",
                            "<b>AgentBay Playground %1</b><p>Write Python or JavaScript and run "
                            "it in AgentBay code sessions, or offline in the local sandbox.</p>"
                            "<p>GPL-3.0-or-later.</p>")
                            .arg(version));
}

void explainProfile(QWidget *parent, const QString &problem, std::function<void()> onOpenSettings)
{
    auto *box = new QMessageBox(QMessageBox::Information,
                                QCoreApplication::translate("Dialogs", "AgentBay needs a key"),
                                problem, QMessageBox::Close, parent);
    box->setObjectName(QStringLiteral("profileExplanation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *settings = box->addButton(QCoreApplication::translate("Dialogs", "Open Settings…"),
                                           QMessageBox::AcceptRole);
    QObject::connect(settings, &QPushButton::clicked, box,
                     [onOpenSettings = std::move(onOpenSettings)] { onOpenSettings(); });
    box->open();
}

void askLine(QWidget *parent, int lines, int current, std::function<void(int)> onChosen)
{
    auto *dialog = new QInputDialog(parent);
    dialog->setObjectName(QStringLiteral("goToLineDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(QCoreApplication::translate("Dialogs", "Go to Line"));
    dialog->setLabelText(QCoreApplication::translate("Dialogs", "Line (1 to %1):").arg(lines));
    dialog->setInputMode(QInputDialog::IntInput);
    dialog->setIntRange(1, qMax(1, lines));
    dialog->setIntValue(current);
    QObject::connect(dialog, &QInputDialog::intValueSelected, dialog,
                     [onChosen = std::move(onChosen)](int line) { onChosen(line); });
    dialog->open();
}

} // namespace agentbay::ui::Dialogs
