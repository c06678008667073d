// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace agentbay::ui {

// The output of runs: stdout in the normal colour, stderr in red, results and run notes apart.
// The view is bounded (the most recent MaximumLines lines), so huge output never slows it down;
// the full text of each run is kept and can be opened, searched, saved and copied.
class OutputPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OutputPane)

public:
    explicit OutputPane(QWidget *parent = nullptr);
    ~OutputPane() override;

    static constexpr int MaximumLines = 10000;
    static constexpr int KeptRuns = 50;
    // The full texts kept together stay under this many characters; the oldest runs' text goes
    // first (their titles stay, marked). The latest run is always kept whole.
    static constexpr qsizetype KeptCharacters = qsizetype{64} * 1024 * 1024;

    // A run's output starts; what follows until the next beginRun() is its full text.
    void beginRun(const QString &title);
    void appendStdout(const QString &text);
    void appendStderr(const QString &text);
    void appendResult(const QString &text);
    void appendNote(const QString &text);
    void clear();
    // What the bounded view shows.
    QString plainText() const;
    // The full text of the runs kept, oldest first.
    QStringList runTitles() const;
    QString fullText(int run = -1) const; // -1: the latest run
    int shownLines() const;

    // Opens the latest run's full text in a viewer with search and save.
    void openFullOutput();
    void copyAll() const;
    // Saves the latest run's full text; false with *error on failure.
    bool saveFullOutput(const QString &path, QString *error) const;

private:
    enum class Kind { Stdout, Stderr, Result, Note };
    void append(const QString &text, Kind kind);
    void enforceBudget();
    void saveWithDialog();

    struct Run
    {
        QString title;
        QString text;
    };

    QPlainTextEdit *m_view;
    QLabel *m_summary;
    QList<Run> m_runs;
};

} // namespace agentbay::ui
