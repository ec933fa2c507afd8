#include "plantedfleet.h"
#include "testutil.h"

#include "baseline/baselinequery.h"
#include "core/efficiency.h"
#include "decide/cohortcompare.h"
#include "decide/opportunityfinder.h"
#include "decide/portfolio.h"
#include "engine.h"
#include "items/drilltreemodel.h"
#include "items/roles.h"
#include "scenariofile.h"

#include <QObject>

#include <set>
#include <tuple>

using namespace tl;
using planted::AgentPlan;

namespace {

std::vector<AgentPlan> neutralFleet()
{
    std::vector<AgentPlan> v;
    for (int i = 1; i <= 3; ++i) {
        AgentPlan p;
        p.agent = "chat-" + std::to_string(i);
        p.feature = "chat";
        v.push_back(p);
    }
    // Two models on one feature, the cheap one clearly worse: no switch.
    AgentPlan triage;
    triage.agent = "triage-1";
    triage.feature = "triage";
    triage.models = {{"gpt-4o", 0.5, 0.92}, {"gpt-4o-mini", 0.5, 0.70}};
    v.push_back(triage);
    return v;
}

std::vector<AgentPlan> plantedFleet()
{
    std::vector<AgentPlan> v = neutralFleet();
    AgentPlan p;
    p.agent = "sum-1"; // the cheap model is at least as good here
    p.feature = "summarize";
    p.models = {{"gpt-4o", 0.6, 0.90}, {"gpt-4o-mini", 0.4, 0.93}};
    v.push_back(p);
    p = {};
    p.agent = "faq-1";
    p.feature = "faq";
    p.repeatShare = 0.5;
    v.push_back(p);
    p = {};
    p.agent = "eval-1";
    p.feature = "evals";
    p.batchShare = 0.5;
    v.push_back(p);
    p = {};
    p.agent = "pipeline-1";
    p.feature = "enrich";
    p.aroundTheClock = true;
    p.callsPerDay = 240;
    v.push_back(p);
    p = {};
    p.agent = "grow-1";
    p.feature = "drafting";
    p.inputNow = 3200;
    v.push_back(p);
    p = {};
    p.agent = "flaky-1";
    p.feature = "extract";
    p.retryShare = 0.1;
    p.callsPerDay = 300;
    v.push_back(p);
    return v;
}

using Found = std::set<std::tuple<std::string, std::string, std::string>>;

Found kinds(const std::vector<Opportunity> &ops)
{
    Found f;
    for (const auto &o : ops)
        f.insert({o.kind, o.dimension, o.name});
    return f;
}

CallFilter october()
{
    CallFilter f;
    f.fromDay = parseDate("2026-10-01");
    f.toDay = parseDate("2026-10-30");
    return f;
}

} // namespace

class TestDecide : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Workspace> fleet(const std::vector<AgentPlan> &plans, const QString &name)
    {
        auto ws = tltest::openWorkspace(m_dir, name);
        const std::string path =
            tltest::writeFile(m_dir, name + QStringLiteral(".csv"), planted::csv(plans));
        const auto r = Importer(*ws).importFile(path, {});
        if (!r.ok || r.rejected != 0)
            qFatal("planted fleet did not import: %s", r.error.c_str());
        return ws;
    }
    QTemporaryDir m_dir;

private Q_SLOTS:
    void nothingPlantedNothingFound();
    void plantedOpportunitiesAreFound();
    void everySavingIsWhatSimulateGives();
    void batchableRuleNamesAScope();
    void emptyPeriodFindsNothing();
    void portfolioVerdicts();
    void compareSameDistributionIsNoDifference();
    void comparePlantedDifference();
    void compareIsSeeded();
    void cohortParsing_data();
    void cohortParsing();
    void efficiency_data();
    void efficiency();
    void efficiencyInExplore();
};

void TestDecide::nothingPlantedNothingFound()
{
    auto ws = fleet(neutralFleet(), QStringLiteral("neutral.db"));
    const auto in = DecisionInputs::load(*ws, october());
    QVERIFY(in);
    QCOMPARE(in->agents.size(), size_t(4));
    const auto found = OpportunityFinder::find(*in, {});
    for (const auto &o : found)
        qWarning("invented: %s %s: %s", o.kind.c_str(), o.name.c_str(), o.summary.c_str());
    QVERIFY(found.empty());
}

