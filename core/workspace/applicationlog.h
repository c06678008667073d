// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace agentbay::workspace {

// Routes Qt's log messages to <AppLocalDataLocation>/logs/<name>.log (rotated at 2 MiB, one
// previous file kept) as well as stderr, with API keys and bearer tokens redacted.
namespace ApplicationLog {

// Returns the log file's path, or an empty string when it could not be opened (stderr only).
QString install(const QString &name);
// Masks secrets in a line: akm-… keys and "Bearer …" tokens.
QString redact(const QString &text);

} // namespace ApplicationLog
} // namespace agentbay::workspace
