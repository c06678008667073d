// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandboxconfig.h"

#include <QJsonArray>
#include <QObject>

namespace agentbay::sandbox {

// What the sandbox runs code with, found once in the background when the server starts: each
// language's interpreter and version, and whether the packages users expect of code_latest are
// there (numpy, pandas, matplotlib, scipy for Python; acorn, which the JavaScript kernel's cell
// rewrite needs; jsonlite, which the R kernel needs). GetSessionDetail reports it as Runtime.
class RuntimeProbe final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RuntimeProbe)

public:
    explicit RuntimeProbe(const SandboxConfig &config, QObject *parent = nullptr);
    ~RuntimeProbe() override;

    // Empty until every probe has answered (or failed).
    QJsonArray report() const { return m_report; }

private:
    void probe(const QString &language, const QString &interpreter, const QStringList &arguments);

    QJsonArray m_found;  // as the probes answer
    QJsonArray m_report; // once all have
    int m_pending = 0;
};

} // namespace agentbay::sandbox
