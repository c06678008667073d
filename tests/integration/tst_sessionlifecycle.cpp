// SPDX-License-Identifier: GPL-3.0-or-later
// The session lifecycle, transition by transition, against a backend that replays the captured
// AgentBay answers (tests/data/wire) and holds any of them back on request, so every pair of
// overlapping calls (run, pause, resume, restart, remove) and quitting in every state can be
// set up exactly. The state diagram these tests follow is in client/session.h.
#include "client/agentbayclient.h"
#include "client/runcontroller.h"
#include "client/session.h"

#include "testsupport.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using agentbay::client::AgentBayClient;
using agentbay::client::ClientConfig;
using agentbay::client::RunController;
using agentbay::client::Session;
using agentbay::protocol::RunCodeResult;
using agentbay::test::ReplayServer;
using State = Session::State;

namespace {

QByteArray withStatus(const QString &fixture, const QString &status)
{
    QJsonObject response = agentbay::test::wireJson(fixture + QStringLiteral(".response.json"));
    QJsonObject body = response.value(QLatin1String("body")).toObject();
    QJsonObject data = body.value(QLatin1String("Data")).toObject();
    data.insert(QStringLiteral("Status"), status);
    body.insert(QStringLiteral("Data"), data);
    return ReplayServer::answer(200, QJsonDocument(body).toJson());
}

// An AgentBay endpoint that answers each action with its captured answer, keeps the session's
// status the way the cloud does (PAUSED after a pause, DELETING then gone after a delete), and
// holds the answers of chosen actions until the test releases them.
class ScriptedBackend
{
public:
    ScriptedBackend()
        : m_server([this](const QByteArray &request, const ReplayServer::Reply &reply) {
              onRequest(request, reply);
          })
    {}

    ClientConfig config() const
    {
        ClientConfig config;
        config.endpoint = m_server.url();
        config.apiKey = QStringLiteral("akm-lifecycle-test");
        config.requestTimeoutMs = 10000;
        return config;
    }

    void hold(const QString &action) { m_holding.insert(action); }
    // Answers every held request of the action, then answers it at once again.
    void release(const QString &action)
    {
        m_holding.remove(action);
        const auto held = m_held;
        m_held.clear();
        for (const auto &[name, reply] : held) {
            if (name == action)
                reply(answerFor(name));
            else
                m_held.append({name, reply});
        }
    }
    int heldCount(const QString &action) const
    {
        return static_cast<int>(std::count_if(m_held.begin(), m_held.end(), [&](const auto &each) {
            return each.first == action;
        }));
    }
    int count(const QString &action) const { return m_counts.value(action); }

    QString status = QStringLiteral("RUNNING"); // what GetSession reports
    bool stayTransitional = false;              // PAUSING / RESUMING forever
    bool deletionNeverEnds = false;             // DELETING forever
    bool createFails = false;
    bool deleteFails = false;

private:
    static QString actionOf(const QByteArray &request)
    {
        static const QRegularExpression action(QStringLiteral("[?&]Action=([A-Za-z]+)"));
        return action.match(QString::fromLatin1(request.left(request.indexOf('\n')))).captured(1);
    }

    void onRequest(const QByteArray &request, const ReplayServer::Reply &reply)
    {
        const QString action = actionOf(request);
        ++m_counts[action];
        if (m_holding.contains(action)) {
            m_held.append({action, reply});
            return;
        }
        reply(answerFor(action));
    }

