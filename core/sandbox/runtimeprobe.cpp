// SPDX-License-Identifier: GPL-3.0-or-later
#include "runtimeprobe.h"

#include "kernelprocess.h"

#include "protocol/language.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTimer>

#include <memory>
#include <utility>

namespace agentbay::sandbox {

namespace {

// Versions by package metadata, without importing the packages (which takes seconds).
const char PythonProbe[] = R"(import json, sys
from importlib import metadata
found = {}
for name in ("numpy", "pandas", "matplotlib", "scipy"):
    try:
        found[name] = metadata.version(name)
    except Exception:
        found[name] = None
print(json.dumps({"version": sys.version.split()[0], "packages": found}))
)";

const char NodeProbe[] = R"(let acorn = null;
for (const where of ['acorn', '/usr/share/nodejs/acorn', '/usr/lib/nodejs/acorn',
  '/usr/local/lib/node_modules/acorn']) {
  try { acorn = require(where).version; break; } catch (e) { /* next */ }
}
console.log(JSON.stringify({ version: process.version, packages: { acorn } }));
)";

// R's version and jsonlite's (which the R kernel needs), with only R's base package loaded:
// reading jsonlite's DESCRIPTION costs 0.1 s of CPU, where packageVersion() and R's default
// packages cost 0.45 s.
const char RProbe[] = R"(jsonlite <- system.file("DESCRIPTION", package = "jsonlite")
cat(sprintf('{"version":"%s.%s","packages":{"jsonlite":%s}}\n', R.version$major,
            R.version$minor,
            if (nzchar(jsonlite)) sprintf('"%s"', read.dcf(jsonlite, "Version")[1, 1]) else "null"))
)";

} // namespace

RuntimeProbe::RuntimeProbe(const SandboxConfig &config, std::function<bool()> busy, QObject *parent)
    : QObject(parent), m_busy(std::move(busy))
{
    const QString python = KernelSpec::interpreterFor(protocol::Languages::name(
                                                              protocol::Language::Python),
                                                      config.pythonInterpreter);
    const QString node = KernelSpec::interpreterFor(protocol::Languages::name(
                                                            protocol::Language::JavaScript),
                                                    config.nodeInterpreter);
    if (!python.isEmpty()) {
        m_planned.append(
                {protocol::Languages::name(protocol::Language::Python),
                 python,
                 {QStringLiteral("-I"), QStringLiteral("-c"), QString::fromLatin1(PythonProbe)}});
    }
    if (!node.isEmpty())
        m_planned.append({protocol::Languages::name(protocol::Language::JavaScript),
                          node,
                          {QStringLiteral("-e"), QString::fromLatin1(NodeProbe)}});
    const QString r = KernelSpec::interpreterFor(protocol::Languages::name(protocol::Language::R),
                                                 QString());
    if (!r.isEmpty())
        m_planned.append({protocol::Languages::name(protocol::Language::R),
                          r,
                          {QStringLiteral("--vanilla"), QStringLiteral("--default-packages=NULL"),
                           QStringLiteral("-e"), QString::fromLatin1(RProbe)}});
    m_pending = static_cast<int>(m_planned.size());
    m_sinceStart.start();
    m_quietFor.start();
    startWhenQuiet();
}

RuntimeProbe::~RuntimeProbe() = default;

void RuntimeProbe::startWhenQuiet()
{
    if (m_busy && m_busy())
        m_quietFor.invalidate();
    else if (!m_quietFor.isValid())
        m_quietFor.start();
    if (m_sinceStart.elapsed() < MostWaitMs
        && (!m_quietFor.isValid() || m_quietFor.elapsed() < QuietMs)) {
        QTimer::singleShot(50, this, &RuntimeProbe::startWhenQuiet);
        return;
    }
    for (const Planned &planned : std::as_const(m_planned))
        probe(planned);
    m_planned.clear();
}

void RuntimeProbe::probe(const Planned &planned)
{
    const QString &language = planned.language;
    const QString &interpreter = planned.interpreter;
    auto *process = new QProcess(this);
    process->setProcessChannelMode(QProcess::SeparateChannels);
    // Each probe settles once: it answered, was killed, or never started.
    auto settled = std::make_shared<bool>(false);
    const auto settle = [this, settled] {
        if (std::exchange(*settled, true))
            return;
        if (--m_pending == 0)
            m_report = m_found; // published whole, so a reader never sees half of it
    };
    connect(process, &QProcess::finished, this, [process, language, interpreter, settle, this] {
        process->deleteLater();
        QJsonObject found = QJsonDocument::fromJson(process->readAllStandardOutput()).object();
        if (!found.isEmpty()) { // nothing to say beats a wrong answer
            found.insert(QStringLiteral("language"), language);
            found.insert(QStringLiteral("interpreter"), interpreter);
            m_found.append(found);
        }
        settle();
    });
    connect(process, &QProcess::errorOccurred, this,
            [process, settle](QProcess::ProcessError error) {
                if (error != QProcess::FailedToStart)
                    return;
                process->deleteLater();
                settle();
            });
    // A probe that hangs (a broken interpreter) is not waited for.
    QTimer::singleShot(10000, process, [process] { process->kill(); });
    process->start(interpreter, planned.arguments);
}

} // namespace agentbay::sandbox
