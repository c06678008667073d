// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace agentbay::protocol {

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
