#include "portfolio.h"

#include "engine.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace tl {

namespace {

using Json = nlohmann::ordered_json;

std::string roiText(double roi)
{
    return formatRoi(roi);
}

Json optional(const std::optional<double> &v)
{
    return v ? Json(std::round(*v * 1e4) / 1e4) : Json(nullptr);
}

// The levers of every opportunity that touches the agent, in one scenario:
// its own (caching, batching, prompts, retries) and its features' model moves.
sim::Scenario combined(const std::string &agent, const std::vector<std::string> &features,
                       const std::vector<Opportunity> &ops, int horizon, int &count)
{
    sim::Scenario s;
    s.horizonMonths = horizon;
    sim::Levers &l = s.levers;
    count = 0;
    for (const Opportunity &op : ops) {
        const sim::Levers &o = op.scenario.levers;
        if (op.dimension == "feature" &&
            std::find(features.begin(), features.end(), op.name) != features.end()) {
            // One move per model: the first (largest) opportunity wins.
            bool taken = false;
            for (const auto &m : l.modelMix)
                taken = taken || (m.from == o.modelMix[0].from &&
                                  m.scope.feature == o.modelMix[0].scope.feature);
            if (taken)
                continue;
            l.modelMix.push_back(o.modelMix[0]);
            for (const auto &[model, q] : o.quality)
                l.quality.try_emplace(model, q);
        } else if (op.dimension == "agent" && op.name == agent) {
            if (op.kind == "response_cache")
                l.cacheHitRate = o.cacheHitRate;
            else if (op.kind == "prompt_cache")
                l.cachedInputShare = o.cachedInputShare;
            else if (op.kind == "batching") {
                l.batchEligibleShare = o.batchEligibleShare;
                l.batchWindowS = o.batchWindowS;
                l.batchMaxSize = o.batchMaxSize;
            } else
                l.promptOptimization.insert(l.promptOptimization.end(),
                                            o.promptOptimization.begin(),
                                            o.promptOptimization.end());
        } else {
            continue;
        }
        ++count;
    }
    return s;
}

std::optional<double> roiOf(double value, double cost)
{
    return cost > 0 ? std::optional<double>((value - cost) / cost) : std::nullopt;
}

} // namespace

