// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clientconfig.h"

#include <QHash>
#include <QObject>
#include <QProcessEnvironment>

#include <functional>

namespace agentbay::client {

class AgentBayApi;
class Backend;

// A place code can run, as the profile box lists it.
struct Profile
{
    QString id;   // "local", "shanghai", "singapore", "custom"
    QString name; // "Local sandbox", "AgentBay Shanghai", …
    bool isLocal = false;
    QString gatewayHost; // the gateways' own host; empty for local and custom
};

// What a profile resolves to: its client configuration, where each value came from, and why it
// cannot be used yet (no key, no endpoint) when it cannot.
struct ProfileConfig
{
    ResolvedConfig resolved;
    QString problem;
    bool usable() const { return problem.isEmpty(); }
};

namespace Profiles {
QList<Profile> all();
Profile byId(const QString &id);
// Where a user gets a key, for the explanation a cloud profile without one shows.
QString consoleUrl();
// The AGENTBAY_* environment wins over the stored values (the settings dialog shows those as
// coming from the environment); AGENTBAY_ENDPOINT applies to the custom profile only, since
// the gateway profiles are their endpoints. A .env found upward from startDirectory counts as
// environment.
ProfileConfig resolve(const QString &profileId, const QString &storedEndpoint,
                      const QString &storedRegion, const QString &storedApiKey,
                      const QProcessEnvironment &environment, const QString &startDirectory);
} // namespace Profiles

// The backends the window's tabs share: one per profile (one local sandbox process for every
// tab), created on first use and stopped together at quit.
class BackendPool final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackendPool)

public:
    explicit BackendPool(QObject *parent = nullptr);
    ~BackendPool() override;

    // The local sandbox, started on first call. Its code runs at niceness 10 (and so does its
    // scheduler group): a flood or a busy loop gives way to the window, which then never stalls
    // for long (the longest stall of bench_window's flood: at most 45 ms in nine runs on two
    // cores, where two runs in nine stalled 72-80 ms at niceness 0).
    static inline const QStringList LocalArguments{QStringLiteral("--code-niceness"),
                                                   QStringLiteral("10")};
    Backend *local();
    // An endpoint backend for a profile; replaced when its configuration changed.
    Backend *endpoint(const QString &profileId, const ClientConfig &config);
    QList<Backend *> backends() const;
    // Extra agentbay-sandbox flags for the local sandbox, before local() is first called.
    void setLocalArguments(const QStringList &arguments) { m_localArguments = arguments; }
    // Where backends come from instead of HTTP (the tests' in-memory API): called with the
    // profile ("local" for the sandbox) and its configuration; the pool adopts what it returns.
    using ApiFactory = std::function<AgentBayApi *(const QString &profileId, const ClientConfig &)>;
    void setApiFactory(ApiFactory factory) { m_apiFactory = std::move(factory); }
    // A new API for one-off work outside the pool's backends (deleting a leftover session):
    // from the factory when one is set, else an HTTP client. The caller owns it.
    AgentBayApi *newApi(const QString &profileId, const ClientConfig &config) const;

    // Stops every backend; stopped() follows once all have (the local sandbox: ≤ ~3 s).
    void stopAll();

Q_SIGNALS:
    void stopped();

private:
    Backend *m_local = nullptr;
    QHash<QString, Backend *> m_endpoints;
    QStringList m_localArguments;
    ApiFactory m_apiFactory;
    int m_stopping = 0;
};

} // namespace agentbay::client
