// SPDX-License-Identifier: GPL-3.0-or-later
// API keys in a real Secret Service (gnome-keyring under a private D-Bus session, started by
// secretstore_keyring.sh), and the honest answer when no keychain exists.
#include "workspace/secretstore.h"

#include <QSignalSpy>
#include <QTest>

using agentbay::workspace::SecretStore;

namespace {
// Each answer as (key, secret, status, error).
template<typename Signal>
QList<QVariant> answer(SecretStore &store, Signal signal, const std::function<void()> &ask)
{
    QSignalSpy spy(&store, signal);
    ask();
    if (!spy.wait(20000))
        return {};
    return spy.first();
}
} // namespace

class TestSecretStore final : public QObject
{
    Q_OBJECT

    bool keyringExpected() const
    {
        return qEnvironmentVariable("AGENTBAY_TEST_KEYRING") == QLatin1String("present");
    }

private Q_SLOTS:
    void keys_roundTripThroughTheKeychain()
    {
        if (!keyringExpected())
            QSKIP("run by secretstore_keyring.sh with a keyring");
        SecretStore store(QStringLiteral("agentbay-playground-test"));
        const QString key = SecretStore::keyForProfile(QStringLiteral("shanghai"));
        auto written = answer(store, &SecretStore::writeFinished,
                              [&] { store.write(key, QStringLiteral("akm-in-the-keyring")); });
        QCOMPARE(written.value(1).value<SecretStore::Status>(), SecretStore::Status::Ok);
        QVERIFY(store.keychainAvailable());
        QVERIFY(!store.isInMemory(key));
        auto read = answer(store, &SecretStore::readFinished, [&] { store.read(key); });
        QCOMPARE(read.value(1).toString(), QStringLiteral("akm-in-the-keyring"));
        QCOMPARE(read.value(2).value<SecretStore::Status>(), SecretStore::Status::Ok);

        // Another store (a later start of the app) reads the same key.
        SecretStore later(QStringLiteral("agentbay-playground-test"));
        read = answer(later, &SecretStore::readFinished, [&] { later.read(key); });
        QCOMPARE(read.value(1).toString(), QStringLiteral("akm-in-the-keyring"));

        auto removed = answer(store, &SecretStore::removeFinished, [&] { store.remove(key); });
        QCOMPARE(removed.value(1).value<SecretStore::Status>(), SecretStore::Status::Ok);
        read = answer(store, &SecretStore::readFinished, [&] { store.read(key); });
        QCOMPARE(read.value(2).value<SecretStore::Status>(), SecretStore::Status::NotFound);
        QVERIFY(read.value(1).toString().isEmpty());
    }

    void noKeychain_isReported_andTheFallbackIsMemoryOnly()
    {
        if (keyringExpected())
            QSKIP("this case runs without a keyring");
        SecretStore store(QStringLiteral("agentbay-playground-test"));
        const QString key = SecretStore::keyForProfile(QStringLiteral("singapore"));
        auto written = answer(store, &SecretStore::writeFinished,
                              [&] { store.write(key, QStringLiteral("akm-nowhere")); });
        QCOMPARE(written.value(1).value<SecretStore::Status>(), SecretStore::Status::NoKeychain);
        QVERIFY(!written.value(2).toString().isEmpty());
        QVERIFY(!store.keychainAvailable());
        QVERIFY(!store.keychainProblem().isEmpty());
        // The explicit fallback: this process's memory, answered without the keychain.
        store.keepInMemory(key, QStringLiteral("akm-in-memory"));
        auto read = answer(store, &SecretStore::readFinished, [&] { store.read(key); });
        QCOMPARE(read.value(1).toString(), QStringLiteral("akm-in-memory"));
        QCOMPARE(read.value(2).value<SecretStore::Status>(), SecretStore::Status::Ok);
        // A new store (the next start) has nothing: the fallback is not written anywhere.
        SecretStore next(QStringLiteral("agentbay-playground-test"));
        read = answer(next, &SecretStore::readFinished, [&] { next.read(key); });
        QCOMPARE(read.value(2).value<SecretStore::Status>(), SecretStore::Status::NoKeychain);
        QVERIFY(read.value(1).toString().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