void TestDecide::plantedOpportunitiesAreFound()
{
    auto ws = fleet(plantedFleet(), QStringLiteral("planted.db"));
    const auto in = DecisionInputs::load(*ws, october());
    const auto found = OpportunityFinder::find(*in, {});
    const Found expected = {
        {"model_switch", "feature", "summarize"}, {"response_cache", "agent", "faq-1"},
        {"prompt_cache", "agent", "faq-1"},       {"batching", "agent", "eval-1"},
        {"batching", "agent", "pipeline-1"},      {"prompt_size", "agent", "grow-1"},
        {"retries", "agent", "flaky-1"}};
    for (const auto &o : found)
        qInfo("%s %s: %.2f/month: %s", o.kind.c_str(), o.name.c_str(), o.monthlySavingUsd,
              o.summary.c_str());
    QCOMPARE(kinds(found), expected);
    for (size_t i = 1; i < found.size(); ++i)
        QVERIFY(found[i - 1].monthlySavingUsd >= found[i].monthlySavingUsd);
    for (const auto &o : found) {
        if (o.kind == "model_switch") {
            QCOMPARE(o.scenario.levers.modelMix.size(), size_t(1));
            QCOMPARE(o.scenario.levers.modelMix[0].from, std::string("gpt-4o"));
            QCOMPARE(o.scenario.levers.modelMix[0].to, std::string("gpt-4o-mini"));
            // The evidence is the feature's own: 40% of 3,000 calls on mini at 93%.
            QVERIFY(std::abs(o.evidence["to"]["tasks"].get<int64_t>() - 1200) <= 1);
            QVERIFY(std::abs(o.evidence["to"]["success_rate"].get<double>() - 0.93) < 0.002);
            QVERIFY(o.evidence["success_diff_ci95"][0].get<double>() > -0.02);
            QVERIFY(o.successChange && *o.successChange > 0);
        } else if (o.kind == "response_cache") {
            QVERIFY(std::abs(*o.scenario.levers.cacheHitRate - 0.5) < 0.01);
            // A cache that answers half the calls saves half the spend.
            QVERIFY(std::abs(o.monthlySavingUsd / o.monthlyCostUsd - 0.5) < 0.01);
        } else if (o.kind == "prompt_size") {
            // Back from 3,200 to 2,000 input tokens a call: 37.5% shorter.
            QVERIFY(std::abs(o.scenario.levers.promptOptimization[0].inputReductionPct - 37.5) <
                    0.01);
        } else if (o.kind == "retries") {
            // One task in ten of 9,000 (to within the pattern's rounding).
            QVERIFY(std::abs(o.evidence["retried_failed_calls"].get<int64_t>() - 900) <= 1);
        } else if (o.kind == "batching" && o.name == "eval-1") {
            QVERIFY(std::abs(o.scenario.levers.batchEligibleShare - 0.5) < 0.01);
        }
        QVERIFY(o.monthlySavingUsd > 0 && o.monthlySavingUsd < o.monthlyCostUsd);
    }
}

// The emitted scenario, loaded and simulated the way `simulate` does (its
// filter, a fresh baseline from the store), saves what the list says.
void TestDecide::everySavingIsWhatSimulateGives()
{
    auto ws = fleet(plantedFleet(), QStringLiteral("simulate.db"));
    const auto in = DecisionInputs::load(*ws, october());
    const auto found = OpportunityFinder::find(*in, {});
    QVERIFY(found.size() >= 7);
    for (const auto &o : found) {
        const auto reread = sim::ScenarioFile::parse(sim::ScenarioFile::serialize(o.scenario));
        QVERIFY(reread.scenario);
        const CallFilter f = BaselineQuery::filterFor(*ws, reread.scenario->baseline, nullptr);
        const auto baseline = BaselineQuery::load(*ws, f);
        QVERIFY(sim::ScenarioFile::validate(*reread.scenario, *baseline).empty());
        const auto r = sim::Engine(*baseline).run(*reread.scenario);
        const double saving =
            (r.horizonBaselineCostUsd - r.horizonScenarioCostUsd) / double(r.monthly.size());
        QVERIFY2(std::abs(saving - o.monthlySavingUsd) <= 1e-6 * std::max(1.0, saving),
                 (o.kind + " " + o.name + ": " + std::to_string(saving) + " simulated, " +
                  std::to_string(o.monthlySavingUsd) + " listed")
                     .c_str());
    }
}