    QByteArray answerFor(const QString &action)
    {
        if (action == QLatin1String("CreateMcpSession")) {
            return createFails ? ReplayServer::fixtureAnswer(
                           QStringLiteral("26-create-session-invalid-api-key"))
                               : ReplayServer::fixtureAnswer(QStringLiteral("01-create-session"));
        }
        if (action == QLatin1String("CallMcpTool"))
            return ReplayServer::fixtureAnswer(QStringLiteral("02-call-run-code-python"));
        if (action == QLatin1String("PauseSessionAsync")) {
            status = stayTransitional ? QStringLiteral("PAUSING") : QStringLiteral("PAUSED");
            return ReplayServer::fixtureAnswer(QStringLiteral("12-pause-session-async"));
        }
        if (action == QLatin1String("ResumeSessionAsync")) {
            status = stayTransitional ? QStringLiteral("RESUMING") : QStringLiteral("RUNNING");
            return ReplayServer::fixtureAnswer(QStringLiteral("15-resume-session-async"));
        }
        if (action == QLatin1String("GetSession"))
            return withStatus(QStringLiteral("07-get-session"), status);
        if (action == QLatin1String("DeleteSessionAsync")) {
            if (deleteFails)
                return ReplayServer::answer(500, "{\"Code\":\"InternalError\",\"Message\":\"x\"}");
            status = QStringLiteral("DELETING");
            m_deletionPolls = 0;
            return ReplayServer::fixtureAnswer(QStringLiteral("17-delete-session-async"));
        }
        if (action == QLatin1String("GetSessionDetail")) {
            if (status == QLatin1String("DELETING") && (deletionNeverEnds || m_deletionPolls++ == 0))
                return ReplayServer::fixtureAnswer(
                        QStringLiteral("18-get-session-detail-after-delete-deleting"));
            if (status == QLatin1String("DELETING"))
                return ReplayServer::fixtureAnswer(
                        QStringLiteral("19-get-session-detail-after-delete-notfound"));
            return ReplayServer::fixtureAnswer(QStringLiteral("08-get-session-detail"));
        }
        return ReplayServer::answer(404, "{}");
    }

    ReplayServer m_server;
    QSet<QString> m_holding;
    QList<QPair<QString, ReplayServer::Reply>> m_held;
    QHash<QString, int> m_counts;
    int m_deletionPolls = 0;
};

QList<State> statesIn(const QSignalSpy &spy)
{
    QList<State> states;
    for (const auto &arguments : spy)
        states.append(arguments.first().value<State>());
    return states;
}

constexpr int PollMs = 20;

} // namespace

class TestSessionLifecycle final : public QObject
{
    Q_OBJECT

private:
    // A session of the backend brought to the given state (held there by held answers).
    static void driveTo(Session &session, ScriptedBackend &backend, State target)
    {
        switch (target) {
        case State::NotStarted:
            return;
        case State::Creating:
            backend.hold(QStringLiteral("CreateMcpSession"));
            session.runCode(QStringLiteral("1"), QStringLiteral("python"), 5);
            QTRY_COMPARE(backend.heldCount(QStringLiteral("CreateMcpSession")), 1);
            break;
        case State::Ready:
            session.runCode(QStringLiteral("1"), QStringLiteral("python"), 5);
            QTRY_COMPARE(session.state(), State::Ready);
            QTRY_COMPARE(backend.count(QStringLiteral("CallMcpTool")), 1);
            QTRY_COMPARE(session.state(), State::Ready);
            break;
        case State::Running:
            driveTo(session, backend, State::Ready);
            backend.hold(QStringLiteral("CallMcpTool"));
            session.runCode(QStringLiteral("2"), QStringLiteral("python"), 5);
            QTRY_COMPARE(backend.heldCount(QStringLiteral("CallMcpTool")), 1);
            break;
        case State::Pausing:
            driveTo(session, backend, State::Ready);
            backend.hold(QStringLiteral("PauseSessionAsync"));
            session.pause(PollMs, 5000);
            QTRY_COMPARE(backend.heldCount(QStringLiteral("PauseSessionAsync")), 1);
            break;
        case State::Paused:
            driveTo(session, backend, State::Ready);
            session.pause(PollMs, 5000);
            QTRY_COMPARE(session.state(), State::Paused);
            break;
        case State::Resuming:
            driveTo(session, backend, State::Paused);
            backend.hold(QStringLiteral("ResumeSessionAsync"));
            session.resume(PollMs, 5000);
            QTRY_COMPARE(backend.heldCount(QStringLiteral("ResumeSessionAsync")), 1);
            break;
        case State::Deleting:
            driveTo(session, backend, State::Ready);
            backend.hold(QStringLiteral("DeleteSessionAsync"));
            session.remove(5000);
            QTRY_COMPARE(backend.heldCount(QStringLiteral("DeleteSessionAsync")), 1);
            break;
        case State::Deleted: {
            driveTo(session, backend, State::Ready);
            QSignalSpy removed(&session, &Session::removed);
            session.remove(5000);
            QTRY_COMPARE(removed.size(), 1);
            break;
        }
        case State::Failed:
            backend.createFails = true;
            session.runCode(QStringLiteral("1"), QStringLiteral("python"), 5);
            QTRY_COMPARE(session.state(), State::Failed);
            backend.createFails = false;
            break;
        }
        QCOMPARE(session.state(), target);
    }

private Q_SLOTS:
    void create_run_reachReadyThroughRunning()
    {
        ScriptedBackend backend;
        AgentBayClient client;
        client.setConfig(backend.config());
        Session session(&client);
        QSignalSpy states(&session, &Session::stateChanged);
        QSignalSpy finished(&session, &Session::runFinished);
        session.runCode(QStringLiteral("1+1"), QStringLiteral("python"), 5);
        QTRY_COMPARE(finished.size(), 1);
        QVERIFY(finished.first().at(1).value<RunCodeResult>().success);
        QCOMPARE(statesIn(states),
                 (QList<State>{State::Creating, State::Ready, State::Running, State::Ready}));
    }

