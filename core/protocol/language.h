// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace agentbay::protocol {

// The languages an AgentBay code session runs. Every rule that depends on the language (its
// wire name and aliases, file suffixes, the editor's lexer and indentation, the comment and
// cell markers, the local sandbox's kernel, the notebook kernelspec) is in the one table behind
// Languages; nothing else compares language names.
enum class Language { Python, JavaScript, R, Java };

struct LanguageInfo
{
    Language language;
    QString name;              // the canonical wire name: "python", "javascript", "r", "java"
    QString displayName;       // "Python", "JavaScript", …
    QString badge;             // a two-letter tag for lists: "Py", "JS", "R", "Jv"
    QStringList aliases;       // other names the SDKs accept ("py", "python3"; "js", "node", …)
    QStringList suffixes;      // file suffixes without the dot; the first is the one to write
    QString lexer;             // the editor's lexer ("python", "javascript", "java", "" for none)
    int indentWidth;           // spaces per indent level
    QString lineComment;       // "#" or "//"
    QString kernelProgram;     // the interpreter the local sandbox runs it with; empty: cloud only
    QString kernelspecName;    // the notebook kernelspec: "python3", "javascript", …
    QString kernelspecDisplay; // "Python 3", "JavaScript (Node.js)", …
    QString kernelPackages;    // the Debian packages its local kernel needs

    // "# %%" or "// %%": where a code cell starts.
    QString cellMarker() const { return lineComment + QStringLiteral(" %%"); }
    bool runsLocally() const { return !kernelProgram.isEmpty(); }
};

namespace Languages {

const LanguageInfo &info(Language language);
// Every language, in menu order (Python first: the default).
const QList<LanguageInfo> &all();
// The wire name ("python"); the default language's for an unknown value.
QString name(Language language);
// A wire name or alias, any case and padding; nullopt when the SDKs would refuse it.
std::optional<Language> fromName(const QString &raw);
// The language a file's suffix says ("a/b.mjs" -> JavaScript); nullopt for other suffixes.
std::optional<Language> fromFileName(const QString &path);
// fromName, falling back to Python: for values read back from files and settings.
Language fromNameOr(const QString &raw, Language fallback = Language::Python);

} // namespace Languages

// run_code's language and timeout rules, shared by client and server.
namespace RunCodeRules {

inline constexpr int MinTimeoutSeconds = 1;
// The AgentBay gateway ends any request after 60 s, so no run may ask for more.
inline constexpr int MaxTimeoutSeconds = 60;
inline constexpr int DefaultTimeoutSeconds = 60;
// Extra time the HTTP transfer gets beyond timeout_s, so the run's own deadline fires first.
inline constexpr int TransferMarginSeconds = 8;

// Trimmed, lower-cased, aliases folded (py, python3 -> python; js, node, nodejs -> javascript);
// nullopt when the SDKs would refuse it.
std::optional<QString> normalizeLanguage(const QString &raw);
// The SDKs' own refusal text.
QString unsupportedLanguageMessage(const QString &raw);
// Empty when valid, else why not (naming the 60 s gateway limit).
QString timeoutProblem(int timeoutSeconds);

} // namespace RunCodeRules
} // namespace agentbay::protocol