void TestDecide::batchableRuleNamesAScope()
{
    auto ws = fleet(neutralFleet(), QStringLiteral("rule.db"));
    const auto in = DecisionInputs::load(*ws, october());
    OpportunityOptions o;
    o.batchable = {{"agent", "chat-2"}};
    const auto found = OpportunityFinder::find(*in, o);
    QCOMPARE(kinds(found), (Found{{"batching", "agent", "chat-2"}}));
    QVERIFY(found[0].summary.find("you marked agent chat-2") != std::string::npos);
    o.batchable = {{"feature", "chat"}};
    QCOMPARE(OpportunityFinder::find(*in, o).size(), size_t(3));
}

void TestDecide::emptyPeriodFindsNothing()
{
    auto ws = fleet(plantedFleet(), QStringLiteral("empty.db"));
    CallFilter f;
    f.fromDay = parseDate("2027-01-01");
    f.toDay = parseDate("2027-01-31");
    const auto in = DecisionInputs::load(*ws, f);
    QVERIFY(in);
    QVERIFY(OpportunityFinder::find(*in, {}).empty());
    QVERIFY(Portfolio::build(*in, {}, {}).agents.empty());
    // A filter no call matches.
    CallFilter none = october();
    none.include[Dimension::Team] = {"nobody"};
    const auto nobody = DecisionInputs::load(*ws, none);
    QVERIFY(OpportunityFinder::find(*nobody, {}).empty());
}

void TestDecide::portfolioVerdicts()
{
    std::vector<AgentPlan> plans;
    AgentPlan p;
    p.agent = "star-1"; // earns its cost many times over
    p.feature = "a";
    plans.push_back(p);
    p.agent = "dud-1"; // earns almost nothing, nothing to fix
    p.feature = "b";
    p.valuePerSuccess = 0.001;
    plans.push_back(p);
    p.agent = "fixable-1"; // ROI 0.2 today, most of its prompts repeat
    p.feature = "c";
    p.valuePerSuccess = 0.0106667;
    p.repeatShare = 0.8;
    plans.push_back(p);
    p = {};
    p.agent = "silent-1"; // no outcomes: no value, no verdict
    p.feature = "d";
    p.outcomes = false;
    plans.push_back(p);
    auto ws = fleet(plans, QStringLiteral("portfolio.db"));
    const auto in = DecisionInputs::load(*ws, october());
    const auto ops = OpportunityFinder::find(*in, {});
    const PortfolioResult r = Portfolio::build(*in, ops, {});
    QCOMPARE(r.agents.size(), size_t(4));
    std::map<std::string, PortfolioAgent> by;
    for (const auto &a : r.agents)
        by[a.agent] = a;
    QCOMPARE(by["star-1"].verdict, std::string("scale"));
    QCOMPARE(by["dud-1"].verdict, std::string("retire"));
    QVERIFY(by["dud-1"].reason.find("no opportunity found") != std::string::npos);
    QCOMPARE(by["fixable-1"].verdict, std::string("optimize"));
    QVERIFY(std::abs(*by["fixable-1"].roi - 0.2) < 0.01);
    QVERIFY(*by["fixable-1"].roiOptimized > 0.5);
    QVERIFY(by["silent-1"].verdict.empty());
    QVERIFY(!by["silent-1"].roi);
    QVERIFY(by["silent-1"].reason.find("no outcomes") != std::string::npos);
    // The stresses: +20% prices cut ROI to (value - 1.2 cost) / 1.2 cost.
    const auto &star = by["star-1"];
    const double value = star.monthlyValueUsd, cost = star.monthlyCostUsd;
    QVERIFY(std::abs(*star.roiPricesUp20 - (value - 1.2 * cost) / (1.2 * cost)) < 1e-6);
    const double down5 = (value * 0.85 / 0.9 - cost) / cost;
    QVERIFY(std::abs(*star.roiQualityDown5 - down5) < 1e-3 * down5);
    QCOMPARE(star.paybackMonth.value_or(0), 1);
    // Teams sum their agents.
    QCOMPARE(r.teams.size(), size_t(1));
    QCOMPARE(r.teams[0].agents, 4);
    QCOMPARE(r.teams[0].agentsWithoutOutcomes, 1);
}

