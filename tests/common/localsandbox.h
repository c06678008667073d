// SPDX-License-Identifier: GPL-3.0-or-later
// A local sandbox started through the client's own launcher, with a client configured for it
// (for tests that link AgentBay::Client).
#pragma once

#include "client/agentbayclient.h"
#include "client/apicall.h"
#include "client/localsandboxlauncher.h"

#include <QJsonObject>
#include <QSignalSpy>

namespace agentbay::test {

// Whether the backend reports a deleted session gone: FINISH to a status poll during the grace
// period after its deletion (as the cloud answers), or not found.
inline bool backendSaysGone(client::AgentBayApi *api, const QString &sessionId)
{
    client::ApiCall *call = api->getSessionDetail(sessionId);
    QSignalSpy answered(call, &client::ApiCall::finished);
    if (!answered.wait(10000))
        return false;
    const auto detail = answered.first().first().value<client::ApiCallResult>();
    if (detail.error.isError())
        return detail.error.code == QLatin1String("InvalidMcpSession.NotFound");
    return detail.envelope.data.toObject().value(QLatin1String("Status"))
           == QLatin1String("FINISH");
}

class LocalSandbox
{
public:
    // Starts agentbay-sandbox from this build; false when it did not report ready in time.
    bool start(int requestTimeoutMs = 30000)
    {
        qputenv("AGENTBAY_SANDBOX_PROGRAM", AGENTBAY_SANDBOX_PROGRAM);
        QSignalSpy ready(&m_launcher, &client::LocalSandboxLauncher::ready);
        m_launcher.start();
        if (!ready.wait(20000))
            return false;
        m_client.setConfig({m_launcher.endpoint(), m_launcher.apiKey(), {}, requestTimeoutMs});
        return true;
    }
    // Asks it to end; false when it did not within the launcher's grace.
    bool stop()
    {
        QSignalSpy stopped(&m_launcher, &client::LocalSandboxLauncher::stopped);
        m_launcher.stop();
        return stopped.wait(5000) && !m_launcher.isRunning();
    }

    client::LocalSandboxLauncher &launcher() { return m_launcher; }
    client::AgentBayClient &client() { return m_client; }

private:
    client::LocalSandboxLauncher m_launcher;
    client::AgentBayClient m_client;
};

} // namespace agentbay::test
