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

// R's version and jsonlite's (which the R kernel needs), without jsonlite itself.
const char RProbe[] = R"(jsonlite <- tryCatch(as.character(packageVersion("jsonlite")),
                     error = function(e) NULL)
cat(sprintf('{"version":"%s.%s","packages":{"jsonlite":%s}}\n', R.version$major,
            R.version$minor, if (is.null(jsonlite)) "null" else sprintf('"%s"', jsonlite)))
)";

} // namespace

RuntimeProbe::RuntimeProbe(const SandboxConfig &config, QObject *parent) : QObject(parent)
{
    const QString python = KernelSpec::interpreterFor(protocol::Languages::name(
                                                              protocol::Language::Python),
                                                      config.pythonInterpreter);
    const QString node = KernelSpec::interpreterFor(protocol::Languages::name(
                                                            protocol::Language::JavaScript),
                                                    config.nodeInterpreter);
    if (!python.isEmpty()) {
        probe(protocol::Languages::name(protocol::Language::Python), python,
              {QStringLiteral("-I"), QStringLiteral("-c"), QString::fromLatin1(PythonProbe)});
    }
    if (!node.isEmpty())
        probe(protocol::Languages::name(protocol::Language::JavaScript), node,
              {QStringLiteral("-e"), QString::fromLatin1(NodeProbe)});
    const QString r = KernelSpec::interpreterFor(protocol::Languages::name(protocol::Language::R),
                                                 QString());
    if (!r.isEmpty())
        probe(protocol::Languages::name(protocol::Language::R), r,
              {QStringLiteral("--vanilla"), QStringLiteral("-e"), QString::fromLatin1(RProbe)});
}

RuntimeProbe::~RuntimeProbe() = default;

void RuntimeProbe::probe(const QString &language, const QString &interpreter,
                         const QStringList &arguments)
{
    auto *process = new QProcess(this);
    process->setProcessChannelMode(QProcess::SeparateChannels);
    ++m_pending;
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
    process->start(interpreter, arguments);
}

} // namespace agentbay::sandbox
