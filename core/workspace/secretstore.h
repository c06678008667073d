// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>
#include <QString>

namespace agentbay::workspace {

// API keys in the OS keychain (Secret Service, macOS Keychain, Windows Credential Manager)
// through QtKeychain. Never in settings files or logs. When no keychain exists, the store says
// so, and a key may be kept in memory until the app quits, only when the user asks for that.
class SecretStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretStore)

public:
    enum class Status { Ok, NotFound, NoKeychain, Failed };
    Q_ENUM(Status)

    explicit SecretStore(const QString &service = QStringLiteral("agentbay-playground"),
                         QObject *parent = nullptr);
    ~SecretStore() override;

    // Each answers once through the matching signal; nothing waits.
    void read(const QString &key);
    void write(const QString &key, const QString &secret);
    void remove(const QString &key);

    // The explicit fallback: kept in this process's memory only, gone at quit.
    void keepInMemory(const QString &key, const QString &secret);
    bool isInMemory(const QString &key) const { return m_memory.contains(key); }
    void forgetInMemory(const QString &key) { m_memory.remove(key); }

    // Whether the last keychain call found a keychain; and its error when not.
    bool keychainAvailable() const { return m_available; }
    QString keychainProblem() const { return m_problem; }

    static QString keyForProfile(const QString &profile)
    {
        return QStringLiteral("api-key/") + profile;
    }

Q_SIGNALS:
    // A key kept in memory is answered from memory (status Ok) without asking the keychain.
    void readFinished(const QString &key, const QString &secret,
                      agentbay::workspace::SecretStore::Status status, const QString &error);
    void writeFinished(const QString &key, agentbay::workspace::SecretStore::Status status,
                       const QString &error);
    void removeFinished(const QString &key, agentbay::workspace::SecretStore::Status status,
                        const QString &error);

private:
    Status classify(int keychainError, const QString &text);

    QString m_service;
    QHash<QString, QString> m_memory;
    bool m_available = true;
    QString m_problem;
};

} // namespace agentbay::workspace
