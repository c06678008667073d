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

// The buffer as an edit of one the sandbox holds already (named by the token an earlier answer
// gave): the characters [at, at + removed) of that text replaced by inserted. The editor sends
// this for each keystroke instead of the whole buffer.
struct AssistBufferEdit
{
    QString baseToken;
    int at = 0;
    int removed = 0;
    QString inserted;
};

struct AssistAnswer
{
    AssistKind kind = AssistKind::Complete;
    QList<AssistCandidate> candidates;
    std::optional<AssistSignature> signature;
    std::optional<AssistDoc> doc;
    QList<AssistDiagnostic> diagnostics;
    QString source;      // "session" (the live kernel), "static" (the buffer alone), "none"
    QString error;       // the kernel could not answer (the editor shows nothing)
    QString bufferToken; // names the buffer of this request for a later AssistBufferEdit
    double kernelMs = -1;
};

namespace AssistCodec {
QString kindName(AssistKind kind);
// The answer's Data object, as AssistCode returns it.
AssistAnswer decode(AssistKind kind, const QJsonObject &data);
// The smallest edit that turns base into now: one replaced range.
AssistBufferEdit editBetween(const QString &baseToken, const QString &base, const QString &now);
// base with the edit applied, or nothing when the edit does not fit base.
std::optional<QString> applyEdit(const QString &base, const AssistBufferEdit &edit);
} // namespace AssistCodec

} // namespace agentbay::protocol
