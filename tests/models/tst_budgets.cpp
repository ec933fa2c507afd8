// Budgets: calendar periods at their edges, the shared file, the status and
// forecast of a steady series, the exact call at which each alert fired, and
// what a breach policy would have done.
#include "budgets/budgetevaluator.h"
#include "budgets/budgetexpand.h"
#include "budgets/budgetfile.h"
#include "budgets/budgetstore.h"
#include "budgets/litellmbudgets.h"
#include "core/timeutil.h"
#include "testutil.h"

#include <QtTest>

#include <set>
#include <utility>

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

// $1 an hour, every hour, from March 1 to April 9 (team ops).
std::unique_ptr<Workspace> steadyOps(const QTemporaryDir &dir)
{
    QByteArray csv = "ts,model,input_tokens,output_tokens,cost_usd,team,request_id\n";
    for (int64_t t = ts("2026-03-01T00:00:00Z"); t < ts("2026-04-10T00:00:00Z"); t += kMsPerHour)
        csv += QByteArray::fromStdString(formatTimestamp(t + 60'000)) +
               ",gpt-4o-mini,100,10,1.0,ops,r" + QByteArray::number(qlonglong(t)) + "\n";
    auto ws = tltest::openWorkspace(dir);
    if (!Importer(*ws).importFile(tltest::writeFile(dir, QStringLiteral("s.csv"), csv)).ok)
        qFatal("the steady series did not import");
    return ws;
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
        QTest::newRow("adjustment without a reason")
            << one(R"({"name":"a","period":"month","amount_usd":5,"adjustments":[{"at":"2026-10-02T00:00:00Z","amount_usd":1}]})")
            << "$.budgets[0].adjustments[0].reason: missing";
        QTest::newRow("adjustment at no time")
            << one(R"({"name":"a","period":"month","amount_usd":5,"adjustments":[{"at":"yesterday","amount_usd":1,"reason":"x"}]})")
            << "$.budgets[0].adjustments[0].at: expected a time";
        QTest::newRow("each of what the scope names")
            << one(R"({"name":"a","scope":{"agent":"x"},"each":"agent","period":"day","amount_usd":5})")
            << "$.budgets[0].each: the scope already names one agent";
        QTest::newRow("each model")
            << one(R"({"name":"a","each":"model","period":"day","amount_usd":5})")
            << "$.budgets[0].each: expected team, feature, agent or user";
        QTest::newRow("pool max below min")
            << QStringLiteral(
                   R"({"format":"tokenledger-budgets","version":1,"budgets":[],"pools":[{"name":"p","period":"day","amount_usd":100,"min_usd":50,"max_usd":10}]})")
            << "$.pools[0].max_usd: is below min_usd";
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

    // A credit raises the amount of the period it is dated in, only that
    // one; it travels in the file and shows in that period's replay.
    void adjustmentsChangeTheirPeriodOnly()
    {
        QTemporaryDir dir;
        auto ws = steadyOps(dir);
        const int64_t last = ts("2026-04-10T00:00:00Z");
        Budget b = budget("Ops", 600); // March spends 744 h x $1: breached without the credit
        b.scope[Dimension::Team] = "ops";
        b.adjustments.push_back(
            {ts("2026-03-15T09:30:00Z"), 200'000'000'000, "refund credit", "ana"});
        const PeriodBounds march = periodAt(BudgetPeriod::Month, ts("2026-03-10T00:00:00Z"));
        const PeriodBounds april = periodAt(BudgetPeriod::Month, ts("2026-04-05T00:00:00Z"));
        QCOMPARE(b.amountIn(march), int64_t(800'000'000'000));
        QCOMPARE(b.amountIn(april), int64_t(600'000'000'000));
        const auto endOfMarch = BudgetEvaluator::evaluate(*ws, {b}, april.startMs);
        QCOMPARE(endOfMarch[0].amountUsd, 800.0);
        QCOMPARE(endOfMarch[0].state, BudgetStatus::State::Watch); // 744 of 800: past 80%
        const auto inApril = BudgetEvaluator::evaluate(*ws, {b}, last);
        QCOMPARE(inApril[0].amountUsd, 600.0);
        const BudgetReplay r = BudgetReplay::run(*ws, b, march);
        QCOMPARE(r.adjustments.size(), size_t(1));
        QCOMPARE(r.adjustments[0].reason, std::string("refund credit"));
        // The 100% crossing is at $800 now, never reached in March.
        for (const auto &c : r.crossings)
            QVERIFY(c.threshold < 1.0);
        QVERIFY(BudgetReplay::run(*ws, b, april).adjustments.empty());
        // Round trip through the file and the store.
        const BudgetLoad back = BudgetFile::parse(BudgetFile::serialize({b}));
        QVERIFY2(back.ok, back.error.c_str());
        QCOMPARE(back.budgets[0], b);
        BudgetStore::save(*ws, {b});
        QCOMPARE(BudgetStore::load(*ws)[0].adjustments, b.adjustments);
    }

    // "each": one budget per member of the scope with calls; pools: every
    // agent its minimum, then the highest ROI first, never past the maximum
    // or the pool, and --apply replaces the pool's last allocation.
    void eachAndPools()
    {
        // Three agents of team a, one of team b; value per success sets ROI.
        QByteArray csv = "ts,model,input_tokens,output_tokens,cost_usd,team,agent,outcome,"
                         "value_usd,request_id\n";
        const int64_t first = ts("2026-10-01T00:00:00Z");
        const struct
        {
            const char *agent, *team;
            double cost, value;
        } agents[] = {{"low", "a", 1.0, 1.1},
                      {"mid", "a", 2.0, 6.0},
                      {"high", "a", 0.5, 10.0},
                      {"other", "b", 1.0, 1.0}};
        int id = 0;
        for (int h = 0; h < 30 * 24; ++h)
            for (const auto &a : agents)
                csv += QByteArray::fromStdString(formatTimestamp(first + h * kMsPerHour + 1000)) +
                       ",gpt-4o-mini,100,10," + QByteArray::number(a.cost / 24) + "," + a.team +
                       "," + a.agent + ",success," + QByteArray::number(a.value / 24) + ",r" +
                       QByteArray::number(++id) + "\n";
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        QVERIFY(Importer(*ws).importFile(tltest::writeFile(dir, QStringLiteral("f.csv"), csv)).ok);

        Budget each = budget("Team a agents", 5, BudgetPeriod::Day);
        each.scope[Dimension::Team] = "a";
        each.each = Dimension::Agent;
        std::vector<std::string> notes;
        const auto expanded = expandEach(*ws, {each, budget("Org", 100)}, &notes);
        QCOMPARE(expanded.size(), size_t(4));
        std::set<std::string> names;
        for (const auto &b : expanded)
            names.insert(b.name);
        QCOMPARE(names, (std::set<std::string>{"Team a agents · high", "Team a agents · low",
                                               "Team a agents · mid", "Org"}));
        QCOMPARE(expanded[0].scope.at(Dimension::Team), std::string("a"));
        QVERIFY(!expanded[0].each);
        QVERIFY(notes[0].find("3 budgets, one per agent") != std::string::npos);

        BudgetPool pool;
        pool.name = "Pool";
        pool.scope[Dimension::Team] = "a";
        pool.period = BudgetPeriod::Day;
        pool.amountNusd = 4'000'000'000; // $4 a day for needs of $1, $2, $0.5 a day
        pool.minNusd = 500'000'000;
        pool.maxNusd = 2'000'000'000;
        const PoolAllocation a = allocatePool(*ws, pool);
        QVERIFY2(a.error.empty(), a.error.c_str());
        QCOMPARE(a.shares.size(), size_t(3));
        QCOMPARE(a.shares[0].agent, std::string("high")); // ROI 19, then mid 2, then low 0.1
        QCOMPARE(a.shares[2].agent, std::string("low"));
        int64_t sum = 0;
        for (const auto &s : a.shares) {
            QVERIFY(s.allocatedNusd >= pool.minNusd && s.allocatedNusd <= pool.maxNusd);
            sum += s.allocatedNusd;
        }
        QCOMPARE(sum + a.unallocatedNusd, pool.amountNusd);
        // Needs first, by ROI: high $0.5 + 25%, mid $2 + 25% held to the $2 maximum, low
        // $1 + 25%; the $0.125 left then goes to the highest ROI: high $0.75.
        QVERIFY(std::abs(a.shares[0].allocatedNusd - 750'000'000) < 1'000'000);
        QCOMPARE(a.shares[1].allocatedNusd, int64_t(2'000'000'000));
        QVERIFY(std::abs(a.shares[2].allocatedNusd - 1'250'000'000) < 1'000'000);
        QVERIFY(a.unallocatedNusd < 1'000'000);
        // Too small a pool for the minimums: refused, saying why.
        BudgetPool tiny = pool;
        tiny.amountNusd = 1'000'000'000;
        QVERIFY(allocatePool(*ws, tiny).error.find("cannot give its 3 agents") !=
                std::string::npos);
        // Applied twice: the pool's budgets once, the others kept.
        std::vector<Budget> budgets = applyAllocation({budget("Org", 100)}, a);
        budgets = applyAllocation(budgets, a);
        QCOMPARE(budgets.size(), size_t(4));
        QCOMPARE(budgets[1].pool, std::string("Pool"));
        QCOMPARE(budgets[1].scope.at(Dimension::Agent), std::string("high"));
        // Pools travel with the budgets and survive a save of the budgets alone.
        const std::vector<BudgetPool> pools = {pool};
        BudgetStore::save(*ws, budgets, &pools);
        BudgetStore::save(*ws, budgets);
        QCOMPARE(BudgetStore::loadPools(*ws), std::vector<BudgetPool>{pool});
        const BudgetLoad back = BudgetFile::parse(BudgetFile::serialize(budgets, {pool}));
        QVERIFY2(back.ok, back.error.c_str());
        QCOMPARE(back.pools, std::vector<BudgetPool>{pool});
    }

    void steadySeriesForecast()
    {
        QTemporaryDir dir;
        auto ws = steadyOps(dir);
        const int64_t last = ts("2026-04-10T00:00:00Z");
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
