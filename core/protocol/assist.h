// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

class QJsonObject;

namespace agentbay::protocol {

// The local sandbox's assist extension (README, "Protocol extensions"): what the editor asks of
// a session's kernel, or of the sandbox's analysis kernel, about the code being typed.
enum class AssistKind { Complete, Signature, Doc, Lint, Warm };

struct AssistCandidate
{
    QString name;     // "move_to_end"
    QString complete; // what the cursor's prefix lacks: "ve_to_end"
    QString type;     // "function", "class", "module", "instance", "property", "keyword", …
};

struct AssistSignature
{
    QString label; // "go(a, b=2)"
    QStringList params;
    int index = -1;          // the argument being typed, -1 when none
    int highlightStart = -1; // where it is in label (characters), -1 when not shown
    int highlightEnd = -1;
    QString doc; // the first paragraph of its documentation
};

struct AssistDoc
{
    QString name;      // "os.path.join"
    QString type;      // "function", "class", "instance", …
    QString signature; // "join(a, *p)", may be empty
    QString text;      // first paragraph of the docstring, or a JS function's source line
};

struct AssistDiagnostic
{
    int line = 0;      // 1-based
    int column = 0;    // 0-based, characters
    int endColumn = 0; // exclusive
    QString severity;  // "error" or "warning"
    QString message;
};

struct AssistAnswer
{
    AssistKind kind = AssistKind::Complete;
    QList<AssistCandidate> candidates;
    std::optional<AssistSignature> signature;
    std::optional<AssistDoc> doc;
    QList<AssistDiagnostic> diagnostics;
    QString source; // "session" (the live kernel), "static" (the buffer alone), "none"
    QString error;  // the kernel could not answer (the editor shows nothing)
    double kernelMs = -1;
};

namespace AssistCodec {
QString kindName(AssistKind kind);
// The answer's Data object, as AssistCode returns it.
AssistAnswer decode(AssistKind kind, const QJsonObject &data);
} // namespace AssistCodec

} // namespace agentbay::protocol
