#pragma once

#include "engine.h"
#include "scenario.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace tl::sim {

struct Percentiles
{
    double p10 = 0;
    double p50 = 0;
    double p90 = 0;
};

struct MonteCarloResult
{
    int samples = 0;
    uint64_t seed = 0;
    Percentiles monthlyCostUsd; // the scenario's average month (Sensitivity::averageMonth)
    Percentiles roi;            // samples with a cost; ROI is undefined without one
    std::vector<double> costSamples;
};

// Every lever the scenario gives a range for is drawn uniformly from it,
// independently, per sample; the others stay as set. The generator is our
// own (splitmix64), so a seed gives the same figures on every platform.
class MonteCarlo
{
public:
    static MonteCarloResult run(const Engine &e, const Scenario &s, int samples, uint64_t seed,
                                const std::function<bool(int done)> &progress = {});
    static double percentile(std::vector<double> sorted, double p); // p in [0, 1]
};

} // namespace tl::sim
