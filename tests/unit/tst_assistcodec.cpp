// SPDX-License-Identifier: GPL-3.0-or-later
// The assist extension's wire shapes: answers decoded field by field (out-of-range highlights
// and lines dropped), and buffer edits that turn one text into another exactly.
#include "protocol/assist.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace agentbay::protocol;

class TestAssistCodec final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void answers_areDecodedFieldByField()
    {
        const QJsonObject data = QJsonDocument::fromJson(R"json({
            "candidates": [{"name": "move_to_end", "complete": "ve_to_end", "type": "function"},
                           {"name": "", "complete": "", "type": "x"}],
            "signature": {"label": "go(a, b=2)", "params": ["a", "b=2"], "index": 1,
                          "highlight": [6, 9], "doc": "Go."},
            "doc": {"name": "os.path.join", "type": "function", "signature": "join(a, *p)",
                    "text": "Join."},
            "diagnostics": [{"line": 2, "column": 4, "endColumn": 9, "severity": "error",
                             "message": "undefined name 'x'"},
                            {"line": 0, "column": 0, "endColumn": 1, "severity": "error",
                             "message": "no line"}],
            "source": "session", "elapsedMs": 1.5, "bufferToken": "abc"})json")
                                         .object();
        const AssistAnswer answer = AssistCodec::decode(AssistKind::Complete, data);
        QCOMPARE(answer.candidates.size(), 1);
        QCOMPARE(answer.candidates.first().complete, QStringLiteral("ve_to_end"));
        QVERIFY(answer.signature);
        QCOMPARE(answer.signature->label.mid(answer.signature->highlightStart,
                                             answer.signature->highlightEnd
                                                     - answer.signature->highlightStart),
                 QStringLiteral("b=2"));
        QCOMPARE(answer.signature->index, 1);
        QVERIFY(answer.doc);
        QCOMPARE(answer.doc->signature, QStringLiteral("join(a, *p)"));
        QCOMPARE(answer.diagnostics.size(), 1);
        QCOMPARE(answer.diagnostics.first().endColumn, 9);
        QCOMPARE(answer.source, QStringLiteral("session"));
        QCOMPARE(answer.bufferToken, QStringLiteral("abc"));
        QCOMPARE(answer.kernelMs, 1.5);
    }

    void aHighlightOutsideTheLabel_isDropped()
    {
        const QJsonObject data{{QStringLiteral("signature"),
                                QJsonObject{{QStringLiteral("label"), QStringLiteral("f(x)")},
                                            {QStringLiteral("highlight"), QJsonArray{2, 40}}}}};
        const AssistAnswer answer = AssistCodec::decode(AssistKind::Signature, data);
        QVERIFY(answer.signature);
        QCOMPARE(answer.signature->highlightStart, -1);
        QVERIFY(!AssistCodec::decode(AssistKind::Signature, QJsonObject{}).signature);
    }

    void edits_turnTheBaseIntoTheNewText()
    {
        QRandomGenerator random(7);
        const QString alphabet = QStringLiteral("ab\n é😀");
        for (int round = 0; round < 500; ++round) {
            QString base;
            const int length = static_cast<int>(random.bounded(40));
            for (int i = 0; i < length; ++i)
                base += alphabet.at(static_cast<int>(random.bounded(alphabet.size())));
            QString now = base;
            const int at = static_cast<int>(random.bounded(now.size() + 1));
            const int removed = static_cast<int>(random.bounded(now.size() - at + 1));
            now.replace(at, removed, QStringLiteral("xy").left(static_cast<int>(random.bounded(3))));
            const AssistBufferEdit edit = AssistCodec::editBetween(QStringLiteral("t"), base, now);
            QCOMPARE(edit.baseToken, QStringLiteral("t"));
            QCOMPARE(AssistCodec::applyEdit(base, edit).value_or(QStringLiteral("<none>")), now);
            QVERIFY(edit.inserted.size() <= now.size());
        }
        // Typing one character sends one character.
        const AssistBufferEdit typed = AssistCodec::editBetween(QStringLiteral("t"),
                                                                QStringLiteral("x = 1\nprin"),
                                                                QStringLiteral("x = 1\nprint"));
        QCOMPARE(typed.at, 10);
        QCOMPARE(typed.removed, 0);
        QCOMPARE(typed.inserted, QStringLiteral("t"));
    }

    void anEditThatDoesNotFit_isRefused()
    {
        const QString base = QStringLiteral("hello");
        QVERIFY(!AssistCodec::applyEdit(base, {QStringLiteral("t"), 6, 0, {}}));
        QVERIFY(!AssistCodec::applyEdit(base, {QStringLiteral("t"), 2, 4, {}}));
        QVERIFY(!AssistCodec::applyEdit(base, {QStringLiteral("t"), -1, 0, {}}));
        QCOMPARE(*AssistCodec::applyEdit(base, {QStringLiteral("t"), 5, 0, QStringLiteral("!")}),
                 QStringLiteral("hello!"));
    }
};

QTEST_GUILESS_MAIN(TestAssistCodec)
#include "tst_assistcodec.moc"
