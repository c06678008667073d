// SPDX-License-Identifier: GPL-3.0-or-later
#include "applicationlog.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QMutex>
#include <QRegularExpression>
#include <QStandardPaths>

#include <cstdio>

namespace agentbay::workspace::ApplicationLog {

namespace {

constexpr qint64 RotateBytes = qint64{2} * 1024 * 1024;

struct LogState
{
    QMutex mutex;
    QFile file;
    QtMessageHandler previous = nullptr;
};

LogState &state()
{
    static LogState instance;
    return instance;
}

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "debug";
    case QtInfoMsg:
        return "info";
    case QtWarningMsg:
        return "warning";
    case QtCriticalMsg:
        return "critical";
    case QtFatalMsg:
        return "fatal";
    }
    return "?";
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString clean = redact(message);
    LogState &log = state();
    {
        QMutexLocker lock(&log.mutex);
        if (log.file.isOpen()) {
            const QByteArray line = QDateTime::currentDateTime().toString(Qt::ISODateWithMs).toUtf8()
                                    + ' ' + levelName(type) + ' '
                                    + (context.category ? context.category : "default") + ": "
                                    + clean.toUtf8() + '\n';
            log.file.write(line);
            log.file.flush();
        }
    }
    if (log.previous)
        log.previous(type, context, clean);
}

} // namespace

QString redact(const QString &text)
{
    static const QRegularExpression secrets(
            QStringLiteral(R"((akm-[A-Za-z0-9_\-]{4})[A-Za-z0-9_\-]+|(Bearer(?:%20|\+|\s)+)\S+)"));
    QString out = text;
    out.replace(secrets, QStringLiteral("\\1\\2***"));
    return out;
}

QString install(const QString &name)
{
    LogState &log = state();
    const QString directory = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)
                              + QStringLiteral("/logs");
    const QString path = directory + QLatin1Char('/') + name + QStringLiteral(".log");
    {
        QMutexLocker lock(&log.mutex);
        QDir().mkpath(directory);
        if (QFile::exists(path) && QFileInfo(path).size() > RotateBytes) {
            QFile::remove(path + QStringLiteral(".1"));
            QFile::rename(path, path + QStringLiteral(".1"));
        }
        log.file.setFileName(path);
        if (!log.file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text))
            std::fprintf(stderr, "%s: cannot write the log file %s\n", qPrintable(name),
                         qPrintable(path));
    }
    log.previous = qInstallMessageHandler(handler);
    return log.file.isOpen() ? path : QString();
}

} // namespace agentbay::workspace::ApplicationLog
