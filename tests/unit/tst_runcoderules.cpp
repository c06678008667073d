// SPDX-License-Identifier: GPL-3.0-or-later
// Language names and timeouts are validated like the SDKs, before any request.
#include "protocol/language.h"

#include "fixtures.h"

#include <QSet>
#include <QTest>

namespace Rules = agentbay::protocol::RunCodeRules;

class TestRunCodeRules final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void normalizeLanguage_foldsAliases_data()
    {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("python") << "python"
                                << "python";
        QTest::newRow("padded upper PY") << "  PY "
                                         << "python";
        QTest::newRow("python3") << "Python3"
                                 << "python";
        QTest::newRow("js") << "js"
                            << "javascript";
        QTest::newRow("node") << "NODE"
                              << "javascript";
        QTest::newRow("nodejs") << "nodejs"
                                << "javascript";
        QTest::newRow("r") << "R"
                           << "r";
        QTest::newRow("java") << "java"
                              << "java";
        QTest::newRow("ruby") << "ruby"
                              << "";
        QTest::newRow("empty") << ""
                               << "";
    }

    void normalizeLanguage_foldsAliases()
    {
        QFETCH(QString, raw);
        QFETCH(QString, canonical);
        QCOMPARE(Rules::normalizeLanguage(raw).value_or(QString()), canonical);
    }

    void unsupportedLanguageMessage_isTheSdksText()
    {
        const QJsonObject ts = agentbay::test::wireJson(
                QStringLiteral("sdk-results/ts-runcode-unsupported-ruby.json"));
        QCOMPARE(Rules::unsupportedLanguageMessage(QStringLiteral("ruby")),
                 ts.value(QLatin1String("errorMessage")).toString());
    }

    void timeoutProblem_allowsOneToSixty_data()
    {
        QTest::addColumn<int>("seconds");
        QTest::addColumn<bool>("valid");
        QTest::newRow("0") << 0 << false;
        QTest::newRow("1") << 1 << true;
        QTest::newRow("30") << 30 << true;
        QTest::newRow("60") << 60 << true;
        QTest::newRow("61") << 61 << false;
        QTest::newRow("-5") << -5 << false;
    }

    void timeoutProblem_allowsOneToSixty()
    {
        QFETCH(int, seconds);
        QFETCH(bool, valid);
        const QString problem = Rules::timeoutProblem(seconds);
        QCOMPARE(problem.isEmpty(), valid);
        if (!valid)
            QVERIFY2(problem.contains(QLatin1String("60 seconds")), qPrintable(problem));
    }

    void transferMargin_keepsTheRunDeadlineFirstAndBounded()
    {
        QVERIFY(Rules::TransferMarginSeconds > 0);
        QVERIFY(Rules::TransferMarginSeconds <= 10);
    }

    void languageTable_mapsEveryNameSuffixAndKernelOneWay()
    {
        using agentbay::protocol::Language;
        namespace Languages = agentbay::protocol::Languages;
        QCOMPARE(Languages::all().size(), 4);
        QCOMPARE(Languages::all().constFirst().language, Language::Python); // the default
        QSet<QString> names, suffixes;
        for (const agentbay::protocol::LanguageInfo &each : Languages::all()) {
            QCOMPARE(Languages::info(each.language).name, each.name);
            QCOMPARE(Languages::fromName(each.name), each.language);
            QCOMPARE(Languages::fromName(QStringLiteral(" ") + each.name.toUpper()), each.language);
            QVERIFY2(!names.contains(each.name), qPrintable(each.name));
            names.insert(each.name);
            for (const QString &alias : each.aliases)
                QCOMPARE(Languages::fromName(alias), each.language);
            QVERIFY(!each.suffixes.isEmpty());
            for (const QString &suffix : each.suffixes) {
                QVERIFY2(!suffixes.contains(suffix), qPrintable(suffix)); // one language each
                suffixes.insert(suffix);
                QCOMPARE(Languages::fromFileName(QStringLiteral("dir.v2/snippet.") + suffix),
                         each.language);
            }
            QVERIFY(each.cellMarker().endsWith(QLatin1String(" %%")));
        }
        // Every language has a kernel in the local sandbox (R and Java where they are installed:
        // their packages are named for the refusal).
        QVERIFY(Languages::info(Language::Python).runsLocally());
        QVERIFY(Languages::info(Language::JavaScript).runsLocally());
        QVERIFY(Languages::info(Language::R).runsLocally());
        QCOMPARE(Languages::info(Language::R).kernelPackages,
                 QStringLiteral("r-base-core r-cran-jsonlite"));
        QVERIFY(Languages::info(Language::Java).runsLocally());
        QCOMPARE(Languages::info(Language::Java).kernelPackages,
                 QStringLiteral("default-jdk-headless"));
        QCOMPARE(Languages::fromFileName(QStringLiteral("a/b.MJS")), Language::JavaScript);
        QCOMPARE(Languages::fromFileName(QStringLiteral("notes.txt")), std::nullopt);
        QCOMPARE(Languages::fromFileName(QStringLiteral("dir.py/README")), std::nullopt);
        QCOMPARE(Languages::fromName(QStringLiteral("ruby")), std::nullopt);
        QCOMPARE(Languages::fromNameOr(QStringLiteral("ruby")), Language::Python);
        QCOMPARE(Languages::info(Language::JavaScript).cellMarker(), QStringLiteral("// %%"));
        QCOMPARE(Languages::info(Language::Python).cellMarker(), QStringLiteral("# %%"));
    }
};

QTEST_GUILESS_MAIN(TestRunCodeRules)
#include "tst_runcoderules.moc"