    void pause_thenResume_goThroughTheirTransitionalStates()
    {
        ScriptedBackend backend;
        AgentBayClient client;
        client.setConfig(backend.config());
        Session session(&client);
        driveTo(session, backend, State::Ready);
        QSignalSpy states(&session, &Session::stateChanged);
        QSignalSpy paused(&session, &Session::paused);
        QSignalSpy resumed(&session, &Session::resumed);
        session.pause(PollMs, 5000);
        QTRY_COMPARE(paused.size(), 1);
        QCOMPARE(paused.first().first().toBool(), true);
        session.resume(PollMs, 5000);
        QTRY_COMPARE(resumed.size(), 1);
        QCOMPARE(resumed.first().first().toBool(), true);
        QCOMPARE(statesIn(states),
                 (QList<State>{State::Pausing, State::Paused, State::Resuming, State::Ready}));
    }

    void remove_inEveryState_endsDeletedWithOneAnswer_data()
    {
        QTest::addColumn<State>("from");
        QTest::addColumn<bool>("deletesOnTheBackend");
        QTest::newRow("not started") << State::NotStarted << false;
        QTest::newRow("creating") << State::Creating << true;
        QTest::newRow("ready") << State::Ready << true;
        QTest::newRow("running") << State::Running << true;
        QTest::newRow("pausing") << State::Pausing << true;
        QTest::newRow("paused") << State::Paused << true;
        QTest::newRow("resuming") << State::Resuming << true;
        QTest::newRow("failed (never created)") << State::Failed << false;
    }

    void remove_inEveryState_endsDeletedWithOneAnswer()
    {
        QFETCH(State, from);
        QFETCH(bool, deletesOnTheBackend);
        ScriptedBackend backend;
        AgentBayClient client;
        client.setConfig(backend.config());
        Session session(&client);
        driveTo(session, backend, from);
        QSignalSpy removed(&session, &Session::removed);
        QSignalSpy paused(&session, &Session::paused);
        QSignalSpy resumed(&session, &Session::resumed);
        QSignalSpy runs(&session, &Session::runFinished);
        QSignalSpy states(&session, &Session::stateChanged);
        session.remove(5000);
        session.remove(5000); // a second ask joins the first
        // Whatever was held back now answers: none of it may undo the deletion.
        for (const QString &action :
             {QStringLiteral("CreateMcpSession"), QStringLiteral("CallMcpTool"),
              QStringLiteral("PauseSessionAsync"), QStringLiteral("ResumeSessionAsync")})
            backend.release(action);
        QTRY_COMPARE(removed.size(), 1);
        QCOMPARE(removed.first().first().toBool(), true);
        QCOMPARE(session.state(), State::Deleted);
        QTest::qWait(200); // a stray poll or answer would show here
        QCOMPARE(removed.size(), 1);
        QCOMPARE(session.state(), State::Deleted);
        QCOMPARE(backend.count(QStringLiteral("DeleteSessionAsync")), deletesOnTheBackend ? 1 : 0);
        const QList<State> seen = statesIn(states);
        QVERIFY(!seen.isEmpty());
        QVERIFY(!seen.contains(State::Paused)); // an abandoned pause never lands
        QCOMPARE(seen.constLast(), State::Deleted);
        // An interrupted pause or resume says so once; a held run ends as cancelled.
        QCOMPARE(paused.size(), from == State::Pausing ? 1 : 0);
        QCOMPARE(resumed.size(), from == State::Resuming ? 1 : 0);
        if (from == State::Pausing)
            QCOMPARE(paused.first().first().toBool(), false);
        if (from == State::Running) {
            QCOMPARE(runs.size(), 1);
            QVERIFY(runs.first().at(1).value<RunCodeResult>().cancelled);
        }
    }