PortfolioResult Portfolio::build(const DecisionInputs &in, const std::vector<Opportunity> &ops,
                                 const PortfolioOptions &o)
{
    PortfolioResult out;
    const double months = double(o.horizonMonths);
    for (const auto &[agent, stats] : in.agents) {
        const sim::Baseline b = OpportunityFinder::scopeBaseline(in, "agent", agent);
        if (b.cells.empty())
            continue;
        const sim::Engine engine(b);
        PortfolioAgent a;
        a.agent = agent;
        a.team = stats.team;
        a.feature = stats.feature;
        for (const auto &g : engine.workload().groups())
            a.outcomesLogged = a.outcomesLogged || g.outcomesLogged;
        sim::Scenario neutral;
        neutral.horizonMonths = o.horizonMonths;
        const sim::SimulationResult r = engine.run(neutral);
        a.monthlyCostUsd = r.horizonBaselineCostUsd / months;
        std::vector<std::string> features;
        for (const auto &c : b.cells)
            if (std::find(features.begin(), features.end(), b.features[c.feature]) ==
                features.end())
                features.push_back(b.features[c.feature]);
        const sim::Scenario all = combined(agent, features, ops, o.horizonMonths, a.opportunities);
        const sim::SimulationResult optimized = engine.run(all);
        a.opportunitySavingUsd =
            (optimized.horizonBaselineCostUsd - optimized.horizonScenarioCostUsd) / months;
        if (!a.outcomesLogged) {
            a.reason = "no outcomes logged: its value is unknown, so no verdict (log outcome "
                       "and value_usd per task)";
            out.agents.push_back(std::move(a));
            continue;
        }
        a.monthlyValueUsd = r.horizonBaselineValueUsd / months;
        a.monthlySuccessfulTasks =
            r.baseline.successfulTasks * (30.4375 / engine.workload().days());
        a.roi = r.horizonBaselineRoi;
        double cumulative = 0;
        for (const auto &m : r.monthly) {
            cumulative += m.baseline.valueUsd - m.baseline.totalUsd();
            if (cumulative >= 0) {
                a.paybackMonth = m.month;
                break;
            }
        }
        sim::Scenario stress = neutral;
        stress.levers.priceChangePct = 20;
        a.roiPricesUp20 = engine.run(stress).horizonScenarioRoi;
        stress = neutral;
        stress.levers.volumeChangePct = -50;
        a.roiVolumeHalf = engine.run(stress).horizonScenarioRoi;
        // Five points fewer successes: value falls with them, cost stays.
        const double rate =
            r.baseline.tasks > 0 ? r.baseline.successfulTasks / r.baseline.tasks : 0;
        if (rate > 0)
            a.roiQualityDown5 = roiOf(r.horizonBaselineValueUsd * std::max(0.0, rate - 0.05) / rate,
                                      r.horizonBaselineCostUsd);
        a.roiOptimized = optimized.horizonScenarioRoi;

        const double roi = a.roi.value_or(-1);
        double worst = roi;
        std::string worstWhat;
        for (const auto &[v, what] : {std::pair{a.roiPricesUp20, "prices rise 20%"},
                                      std::pair{a.roiQualityDown5, "quality falls 5 points"},
                                      std::pair{a.roiVolumeHalf, "volume is half the forecast"}})
            if (v && *v < worst) {
                worst = *v;
                worstWhat = what;
            }
        const double best = a.roiOptimized.value_or(roi);
        const std::string horizon = " over " + std::to_string(o.horizonMonths) + " months";
        if (roi >= o.minRoi && worst >= o.minRoi) {
            a.verdict = "scale";
            a.reason = "ROI " + roiText(roi) + horizon + ", still " + roiText(worst) +
                       (worstWhat.empty() ? "" : " if " + worstWhat) + " (minimum " +
                       roiText(o.minRoi) + ")";
        } else if (std::max(best, roi) < o.minRoi) {
            a.verdict = "retire";
            a.reason = "ROI " + roiText(roi) + horizon +
                       (a.opportunities > 0
                            ? " even with every opportunity applied (" + roiText(best) + ")"
                            : ", and no opportunity found to raise it") +
                       "; the minimum is " + roiText(o.minRoi);
        } else {
            a.verdict = "optimize";
            if (roi < o.minRoi)
                a.reason = "ROI " + roiText(roi) + horizon + " is below the minimum " +
                           roiText(o.minRoi) + "; " + roiText(best) + " with its " +
                           std::to_string(a.opportunities) + " opportunities applied (" +
                           formatDollars(a.opportunitySavingUsd) + " a month)";
            else
                a.reason =
                    "ROI " + roiText(roi) + horizon + ", but " + roiText(worst) + " if " +
                    worstWhat +
                    (a.opportunities > 0
                         ? "; its " + std::to_string(a.opportunities) + " opportunities save " +
                               formatDollars(a.opportunitySavingUsd) + " a month"
                         : "");
        }
        out.agents.push_back(std::move(a));
    }
    std::stable_sort(out.agents.begin(), out.agents.end(), [](const auto &x, const auto &y) {
        return x.monthlyCostUsd > y.monthlyCostUsd;
    });
    std::map<std::string, PortfolioGroup> teams, features;
    for (const auto &a : out.agents)
        for (auto [map, key] : {std::pair{&teams, a.team}, std::pair{&features, a.feature}}) {
            PortfolioGroup &g = (*map)[key];
            g.name = key;
            ++g.agents;
            g.monthlyCostUsd += a.monthlyCostUsd;
            if (a.outcomesLogged)
                g.monthlyValueUsd += a.monthlyValueUsd;
            else
                ++g.agentsWithoutOutcomes;
        }
    for (auto [map, list] : {std::pair{&teams, &out.teams}, std::pair{&features, &out.features}})
        for (auto &[name, g] : *map) {
            double cost = 0;
            for (const auto &a : out.agents)
                if (a.outcomesLogged && (map == &teams ? a.team : a.feature) == name)
                    cost += a.monthlyCostUsd;
            if (g.agentsWithoutOutcomes < g.agents)
                g.roi = roiOf(g.monthlyValueUsd, cost);
            list->push_back(g);
        }
    return out;
}

nlohmann::ordered_json Portfolio::toJson(const PortfolioResult &r, const PortfolioOptions &o)
{
    Json agents = Json::array();
    for (const auto &a : r.agents)
        agents.push_back(
            Json{{"agent", a.agent},
                 {"team", a.team},
                 {"feature", a.feature},
                 {"monthly_cost_usd", a.monthlyCostUsd},
                 {"monthly_value_usd", a.outcomesLogged ? Json(a.monthlyValueUsd) : Json(nullptr)},
                 {"monthly_successful_tasks",
                  a.outcomesLogged ? Json(a.monthlySuccessfulTasks) : Json(nullptr)},
                 {"roi", optional(a.roi)},
                 {"payback_month", a.paybackMonth ? Json(*a.paybackMonth) : Json(nullptr)},
                 {"verdict", a.verdict.empty() ? Json(nullptr) : Json(a.verdict)},
                 {"reason", a.reason},
                 {"opportunities", a.opportunities},
                 {"opportunity_saving_usd", a.opportunitySavingUsd},
                 {"roi_with_opportunities", optional(a.roiOptimized)},
                 {"sensitivity", Json{{"prices_plus_20pct_roi", optional(a.roiPricesUp20)},
                                      {"quality_minus_5pts_roi", optional(a.roiQualityDown5)},
                                      {"volume_half_roi", optional(a.roiVolumeHalf)}}}});
    const auto groups = [](const std::vector<PortfolioGroup> &v, const char *key) {
        Json a = Json::array();
        for (const auto &g : v)
            a.push_back(Json{{key, g.name},
                             {"agents", g.agents},
                             {"agents_without_outcomes", g.agentsWithoutOutcomes},
                             {"monthly_cost_usd", g.monthlyCostUsd},
                             {"monthly_value_usd", g.monthlyValueUsd},
                             {"roi", optional(g.roi)}});
        return a;
    };
    return Json{{"horizon_months", o.horizonMonths},
                {"min_roi", o.minRoi},
                {"agents", agents},
                {"teams", groups(r.teams, "team")},
                {"features", groups(r.features, "feature")}};
}

} // namespace tl
