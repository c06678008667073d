// SPDX-License-Identifier: GPL-3.0-or-later
#include "language.h"

#include <QCoreApplication>

namespace agentbay::protocol {

namespace Languages {

const QList<LanguageInfo> &all()
{
    static const QList<LanguageInfo> table{{Language::Python,
                                            QStringLiteral("python"),
                                            QStringLiteral("Python"),
                                            QStringLiteral("Py"),
                                            {QStringLiteral("py"), QStringLiteral("python3")},
                                            {QStringLiteral("py")},
                                            QStringLiteral("python"),
                                            4,
                                            QStringLiteral("#"),
                                            QStringLiteral("python3"),
                                            QStringLiteral("python3"),
                                            QStringLiteral("Python 3"),
                                            QStringLiteral("python3")},
                                           {Language::JavaScript,
                                            QStringLiteral("javascript"),
                                            QStringLiteral("JavaScript"),
                                            QStringLiteral("JS"),
                                            {QStringLiteral("js"), QStringLiteral("node"),
                                             QStringLiteral("nodejs")},
                                            {QStringLiteral("js"), QStringLiteral("mjs"),
                                             QStringLiteral("cjs")},
                                            QStringLiteral("javascript"),
                                            2,
                                            QStringLiteral("//"),
                                            QStringLiteral("node"),
                                            QStringLiteral("javascript"),
                                            QStringLiteral("JavaScript (Node.js)"),
                                            QStringLiteral("nodejs node-acorn")},
                                           {Language::R,
                                            QStringLiteral("r"),
                                            QStringLiteral("R"),
                                            QStringLiteral("R"),
                                            {},
                                            {QStringLiteral("r")},
                                            QString(),
                                            2,
                                            QStringLiteral("#"),
                                            QStringLiteral("Rscript"),
                                            QStringLiteral("ir"),
                                            QStringLiteral("R"),
                                            QStringLiteral("r-base-core r-cran-jsonlite")},
                                           {Language::Java,
                                            QStringLiteral("java"),
                                            QStringLiteral("Java"),
                                            QStringLiteral("Jv"),
                                            {},
                                            {QStringLiteral("java")},
                                            QStringLiteral("java"),
                                            4,
                                            QStringLiteral("//"),
                                            QStringLiteral("java"),
                                            QStringLiteral("java"),
                                            QStringLiteral("Java"),
                                            QStringLiteral("default-jdk-headless")}};
    return table;
}

const LanguageInfo &info(Language language)
{
    for (const LanguageInfo &each : all()) {
        if (each.language == language)
            return each;
    }
    return all().constFirst();
}

QString name(Language language)
{
    return info(language).name;
}

std::optional<Language> fromName(const QString &raw)
{
    const QString wanted = raw.trimmed().toLower();
    for (const LanguageInfo &each : all()) {
        if (each.name == wanted || each.aliases.contains(wanted))
            return each.language;
    }
    return std::nullopt;
}

Language fromNameOr(const QString &raw, Language fallback)
{
    return fromName(raw).value_or(fallback);
}

std::optional<Language> fromFileName(const QString &path)
{
    const qsizetype dot = path.lastIndexOf(QLatin1Char('.'));
    if (dot < 0 || path.indexOf(QLatin1Char('/'), dot) >= 0)
        return std::nullopt;
    const QString suffix = path.mid(dot + 1).toLower();
    for (const LanguageInfo &each : all()) {
        if (each.suffixes.contains(suffix))
            return each.language;
    }
    return std::nullopt;
}

} // namespace Languages

namespace RunCodeRules {

std::optional<QString> normalizeLanguage(const QString &raw)
{
    if (const auto language = Languages::fromName(raw))
        return Languages::name(*language);
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

} // namespace RunCodeRules
} // namespace agentbay::protocol
