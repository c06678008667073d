// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandboxconfig.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QList>
#include <QObject>
#include <QStringList>

#include <functional>

namespace agentbay::sandbox {

// What the sandbox runs code with, found once in the background soon after the server starts: each
// language's interpreter and version, and whether the packages users expect of code_latest are
// there (numpy, pandas, matplotlib, scipy for Python; acorn, which the JavaScript kernel's cell
// rewrite needs; jsonlite, which the R kernel needs). GetSessionDetail reports it as Runtime.
//
// Probing starts three interpreters (about 0.4 s of CPU together); the first run of a session
// usually comes the moment the sandbox is ready, so the probes wait until no run has been going
// for QuietMs, and start after MostWaitMs whatever happens.
class RuntimeProbe final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RuntimeProbe)

public:
    static constexpr int QuietMs = 500;
    static constexpr int MostWaitMs = 8000;

    // `busy` says whether a run is going now.
    RuntimeProbe(const SandboxConfig &config, std::function<bool()> busy, QObject *parent = nullptr);
    ~RuntimeProbe() override;

    // Empty until every probe has answered (or failed).
    QJsonArray report() const { return m_report; }

private:
    struct Planned
    {
        QString language;
        QString interpreter;
        QStringList arguments;
    };

    void startWhenQuiet();
    void probe(const Planned &planned);

    std::function<bool()> m_busy;
    QList<Planned> m_planned;
    QElapsedTimer m_sinceStart;
    QElapsedTimer m_quietFor; // invalid while a run goes

    QJsonArray m_found;  // as the probes answer
    QJsonArray m_report; // once all have
    int m_pending = 0;
};

} // namespace agentbay::sandbox
