// SPDX-License-Identifier: GPL-3.0-or-later
// The local sandbox's assist extension against the real agentbay-sandbox and real kernels:
// completion, signatures, documentation and lint from a live session's namespace (without
// running any of the user's code: getters, properties, __getattr__ and __dir__ stay uncalled),
// from the buffer alone before a session exists, an answer while a run is going, and the
// AssistCode action invisible to a client that does not ask for the extension.
#include "../common/testsupport.h"

#include "client/agentbayclient.h"
#include "client/apicall.h"
#include "client/session.h"
#include "protocol/assist.h"
#include "protocol/rpcrequest.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace agentbay;
using protocol::AssistAnswer;
using protocol::AssistKind;
using test::SandboxProcess;

namespace {
const QString Key = QStringLiteral("assist-test-key");

QStringList namesOf(const AssistAnswer &answer)
{
    QStringList names;
    for (const auto &candidate : answer.candidates)
        names.append(candidate.name);
    return names;
}

QString typeOf(const AssistAnswer &answer, const QString &name)
{
    for (const auto &candidate : answer.candidates) {
        if (candidate.name == name)
            return candidate.type;
    }
    return {};
}
} // namespace

class TestAssist final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SandboxProcess> m_sandbox;
    std::unique_ptr<client::AgentBayClient> m_client;

    client::ApiCallResult callAndWait(client::ApiCall *call, int timeoutMs = 30000)
    {
        QSignalSpy finished(call, &client::ApiCall::finished);
        if (!finished.wait(timeoutMs))
            return {};
        return finished.first().first().value<client::ApiCallResult>();
    }

    AssistAnswer ask(AssistKind kind, const QString &language, const QString &code, int line,
                     int column, const QString &sessionId = {})
    {
        const client::ApiCallResult result = callAndWait(
                m_client->assist(protocol::AssistCodec::kindName(kind), language, code, line,
                                 column, sessionId, {}, 30000));
        if (!result.ok())
            qWarning() << "assist failed:" << result.error.message;
        return protocol::AssistCodec::decode(kind, result.envelope.data.toObject());
    }

    // Runs code in a session and returns the result's text/plain or the error.
    static QString run(client::Session &session, const QString &code, const QString &language)
    {
        QSignalSpy finished(&session, &client::Session::runFinished);
        session.runCode(code, language, 30);
        if (!finished.wait(40000))
            return QStringLiteral("<no answer>");
        const auto result = finished.first().at(1).value<protocol::RunCodeResult>();
        if (result.error)
            return result.error->name + QStringLiteral(": ") + result.error->value;
        for (const auto &bundle : result.results) {
            if (bundle.isMainResult)
                return bundle.text();
        }
        return result.stdoutText();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_sandbox = std::make_unique<SandboxProcess>(Key);
        QVERIFY(m_sandbox->endpoint().isValid());
        m_client = std::make_unique<client::AgentBayClient>();
        client::ClientConfig config;
        config.endpoint = m_sandbox->endpoint();
        config.apiKey = Key;
        m_client->setConfig(config);
    }

    void withoutTheHeader_assistCodeIsAnUnknownAction()
    {
        // As an AgentBay client would send it: no extension header.
        protocol::RpcRequest request(QStringLiteral("AssistCode"));
        request.setField(QStringLiteral("Kind"), QStringLiteral("complete"));
        request.setField(QStringLiteral("Language"), QStringLiteral("python"));
        request.setField(QStringLiteral("Code"), QStringLiteral("pri"));
        const client::ApiCallResult hidden = callAndWait(m_client->call(request));
        QVERIFY(!hidden.ok());
        QCOMPARE(hidden.envelope.code, QStringLiteral("InvalidAction.NotFound"));
        protocol::RpcRequest unknown(QStringLiteral("NoSuchAction"));
        const client::ApiCallResult other = callAndWait(m_client->call(unknown));
        QCOMPARE(hidden.envelope.httpStatusCode, other.envelope.httpStatusCode);
        QCOMPARE(hidden.envelope.message,
                 QString(other.envelope.message)
                         .replace(QStringLiteral("NoSuchAction"), QStringLiteral("AssistCode")));
        // With it, the same action answers.
        const AssistAnswer served = ask(AssistKind::Complete, QStringLiteral("python"),
                                        QStringLiteral("pri"), 1, 3);
        QVERIFY2(namesOf(served).contains(QStringLiteral("print")),
                 qPrintable(namesOf(served).join(u',')));
    }

    void python_completesFromEarlierRuns_andCallsNothing()
    {
        client::Session session(m_client.get());
        const QString defined = run(session,
                                    QStringLiteral(
                                            "calls = []\n"
                                            "class Frame:\n"
                                            "    rows = 3\n"
                                            "    @property\n"
                                            "    def shape(self):\n"
                                            "        calls.append('property')\n"
                                            "        return (1, 2)\n"
                                            "    def __getattr__(self, name):\n"
                                            "        calls.append('getattr ' + name)\n"
                                            "        return 1\n"
                                            "    def __dir__(self):\n"
                                            "        calls.append('dir')\n"
                                            "        return []\n"
                                            "    def __call__(self, key):\n"
                                            "        return key\n"
                                            "    def head(self, n=5, *, sort=False):\n"
                                            "        '''The first n rows.\\n\\nMore text.'''\n"
                                            "frame = Frame()\n"
                                            "frame.columns_seen = 2\n"
                                            "len(calls)"),
                                    QStringLiteral("python"));
        QCOMPARE(defined, QStringLiteral("0"));
        const QString sessionId = session.id();
        QVERIFY(!sessionId.isEmpty());

        const AssistAnswer members = ask(AssistKind::Complete, QStringLiteral("python"),
                                         QStringLiteral("x = 1\nframe."), 2, 6, sessionId);
        QCOMPARE(members.source, QStringLiteral("session"));
        const QStringList names = namesOf(members);
        for (const char *name : {"columns_seen", "head", "rows", "shape"})
            QVERIFY2(names.contains(QLatin1String(name)), qPrintable(names.join(u',')));
        QCOMPARE(typeOf(members, QStringLiteral("shape")), QStringLiteral("property"));
        QCOMPARE(typeOf(members, QStringLiteral("head")), QStringLiteral("function"));
        QVERIFY(!names.contains(QStringLiteral("__init__"))); // dunders only after "_"

        const AssistAnswer prefixed = ask(AssistKind::Complete, QStringLiteral("python"),
                                          QStringLiteral("frame.sh"), 1, 8, sessionId);
        QCOMPARE(namesOf(prefixed), QStringList{QStringLiteral("shape")});
        QCOMPARE(prefixed.candidates.first().complete, QStringLiteral("ape"));
        const AssistAnswer global = ask(AssistKind::Complete, QStringLiteral("python"),
                                        QStringLiteral("fra"), 1, 3, sessionId);
        QVERIFY(namesOf(global).contains(QStringLiteral("frame")));
        QCOMPARE(typeOf(global, QStringLiteral("frame")), QStringLiteral("instance"));
        const AssistAnswer classes = ask(AssistKind::Complete, QStringLiteral("python"),
                                         QStringLiteral("Fra"), 1, 3, sessionId);
        QCOMPARE(typeOf(classes, QStringLiteral("Frame")), QStringLiteral("class"));

        const AssistAnswer signature = ask(AssistKind::Signature, QStringLiteral("python"),
                                           QStringLiteral("frame.head(3, "), 1, 14, sessionId);
        QVERIFY(signature.signature);
        QCOMPARE(signature.signature->label, QStringLiteral("head(n=5, *, sort=False)"));
        QCOMPARE(signature.signature->index, 1);
        QCOMPARE(signature.signature->label.mid(signature.signature->highlightStart,
                                                signature.signature->highlightEnd
                                                        - signature.signature->highlightStart),
                 QStringLiteral("sort=False"));
        QCOMPARE(signature.signature->doc, QStringLiteral("The first n rows."));

        const AssistAnswer doc = ask(AssistKind::Doc, QStringLiteral("python"),
                                     QStringLiteral("frame.head"), 1, 7, sessionId);
        QVERIFY(doc.doc);
        QCOMPARE(doc.doc->text, QStringLiteral("The first n rows."));
        QCOMPARE(doc.doc->signature, QStringLiteral("head(n=5, *, sort=False)"));

        // A callable instance whose class answers any attribute: inspect would ask it for
        // __wrapped__, so its signature is not read (and its doc is what its class says).
        ask(AssistKind::Signature, QStringLiteral("python"), QStringLiteral("frame("), 1, 6,
            sessionId);
        QVERIFY(ask(AssistKind::Doc, QStringLiteral("python"), QStringLiteral("frame"), 1, 2,
                    sessionId)
                        .doc);

        // Not one of the object's computed attributes ran.
        QCOMPARE(run(session, QStringLiteral("calls"), QStringLiteral("python")),
                 QStringLiteral("[]"));
    }

    void python_lint_marksSyntaxErrors_andPyflakesFindings_butNotNamesOfEarlierRuns()
    {
        client::Session session(m_client.get());
        QCOMPARE(run(session, QStringLiteral("known = 1\nknown"), QStringLiteral("python")),
                 QStringLiteral("1"));
        const AssistAnswer syntax = ask(AssistKind::Lint, QStringLiteral("python"),
                                        QStringLiteral("x = 1\ndef f(:\n    pass\n"), 1, 0,
                                        session.id());
        QCOMPARE(syntax.diagnostics.size(), 1);
        QCOMPARE(syntax.diagnostics.first().line, 2);
        QCOMPARE(syntax.diagnostics.first().severity, QStringLiteral("error"));
        QVERIFY(syntax.diagnostics.first().message.startsWith(QStringLiteral("SyntaxError")));

        const AssistAnswer flakes = ask(AssistKind::Lint, QStringLiteral("python"),
                                        QStringLiteral("import os\nprint(known + unknown)\n"
                                                       "!ls\n"),
                                        1, 0, session.id());
        QStringList messages;
        for (const auto &diagnostic : flakes.diagnostics)
            messages.append(QStringLiteral("%1:%2 %3 %4")
                                    .arg(diagnostic.line)
                                    .arg(diagnostic.column)
                                    .arg(diagnostic.severity, diagnostic.message));
        QCOMPARE(messages, (QStringList{QStringLiteral("1:0 warning 'os' imported but unused"),
                                        QStringLiteral("2:14 error undefined name 'unknown'")}));
        // Without the session, "known" is undefined too.
        const AssistAnswer alone = ask(AssistKind::Lint, QStringLiteral("python"),
                                       QStringLiteral("print(known)\n"), 1, 0);
        QCOMPARE(alone.source, QStringLiteral("static"));
        QCOMPARE(alone.diagnostics.size(), 1);
    }

    void beforeASession_theBufferAloneIsRead()
    {
        const QString code = QStringLiteral("import os\n"
                                            "def greet(name, punctuation='!'):\n"
                                            "    return name\n"
                                            "greeting = greet('x')\n"
                                            "gre");
        const AssistAnswer names = ask(AssistKind::Complete, QStringLiteral("python"), code, 5, 3);
        QCOMPARE(names.source, QStringLiteral("static"));
        QVERIFY2(namesOf(names).contains(QStringLiteral("greet"))
                         && namesOf(names).contains(QStringLiteral("greeting")),
                 qPrintable(namesOf(names).join(u',')));
        const AssistAnswer module = ask(AssistKind::Complete, QStringLiteral("python"),
                                        QStringLiteral("import os\nos.pa"), 2, 5);
        QVERIFY2(namesOf(module).contains(QStringLiteral("path")),
                 qPrintable(namesOf(module).join(u',')));
        const AssistAnswer signature = ask(AssistKind::Signature, QStringLiteral("python"),
                                           code.chopped(3) + QStringLiteral("greet('a', "), 5, 11);
        QVERIFY(signature.signature);
        QCOMPARE(signature.signature->label, QStringLiteral("greet(name, punctuation='!')"));
        QCOMPARE(signature.signature->index, 1);
    }

    void javascript_completesLiveProperties_withoutCallingGetters()
    {
        client::Session session(m_client.get());
        QCOMPARE(run(session,
                     QStringLiteral(
                             "let reads = 0\n"
                             "class Point { constructor(x, y = 2) { this.x = x; this.y = y }\n"
                             "  get length() { reads++; return 5 }\n"
                             "  scale(factor, origin) { return this } }\n"
                             "const point = new Point(1)\n"
                             "const trap = new Proxy({}, { get() { reads++ }, ownKeys() "
                             "{ reads++; return [] } })\n"
                             "reads"),
                     QStringLiteral("javascript")),
                 QStringLiteral("0"));
        const QString sessionId = session.id();
        const AssistAnswer members = ask(AssistKind::Complete, QStringLiteral("javascript"),
                                         QStringLiteral("point."), 1, 6, sessionId);
        QCOMPARE(members.source, QStringLiteral("session"));
        const QStringList names = namesOf(members);
        QVERIFY2(names.mid(0, 2) == (QStringList{QStringLiteral("x"), QStringLiteral("y")}),
                 qPrintable(names.join(u','))); // own properties first
        for (const char *name : {"length", "scale", "hasOwnProperty"})
            QVERIFY2(names.contains(QLatin1String(name)), qPrintable(names.join(u',')));
        QCOMPARE(typeOf(members, QStringLiteral("length")), QStringLiteral("property"));
        QVERIFY(ask(AssistKind::Complete, QStringLiteral("javascript"), QStringLiteral("trap."), 1,
                    5, sessionId)
                        .candidates.isEmpty());
        QVERIFY(ask(AssistKind::Complete, QStringLiteral("javascript"),
                    QStringLiteral("point.length."), 1, 13, sessionId)
                        .candidates.isEmpty()); // a getter's value is never read
        const AssistAnswer global = ask(AssistKind::Complete, QStringLiteral("javascript"),
                                        QStringLiteral("poi"), 1, 3, sessionId);
        QVERIFY(namesOf(global).contains(QStringLiteral("point")));
        const AssistAnswer signature = ask(AssistKind::Signature, QStringLiteral("javascript"),
                                           QStringLiteral("point.scale(2, "), 1, 15, sessionId);
        QVERIFY(signature.signature);
        QCOMPARE(signature.signature->label, QStringLiteral("scale(factor, origin)"));
        QCOMPARE(signature.signature->index, 1);
        const AssistAnswer doc = ask(AssistKind::Doc, QStringLiteral("javascript"),
                                     QStringLiteral("point.scale"), 1, 8, sessionId);
        QVERIFY(doc.doc);
        QCOMPARE(doc.doc->text, QStringLiteral("scale(factor, origin) { return this } }")
                                        .left(doc.doc->text.size()));
        QCOMPARE(run(session, QStringLiteral("reads"), QStringLiteral("javascript")),
                 QStringLiteral("0"));
        // Before a session: keywords, built-ins and the buffer's names.
        const AssistAnswer alone = ask(AssistKind::Complete, QStringLiteral("javascript"),
                                       QStringLiteral("const total = 1\nMath.fl"), 2, 7);
        QCOMPARE(alone.source, QStringLiteral("static"));
        QCOMPARE(namesOf(alone), QStringList{QStringLiteral("floor")});
        QVERIFY(namesOf(ask(AssistKind::Complete, QStringLiteral("javascript"),
                            QStringLiteral("const total = 1\ntot"), 2, 3))
                        .contains(QStringLiteral("total")));
    }

    void anAnswerComesWhileARunGoes_andTheRunIsNotHeldUp()
    {
        client::Session session(m_client.get());
        QCOMPARE(run(session, QStringLiteral("value_here = 1\nvalue_here"),
                     QStringLiteral("python")),
                 QStringLiteral("1"));
        QSignalSpy finished(&session, &client::Session::runFinished);
        QElapsedTimer clock;
        clock.start();
        session.runCode(QStringLiteral("import time\ntime.sleep(2)\n'slept'"),
                        QStringLiteral("python"), 30);
        QTest::qWait(300); // the run is going
        const AssistAnswer answer = ask(AssistKind::Complete, QStringLiteral("python"),
                                        QStringLiteral("value_h"), 1, 7, session.id());
        const qint64 answeredAt = clock.elapsed();
        QCOMPARE(answer.source, QStringLiteral("session"));
        QCOMPARE(namesOf(answer), QStringList{QStringLiteral("value_here")});
        QVERIFY(finished.isEmpty());
        QVERIFY2(answeredAt < 1800, qPrintable(QString::number(answeredAt)));
        QVERIFY(finished.wait(20000));
        const auto result = finished.first().at(1).value<protocol::RunCodeResult>();
        QVERIFY(!result.error);
    }

    void aBufferSentOnce_isEditedAfterwards_andAnUnknownOneIsRefused()
    {
        const QString first = QStringLiteral("alpha_value = 1\nalp");
        const client::ApiCallResult whole = callAndWait(
                m_client->assist(QStringLiteral("complete"), QStringLiteral("python"), first, 2, 3,
                                 {}, QStringLiteral("/playground/edits.py"), 30000));
        QVERIFY(whole.ok());
        const AssistAnswer answered = protocol::AssistCodec::decode(AssistKind::Complete,
                                                                    whole.envelope.data.toObject());
        QVERIFY(!answered.bufferToken.isEmpty());
        QCOMPARE(namesOf(answered), QStringList{QStringLiteral("alpha_value")});

        // One more line typed: only the edit goes; the sandbox answers for the edited text.
        const QString second = QStringLiteral("alpha_value = 1\nbeta_value = 2\nbet");
        const auto edit = protocol::AssistCodec::editBetween(answered.bufferToken, first, second);
        QVERIFY(edit.inserted.size() < second.size());
        const client::ApiCallResult edited = callAndWait(
                m_client->assist(QStringLiteral("complete"), QStringLiteral("python"), QString(), 3,
                                 3, {}, QStringLiteral("/playground/edits.py"), 30000, edit));
        QVERIFY2(edited.ok(), qPrintable(edited.error.message));
        QCOMPARE(namesOf(protocol::AssistCodec::decode(AssistKind::Complete,
                                                       edited.envelope.data.toObject())),
                 QStringList{QStringLiteral("beta_value")});

        // A token the sandbox never gave, or an edit that does not fit the buffer: refused, and
        // the client sends the whole text instead.
        for (const protocol::AssistBufferEdit &bad :
             {protocol::AssistBufferEdit{QStringLiteral("0123456789abcdef"), 0, 0, {}},
              protocol::AssistBufferEdit{answered.bufferToken, 10, 1000, QStringLiteral("x")}}) {
            const client::ApiCallResult refused = callAndWait(
                    m_client->assist(QStringLiteral("complete"), QStringLiteral("python"),
                                     QString(), 1, 1, {}, {}, 30000, bad));
            QVERIFY(!refused.ok());
            QCOMPARE(refused.envelope.code, QStringLiteral("InvalidParameter.BufferUnknown"));
        }
    }

    void completion_doesNotWaitBehindALongLint()
    {
        QString buffer;
        for (int i = 0; i < 3000; ++i)
            buffer += QStringLiteral(
                              "import os\nvalue_%1 = os.path.join('a', str(%1)) + missing_%1\n")
                              .arg(i);
        client::ApiCall *lint = m_client->assist(QStringLiteral("lint"), QStringLiteral("python"),
                                                 buffer, 1, 0, {}, QStringLiteral("/lint.py"),
                                                 30000);
        QSignalSpy linted(lint, &client::ApiCall::finished);
        const AssistAnswer names = ask(AssistKind::Complete, QStringLiteral("python"),
                                       QStringLiteral("pri"), 1, 3);
        QVERIFY(namesOf(names).contains(QStringLiteral("print")));
        QVERIFY2(linted.isEmpty(), "the lint should still be going"); // it takes hundreds of ms
        QVERIFY(linted.wait(30000));
        const auto result = linted.first().first().value<client::ApiCallResult>();
        QVERIFY(result.ok());
        const AssistAnswer lintAnswer
                = protocol::AssistCodec::decode(AssistKind::Lint, result.envelope.data.toObject());
        QCOMPARE(lintAnswer.diagnostics.size(), 3000); // one undefined name a line
    }

    void aRunAfterASlowRequest_startsFirst()
    {
        client::Session session(m_client.get());
        QCOMPARE(run(session, QStringLiteral("1"), QStringLiteral("python")), QStringLiteral("1"));
        // Not found in the namespace: jedi reads this buffer, loading itself into the session's
        // kernel first (hundreds of milliseconds).
        QString buffer;
        for (int i = 0; i < 2000; ++i)
            buffer += QStringLiteral("class Model%1:\n    def fit(self):\n        pass\n").arg(i);
        buffer += QStringLiteral("Model1999().f");
        const int lines = static_cast<int>(buffer.count(QLatin1Char('\n'))) + 1;
        client::ApiCall *slow = m_client->assist(QStringLiteral("complete"),
                                                 QStringLiteral("python"), buffer, lines, 13,
                                                 session.id(), QStringLiteral("/slow.py"), 30000);
        QSignalSpy assisted(slow, &client::ApiCall::finished);
        QSignalSpy finished(&session, &client::Session::runFinished);
        session.runCode(QStringLiteral("'ran'"), QStringLiteral("python"), 30);
        QVERIFY(finished.wait(30000));
        QVERIFY2(assisted.isEmpty(), "the run should not have waited for the request");
        QVERIFY(assisted.wait(30000));
        const auto result = assisted.first().first().value<client::ApiCallResult>();
        QVERIFY(result.ok());
        QVERIFY(namesOf(protocol::AssistCodec::decode(AssistKind::Complete,
                                                      result.envelope.data.toObject()))
                        .contains(QStringLiteral("fit")));
    }

    void anUnknownKind_isRefused()
    {
        const client::ApiCallResult result = callAndWait(
                m_client->assist(QStringLiteral("rename"), QStringLiteral("python"),
                                 QStringLiteral("x"), 1, 1, {}, {}, 10000));
        QVERIFY(!result.ok());
        QCOMPARE(result.envelope.code, QStringLiteral("InvalidParameter"));
    }
};

QTEST_GUILESS_MAIN(TestAssist)
#include "tst_assist.moc"
