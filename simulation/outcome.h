#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tl::sim {

// Cost, tasks and value of one side (baseline or scenario) over some span:
// the baseline period, or one month of the projection. USD.
struct Outcome
{
    double llmUsd = 0;
    std::vector<double> llmByModelUsd; // index as Workload::models()
    double cacheUsd = 0;               // response-cache lookups and its fixed cost
    double infraUsd = 0;
    double oversightUsd = 0; // human review
    double fixedUsd = 0;
    double batchingSavingsUsd = 0; // LLM spend the batch discount removed (>= 0)
    double cacheSavingsUsd = 0;    // LLM spend response-cache hits removed (>= 0)
    double requests = 0;           // LLM calls made
    double tasks = 0;
    double successfulTasks = 0;
    double valueUsd = 0;
    double meanLatencyMs = 0; // per call, including the batching wait
    double batchedShare = 0;  // of all calls
    double batchWaitMeanS = 0;
    double batchWaitP95S = 0;

    double otherUsd() const { return cacheUsd + oversightUsd + fixedUsd; }
    double totalUsd() const { return llmUsd + infraUsd + otherUsd(); }
    std::optional<double> roi() const; // (value - cost) / cost
};

struct MonthPoint
{
    int month = 0; // 1 = the first month of the horizon
    Outcome baseline;
    Outcome scenario;
};

struct SimulationResult
{
    Outcome baseline; // over the baseline period
    Outcome scenario;
    std::vector<MonthPoint> monthly;
    double horizonBaselineCostUsd = 0;
    double horizonScenarioCostUsd = 0; // including the one-time investment
    double horizonBaselineValueUsd = 0;
    double horizonScenarioValueUsd = 0;
    std::optional<double> horizonBaselineRoi;
    std::optional<double> horizonScenarioRoi;
    std::optional<int> paybackMonth; // first month the cumulative gain covers the investment
    std::vector<std::string> warnings;
};

} // namespace tl::sim
