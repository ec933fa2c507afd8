#include "resultjson.h"

namespace tl::sim {

namespace {
using Json = nlohmann::ordered_json;

Json optional(const std::optional<double> &v)
{
    return v ? Json(*v) : Json(nullptr);
}

Json percentilesJson(const Percentiles &p)
{
    return Json{{"p10", p.p10}, {"p50", p.p50}, {"p90", p.p90}};
}
} // namespace

Json ResultJson::outcome(const Outcome &o, const Workload &w)
{
    Json j = Json::object();
    j["llm_cost_usd"] = o.llmUsd;
    j["infra_cost_usd"] = o.infraUsd;
    j["other_cost_usd"] = o.otherUsd();
    j["total_cost_usd"] = o.totalUsd();
    j["successful_tasks"] = o.successfulTasks;
    j["value_usd"] = o.valueUsd;
    j["roi"] = optional(o.roi());
    j["tasks"] = o.tasks;
    j["requests"] = o.requests;
    j["cache_cost_usd"] = o.cacheUsd;
    j["oversight_cost_usd"] = o.oversightUsd;
    j["fixed_cost_usd"] = o.fixedUsd;
    j["batching_savings_usd"] = o.batchingSavingsUsd;
    j["cache_savings_usd"] = o.cacheSavingsUsd;
    j["mean_latency_ms"] = o.meanLatencyMs;
    j["batched_share"] = o.batchedShare;
    j["batch_wait_mean_s"] = o.batchWaitMeanS;
    j["batch_wait_p95_s"] = o.batchWaitP95S;
    Json byModel = Json::object();
    for (size_t i = 0; i < o.llmByModelUsd.size() && i < w.models().size(); ++i)
        if (o.llmByModelUsd[i] != 0)
            byModel[w.models()[i].name] = o.llmByModelUsd[i];
    j["llm_cost_by_model_usd"] = byModel;
    return j;
}

Json ResultJson::build(const SimulationResult &r, const Workload &w,
                       const std::vector<TornadoBar> &tornado,
                       const std::optional<MonteCarloResult> &monteCarlo)
{
    Json j = Json::object();
    j["baseline"] = outcome(r.baseline, w);
    j["scenario"] = outcome(r.scenario, w);
    Json monthly = Json::array();
    for (const auto &m : r.monthly)
        monthly.push_back(Json{{"month", m.month},
                               {"baseline_cost_usd", m.baseline.totalUsd()},
                               {"scenario_cost_usd", m.scenario.totalUsd()},
                               {"baseline_value_usd", m.baseline.valueUsd},
                               {"scenario_value_usd", m.scenario.valueUsd},
                               {"baseline_roi", optional(m.baseline.roi())},
                               {"scenario_roi", optional(m.scenario.roi())}});
    j["monthly"] = monthly;
    Json sensitivity = Json::array();
    for (const auto &b : tornado)
        sensitivity.push_back(Json{{"lever", b.path},
                                   {"label", b.label},
                                   {"low", b.low},
                                   {"high", b.high},
                                   {"monthly_cost_low_usd", b.atLow.costUsd},
                                   {"monthly_cost_high_usd", b.atHigh.costUsd},
                                   {"roi_low", optional(b.atLow.roi)},
                                   {"roi_high", optional(b.atHigh.roi)}});
    j["sensitivity"] = sensitivity;
    j["horizon"] = Json{{"months", r.monthly.size()},
                        {"baseline_cost_usd", r.horizonBaselineCostUsd},
                        {"scenario_cost_usd", r.horizonScenarioCostUsd},
                        {"baseline_value_usd", r.horizonBaselineValueUsd},
                        {"scenario_value_usd", r.horizonScenarioValueUsd},
                        {"baseline_roi", optional(r.horizonBaselineRoi)},
                        {"scenario_roi", optional(r.horizonScenarioRoi)},
                        {"payback_month", r.paybackMonth ? Json(*r.paybackMonth) : Json(nullptr)}};
    if (monteCarlo)
        j["monte_carlo"] = Json{{"samples", monteCarlo->samples},
                                {"seed", monteCarlo->seed},
                                {"monthly_cost_usd", percentilesJson(monteCarlo->monthlyCostUsd)},
                                {"roi", percentilesJson(monteCarlo->roi)}};
    j["warnings"] = r.warnings;
    return j;
}

} // namespace tl::sim
