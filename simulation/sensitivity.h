#pragma once

#include "engine.h"
#include "scenario.h"

#include <optional>
#include <string>
#include <vector>

namespace tl::sim {

// What the analyses compare: the scenario's average month over its horizon
// (volume change and growth included, the one-time investment not).
struct AverageMonth
{
    double costUsd = 0;
    std::optional<double> roi;
};

struct TornadoBar
{
    std::string path;
    std::string label;
    std::string unit;
    double low = 0;
    double high = 0;
    AverageMonth atLow;
    AverageMonth atHigh;
    double costSwingUsd() const { return std::abs(atHigh.costUsd - atLow.costUsd); }
};

struct CurvePoint
{
    double x = 0;
    double costUsd = 0; // average month
    std::optional<double> roi;
    double waitMeanS = 0; // batching curve only
    double waitP95S = 0;
};

class Sensitivity
{
public:
    static AverageMonth averageMonth(const Engine &e, const Scenario &s, const Levers &l,
                                     bool latencyPercentile = false);
    // The levers the tornado sweeps: the scenario's ranges, then the default
    // twelve (simulation.md), each over its range; sorted by cost swing.
    static std::vector<TornadoBar> tornado(const Engine &e, const Scenario &s);
    // Average monthly cost and ROI as every price moves by x% (on top of the
    // scenario's own change), x from -50 to +50.
    static std::vector<CurvePoint> priceCurve(const Engine &e, const Scenario &s);
    // Cost and added wait as the batching window goes from 0 to 10 minutes
    // (with the scenario's eligible share, or all calls when it has none).
    static std::vector<CurvePoint> batchingCurve(const Engine &e, const Scenario &s);
};

} // namespace tl::sim
