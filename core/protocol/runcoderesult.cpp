// SPDX-License-Identifier: GPL-3.0-or-later
#include "runcoderesult.h"

#include <QRegularExpression>

#include <algorithm>

namespace agentbay::protocol {

QList<CodeFrame> ExecutionError::codeFrames(int currentRun) const
{
    static const QRegularExpression python(QStringLiteral(
            R"re(File "(?:<cell(?:-(\d+))?>|<stdin>|<string>)", line (\d+)(?:, in (\S+))?)re"));
    static const QRegularExpression javascript(
            QStringLiteral(R"re(^\s*at (?:(.+?) \()?cell(?:-(\d+))?\.js:(\d+):\d+\)?$)re"));
    QList<CodeFrame> frames;
    const QStringList lines = traceback.split(QLatin1Char('\n'));
    const auto frameOf = [currentRun](const QString &run, int line, const QString &function,
                                      const QString &text) {
        CodeFrame frame{line, function, text.trimmed()};
        frame.run = run.isEmpty() ? -1 : run.toInt();
        frame.earlierRun = frame.run >= 0 && currentRun >= 0 && frame.run != currentRun;
        return frame;
    };
    for (const QString &text : lines) {
        if (const auto match = python.match(text); match.hasMatch()) {
            frames.append(
                    frameOf(match.captured(1), match.captured(2).toInt(), match.captured(3), text));
        } else if (const auto js = javascript.match(text); js.hasMatch()) {
            frames.append(frameOf(js.captured(2), js.captured(3).toInt(), js.captured(1), text));
        }
    }
    // JavaScript lists the innermost frame first; present both languages outermost first.
    if (!frames.isEmpty() && javascript.match(lines.value(1)).hasMatch())
        std::reverse(frames.begin(), frames.end());
    return frames;
}

std::optional<CodeFrame> ExecutionError::raisingFrame(int currentRun) const
{
    const QList<CodeFrame> frames = codeFrames(currentRun);
    for (auto it = frames.crbegin(); it != frames.crend(); ++it) {
        if (!it->earlierRun)
            return *it;
    }
    return std::nullopt;
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
