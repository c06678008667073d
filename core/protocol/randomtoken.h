// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace agentbay::protocol::RandomToken {

// Lowercase hex of `bytes` bytes from the system's cryptographic generator.
QByteArray hex(int bytes);
// A fresh key for a local sandbox: "akm-local-" and 48 hex characters.
QString localApiKey();

} // namespace agentbay::protocol::RandomToken
