#include "sensitivity.h"

#include "leverspec.h"

#include <algorithm>
#include <cmath>

namespace tl::sim {

namespace {
constexpr double kDaysPerMonth = 365.25 / 12;

const char *const kDefaultTornado[] = {"prices.change_pct",
                                       "volume.change_pct",
                                       "volume.monthly_growth_pct",
                                       "response_cache.hit_rate",
                                       "prompt_cache.cached_input_share",
                                       "batching.eligible_share",
                                       "batching.window_s",
                                       "infra.spot_share",
                                       "infra.reserved_share",
                                       "infra.interruption_rate",
                                       "value.oversight_share",
                                       "value.cost_per_review_usd"};
} // namespace

AverageMonth Sensitivity::averageMonth(const Engine &e, const Scenario &s, const Levers &l,
                                       bool latencyPercentile)
{
    const double periodMonths = e.workload().days() / kDaysPerMonth;
    const double growth = 1 + l.monthlyGrowthPct / 100;
    double meanGrowth = 0;
    for (int m = 0; m < s.horizonMonths; ++m)
        meanGrowth += std::pow(growth, m);
    meanGrowth /= std::max(1, s.horizonMonths);
    const double volume = std::max(0.0, 1 + l.volumeChangePct / 100);
    EvaluateOptions options;
    options.latencyPercentile = latencyPercentile;
    const Outcome o = e.evaluate(l, volume * meanGrowth / periodMonths, 1, options);
    return {o.totalUsd(), o.roi()};
}

std::vector<TornadoBar> Sensitivity::tornado(const Engine &e, const Scenario &s)
{
    std::vector<std::string> paths;
    for (const auto &[path, range] : s.ranges)
        paths.push_back(path);
    for (const char *p : kDefaultTornado)
        if (std::find(paths.begin(), paths.end(), p) == paths.end())
            paths.emplace_back(p);
    for (size_t i = 0; i < s.levers.modelMix.size(); ++i) {
        const std::string p = "model_mix[" + std::to_string(i) + "].share";
        if (std::find(paths.begin(), paths.end(), p) == paths.end())
            paths.push_back(p);
    }
    std::vector<TornadoBar> bars;
    for (const auto &path : paths) {
        const auto spec = LeverRegistry::find(s.levers, path);
        if (!spec)
            continue;
        TornadoBar bar;
        bar.path = path;
        bar.label = spec->label;
        bar.unit = spec->unit;
        bar.low = spec->tornadoLow;
        bar.high = spec->tornadoHigh;
        if (auto it = s.ranges.find(path); it != s.ranges.end()) {
            bar.low = it->second.first;
            bar.high = it->second.second;
        }
        Levers l = s.levers;
        spec->set(l, bar.low);
        bar.atLow = averageMonth(e, s, l);
        spec->set(l, bar.high);
        bar.atHigh = averageMonth(e, s, l);
        bars.push_back(std::move(bar));
    }
    std::stable_sort(bars.begin(), bars.end(), [](const TornadoBar &a, const TornadoBar &b) {
        return a.costSwingUsd() > b.costSwingUsd();
    });
    return bars;
}

std::vector<CurvePoint> Sensitivity::priceCurve(const Engine &e, const Scenario &s)
{
    std::vector<CurvePoint> out;
    for (int x = -50; x <= 50; x += 5) {
        Levers l = s.levers;
        l.priceChangePct = std::clamp(s.levers.priceChangePct + x, -100.0, 1000.0);
        const AverageMonth m = averageMonth(e, s, l);
        out.push_back({double(x), m.costUsd, m.roi, 0, 0});
    }
    return out;
}

std::vector<CurvePoint> Sensitivity::batchingCurve(const Engine &e, const Scenario &s)
{
    std::vector<CurvePoint> out;
    Levers l = s.levers;
    if (l.batchEligibleShare <= 0)
        l.batchEligibleShare = 1;
    for (double w : {0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0}) {
        l.batchWindowS = w;
        const double periodMonths = e.workload().days() / kDaysPerMonth;
        const Outcome o =
            e.evaluate(l, std::max(0.0, 1 + l.volumeChangePct / 100) / periodMonths, 1);
        out.push_back({w, o.totalUsd(), o.roi(), o.batchWaitMeanS, o.batchWaitP95S});
    }
    return out;
}

} // namespace tl::sim