void TestDecide::compareSameDistributionIsNoDifference()
{
    std::vector<AgentPlan> plans;
    for (int arm = 0; arm < 2; ++arm) {
        AgentPlan p;
        p.agent = arm == 0 ? "bot-a" : "bot-b";
        p.feature = "f";
        p.tag = arm == 0 ? "arm=a" : "arm=b";
        p.seed = arm == 0 ? 0.11 : 0.57;
        p.jitter = true;
        p.callsPerDay = 40;
        plans.push_back(p);
    }
    auto ws = fleet(plans, QStringLiteral("ab-same.db"));
    std::string error;
    const auto r = CohortCompare::run(*ws, {}, *Cohort::parse("tag:arm=a", &error),
                                      *Cohort::parse("tag:arm=b", &error));
    QCOMPARE(r.a.tasks, int64_t(2400));
    QCOMPARE(r.b.tasks, int64_t(2400));
    QVERIFY(r.costPerSuccessPctCi.lo < 0 && r.costPerSuccessPctCi.hi > 0);
    QVERIFY(*r.pValue > 0.05);
    QVERIFY2(r.verdict.find("cannot tell apart from chance") != std::string::npos &&
                 r.verdict.find("a real difference") == std::string::npos,
             r.verdict.c_str());
}

void TestDecide::comparePlantedDifference()
{
    std::vector<AgentPlan> plans;
    for (int arm = 0; arm < 2; ++arm) {
        AgentPlan p;
        p.agent = arm == 0 ? "before" : "after";
        p.feature = "f";
        p.seed = arm == 0 ? 0.2 : 0.8;
        p.jitter = true;
        p.callsPerDay = 40;
        if (arm == 1) { // 40% fewer tokens, as good
            p.inputBefore = p.inputNow = 1200;
            p.output = 180;
        }
        plans.push_back(p);
    }
    auto ws = fleet(plans, QStringLiteral("ab-planted.db"));
    std::string error;
    const auto r = CohortCompare::run(*ws, {}, *Cohort::parse("agent=before", &error),
                                      *Cohort::parse("agent=after", &error));
    QVERIFY(std::abs(*r.costPerSuccessPct + 0.40) < 0.03);
    QVERIFY(r.costPerSuccessPctCi.lo < -0.40 + 0.03 && r.costPerSuccessPctCi.hi > -0.40 - 0.03);
    QVERIFY(r.costPerSuccessPctCi.hi < 0);
    QVERIFY2(r.verdict.rfind("B costs 4", 0) == 0 &&
                 r.verdict.find("less per successful task (95% CI") != std::string::npos &&
                 r.verdict.find("cannot tell apart") != std::string::npos, // success: same
             r.verdict.c_str());
    // Before/after by period on the same agent: the same 90% success either side.
    const auto byPeriod = CohortCompare::run(
        *ws, {}, *Cohort::parse("agent=before,period:2026-09-01..2026-09-30", &error),
        *Cohort::parse("agent=before,period:2026-10-01..2026-10-30", &error));
    QCOMPARE(byPeriod.a.tasks, int64_t(1200));
    QVERIFY(std::abs(*byPeriod.successRateDiff) < 0.02);
}

void TestDecide::compareIsSeeded()
{
    auto ws = fleet(neutralFleet(), QStringLiteral("seeded.db"));
    std::string error;
    const auto a = *Cohort::parse("agent=chat-1", &error),
               b = *Cohort::parse("agent=triage-1", &error);
    const auto one = CohortCompare::toJson(CohortCompare::run(*ws, {}, a, b, 7));
    const auto two = CohortCompare::toJson(CohortCompare::run(*ws, {}, a, b, 7));
    QCOMPARE(one.dump(), two.dump());
    // An arm with no calls compares nothing, and says so.
    const auto empty = CohortCompare::run(*ws, {}, a, *Cohort::parse("agent=nobody", &error));
    QCOMPARE(empty.b.tasks, int64_t(0));
    QVERIFY(empty.verdict.find("has no calls") != std::string::npos);
}

void TestDecide::cohortParsing_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error"); // empty: parses
    QTest::newRow("dimension") << "team=support"
                               << "";
    QTest::newRow("two") << "team=support,model=gpt-4o"
                         << "";
    QTest::newRow("tag") << "tag:experiment=b"
                         << "";
    QTest::newRow("period") << "period:2026-10-01..2026-10-14"
                            << "";
    QTest::newRow("unknown dimension") << "colour=red"
                                       << "unknown dimension 'colour'";
    QTest::newRow("no value") << "team="
                              << "expected DIM=VALUE";
    QTest::newRow("bad period") << "period:2026-10-14..2026-10-01"
                                << "from before to";
    QTest::newRow("half period") << "period:2026-10-14"
                                 << "expected period:YYYY-MM-DD";
    QTest::newRow("empty part") << "team=a,,model=b"
                                << "an empty part";
    QTest::newRow("tag without key") << "tag:=b"
                                     << "needs a key";
}

