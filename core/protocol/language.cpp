// SPDX-License-Identifier: GPL-3.0-or-later
#include "language.h"

#include <QCoreApplication>

namespace agentbay::protocol::RunCodeRules {

std::optional<QString> normalizeLanguage(const QString &raw)
{
    const QString name = raw.trimmed().toLower();
    if (name == QLatin1String("python") || name == QLatin1String("py")
        || name == QLatin1String("python3"))
        return QStringLiteral("python");
    if (name == QLatin1String("javascript") || name == QLatin1String("js")
        || name == QLatin1String("node") || name == QLatin1String("nodejs"))
        return QStringLiteral("javascript");
    if (name == QLatin1String("r") || name == QLatin1String("java"))
        return name;
    return std::nullopt;
}

QString unsupportedLanguageMessage(const QString &raw)
{
    // Kept verbatim from the SDKs so scripts that match on it keep working.
    return QStringLiteral("Unsupported language: %1. Supported languages are 'python', "
                          "'javascript', 'r', and 'java'")
            .arg(raw);
}

QString timeoutProblem(int timeoutSeconds)
{
    if (timeoutSeconds >= MinTimeoutSeconds && timeoutSeconds <= MaxTimeoutSeconds)
        return {};
    return QCoreApplication::translate(
                   "RunCodeRules",
                   "timeout_s must be between %1 and %2 seconds (got %3): the AgentBay gateway "
                   "ends every request after 60 seconds")
            .arg(MinTimeoutSeconds)
            .arg(MaxTimeoutSeconds)
            .arg(timeoutSeconds);
}

} // namespace agentbay::protocol::RunCodeRules
