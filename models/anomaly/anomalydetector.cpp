#include "anomalydetector.h"

#include "core/timeutil.h"

#include <algorithm>
#include <cmath>
#include <deque>

namespace tl {

namespace {

bool isWeekend(int64_t day)
{
    return int((day % 7 + 7 + 3) % 7) >= 5; // 0 = Monday
}

// A window of buckets [from, i] as detect() judges it: sums of calls,
// spend and expectations, the largest dispersion and usual cost per call,
// the fewest calls known of a slot. nullopt while a bucket warms up.
struct WindowSums
{
    double calls = 0, costUsd = 0, lambda = 0, expectedUsd = 0, dispersion = 1;
    double costPerCallUsd = 0, historyCalls = 1e300;
};

std::optional<WindowSums> sumWindow(const std::vector<AnomalyDetector::Expectation> &exp,
                                    const std::vector<double> &calls,
                                    const std::vector<double> &cost, size_t from, size_t i)
{
    WindowSums w;
    for (size_t k = from; k <= i; ++k) {
        if (!exp[k].ok)
            return std::nullopt;
        w.calls += calls[k];
        w.costUsd += cost[k];
        w.lambda += exp[k].calls;
        w.expectedUsd += exp[k].costUsd;
        w.dispersion = std::max(w.dispersion, exp[k].dispersion);
        w.costPerCallUsd = std::max(w.costPerCallUsd, exp[k].costPerCallUsd);
        w.historyCalls = std::min(w.historyCalls, exp[k].historyCalls);
    }
    return w;
}

} // namespace

AnomalyDetector::Expectation AnomalyDetector::expectation(int64_t firstBucket,
                                                          const std::vector<double> &cost,
                                                          const std::vector<double> &calls,
                                                          size_t i, size_t firstActive) const
{
    Expectation e;
    const int64_t perDay = 24 / m_opt.bucketHours;
    if (int64_t(i) - int64_t(firstActive) < m_opt.warmupDays * perDay)
        return e; // a new entity has no rhythm to compare against yet
    const int64_t day = floorDiv(firstBucket + int64_t(i), perDay);
    const bool weekend = isWeekend(day);
    struct Sample
    {
        double calls, cost;
    };
    // One buffer per thread, not one per bucket: an hourly run asks for
    // hundreds of thousands of expectations.
    thread_local std::vector<Sample> h;
    h.clear();
    for (int d = 1; d <= m_opt.historyDays; ++d) {
        const int64_t j = int64_t(i) - d * perDay;
        if (j < int64_t(firstActive))
            break;
        if (isWeekend(day - d) == weekend)
            h.push_back({calls[size_t(j)], cost[size_t(j)]});
    }
    if (h.size() < 3)
        return e;
    // Trim the busiest tenth: one earlier spike must not become the norm.
    std::sort(h.begin(), h.end(),
              [](const Sample &a, const Sample &b) { return a.calls < b.calls; });
    const size_t keep = h.size() - std::max<size_t>(h.size() >= 5 ? 1 : 0, h.size() / 10);
    double sumCalls = 0, sumCost = 0;
    for (size_t k = 0; k < keep; ++k) {
        sumCalls += h[k].calls;
        sumCost += h[k].cost;
    }
    e.calls = sumCalls / double(keep);
    // Dispersion from every sample, bursts included: trimming them would
    // make ordinary bursts look impossible.
    double all = 0;
    for (const Sample &x : h)
        all += x.calls;
    const double mean = all / double(h.size());
    double var = 0;
    for (const Sample &x : h)
        var += (x.calls - mean) * (x.calls - mean);
    var /= double(h.size() - 1);
    e.dispersion = std::clamp(var / std::max(mean, 0.5), 1.0, 20.0);
    e.historyCalls = all;
    if (sumCalls > 0) {
        e.costPerCallUsd = sumCost / sumCalls;
    } else {
        // A slot with no calls yet: the entity's cost per call so far.
        double c = 0, n = 0;
        for (size_t j = firstActive; j < i; ++j) {
            c += cost[j];
            n += calls[j];
        }
        e.costPerCallUsd = n > 0 ? c / n : 0;
    }
    e.costUsd = e.calls * e.costPerCallUsd;
    e.ok = true;
    return e;
}

std::vector<AnomalyDetector::Expectation>
AnomalyDetector::expectations(int64_t firstBucket, const std::vector<double> &cost,
                              const std::vector<double> &calls) const
{
    std::vector<Expectation> exp(cost.size());
    size_t firstActive = 0;
    while (firstActive < cost.size() && cost[firstActive] <= 0 && calls[firstActive] <= 0)
        ++firstActive;
    // Pooled burstiness of the entity over its last week of buckets: a few
    // samples per slot under-estimate it, and an under-estimate alarms.
    const size_t week = size_t(7 * 24 / m_opt.bucketHours);
    // The week's ratios in time order, and the same kept sorted for the
    // median: a copy and nth_element per bucket was a sixth of a 10M-call
    // report.
    std::deque<double> ratios;
    std::vector<double> sorted;
    for (size_t i = firstActive; i < cost.size(); ++i) {
        exp[i] = expectation(firstBucket, cost, calls, i, firstActive);
        if (i > firstActive && exp[i - 1].ok && exp[i - 1].calls > 0) {
            const double d = calls[i - 1] - exp[i - 1].calls;
            const double r = d * d / std::max(exp[i - 1].calls, 0.5);
            ratios.push_back(r);
            sorted.insert(std::upper_bound(sorted.begin(), sorted.end(), r), r);
            if (ratios.size() > week) {
                sorted.erase(std::lower_bound(sorted.begin(), sorted.end(), ratios.front()));
                ratios.pop_front();
            }
        }
        if (exp[i].ok && ratios.size() >= week / 2) {
            // The median of a chi-square with one degree of freedom is 0.455.
            const double pooled = sorted[sorted.size() / 2] / 0.455;
            exp[i].dispersion = std::clamp(std::max(exp[i].dispersion, pooled), 1.0, 20.0);
        }
    }
    return exp;
}

std::optional<double> AnomalyDetector::windowThresholdUsd(const std::vector<Expectation> &exp,
                                                          const std::vector<double> &calls,
                                                          size_t from, size_t i) const
{
    const auto w = sumWindow(exp, calls, calls, from, i); // its spend sum is not used here
    if (!w)
        return std::nullopt;
    const double n = w->calls, lambda = w->lambda, m = w->expectedUsd, d = w->dispersion,
                 cpc = w->costPerCallUsd, known = w->historyCalls;
    // The calls route in dollars (as many calls as the sensitivity allows,
    // at the usual cost per call) or the costlier-calls route (these calls
    // at minCostRatio x the usual), and either way past both floors.
    double route = (lambda + m_opt.sensitivity * std::sqrt(d * (lambda + 1))) * cpc;
    if (n >= 5 && known >= 20 && cpc > 0)
        route = std::min(route, m_opt.minCostRatio * cpc * n);
    return std::max({route, m + m_opt.minExcessUsd, m_opt.minRatio * m});
}

std::vector<DetectedAnomaly> AnomalyDetector::detect(int64_t firstBucket,
                                                     const std::vector<double> &cost,
                                                     const std::vector<double> &calls,
                                                     int64_t reportFrom) const
{
    std::vector<DetectedAnomaly> out;
    size_t firstActive = 0;
    while (firstActive < cost.size() && cost[firstActive] <= 0 && calls[firstActive] <= 0)
        ++firstActive;
    const std::vector<Expectation> exp = expectations(firstBucket, cost, calls);
    DetectedAnomaly open;
    bool isOpen = false;
    int quiet = 0;
    const auto close = [&] {
        if (isOpen && open.startBucket >= reportFrom)
            out.push_back(open);
        isOpen = false;
    };
    // Is the window [from, i] unusual? Returns its z-score, 0 when not.
    const auto judge = [&](size_t from, size_t i) {
        const auto w = sumWindow(exp, calls, cost, from, i);
        if (!w)
            return 0.0;
        const double n = w->calls, x = w->costUsd, lambda = w->lambda, m = w->expectedUsd,
                     d = w->dispersion, cpc = w->costPerCallUsd, known = w->historyCalls;
        if (x - m < m_opt.minExcessUsd || x < m_opt.minRatio * m)
            return 0.0;
        const double zCalls = (n - lambda) / std::sqrt(d * (lambda + 1));
        if (zCalls >= m_opt.sensitivity)
            return zCalls;
        // Costlier calls: only where enough calls of this slot are known to
        // say what a call usually costs (model mixes vary hour to hour).
        if (n >= 5 && known >= 20 && cpc > 0 && x / n >= m_opt.minCostRatio * cpc)
            return m_opt.sensitivity * (x / n) / (m_opt.minCostRatio * cpc);
        return 0.0;
    };
    for (size_t i = firstActive; i < cost.size(); ++i) {
        const int64_t bucket = firstBucket + int64_t(i);
        double z = judge(i, i);
        size_t from = i;
        // Sparse entities: two or three quiet-looking hours can add up to a burst.
        for (size_t span = 1; z == 0 && !isOpen && span <= 2 && i >= firstActive + span; ++span) {
            z = judge(i - span, i);
            from = i - span;
        }
        if (z > 0) {
            if (!isOpen) {
                open = DetectedAnomaly{};
                open.startBucket = firstBucket + int64_t(from);
                open.firstAlarmBucket = bucket;
                open.windowBuckets = int(i - from + 1);
                isOpen = true;
                for (size_t k = from; k < i; ++k) {
                    open.actualUsd += cost[k];
                    open.expectedUsd += exp[k].costUsd;
                }
            }
            open.endBucket = bucket + 1;
            open.actualUsd += cost[i];
            open.expectedUsd += exp[i].costUsd;
            open.score = std::max(open.score, z);
            quiet = 0;
        } else if (isOpen) {
            // Keep a spike's tail inside it while it stays well above normal.
            if (exp[i].ok && cost[i] >= m_opt.minRatio * exp[i].costUsd &&
                cost[i] - exp[i].costUsd >= m_opt.minExcessUsd / 4) {
                open.endBucket = bucket + 1;
                open.actualUsd += cost[i];
                open.expectedUsd += exp[i].costUsd;
                quiet = 0;
            } else if (++quiet > 1) {
                close();
            }
        }
    }
    close();
    return out;
}

} // namespace tl