    void remove_whilePausePolls_pollsDeletionOnce()
    {
        // The pause was accepted and its polling runs (PAUSING for ever): remove() must stop
        // that polling, so the deletion is polled by one timer only and reported once.
        ScriptedBackend backend;
        backend.stayTransitional = true;
        AgentBayClient client;
        client.setConfig(backend.config());
        Session session(&client);
        driveTo(session, backend, State::Ready);
        QSignalSpy paused(&session, &Session::paused);
        QSignalSpy removed(&session, &Session::removed);
        session.pause(PollMs, 60000);
        QTRY_VERIFY(backend.count(QStringLiteral("GetSession")) >= 3);
        backend.stayTransitional = false;
        session.remove(5000);
        QTRY_COMPARE(removed.size(), 1);
        const int getSessions = backend.count(QStringLiteral("GetSession"));
        QTest::qWait(300);
        QCOMPARE(backend.count(QStringLiteral("GetSession")), getSessions); // pause polls ended
        QCOMPARE(removed.size(), 1);
        QCOMPARE(backend.count(QStringLiteral("GetSessionDetail")), 2); // DELETING, then gone
        QCOMPARE(paused.size(), 1);
        QCOMPARE(paused.first().first().toBool(), false);
        QCOMPARE(session.state(), State::Deleted);
    }

    void remove_whileDeleting_joinsTheDeletion()
    {
        ScriptedBackend backend;
        AgentBayClient client;
        client.setConfig(backend.config());
        Session session(&client);
        driveTo(session, backend, State::Deleting);
        QSignalSpy removed(&session, &Session::removed);
        session.remove(5000);
        backend.release(QStringLiteral("DeleteSessionAsync"));
        QTRY_COMPARE(removed.size(), 1);
        QTest::qWait(100);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(backend.count(QStringLiteral("DeleteSessionAsync")), 1);
        session.remove(5000); // once Deleted, nothing more happens
        QTest::qWait(100);
        QCOMPARE(removed.size(), 1);
    }

    void removeWhileCreating_andCreationFails_reportsNothingLeft()
    {
        ScriptedBackend backend;
        AgentBayClient client;
        client.setConfig(backend.config());
        Session session(&client);
        driveTo(session, backend, State::Creating);
        QSignalSpy removed(&session, &Session::removed);
        session.remove(5000);
        backend.createFails = true;
        backend.release(QStringLiteral("CreateMcpSession"));
        QTRY_COMPARE(removed.size(), 1);
        QCOMPARE(removed.first().first().toBool(), true);
        QCOMPARE(session.state(), State::Deleted);
        QCOMPARE(backend.count(QStringLiteral("DeleteSessionAsync")), 0);
    }

    void deletionDeadline_endsFailed_andRemoveRetries()
    {
        ScriptedBackend backend;
        backend.deletionNeverEnds = true;
        AgentBayClient client;
        client.setConfig(backend.config());
        Session session(&client);
        driveTo(session, backend, State::Ready);
        QSignalSpy removed(&session, &Session::removed);
        session.remove(400);
        QTRY_COMPARE(removed.size(), 1);
        QCOMPARE(removed.first().first().toBool(), false);
        QCOMPARE(session.state(), State::Failed);
        QVERIFY(!session.id().isEmpty()); // kept, so it can be deleted again
        backend.deletionNeverEnds = false;
        session.remove(5000);
        QTRY_COMPARE(removed.size(), 2);
        QCOMPARE(removed.at(1).first().toBool(), true);
        QCOMPARE(backend.count(QStringLiteral("DeleteSessionAsync")), 2);
    }

    void aFailedDelete_endsFailed()
    {
        ScriptedBackend backend;
        backend.deleteFails = true;
        AgentBayClient client;
        client.setConfig(backend.config());
        Session session(&client);
        driveTo(session, backend, State::Ready);
        QSignalSpy removed(&session, &Session::removed);
        session.remove(5000);
        QTRY_COMPARE(removed.size(), 1);
        QCOMPARE(removed.first().first().toBool(), false);
        QCOMPARE(session.state(), State::Failed);
    }

