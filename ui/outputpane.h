// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QStringList>
#include <QTimer>
#include <QWidget>

#include <memory>

class QLabel;
class QPlainTextEdit;
class QTextCharFormat;

namespace agentbay::workspace {
class OutputSpool;
}

namespace agentbay::ui {

// The output of runs: stdout in the normal colour, stderr in red, results and run notes apart.
// The view is bounded (the most recent MaximumLines lines), so huge output never slows it down;
// the full text of each run is kept and can be opened, searched, saved and copied. Text that
// arrives in many pieces (a streamed run) is kept at once; a print after a quiet spell is drawn
// at once, a flood's pieces are drawn together at intervals that grow with what drawing costs,
// and only what the bounded view can show, so a flood never holds the event loop.
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
    // Between two draws at least this long, and three times as long as the last draw took.
    static constexpr qint64 MinimumDrawIntervalMs = 4;
    // The view keeps this many lines of output, below a first line saying how many went.
    static constexpr qsizetype KeptLines = MaximumLines - 2;

    // A run's output starts; what follows until the next beginRun() is its full text.
    void beginRun(const QString &title);
    void appendStdout(const QString &text);
    void appendStderr(const QString &text);
    void appendResult(const QString &text);
    void appendNote(const QString &text);
    void clear();
    // What the bounded view shows (text still waiting to be drawn is drawn first).
    QString plainText();
    // The full text of the runs kept, oldest first.
    QStringList runTitles() const;
    QString fullText(int run = -1) const; // -1: the latest run
    int shownLines();
    // Draws what waits now, a slice of it if it is a lot (the next paint shows it).
    void drawPending();
    // Draws everything that waits.
    void settle();

    // Opens the latest run's full text in a viewer with search and save.
    void openFullOutput();
    void copyAll() const;
    // Saves the latest run's full text; false with *error on failure.
    bool saveFullOutput(const QString &path, QString *error) const;

private:
    enum class Kind { Stdout, Stderr, Result, Note };
    void append(const QString &text, Kind kind);
    void trimShown(qsizetype lines);
    void updateNotice();
    QTextCharFormat formatOf(Kind kind) const;
    void enforceBudget();
    void saveWithDialog();

    struct Run
    {
        QString title;
        std::shared_ptr<workspace::OutputSpool> output; // the full text
    };

    struct Piece
    {
        QString text;
        Kind kind;
        qsizetype lines;
    };
    QList<Piece> linesKept(qsizetype from, qsizetype until) const;

    QPlainTextEdit *m_view;
    QLabel *m_summary;
    QList<Run> m_runs;
    // One draw adds at most this many lines to the view (or builds it again with this many).
    static constexpr qsizetype DrawSliceLines = 300;
    QList<Piece> m_pending; // not drawn yet, oldest first; at most about KeptLines lines
    qsizetype m_pendingLines = 0;
    qsizetype m_droppedPending = 0; // dropped from m_pending's front: never drawn
    // The last KeptLines lines, as the view shows them once it is up to date: m_viewLines of
    // them are in it (the last ones), below a notice line while any line is not.
    QList<Piece> m_shown;
    qsizetype m_shownLines = 0;
    qsizetype m_viewLines = 0;
    qsizetype m_hiddenLines = 0; // lines that left m_shown, or never entered it
    bool m_noticeShown = false;
    QTimer m_drawTimer;
    QElapsedTimer m_sinceDraw;
    qint64 m_drawInterval = MinimumDrawIntervalMs;
};

} // namespace agentbay::ui
