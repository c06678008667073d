// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace agentbay::protocol {

// One rich result: MIME type -> content (base64 for images, JSON text for JSON and charts).
struct MimeBundle
{
    QMap<QString, QString> data;
    bool isMainResult = false;

    QString text() const { return data.value(QStringLiteral("text/plain")); }
    bool operator==(const MimeBundle &other) const = default;
};

// One frame of a traceback that points into the submitted code.
struct CodeFrame
{
    int line = 0;            // 1-based line in the submitted code
    QString function;        // "<module>", "f", … when the traceback names it
    QString text;            // the traceback line it was read from
    int run = -1;            // the run whose code it is (its execution count), when the kernel says
    bool earlierRun = false; // code of an earlier run of the session: listed, never marked
    bool operator==(const CodeFrame &other) const = default;
};

// A code error as the kernel reported it.
struct ExecutionError
{
    QString name;
    QString value;
    QString traceback;
    bool operator==(const ExecutionError &other) const = default;

    // The frames of the submitted code, outermost first: Python's `File "<cell>", line N, in f`
    // (or `<cell-R>` for run R, `<stdin>`, `<string>`) and JavaScript's `cell.js:N:C` (or
    // `cell-R.js`); a SyntaxError's own line too. Given the run that raised (its execution
    // count), frames of other runs are flagged earlierRun.
    QList<CodeFrame> codeFrames(int currentRun = -1) const;
    // The innermost frame of the current run's code: the line to mark in the editor.
    std::optional<CodeFrame> raisingFrame(int currentRun = -1) const;
};

// Everything any official SDK keeps from a run_code answer, and what our sandbox adds.
struct RunCodeResult
{
    bool success = false;
    QStringList stdoutChunks;
    QStringList stderrChunks;
    QList<MimeBundle> results;
    std::optional<ExecutionError> error;
    QString executionError; // the flat "Name: value" string of the wire format
    QString errorMessage;   // why the run failed, for a person
    int executionCount = -1;
    double executionTimeSeconds = -1;
    QString requestId;
    QString traceId;
    bool toolReportedError = false; // the tool result carried isError:true
    bool timedOut = false;
    bool cancelled = false; // stopped by the client before an answer came (Stop, shutdown)
    qint64 droppedOutputCharacters = 0; // output beyond the backend's per-run cap

    QString stdoutText() const { return stdoutChunks.join(QString()); }
    QString stderrText() const { return stderrChunks.join(QString()); }
    // The SDKs' `result`: main result text, else the first result's text, else stdout.
    QString legacyResultText() const;
};

} // namespace agentbay::protocol

Q_DECLARE_METATYPE(agentbay::protocol::RunCodeResult)
Q_DECLARE_METATYPE(agentbay::protocol::MimeBundle)
