// SPDX-License-Identifier: GPL-3.0-or-later
#include "freedmemory.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThread>
#include <QTimer>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace agentbay::protocol::FreedMemory {

void configure()
{
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 8 * 1024 * 1024);
#endif
}

void releaseNow()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

void releaseSoon(int delayMs)
{
    thread_local QPointer<QTimer> timer;
    if (!timer) {
        // Owned by the application when called on its thread (the usual case), else kept for
        // the thread's life.
        QObject *app = QCoreApplication::instance();
        timer = new QTimer(app && app->thread() == QThread::currentThread() ? app : nullptr);
        timer->setSingleShot(true);
        QObject::connect(timer, &QTimer::timeout, timer, &releaseNow);
    }
    timer->start(delayMs);
}

} // namespace agentbay::protocol::FreedMemory
