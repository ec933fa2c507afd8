// Budgets: calendar periods at their edges, the shared file, the status and
// forecast of a steady series, the exact call at which each alert fired, and
// what a breach policy would have done.
#include "budgets/budgetevaluator.h"
#include "budgets/budgetfile.h"
#include "budgets/budgetstore.h"
#include "budgets/litellmbudgets.h"
#include "core/timeutil.h"
#include "testutil.h"

#include <QtTest>

#include <nlohmann/json.hpp>

using namespace tl;

namespace {

int64_t ts(const char *iso)
{
    return *parseTimestamp(iso);
}

Budget budget(const std::string &name, double usd, BudgetPeriod p = BudgetPeriod::Month)
{
    Budget b;
    b.name = name;
    b.period = p;
    b.amountNusd = int64_t(usd * 1e9);
    return b;
}

} // namespace

class TestBudgets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Each scope and period goes where LiteLLM enforces it, or is listed with why not.
    void liteLlmExport_data()
    {
        QTest::addColumn<QString>("scope"); // DIM=VALUE[,DIM=VALUE], empty: organisation
        QTest::addColumn<QString>("period");
        QTest::addColumn<bool>("hard");
        QTest::addColumn<QString>("path");     // the request, "settings", or "" when not exported
        QTest::addColumn<QString>("expected"); // the body's key=value, or the reason's words
        QTest::newRow("team") << "team=support"
                              << "month" << true << "/team/new"
                              << "team_alias=support";
        QTest::newRow("user") << "user=ana"
                              << "day" << true << "/user/new"
                              << "user_id=ana";
        QTest::newRow("feature") << "feature=search"
                                 << "week" << true << "/tag/new"
                                 << "name=search";
        QTest::newRow("agent") << "agent=triage"
                               << "month" << true << "/key/generate"
                               << "key_alias=triage";
        QTest::newRow("organisation") << ""
                                      << "month" << true << "settings"
                                      << "30d";
        QTest::newRow("alert only") << "team=support"
                                    << "month" << false << ""
                                    << "alert-only";
        QTest::newRow("quarter") << "team=support"
                                 << "quarter" << true << ""
                                 << "quarter";
        QTest::newRow("two dimensions") << "team=support,agent=triage"
                                        << "month" << true << ""
                                        << "2 dimensions";
        QTest::newRow("model") << "model=gpt-4o"
                               << "month" << true << ""
                               << "providers";
    }
    void liteLlmExport()
    {
        QFETCH(QString, scope);
        QFETCH(QString, period);
        QFETCH(bool, hard);
        QFETCH(QString, path);
        QFETCH(QString, expected);
        Budget b;
        b.name = "b";
        for (const QString &part : scope.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const auto kv = part.split(QLatin1Char('='));
            b.scope[*dimensionFromName(kv[0].toStdString())] = kv[1].toStdString();
        }
        b.period = *periodFromName(period.toStdString());
        b.amountNusd = 1'234'567'890'123; // $1,234.567890123: to the micro-dollar
        b.hard = hard;
        b.onBreach = BreachPolicy::Reject;
        const auto e = exportLiteLlmBudgets({b});
        const auto doc = nlohmann::json::parse(e.json);
        QCOMPARE(doc["format"].get<std::string>(), std::string("tokenledger-litellm-budgets"));
        if (path.isEmpty()) {
            QCOMPARE(e.skipped, 1);
            QVERIFY(doc["requests"].empty());
            const std::string why = doc["not_exported"][0]["reason"];
            QVERIFY2(QString::fromStdString(why).contains(expected), why.c_str());
        } else if (path == QLatin1String("settings")) {
            QCOMPARE(e.settings, 1);
            QCOMPARE(doc["litellm_settings"]["max_budget"].get<double>(), 1234.56789);
            QCOMPARE(doc["litellm_settings"]["budget_duration"].get<std::string>(),
                     expected.toStdString());
        } else {
            QCOMPARE(e.requests, 1);
            const auto &r = doc["requests"][0];
            QCOMPARE(r["path"].get<std::string>(), path.toStdString());
            const auto kv = expected.split(QLatin1Char('='));
            QCOMPARE(r["body"][kv[0].toStdString()].get<std::string>(), kv[1].toStdString());
            QCOMPARE(r["body"]["max_budget"].get<double>(), 1234.56789);
            const char *every = period == QLatin1String("day")    ? "1d"
                                : period == QLatin1String("week") ? "7d"
                                                                  : "30d";
            QCOMPARE(r["body"]["budget_duration"].get<std::string>(), std::string(every));
            QVERIFY(e.shell.find("curl -fsS -X POST \"$LITELLM_URL" + path.toStdString()) !=
                    std::string::npos);
        }
    }

    void periods_data()
    {
        QTest::addColumn<QString>("period");
        QTest::addColumn<QString>("at");
        QTest::addColumn<QString>("start");
        QTest::addColumn<QString>("end");
        QTest::newRow("last ms of January") << "month"
                                            << "2026-01-31T23:59:59.999Z"
                                            << "2026-01-01T00:00:00.000Z"
                                            << "2026-02-01T00:00:00.000Z";
        QTest::newRow("first ms of February") << "month"
                                              << "2026-02-01T00:00:00.000Z"
                                              << "2026-02-01T00:00:00.000Z"
                                              << "2026-03-01T00:00:00.000Z";
        QTest::newRow("leap February") << "month"
                                       << "2028-02-29T12:00:00Z"
                                       << "2028-02-01T00:00:00.000Z"
                                       << "2028-03-01T00:00:00.000Z";
        QTest::newRow("December into January") << "month"
                                               << "2026-12-31T10:00:00Z"
                                               << "2026-12-01T00:00:00.000Z"
                                               << "2027-01-01T00:00:00.000Z";
        QTest::newRow("an offset is converted to UTC first") << "month"
                                                             << "2026-03-01T00:30:00+02:00"
                                                             << "2026-02-01T00:00:00.000Z"
                                                             << "2026-03-01T00:00:00.000Z";
        QTest::newRow("week starts on Monday") << "week"
                                               << "2026-11-29T23:00:00Z"
                                               << "2026-11-23T00:00:00.000Z"
                                               << "2026-11-30T00:00:00.000Z";
        QTest::newRow("Q4") << "quarter"
                            << "2026-11-15T00:00:00Z"
                            << "2026-10-01T00:00:00.000Z"
                            << "2027-01-01T00:00:00.000Z";
        QTest::newRow("Q1") << "quarter"
                            << "2026-03-31T23:59:59Z"
                            << "2026-01-01T00:00:00.000Z"
                            << "2026-04-01T00:00:00.000Z";
        QTest::newRow("day") << "day"
                             << "2026-11-28T23:59:59Z"
                             << "2026-11-28T00:00:00.000Z"
                             << "2026-11-29T00:00:00.000Z";
    }
    void periods()
    {
        QFETCH(QString, period);
        QFETCH(QString, at);
        QFETCH(QString, start);
        QFETCH(QString, end);
        const PeriodBounds b =
            periodAt(*periodFromName(period.toStdString()), ts(at.toLatin1().constData()));
        QCOMPARE(QString::fromStdString(formatTimestamp(b.startMs)), start);
        QCOMPARE(QString::fromStdString(formatTimestamp(b.endMs)), end);
    }

    void fileRoundTripAndHierarchy()
    {
        const char *text = R"({"format":"tokenledger-budgets","version":1,"budgets":[
          {"name":"Org","scope":{},"period":"month","amount_usd":1000},
          {"name":"Support monthly","scope":{"team":"support"},"period":"month","amount_usd":700,
           "alerts":[0.5,0.8,1.0],"hard":true,"on_breach":"downgrade","downgrade_to":"gpt-4o-mini"},
          {"name":"Search","scope":{"team":"search"},"period":"month","amount_usd":400.5},
          {"name":"Triage","scope":{"team":"support","agent":"triage"},"period":"month","amount_usd":0.1}]})";
        const PriceCatalog catalog = PriceCatalog::builtIn();
        const BudgetLoad l = BudgetFile::parse(text, &catalog);
        QVERIFY2(l.ok, l.error.c_str());
        QCOMPARE(l.budgets.size(), size_t(4));
        QCOMPARE(l.budgets[1].amountNusd, int64_t(700'000'000'000));
        QCOMPARE(l.budgets[3].amountNusd, int64_t(100'000'000)); // exact: 0.1 USD
        QCOMPARE(l.budgets[1].onBreach, BreachPolicy::Downgrade);
        const std::string once = BudgetFile::serialize(l.budgets);
        const BudgetLoad again = BudgetFile::parse(once);
        QVERIFY(again.ok && again.budgets == l.budgets);
        QCOMPARE(BudgetFile::serialize(again.budgets), once);
        // Parents by scope: Triage under Support, Support and Search under Org.
        QCOMPARE(ancestorsOf(l.budgets, 3).front(), size_t(1));
        QCOMPARE(ancestorsOf(l.budgets, 1).front(), size_t(0));
        QVERIFY(ancestorsOf(l.budgets, 0).empty());
        // Stored in the workspace and read back.
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        BudgetStore::save(*ws, l.budgets);
        QVERIFY(BudgetStore::load(*ws) == l.budgets);
        // Children (700 + 400.5) past the parent (1000): flagged.
        const auto s = BudgetEvaluator::evaluate(*ws, l.budgets, ts("2026-05-10T00:00:00Z"));
        QVERIFY(s[0].childrenExceedAmount);
        QVERIFY(!s[1].childrenExceedAmount);
        QCOMPARE(s[3].parent, 1);
    }

    void malformed_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        const QString head =
            QStringLiteral(R"({"format":"tokenledger-budgets","version":1,"budgets":[)");
        const auto one = [&](const char *b) { return head + QString::fromLatin1(b) + "]}"; };
        QTest::newRow("not json") << "{"
                                  << "not valid JSON";
        QTest::newRow("format") << R"({"format":"tokenledger-scenario","version":1})"
                                << "$.format: expected \"tokenledger-budgets\"";
        QTest::newRow("newer") << R"({"format":"tokenledger-budgets","version":3,"budgets":[]})"
                               << "$.version: version 3 was written by a newer";
        QTest::newRow("no name") << one(R"({"period":"month","amount_usd":5})")
                                 << "$.budgets[0].name: missing";
        QTest::newRow("bad period") << one(R"({"name":"a","period":"year","amount_usd":5})")
                                    << "$.budgets[0].period: expected day, week, month or quarter";
        QTest::newRow("no amount")
            << one(R"({"name":"a","period":"month"})") << "$.budgets[0].amount_usd: missing";
        QTest::newRow("negative") << one(R"({"name":"a","period":"month","amount_usd":-5})")
                                  << "$.budgets[0].amount_usd: expected a number";
        QTest::newRow("amount as text")
            << one(R"({"name":"a","period":"month","amount_usd":"5k"})")
            << "$.budgets[0].amount_usd: expected a number, got the string \"5k\"";
        QTest::newRow("scope dimension")
            << one(R"({"name":"a","scope":{"squad":"x"},"period":"month","amount_usd":5})")
            << "$.budgets[0].scope.squad: unknown scope";
        QTest::newRow("alerts fall")
            << one(R"({"name":"a","period":"month","amount_usd":5,"alerts":[0.8,0.5]})")
            << "$.budgets[0].alerts[1]: alerts must rise";
        QTest::newRow("policy")
            << one(R"({"name":"a","period":"month","amount_usd":5,"on_breach":"panic"})")
            << "$.budgets[0].on_breach: expected alert, downgrade, cache or reject";
        QTest::newRow("downgrade without model")
            << one(R"({"name":"a","period":"month","amount_usd":5,"on_breach":"downgrade"})")
            << "$.budgets[0].downgrade_to: on_breach is downgrade but no model";
        QTest::newRow("downgrade to an unknown model")
            << one(R"({"name":"a","period":"month","amount_usd":5,"on_breach":"downgrade","downgrade_to":"gpt-77"})")
            << "$.budgets[0].downgrade_to: model \"gpt-77\" has no price";
        QTest::newRow("twice the same name")
            << one(R"({"name":"a","period":"month","amount_usd":5},{"name":"a","period":"day","amount_usd":1})")
            << "$.budgets[1].name: \"a\" is used twice";
    }
    void malformed()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const PriceCatalog catalog = PriceCatalog::builtIn();
        const BudgetLoad l = BudgetFile::parse(text.toStdString(), &catalog);
        QVERIFY(!l.ok);
        QVERIFY(l.budgets.empty());
        QVERIFY2(QString::fromStdString(l.error).contains(expected), l.error.c_str());
    }

    void steadySeriesForecast()
    {
        // $1 an hour, every hour, from March 1 to April 9 (team ops).
        QByteArray csv = "ts,model,input_tokens,output_tokens,cost_usd,team,request_id\n";
        const int64_t first = ts("2026-03-01T00:00:00Z");
        const int64_t last = ts("2026-04-10T00:00:00Z");
        for (int64_t t = first; t < last; t += kMsPerHour)
            csv += QByteArray::fromStdString(formatTimestamp(t + 60'000)) +
                   ",gpt-4o-mini,100,10,1.0,ops,r" + QByteArray::number(qlonglong(t)) + "\n";
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        QVERIFY(Importer(*ws).importFile(tltest::writeFile(dir, QStringLiteral("s.csv"), csv)).ok);
        Budget b = budget("Ops", 1000);
        b.scope[Dimension::Team] = "ops";
        Budget tight = budget("Ops tight", 500);
        tight.scope[Dimension::Team] = "ops";
        tight.hard = true;
        const auto s = BudgetEvaluator::evaluate(*ws, {b, tight}, last);
        // April: 9 days spent (216 h), 21 days to go (504 h) at exactly $1.
        QVERIFY(std::abs(s[0].spentUsd - 216) < 1e-9);
        QVERIFY(std::abs(s[0].forecastUsd - 720) < 1e-6);
        QVERIFY(std::abs(s[0].forecastHighUsd - s[0].forecastLowUsd) < 1e-6); // no spread
        QVERIFY(!s[0].breachAtMs);
        QCOMPARE(s[0].state, BudgetStatus::State::Ok);
        QCOMPARE(s[0].cumulativeUsd.size(), size_t(216));
        QCOMPARE(s[0].forecastPathUsd.size(), size_t(504));
        // $500: the forecast crosses it at the end of hour 500 of April.
        QCOMPARE(s[1].state, BudgetStatus::State::AtRisk);
        QCOMPARE(*s[1].breachAtMs, ts("2026-04-01T00:00:00Z") + 500 * kMsPerHour);
        QVERIFY(s[1].breachesHard());
        // A different scope sees nothing.
        Budget other = budget("Other", 10);
        other.scope[Dimension::Team] = "nobody";
        QCOMPARE(BudgetEvaluator::evaluate(*ws, {other}, last)[0].spentUsd, 0.0);
    }

    void replayCrossingsAndPolicies_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<bool>("hard");
        QTest::addColumn<double>("underPolicy");
        QTest::addColumn<int>("affected");
        // 20 calls of $1; the amount ($10) is reached by call 10. Calls 11-20:
        QTest::newRow("alert only") << "alert" << true << 20.0 << 0;
        QTest::newRow("reject") << "reject" << true << 10.0 << 10;
        QTest::newRow("soft budgets only alert") << "reject" << false << 20.0 << 0;
        // every other call repeats an earlier prompt: 5 of the 10 from cache
        QTest::newRow("cache") << "cache" << true << 15.0 << 5;
        // gpt-4o-mini on 1000 input + 100 output tokens: $0.00021 a call
        QTest::newRow("downgrade") << "downgrade" << true << 10.0 + 10 * 0.00021 << 10;
    }
    void replayCrossingsAndPolicies()
    {
        QFETCH(QString, policy);
        QFETCH(bool, hard);
        QFETCH(double, underPolicy);
        QFETCH(int, affected);
        QByteArray csv =
            "ts,model,input_tokens,output_tokens,cost_usd,team,request_id,prompt_hash\n";
        for (int i = 1; i <= 20; ++i)
            csv += "2026-06-0" + QByteArray::number(1 + i / 10) + "T" +
                   QByteArray::number(10 + i % 10) + ":00:00Z,gpt-4o,1000,100,1.0,ops,req-" +
                   QByteArray::number(i) + ",p" +
                   QByteArray::number(i <= 10 ? i : (i % 2 ? i : 1)) + "\n";
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        QVERIFY(Importer(*ws).importFile(tltest::writeFile(dir, QStringLiteral("r.csv"), csv)).ok);
        Budget b = budget("Ops", 10);
        b.scope[Dimension::Team] = "ops";
        b.alerts = {0.5, 0.8, 1.0};
        b.hard = hard;
        b.onBreach = *policyFromName(policy.toStdString());
        b.downgradeTo = "gpt-4o-mini";
        const auto r = BudgetReplay::run(*ws, b, periodAt(b.period, ts("2026-06-15T00:00:00Z")));
        QCOMPARE(r.crossings.size(), size_t(3));
        QCOMPARE(r.crossings[0].requestId, std::string("req-5"));
        QCOMPARE(r.crossings[1].requestId, std::string("req-8"));
        QCOMPARE(r.crossings[2].requestId, std::string("req-10"));
        QVERIFY(std::abs(r.crossings[2].cumulativeUsd - 10) < 1e-9);
        QCOMPARE(r.callsAfterBreach, int64_t(10));
        QVERIFY(std::abs(r.actualUsd - 20) < 1e-9);
        QVERIFY2(std::abs(r.underPolicyUsd - underPolicy) < 1e-9,
                 qPrintable(QString::number(r.underPolicyUsd, 'f', 9)));
        QCOMPARE(int(r.rejected + r.servedFromCache + r.downgraded), affected);
    }
};

QTEST_GUILESS_MAIN(TestBudgets)
#include "tst_budgets.moc"
