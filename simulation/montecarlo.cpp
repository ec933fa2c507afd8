#include "montecarlo.h"

#include "leverspec.h"
#include "sensitivity.h"
#include "splitmix.h"

#include <algorithm>
#include <cmath>

namespace tl::sim {

namespace {

Percentiles percentiles(const std::vector<double> &v)
{
    std::vector<double> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    return {MonteCarlo::percentile(sorted, 0.1), MonteCarlo::percentile(sorted, 0.5),
            MonteCarlo::percentile(sorted, 0.9)};
}
} // namespace

double MonteCarlo::percentile(std::vector<double> sorted, double p)
{
    if (sorted.empty())
        return 0;
    // Linear interpolation between closest ranks (numpy's default).
    const double pos = p * double(sorted.size() - 1);
    const size_t i = size_t(std::floor(pos));
    const size_t j = std::min(i + 1, sorted.size() - 1);
    return sorted[i] + (pos - double(i)) * (sorted[j] - sorted[i]);
}

MonteCarloResult MonteCarlo::run(const Engine &e, const Scenario &s, int samples, uint64_t seed,
                                 const std::function<bool(int)> &progress)
{
    struct Ranged
    {
        LeverSpec spec;
        double lo, hi;
    };
    std::vector<Ranged> ranged;
    for (const auto &[path, range] : s.ranges)
        if (auto spec = LeverRegistry::find(s.levers, path))
            ranged.push_back({*spec, range.first, range.second});

    MonteCarloResult r;
    r.seed = seed;
    SplitMix64 rng{seed};
    std::vector<double> rois;
    r.costSamples.reserve(size_t(std::max(0, samples)));
    for (int i = 0; i < samples; ++i) {
        Levers l = s.levers;
        for (const auto &x : ranged) {
            double v = x.lo + rng.uniform() * (x.hi - x.lo);
            if (x.spec.integer)
                v = std::round(v);
            x.spec.set(l, v);
        }
        const AverageMonth m = Sensitivity::averageMonth(e, s, l);
        r.costSamples.push_back(m.costUsd);
        if (m.roi)
            rois.push_back(*m.roi);
        ++r.samples;
        if (progress && (i % 256) == 255 && !progress(i + 1))
            break;
    }
    r.monthlyCostUsd = percentiles(r.costSamples);
    r.roi = percentiles(rois);
    return r;
}

} // namespace tl::sim
