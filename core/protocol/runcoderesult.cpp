// SPDX-License-Identifier: GPL-3.0-or-later
#include "runcoderesult.h"

#include <QRegularExpression>

#include <algorithm>

namespace agentbay::protocol {

QList<CodeFrame> ExecutionError::codeFrames() const
{
    static const QRegularExpression python(
            QStringLiteral(R"re(File "(?:<cell>|<stdin>|<string>)", line (\d+)(?:, in (\S+))?)re"));
    static const QRegularExpression javascript(
            QStringLiteral(R"re(^\s*at (?:(.+?) \()?cell\.js:(\d+):\d+\)?$)re"));
    QList<CodeFrame> frames;
    const QStringList lines = traceback.split(QLatin1Char('\n'));
    for (const QString &text : lines) {
        if (const auto match = python.match(text); match.hasMatch()) {
            frames.append({match.captured(1).toInt(), match.captured(2), text.trimmed()});
        } else if (const auto js = javascript.match(text); js.hasMatch()) {
            frames.append({js.captured(2).toInt(), js.captured(1), text.trimmed()});
        }
    }
    // JavaScript lists the innermost frame first; present both languages outermost first.
    if (!frames.isEmpty() && javascript.match(lines.value(1)).hasMatch())
        std::reverse(frames.begin(), frames.end());
    return frames;
}

QString RunCodeResult::legacyResultText() const
{
    for (const auto &bundle : results) {
        if (bundle.isMainResult && bundle.data.contains(QStringLiteral("text/plain")))
            return bundle.text();
    }
    if (!results.isEmpty() && results.first().data.contains(QStringLiteral("text/plain")))
        return results.first().text();
    return stdoutText();
}

} // namespace agentbay::protocol
