// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark of the editor's helper (the sandbox's assist extension) through the project's own
// client, as the editor sees it (HTTP round trip included); prints a table. Not a timed test:
// compare figures within one run. Target: p50 <= 30 ms, p99 <= 100 ms.
//   live, 10 000 globals   a session whose namespace holds 10 000 globals: name completion
//                          ("g12" -> g12, g120…), attribute completion ("frame.") and signatures
//   static, 5 000 lines    no session: a 5 000-line buffer, name completion at its end and
//                          attribute completion of a class the buffer defines (jedi), and lint
#include "benchsupport.h"
#include "client/agentbayclient.h"
#include "client/apicall.h"
#include "client/localsandboxlauncher.h"
#include "client/session.h"
#include "protocol/assist.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTextStream>

using agentbay::bench::percentile;
using agentbay::client::AgentBayClient;
using agentbay::client::ApiCall;
using agentbay::client::ApiCallResult;
using agentbay::client::LocalSandboxLauncher;
using agentbay::client::Session;

namespace {

struct Figures
{
    QList<double> ms;
    int empty = 0; // answers without what was asked for
    QString failure;
};

// Each request as the editor sends it: the first with the whole buffer, the later ones as an
// edit of the buffer the sandbox holds (here the same text, as when the cursor only moves);
// wholeEachTime sends the whole buffer every time.
Figures measure(AgentBayClient &client, int count, const QString &kind, const QString &code,
                int line, int column, const QString &sessionId, const QString &expected,
                bool wholeEachTime = false)
{
    Figures figures;
    QString token;
    for (int i = 0; i < count; ++i) {
        QElapsedTimer clock;
        clock.start();
        std::optional<agentbay::protocol::AssistBufferEdit> edit;
        if (!token.isEmpty() && !wholeEachTime)
            edit = agentbay::protocol::AssistCodec::editBetween(token, code, code);
        ApiCall *call = client.assist(kind, QStringLiteral("python"), code, line, column, sessionId,
                                      QStringLiteral("/playground/bench.py"), 30000, edit);
        QSignalSpy finished(call, &ApiCall::finished);
        if (!finished.wait(30000)) {
            figures.failure = QStringLiteral("no answer");
            return figures;
        }
        figures.ms.append(static_cast<double>(clock.nsecsElapsed()) / 1e6);
        const auto result = finished.first().first().value<ApiCallResult>();
        if (!result.ok()) {
            figures.failure = result.error.message;
            return figures;
        }
        const QJsonObject data = result.envelope.data.toObject();
        token = data.value(QLatin1String("bufferToken")).toString();
        if (!QString::fromUtf8(QJsonDocument(data).toJson()).contains(expected))
            ++figures.empty;
    }
    return figures;
}

QString row(const QString &what, const Figures &figures)
{
    if (!figures.failure.isEmpty())
        return QStringLiteral("%1  failed: %2\n").arg(what, -46).arg(figures.failure);
    return QStringLiteral("%1  p50 %2 ms  p99 %3 ms  (%4 requests, %5 without the expected "
                          "answer)\n")
            .arg(what, -46)
            .arg(percentile(figures.ms, 0.5), 6, 'f', 1)
            .arg(percentile(figures.ms, 0.99), 6, 'f', 1)
            .arg(figures.ms.size())
            .arg(figures.empty);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int count = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 300;
    QTextStream out(stdout);
    LocalSandboxLauncher launcher;
    QSignalSpy ready(&launcher, &LocalSandboxLauncher::ready);
    launcher.start();
    if (!ready.wait(20000)) {
        out << "bench: the local sandbox did not start\n";
        return 1;
    }
    AgentBayClient client;
    client.setConfig({launcher.endpoint(), launcher.apiKey(), {}, 60000});

    Session session(&client);
    QSignalSpy finished(&session, &Session::runFinished);
    session.runCode(QStringLiteral("for i in range(10000):\n    globals()['g%d' % i] = i\n"
                                   "class Frame:\n"
                                   "    def head(self, n=5, *, sort=False):\n        pass\n"
                                   "    def tail(self, n=5):\n        pass\n"
                                   "frame = Frame()\nlen(globals())"),
                    QStringLiteral("python"), 60);
    if (!finished.wait(70000)) {
        out << "bench: the session did not start\n";
        return 1;
    }
    const QString id = session.id();

    // A 5 000-line buffer: functions, classes and assignments, as a long script has.
    QString buffer;
    for (int i = 0; i < 1000; ++i) {
        buffer += QStringLiteral("def step_%1(value, scale=2):\n    total = value * scale\n"
                                 "    return total + %1\n\nresult_%1 = step_%1(%1)\n")
                          .arg(i);
    }
    buffer += QStringLiteral("class Model:\n    def fit(self, data, epochs=10):\n        pass\n"
                             "    def predict(self, data):\n        pass\nmodel = Model()\n");
    const int lines = static_cast<int>(buffer.count(QLatin1Char('\n'))) + 1;

    // Warm both kernels (the analysis kernel loads jedi on its first request).
    measure(client, 3, QStringLiteral("complete"), buffer + QStringLiteral("model.f"), lines, 7, {},
            QStringLiteral("fit"));
    measure(client, 3, QStringLiteral("complete"), QStringLiteral("g12"), 1, 3, id,
            QStringLiteral("g120"));

    out << "assist latency through the client (" << count << " requests each)\n";
    out << row(QStringLiteral("live, 10 000 globals: name (g12)"),
               measure(client, count, QStringLiteral("complete"), QStringLiteral("g12"), 1, 3, id,
                       QStringLiteral("g120")));
    out << row(QStringLiteral("live, 10 000 globals: attribute (frame.)"),
               measure(client, count, QStringLiteral("complete"), QStringLiteral("frame."), 1, 6,
                       id, QStringLiteral("head")));
    out << row(QStringLiteral("live, 10 000 globals: signature"),
               measure(client, count, QStringLiteral("signature"), QStringLiteral("frame.head(1, "),
                       1, 14, id, QStringLiteral("sort=False")));
    out << row(QStringLiteral("static, %1 lines: name (step_99)").arg(lines),
               measure(client, count, QStringLiteral("complete"), buffer + QStringLiteral("step_99"),
                       lines, 7, {}, QStringLiteral("step_999")));
    out << row(QStringLiteral("static, %1 lines: name, whole buffer each time").arg(lines),
               measure(client, count, QStringLiteral("complete"), buffer + QStringLiteral("step_99"),
                       lines, 7, {}, QStringLiteral("step_999"), true));
    out << row(QStringLiteral("static, %1 lines: attribute (model.f, jedi)").arg(lines),
               measure(client, count, QStringLiteral("complete"),
                       buffer + QStringLiteral("model.f"), lines, 7, {}, QStringLiteral("fit")));
    out << row(QStringLiteral("static, %1 lines: lint").arg(lines),
               measure(client, qMax(1, count / 10), QStringLiteral("lint"), buffer, 1, 0, {},
                       QStringLiteral("diagnostics")));
    out.flush();
    return 0;
}