    void pauseAndResume_areRefusedOutsideTheirState_data()
    {
        QTest::addColumn<State>("from");
        QTest::addColumn<bool>("pausing");
        QTest::newRow("pause while not started") << State::NotStarted << true;
        QTest::newRow("pause while creating") << State::Creating << true;
        QTest::newRow("pause while running") << State::Running << true;
        QTest::newRow("pause while pausing") << State::Pausing << true;
        QTest::newRow("pause while paused") << State::Paused << true;
        QTest::newRow("pause while resuming") << State::Resuming << true;
        QTest::newRow("pause while deleting") << State::Deleting << true;
        QTest::newRow("resume while ready") << State::Ready << false;
        QTest::newRow("resume while pausing") << State::Pausing << false;
        QTest::newRow("resume while resuming") << State::Resuming << false;
        QTest::newRow("resume while deleting") << State::Deleting << false;
        QTest::newRow("resume while deleted") << State::Deleted << false;
    }

    void pauseAndResume_areRefusedOutsideTheirState()
    {
        QFETCH(State, from);
        QFETCH(bool, pausing);
        ScriptedBackend backend;
        AgentBayClient client;
        client.setConfig(backend.config());
        Session session(&client);
        driveTo(session, backend, from);
        const int pauses = backend.count(QStringLiteral("PauseSessionAsync"));
        const int resumes = backend.count(QStringLiteral("ResumeSessionAsync"));
        QSignalSpy answer(&session, pausing ? &Session::paused : &Session::resumed);
        if (pausing)
            session.pause(PollMs, 5000);
        else
            session.resume(PollMs, 5000);
        QTRY_COMPARE(answer.size(), 1);
        QCOMPARE(answer.first().first().toBool(), false);
        QVERIFY(!answer.first().at(1).toString().isEmpty());
        QCOMPARE(session.state(), from); // nothing changed
        QCOMPARE(backend.count(QStringLiteral("PauseSessionAsync")), pauses);
        QCOMPARE(backend.count(QStringLiteral("ResumeSessionAsync")), resumes);
    }

    void aRunAskedWhilePausing_waitsForTheResume()
    {
        ScriptedBackend backend;
        AgentBayClient client;
        client.setConfig(backend.config());
        Session session(&client);
        driveTo(session, backend, State::Pausing);
        QSignalSpy finished(&session, &Session::runFinished);
        const quint64 run = session.runCode(QStringLiteral("3"), QStringLiteral("python"), 5);
        backend.release(QStringLiteral("PauseSessionAsync"));
        QTRY_COMPARE(session.state(), State::Paused);
        QTest::qWait(100);
        QVERIFY(finished.isEmpty());                               // a paused session runs nothing
        QCOMPARE(backend.count(QStringLiteral("CallMcpTool")), 1); // only driveTo's run
        session.resume(PollMs, 5000);
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(finished.first().first().toULongLong(), run);
        QVERIFY(finished.first().at(1).value<RunCodeResult>().success);
    }

    void runsAskedWhileDeletingOrDeleted_failAtOnce_data()
    {
        QTest::addColumn<State>("from");
        QTest::newRow("deleting") << State::Deleting;
        QTest::newRow("deleted") << State::Deleted;
    }

    void runsAskedWhileDeletingOrDeleted_failAtOnce()
    {
        QFETCH(State, from);
        ScriptedBackend backend;
        AgentBayClient client;
        client.setConfig(backend.config());
        Session session(&client);
        driveTo(session, backend, from);
        QSignalSpy finished(&session, &Session::runFinished);
        session.runCode(QStringLiteral("4"), QStringLiteral("python"), 5);
        QTRY_COMPARE(finished.size(), 1);
        QVERIFY(!finished.first().at(1).value<RunCodeResult>().success);
        QCOMPARE(session.state(), from);
        QCOMPARE(backend.count(QStringLiteral("CallMcpTool")), 1); // driveTo's run only
    }

    void aPauseThatNeverCompletes_endsAtItsDeadline()
    {
        ScriptedBackend backend;
        backend.stayTransitional = true;
        AgentBayClient client;
        client.setConfig(backend.config());
        Session session(&client);
        driveTo(session, backend, State::Ready);
        QSignalSpy paused(&session, &Session::paused);
        session.pause(PollMs, 300);
        QTRY_COMPARE(paused.size(), 1);
        QCOMPARE(paused.first().first().toBool(), false);
        QCOMPARE(session.state(), State::Ready);
        const int polls = backend.count(QStringLiteral("GetSession"));
        QTest::qWait(150);
        QCOMPARE(backend.count(QStringLiteral("GetSession")), polls); // no poll after the end
    }

