// SPDX-License-Identifier: GPL-3.0-or-later
// An in-memory AgentBay backend for tests that need no server: the other implementation of the
// client's AgentBayApi seam. Lifecycle answers are the captured envelopes in tests/data/wire,
// decoded by the client's own envelope parser; run_code answers are the test's RunCodeResult,
// encoded by the same codec the local sandbox answers with. It plays back delays, errors,
// lifecycle states, and calls that never answer (a stuck backend). Test code, not a mock: the
// session, run controller and window under test run unchanged above it.
#pragma once

#include "fixtures.h"

#include "client/agentbayapi.h"
#include "client/apicall.h"
#include "protocol/coderesultcodec.h"
#include "protocol/responseenvelope.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <functional>

namespace agentbay::test {

class ScriptedApi final : public client::AgentBayApi
{
public:
    // What one run_code call answers: the result after delayMs, or a transport error, or never
    // (held until cancelled or released).
    struct RunAnswer
    {
        protocol::RunCodeResult result;
        int delayMs = 0;
        protocol::ApiError error;
        bool never = false;
        // Streamed events ({"type":"stdout","text":…}) sent before the answer, each after its
        // delay from the start of the call.
        QList<QPair<int, QJsonObject>> events;
    };
    using RunScript = std::function<RunAnswer(const QString &code, const QString &language,
                                              int timeoutSeconds)>;

    // A finished run that printed "out" (and its execution count), for scripts to start from.
    static protocol::RunCodeResult printed(const QString &out, int executionCount = 1)
    {
        protocol::RunCodeResult result;
        result.success = true;
        result.stdoutChunks = {out};
        result.executionCount = executionCount;
        return result;
    }

    explicit ScriptedApi(QObject *parent = nullptr) : AgentBayApi(parent)
    {
        m_config.endpoint = QUrl(QStringLiteral("memory://scripted"));
    }

    client::ClientConfig config() const override { return m_config; }
    void setConfig(const client::ClientConfig &config) override { m_config = config; }

    // run_code's answer; by default "ran N\n" after 10 ms.
    void setRunScript(RunScript script) { m_runScript = std::move(script); }
    // Actions ("CreateMcpSession", "DeleteSessionAsync", …) that are held instead of answered.
    void hold(const QString &action) { m_holding.insert(action); }
    // Answers every held call of the action, and answers it at once from then on.
    void release(const QString &action)
    {
        m_holding.remove(action);
        const auto held = m_held;
        m_held.clear();
        for (const auto &[name, call] : held) {
            if (!call)
                continue;
            if (name == action)
                answer(call, name);
            else
                m_held.append({name, call});
        }
    }
    int count(const QString &action) const { return m_counts.value(action); }
    int heldCount(const QString &action) const
    {
        int n = 0;
        for (const auto &[name, call] : m_held)
            n += (name == action && call) ? 1 : 0;
        return n;
    }
    QStringList codesRun() const { return m_codes; }

    QString status = QStringLiteral("RUNNING"); // what GetSession reports
    bool createFails = false;
    int lifecycleDelayMs = 5;

    client::ApiCall *createSession(const client::LabelList &, const QString &) override
    {
        return start(QStringLiteral("CreateMcpSession"));
    }
    client::ApiCall *callTool(const QString &, const QString &tool, const QJsonObject &args, int,
                              const QString &) override
    {
        if (tool != QLatin1String("run_code"))
            return start(QStringLiteral("CallMcpTool"));
        auto *call = new client::ApiCall(QStringLiteral("CallMcpTool"), this);
        ++m_counts[QStringLiteral("CallMcpTool")];
        const QString code = args.value(QLatin1String("code")).toString();
        m_codes.append(code);
        const RunAnswer answer
                = m_runScript ? m_runScript(code, args.value(QLatin1String("language")).toString(),
                                            args.value(QLatin1String("timeout_s")).toInt())
                              : RunAnswer{printed(QStringLiteral("ran %1\n").arg(m_codes.size()),
                                                  static_cast<int>(m_codes.size())),
                                          10,
                                          {},
                                          false,
                                          {}};
        if (answer.never || m_holding.contains(QStringLiteral("CallMcpTool"))) {
            m_held.append({QStringLiteral("CallMcpTool"), call});
            m_runAnswers.insert(call, answer);
            return call;
        }
        deliverRun(call, answer);
        return call;
    }
    client::ApiCall *callToolViaLink(const QString &, const QString &, const QString &,
                                     const QString &tool, const QJsonObject &args,
                                     int timeoutMs) override
    {
        return callTool({}, tool, args, timeoutMs, {});
    }
    client::ApiCall *getSession(const QString &) override
    {
        return start(QStringLiteral("GetSession"));
    }
    client::ApiCall *getSessionDetail(const QString &) override
    {
        return start(QStringLiteral("GetSessionDetail"));
    }
    client::ApiCall *listSessions(const client::LabelList &, int, const QString &,
                                  const QString &) override
    {
        return start(QStringLiteral("ListSession"));
    }
    client::ApiCall *deleteSessionAsync(const QString &) override
    {
        return start(QStringLiteral("DeleteSessionAsync"));
    }
    client::ApiCall *pauseSessionAsync(const QString &) override
    {
        return start(QStringLiteral("PauseSessionAsync"));
    }
    client::ApiCall *resumeSessionAsync(const QString &) override
    {
        return start(QStringLiteral("ResumeSessionAsync"));
    }

private:
    static client::ApiCallResult fixture(const QString &name)
    {
        const QJsonObject response = wireJson(name + QStringLiteral(".response.json"));
        client::ApiCallResult result;
        result.envelope = protocol::ResponseEnvelope::decode(
                response.value(QLatin1String("http_status")).toInt(),
                QJsonDocument(response.value(QLatin1String("body")).toObject()).toJson(),
                &result.error);
        return result;
    }

