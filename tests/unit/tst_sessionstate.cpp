// SPDX-License-Identifier: GPL-3.0-or-later
// What the window remembers about sessions and where they run: the timeline, the journal of
// sessions to clean up, how profiles resolve (environment first), and the new settings.
#include "client/profiles.h"
#include "client/sessiontimeline.h"
#include "workspace/playgroundsettings.h"
#include "workspace/sessionjournal.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace agentbay;
using client::ConfigSource;
using client::TimelineEntry;

class TestSessionState final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void timeline_recordsInOrder_andCopiesAsText()
    {
        client::SessionTimeline timeline;
        QSignalSpy added(&timeline, &client::SessionTimeline::entryAdded);
        timeline.record(TimelineEntry::Event::Creating, QStringLiteral("CreateMcpSession"));
        timeline.record(TimelineEntry::Event::Ready, QStringLiteral("session created"),
                        QStringLiteral("session-1"), QStringLiteral("REQ-1"), 1234);
        timeline.record(TimelineEntry::Event::TimedOut, QStringLiteral("stopped after 1.1 s"),
                        QStringLiteral("session-1"), QStringLiteral("REQ-2"), 1100);
        QCOMPARE(added.size(), 3);
        QCOMPARE(timeline.entries().at(1).requestId, QStringLiteral("REQ-1"));
        const QStringList lines = timeline.toText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4);
        QCOMPARE(lines.at(0), QStringLiteral("time\tevent\tsession\trequest\tduration\tdetail"));
        QVERIFY(lines.at(2).endsWith(
                QLatin1String("\tready\tsession-1\tREQ-1\t1.234 s\tsession created")));
        QVERIFY(lines.at(3).contains(QLatin1String("\ttimed out\t")));
        QCOMPARE(TimelineEntry::eventName(TimelineEntry::Event::Interrupted),
                 QStringLiteral("interrupted"));
    }

    void timeline_isBounded()
    {
        client::SessionTimeline timeline;
        QSignalSpy dropped(&timeline, &client::SessionTimeline::entriesDropped);
        for (int i = 0; i < client::SessionTimeline::MaximumEntries + 1; ++i)
            timeline.record(TimelineEntry::Event::Running, QString::number(i));
        QCOMPARE(dropped.size(), 1);
        QVERIFY(timeline.entries().size() <= client::SessionTimeline::MaximumEntries);
        QCOMPARE(timeline.entries().constLast().detail,
                 QString::number(client::SessionTimeline::MaximumEntries));
    }

    void journal_addsReplacesAndRemoves()
    {
        QTemporaryDir dir;
        workspace::SessionJournal journal(
                dir.filePath(QStringLiteral("sessions/unconfirmed.json")));
        QVERIFY(journal.entries().isEmpty());
        workspace::JournaledSession a{QStringLiteral("session-a"),
                                      QStringLiteral("shanghai"),
                                      QStringLiteral("https://wuyingai.cn-shanghai.aliyuncs.com"),
                                      QStringLiteral("cn-shanghai"),
                                      QDateTime::fromString(QStringLiteral(
                                                                    "2026-11-27T05:00:00.000Z"),
                                                            Qt::ISODateWithMs),
                                      QStringLiteral("not confirmed")};
        workspace::JournaledSession b = a;
        b.sessionId = QStringLiteral("session-b");
        QVERIFY(journal.add(a));
        QVERIFY(journal.add(b));
        a.reason = QStringLiteral("again");
        QVERIFY(journal.add(a)); // replaces, by id
        auto entries = journal.entries();
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries.at(1), a);
        QVERIFY(journal.remove(QStringLiteral("session-b")));
        QCOMPARE(journal.entries(), QList<workspace::JournaledSession>{a});
        // Readable and diffable: indented JSON.
        QFile file(journal.fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("\"sessionId\": \"session-a\""));
        QVERIFY(text.count('\n') > 10);
    }

    void journal_reportsAWriteItCannotMake()
    {
        // A file where the directory should be: no one, root included, can write beneath it.
        QTemporaryDir dir;
        QFile blocker(dir.filePath(QStringLiteral("sessions")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        workspace::SessionJournal journal(
                dir.filePath(QStringLiteral("sessions/unconfirmed.json")));
        QString error;
        QVERIFY(!journal.add({QStringLiteral("s"), {}, {}, {}, {}, {}}, &error));
        QVERIFY(!error.isEmpty());
    }

    void profiles_listTheLocalSandboxTheGatewaysAndCustom()
    {
        QStringList ids;
        for (const auto &profile : client::Profiles::all())
            ids << profile.id;
        QCOMPARE(ids, (QStringList{QStringLiteral("local"), QStringLiteral("shanghai"),
                                   QStringLiteral("singapore"), QStringLiteral("custom")}));
        QVERIFY(client::Profiles::byId(QStringLiteral("local")).isLocal);
        QCOMPARE(client::Profiles::byId(QStringLiteral("nonsense")).id, QStringLiteral("local"));
    }

    void profiles_needAKey_andSayHowToGetOne()
    {
        QTemporaryDir dir; // no .env above it that matters: an empty directory tree of our own
        const auto config = client::Profiles::resolve(QStringLiteral("singapore"), {}, {}, {},
                                                      QProcessEnvironment(), dir.path());
        QVERIFY(!config.usable());
        QVERIFY(config.problem.contains(QLatin1String("AgentBay Singapore needs an API key")));
        QVERIFY(config.problem.contains(client::Profiles::consoleUrl()));
        QCOMPARE(config.resolved.config.endpoint.host(),
                 QStringLiteral("wuyingai.ap-southeast-1.aliyuncs.com"));
        const auto local = client::Profiles::resolve(QStringLiteral("local"), {}, {}, {},
                                                     QProcessEnvironment(), dir.path());
        QVERIFY(local.usable());
    }

    void profiles_takeTheEnvironmentOverStoredValues()
    {
        QTemporaryDir dir;
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("AGENTBAY_API_KEY"), QStringLiteral("akm-from-env"));
        environment.insert(QStringLiteral("AGENTBAY_REGION_ID"), QStringLiteral("cn-env"));
        environment.insert(QStringLiteral("AGENTBAY_ENDPOINT"), QStringLiteral("env.example.test"));
        const auto shanghai = client::Profiles::resolve(QStringLiteral("shanghai"), {},
                                                        QStringLiteral("cn-stored"),
                                                        QStringLiteral("akm-stored"), environment,
                                                        dir.path());
        QVERIFY(shanghai.usable());
        QCOMPARE(shanghai.resolved.config.apiKey, QStringLiteral("akm-from-env"));
        QCOMPARE(shanghai.resolved.sourceOf(QStringLiteral("apiKey")), ConfigSource::Environment);
        QCOMPARE(shanghai.resolved.config.regionId, QStringLiteral("cn-env"));
        // A gateway profile is its gateway: AGENTBAY_ENDPOINT is for the custom profile.
        QCOMPARE(shanghai.resolved.config.endpoint.host(),
                 QStringLiteral("wuyingai.cn-shanghai.aliyuncs.com"));
        const auto custom = client::Profiles::resolve(QStringLiteral("custom"),
                                                      QStringLiteral("stored.example.test"), {}, {},
                                                      environment, dir.path());
        QCOMPARE(custom.resolved.config.endpoint.host(), QStringLiteral("env.example.test"));
        QCOMPARE(custom.resolved.sourceOf(QStringLiteral("endpoint")), ConfigSource::Environment);

        const auto stored = client::Profiles::resolve(QStringLiteral("custom"),
                                                      QStringLiteral("http://127.0.0.1:9"),
                                                      QStringLiteral("cn-stored"),
                                                      QStringLiteral("akm-stored"),
                                                      QProcessEnvironment(), dir.path());
        QVERIFY(stored.usable());
        QCOMPARE(stored.resolved.config.endpoint.host(), QStringLiteral("127.0.0.1"));
        QCOMPARE(stored.resolved.config.endpoint.port(), 9);
        QCOMPARE(stored.resolved.config.apiKey, QStringLiteral("akm-stored"));
        QCOMPARE(stored.resolved.sourceOf(QStringLiteral("apiKey")), ConfigSource::Explicit);
        const auto noEndpoint = client::Profiles::resolve(QStringLiteral("custom"), {}, {},
                                                          QStringLiteral("akm"),
                                                          QProcessEnvironment(), dir.path());
        QVERIFY(noEndpoint.problem.contains(QLatin1String("no endpoint")));
    }

    void settings_keepAppearanceProfilesAndAutosave()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("settings.ini"));
        {
            workspace::PlaygroundSettings settings(path);
            QCOMPARE(settings.theme(), QStringLiteral("system"));
            QCOMPARE(settings.currentProfile(), QStringLiteral("local"));
            QCOMPARE(settings.autosaveIntervalSeconds(), 2);
            QSignalSpy theme(&settings, &workspace::PlaygroundSettings::themeChanged);
            settings.setTheme(QStringLiteral("dark"));
            settings.setTheme(QStringLiteral("dark"));
            QCOMPARE(theme.size(), 1);
            settings.setTheme(QStringLiteral("purple"));
            QCOMPARE(settings.theme(), QStringLiteral("system"));
            settings.setTheme(QStringLiteral("light"));
            settings.setEditorFontFamily(QStringLiteral("DejaVu Sans Mono"));
            settings.setEditorFontSize(99); // out of range: the system size
            QCOMPARE(settings.editorFontSize(), 0);
            settings.setEditorFontSize(13);
            settings.setAutosaveIntervalSeconds(500);
            settings.setCurrentProfile(QStringLiteral("singapore"));
            settings.setCurrentProfile(QStringLiteral("mars"));
            settings.setProfileEndpoint(QStringLiteral("custom"), QStringLiteral(" host:8443 "));
            settings.setProfileRegion(QStringLiteral("shanghai"), QStringLiteral("cn-shanghai"));
            settings.sync();
        }
        workspace::PlaygroundSettings reread(path);
        QCOMPARE(reread.theme(), QStringLiteral("light"));
        QCOMPARE(reread.editorFontFamily(), QStringLiteral("DejaVu Sans Mono"));
        QCOMPARE(reread.editorFontSize(), 13);
        QCOMPARE(reread.autosaveIntervalSeconds(), 60);
        QCOMPARE(reread.currentProfile(), QStringLiteral("singapore"));
        QCOMPARE(reread.profileEndpoint(QStringLiteral("custom")), QStringLiteral("host:8443"));
        QCOMPARE(reread.profileRegion(QStringLiteral("shanghai")), QStringLiteral("cn-shanghai"));
        // No secret has a key in the settings file.
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().toLower().contains("key"));
    }
};

QTEST_GUILESS_MAIN(TestSessionState)
#include "tst_sessionstate.moc"