    void attachToAGoneSession_endsDeleted()
    {
        ScriptedBackend backend;
        backend.status = QStringLiteral("FINISH");
        AgentBayClient client;
        client.setConfig(backend.config());
        Session session(&client);
        QSignalSpy attached(&session, &Session::attached);
        session.attach(QStringLiteral("session-a59aaa8e63744eedb9b0"));
        QTRY_COMPARE(attached.size(), 1);
        QCOMPARE(attached.first().first().toBool(), false);
        QCOMPARE(session.state(), State::Deleted);
    }

    void restart_duringEveryStep_deletesTheOldSessionOnce_data()
    {
        QTest::addColumn<State>("from");
        QTest::newRow("creating") << State::Creating;
        QTest::newRow("running") << State::Running;
        QTest::newRow("pausing") << State::Pausing;
        QTest::newRow("paused") << State::Paused;
        QTest::newRow("resuming") << State::Resuming;
    }

    void restart_duringEveryStep_deletesTheOldSessionOnce()
    {
        QFETCH(State, from);
        ScriptedBackend backend;
        RunController controller;
        QSignalSpy ready(&controller, &RunController::backendReady);
        controller.useEndpoint(backend.config());
        QVERIFY(ready.wait(5000));
        Session *old = controller.session();
        QVERIFY(old);
        driveTo(*old, backend, from);
        QSignalSpy removed(&controller, &RunController::sessionRemoved);
        controller.restartSession();
        QVERIFY(controller.session() != old);
        for (const QString &action :
             {QStringLiteral("CreateMcpSession"), QStringLiteral("CallMcpTool"),
              QStringLiteral("PauseSessionAsync"), QStringLiteral("ResumeSessionAsync")})
            backend.release(action);
        QTRY_COMPARE(removed.size(), 1);
        QCOMPARE(removed.first().at(1).toBool(), true);
        QCOMPARE(backend.count(QStringLiteral("DeleteSessionAsync")), 1);
        // The new session works.
        QSignalSpy finished(&controller, &RunController::runFinished);
        controller.run(QStringLiteral("5"), QStringLiteral("python"), 5);
        QTRY_COMPARE(finished.size(), 1);
        QVERIFY(finished.first().at(1).value<RunCodeResult>().success);
        QTest::qWait(100);
        QCOMPARE(removed.size(), 1);
    }

    void quit_inEveryState_finishesOnce_data()
    {
        QTest::addColumn<State>("from");
        QTest::addColumn<bool>("backendAnswers");
        const QList<State> states{State::NotStarted, State::Creating, State::Ready,
                                  State::Running,    State::Pausing,  State::Paused,
                                  State::Resuming,   State::Deleting, State::Failed};
        for (const State state : states) {
            const QByteArray name = Session::stateName(state).toUtf8();
            QTest::newRow(QByteArray(name + ", backend answers").constData()) << state << true;
            QTest::newRow(QByteArray(name + ", backend stuck").constData()) << state << false;
        }
    }

    void quit_inEveryState_finishesOnce()
    {
        QFETCH(State, from);
        QFETCH(bool, backendAnswers);
        ScriptedBackend backend;
        RunController controller;
        QSignalSpy ready(&controller, &RunController::backendReady);
        controller.useEndpoint(backend.config());
        QVERIFY(ready.wait(5000));
        Session *session = controller.session();
        driveTo(*session, backend, from);
        if (!backendAnswers) {
            backend.hold(QStringLiteral("DeleteSessionAsync"));
            backend.hold(QStringLiteral("GetSessionDetail"));
        } else {
            backend.release(QStringLiteral("DeleteSessionAsync"));
        }
        for (const QString &action :
             {QStringLiteral("CreateMcpSession"), QStringLiteral("CallMcpTool"),
              QStringLiteral("PauseSessionAsync"), QStringLiteral("ResumeSessionAsync")})
            backend.release(action);
        QSignalSpy finished(&controller, &RunController::shutdownFinished);
        QElapsedTimer clock;
        clock.start();
        controller.shutdown(1500);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 4000);
        QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
        const bool nothingToDelete = from == State::NotStarted || from == State::Failed;
        if (backendAnswers || nothingToDelete)
            QCOMPARE(finished.first().first().toBool(), true);
        else
            QCOMPARE(finished.first().first().toBool(), false);
        QTest::qWait(200);
        QCOMPARE(finished.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestSessionLifecycle)
#include "tst_sessionlifecycle.moc"
