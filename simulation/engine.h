#pragma once

#include "batchingmodel.h"
#include "outcome.h"
#include "scenario.h"
#include "workload.h"

#include <mutex>
#include <vector>

namespace tl::sim {

struct EvaluateOptions
{
    bool latencyPercentile = true; // the p95 wait costs ~0.2 ms; analyses skip it
};

// The what-if engine: a pure function of (baseline workload, scenario).
// Construction collapses the baseline once; run() and evaluate() only read
// the ~thousands of groups, so a slider drag recomputes in well under a
// millisecond (tests/bench/bench_simulation).
class Engine
{
public:
    explicit Engine(const Baseline &baseline);

    const Workload &workload() const { return m_workload; }

    // Baseline and scenario over the baseline period, the monthly projection
    // over the horizon, ROI and payback.
    SimulationResult run(const Scenario &s) const;

    // The levers that describe the present rather than a change (compute
    // bill, value per task, quality) taken from `scenario`, everything else
    // neutral: what run() compares the scenario against.
    static Levers baselineLevers(const Levers &scenario);

    // One side over the baseline period, variable part scaled by
    // `volumeScale`, fixed monthly costs by `months`.
    Outcome evaluate(const Levers &l, double volumeScale, double months,
                     EvaluateOptions options = {}) const;

private:
    struct Side; // variable (per period) and fixed (per month) parts
    Side computeSide(const Levers &l, EvaluateOptions options) const;
    static Outcome compose(const Side &side, double volumeScale, double months);
    std::vector<BatchingModel::AgentEffect> batchingEffects(double windowS, int maxBatch) const;

    Workload m_workload;
    mutable std::mutex m_cacheMutex;
    mutable double m_cachedWindow = -1;
    mutable int m_cachedMaxBatch = -1;
    mutable std::vector<BatchingModel::AgentEffect> m_cachedEffects;
};

} // namespace tl::sim
