// SPDX-License-Identifier: GPL-3.0-or-later
// Sessions a previous run left recorded are deleted at the next start, on their own backend
// (a real agentbay-sandbox playing the remote endpoint), and the journal forgets them; what
// cannot be deleted stays recorded with the reason.
#include "localsandbox.h"
#include "testsupport.h"

#include "client/agentbayclient.h"
#include "client/apicall.h"
#include "client/session.h"
#include "workbench/sessioncleanup.h"
#include "workspace/secretstore.h"
#include "workspace/sessionjournal.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace agentbay;
using agentbay::test::SandboxProcess;

class TestSessionCleanup final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void recordedSessions_areDeletedAtTheNextStart()
    {
        const QString key = QStringLiteral("akm-cleanup-test");
        SandboxProcess remote(key);
        QVERIFY(remote.endpoint().isValid());
        client::AgentBayClient client;
        client::ClientConfig config;
        config.endpoint = remote.endpoint();
        config.apiKey = key;
        client.setConfig(config);
        // A session a crashed or wedged run left behind.
        client::Session left(&client);
        QSignalSpy created(&left, &client::Session::created);
        left.runCode(QStringLiteral("x = 1"), QStringLiteral("python"), 10);
        QVERIFY(created.wait(20000));
        const QString id = left.id();

        QTemporaryDir dir;
        workspace::SessionJournal journal(dir.filePath(QStringLiteral("unconfirmed.json")));
        QVERIFY(journal.add({id,
                             QStringLiteral("custom"),
                             remote.endpoint().toString(),
                             {},
                             QDateTime::currentDateTimeUtc(),
                             QStringLiteral("test")}));
        QVERIFY(journal.add({QStringLiteral("session-without-key"),
                             QStringLiteral("shanghai"),
                             QStringLiteral("https://wuyingai.cn-shanghai.aliyuncs.com"),
                             {},
                             QDateTime::currentDateTimeUtc(),
                             QStringLiteral("test")}));
        // No keychain here: the custom profile's key was kept in memory (the explicit fallback).
        workspace::SecretStore secrets(QStringLiteral("agentbay-playground-test"));
        secrets.keepInMemory(workspace::SecretStore::keyForProfile(QStringLiteral("custom")), key);

        workbench::SessionCleanup cleanup(journal, &secrets, QProcessEnvironment());
        QSignalSpy finished(&cleanup, &workbench::SessionCleanup::finished);
        QSignalSpy leftBehind(&cleanup, &workbench::SessionCleanup::sessionLeft);
        cleanup.start(20000);
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().at(0).toInt(), 1);
        QCOMPARE(finished.first().at(1).toInt(), 1);
        QCOMPARE(leftBehind.first().at(0).toString(), QStringLiteral("session-without-key"));
        QVERIFY(leftBehind.first().at(1).toString().contains(QLatin1String("API key")));
        const auto remaining = journal.entries();
        QCOMPARE(remaining.size(), 1);
        QCOMPARE(remaining.first().sessionId, QStringLiteral("session-without-key"));

        QVERIFY(test::backendSaysGone(&client, id));
    }

    void aRecordedSessionThatIsAlreadyGone_isCleared()
    {
        // The session was deleted on its backend (by the runner, another machine, an expiry)
        // after it was journaled: the cleanup finds it gone and forgets it, instead of
        // reporting "not deleted" at every start.
        const QString key = QStringLiteral("akm-cleanup-test");
        SandboxProcess remote(key);
        QVERIFY(remote.endpoint().isValid());
        client::AgentBayClient client;
        client::ClientConfig config;
        config.endpoint = remote.endpoint();
        config.apiKey = key;
        client.setConfig(config);
        client::Session gone(&client);
        QSignalSpy created(&gone, &client::Session::created);
        gone.runCode(QStringLiteral("x = 1"), QStringLiteral("python"), 10);
        QVERIFY(created.wait(20000));
        const QString id = gone.id();
        QSignalSpy removed(&gone, &client::Session::removed);
        gone.remove(10000);
        QVERIFY(removed.wait(10000));
        QCOMPARE(removed.first().first().toBool(), true);

        QTemporaryDir dir;
        workspace::SessionJournal journal(dir.filePath(QStringLiteral("unconfirmed.json")));
        QVERIFY(journal.add({id,
                             QStringLiteral("custom"),
                             remote.endpoint().toString(),
                             {},
                             QDateTime::currentDateTimeUtc(),
                             QStringLiteral("test")}));
        workspace::SecretStore secrets(QStringLiteral("agentbay-playground-test"));
        secrets.keepInMemory(workspace::SecretStore::keyForProfile(QStringLiteral("custom")), key);
        workbench::SessionCleanup cleanup(journal, &secrets, QProcessEnvironment());
        QSignalSpy finished(&cleanup, &workbench::SessionCleanup::finished);
        QSignalSpy deleted(&cleanup, &workbench::SessionCleanup::sessionDeleted);
        cleanup.start(20000);
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().at(0).toInt(), 1); // deleted (it was already)
        QCOMPARE(finished.first().at(1).toInt(), 0); // none left
        QCOMPARE(deleted.first().first().toString(), id);
        QVERIFY(journal.entries().isEmpty());
    }

    void anEmptyJournal_finishesAtOnce()
    {
        QTemporaryDir dir;
        workspace::SecretStore secrets(QStringLiteral("agentbay-playground-test"));
        workbench::SessionCleanup cleanup(workspace::SessionJournal(
                                                  dir.filePath(QStringLiteral("none.json"))),
                                          &secrets, QProcessEnvironment());
        QSignalSpy finished(&cleanup, &workbench::SessionCleanup::finished);
        cleanup.start();
        QVERIFY(finished.wait(1000));
        QCOMPARE(finished.first().at(0).toInt(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSessionCleanup)
#include "tst_sessioncleanup.moc"
