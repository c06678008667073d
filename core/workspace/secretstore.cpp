// SPDX-License-Identifier: GPL-3.0-or-later
#include "secretstore.h"

#include <qt6keychain/keychain.h>

#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcSecrets, "agentbay.secrets")

namespace agentbay::workspace {

SecretStore::SecretStore(const QString &service, QObject *parent)
    : QObject(parent), m_service(service)
{}

SecretStore::~SecretStore() = default;

SecretStore::Status SecretStore::classify(int keychainError, const QString &text)
{
    switch (keychainError) {
    case QKeychain::NoError:
        m_available = true;
        m_problem.clear();
        return Status::Ok;
    case QKeychain::EntryNotFound:
        m_available = true;
        m_problem.clear();
        return Status::NotFound;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        // Headless Linux without a Secret Service daemon lands here (OtherError, "no D-Bus…").
        m_available = false;
        m_problem = text;
        qCWarning(lcSecrets) << "no keychain:" << text;
        return Status::NoKeychain;
    default:
        m_available = true;
        m_problem = text;
        return Status::Failed;
    }
}

// Jobs have no parent: the libsecret backend calls back into its job when D-Bus answers, so a
// job must outlive this store (it deletes itself when finished); its answer then goes nowhere.

void SecretStore::read(const QString &key)
{
    if (m_memory.contains(key)) {
        QTimer::singleShot(0, this, [this, key] {
            Q_EMIT readFinished(key, m_memory.value(key), Status::Ok, {});
        });
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text file
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, job, key] {
        const Status status = classify(job->error(), job->errorString());
        Q_EMIT readFinished(key, status == Status::Ok ? job->textData() : QString(), status,
                            status == Status::Ok || status == Status::NotFound
                                    ? QString()
                                    : job->errorString());
    });
    job->start();
}

void SecretStore::write(const QString &key, const QString &secret)
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [this, job, key] {
        const Status status = classify(job->error(), job->errorString());
        if (status == Status::Ok)
            m_memory.remove(key); // the keychain has it now
        Q_EMIT writeFinished(key, status, status == Status::Ok ? QString() : job->errorString());
    });
    job->start();
}

void SecretStore::remove(const QString &key)
{
    m_memory.remove(key);
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, job, key] {
        Status status = classify(job->error(), job->errorString());
        if (status == Status::NotFound)
            status = Status::Ok; // nothing to delete is what was asked for
        Q_EMIT removeFinished(key, status, status == Status::Ok ? QString() : job->errorString());
    });
    job->start();
}

void SecretStore::keepInMemory(const QString &key, const QString &secret)
{
    m_memory.insert(key, secret);
}

} // namespace agentbay::workspace