    static client::ApiCallResult withStatus(client::ApiCallResult result, const QString &status)
    {
        QJsonObject data = result.envelope.data.toObject();
        data.insert(QStringLiteral("Status"), status);
        result.envelope.data = data;
        return result;
    }

    client::ApiCall *start(const QString &action)
    {
        auto *call = new client::ApiCall(action, this);
        ++m_counts[action];
        if (m_holding.contains(action))
            m_held.append({action, call});
        else
            answer(call, action);
        return call;
    }

    void answer(client::ApiCall *call, const QString &action)
    {
        if (action == QLatin1String("CallMcpTool")) {
            deliverRun(call, m_runAnswers.take(call));
            return;
        }
        const client::ApiCallResult result = answerFor(action);
        QTimer::singleShot(lifecycleDelayMs, call, [call, result] { call->finish(result); });
    }

    client::ApiCallResult answerFor(const QString &action)
    {
        if (action == QLatin1String("CreateMcpSession")) {
            status = QStringLiteral("RUNNING");
            m_deleted = false;
            return fixture(createFails ? QStringLiteral("26-create-session-invalid-api-key")
                                       : QStringLiteral("01-create-session"));
        }
        if (action == QLatin1String("PauseSessionAsync")) {
            status = QStringLiteral("PAUSED");
            return fixture(QStringLiteral("12-pause-session-async"));
        }
        if (action == QLatin1String("ResumeSessionAsync")) {
            status = QStringLiteral("RUNNING");
            return fixture(QStringLiteral("15-resume-session-async"));
        }
        if (action == QLatin1String("GetSession"))
            return withStatus(fixture(QStringLiteral("07-get-session")), status);
        if (action == QLatin1String("DeleteSessionAsync")) {
            m_deleted = true;
            return fixture(QStringLiteral("17-delete-session-async"));
        }
        if (action == QLatin1String("GetSessionDetail")) {
            return fixture(m_deleted ? QStringLiteral("19-get-session-detail-after-delete-notfound")
                                     : QStringLiteral("08-get-session-detail"));
        }
        if (action == QLatin1String("ListSession"))
            return fixture(QStringLiteral("09-list-session"));
        return fixture(QStringLiteral("06-call-shell"));
    }

    void deliverRun(client::ApiCall *call, const RunAnswer &answer)
    {
        for (const auto &[delayMs, event] : answer.events)
            QTimer::singleShot(delayMs, call,
                               [call, event = event] { call->reportProgress(event); });
        client::ApiCallResult result;
        if (answer.error.isError()) {
            result.error = answer.error;
        } else {
            result.envelope.requestId = QStringLiteral("scripted-%1").arg(m_codes.size());
            result.envelope.data
                    = protocol::CodeResultCodec::toolData(protocol::CodeResultCodec::toToolText(
                                                                  answer.result),
                                                          false);
        }
        QTimer::singleShot(answer.delayMs, call, [call, result] { call->finish(result); });
    }

    client::ClientConfig m_config;
    RunScript m_runScript;
    QSet<QString> m_holding;
    QList<QPair<QString, QPointer<client::ApiCall>>> m_held;
    QHash<client::ApiCall *, RunAnswer> m_runAnswers;
    QHash<QString, int> m_counts;
    QStringList m_codes;
    bool m_deleted = false;
};

} // namespace agentbay::test