void TestDecide::cohortParsing()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    std::string why;
    const auto c = Cohort::parse(text.toStdString(), &why);
    if (error.isEmpty()) {
        QVERIFY2(c, why.c_str());
    } else {
        QVERIFY(!c);
        QVERIFY2(why.find(error.toStdString()) != std::string::npos, why.c_str());
    }
}

void TestDecide::efficiency_data()
{
    QTest::addColumn<qlonglong>("requests");
    QTest::addColumn<qlonglong>("input");
    QTest::addColumn<qlonglong>("cached");
    QTest::addColumn<qlonglong>("output");
    QTest::addColumn<qlonglong>("errors");
    QTest::addColumn<qlonglong>("successes");
    QTest::addColumn<qlonglong>("failures");
    QTest::addColumn<double>("tokensPerSuccess"); // -1: unknown
    QTest::addColumn<double>("callsPerTask");
    QTest::addColumn<double>("retriesPerTask");
    QTest::addColumn<double>("cachedShare");
    QTest::newRow("typical") << 300LL << 600000LL << 150000LL << 90000LL << 30LL << 80LL << 20LL
                             << 8625.0 << 3.0 << 0.3 << 0.25;
    QTest::newRow("no outcomes") << 300LL << 600000LL << 0LL << 90000LL << 0LL << 0LL << 0LL << -1.0
                                 << -1.0 << -1.0 << 0.0;
    QTest::newRow("all failed") << 10LL << 1000LL << 500LL << 0LL << 10LL << 0LL << 5LL << -1.0
                                << 2.0 << 2.0 << 0.5;
    QTest::newRow("nothing") << 0LL << 0LL << 0LL << 0LL << 0LL << 0LL << 0LL << -1.0 << -1.0
                             << -1.0 << -1.0;
}

void TestDecide::efficiency()
{
    QFETCH(qlonglong, requests);
    QFETCH(qlonglong, input);
    QFETCH(qlonglong, cached);
    QFETCH(qlonglong, output);
    QFETCH(qlonglong, errors);
    QFETCH(qlonglong, successes);
    QFETCH(qlonglong, failures);
    QFETCH(double, tokensPerSuccess);
    QFETCH(double, callsPerTask);
    QFETCH(double, retriesPerTask);
    QFETCH(double, cachedShare);
    Measures m;
    m[MRequests] = requests;
    m[MInputTokens] = input;
    m[MCachedInputTokens] = cached;
    m[MOutputTokens] = output;
    m[MErrorRequests] = errors;
    m[MSuccessTasks] = successes;
    m[MFailureTasks] = failures;
    const Efficiency e = Efficiency::of(m);
    const auto same = [](const std::optional<double> &v, double expected) {
        return expected < 0 ? !v : (v && std::abs(*v - expected) < 1e-9);
    };
    QVERIFY(same(e.tokensPerSuccess, tokensPerSuccess));
    QVERIFY(same(e.callsPerTask, callsPerTask));
    QVERIFY(same(e.retriesPerTask, retriesPerTask));
    QVERIFY(same(e.cachedShare, cachedShare));
}

// Explore's columns show the figure and its change against the previous period.
void TestDecide::efficiencyInExplore()
{
    auto ws = fleet(plantedFleet(), QStringLiteral("explore.db"));
    const CallFilter now = october();
    const Measures total = SummaryQuery::run(*ws, now, {}).totals;
    const Measures before = SummaryQuery::run(*ws, *now.previousPeriod(), {}).totals;
    DrillTreeModel model;
    model.reset({Dimension::Team}, total, before, true);
    const QModelIndex org = model.index(0, DrillTreeModel::TokensPerSuccess);
    const Efficiency e = Efficiency::of(total), p = Efficiency::of(before);
    QCOMPARE(model.data(org, SortRole).toDouble(), *e.tokensPerSuccess);
    // grow-1's longer prompts raise the fleet's tokens per success.
    QVERIFY(*e.tokensPerSuccess > *p.tokensPerSuccess);
    const int change = int(std::lround((*e.tokensPerSuccess / *p.tokensPerSuccess - 1) * 100));
    QVERIFY2(
        model.data(org, Qt::DisplayRole).toString().endsWith(QStringLiteral("(+%1%)").arg(change)),
        qPrintable(model.data(org, Qt::DisplayRole).toString()));
    QCOMPARE(
        model.headerData(DrillTreeModel::CallsPerTask, Qt::Horizontal, Qt::DisplayRole).toString(),
        QStringLiteral("Calls / task"));
}

QTEST_GUILESS_MAIN(TestDecide)
#include "tst_decide.moc"
