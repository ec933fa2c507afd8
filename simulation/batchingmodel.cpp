#include "batchingmodel.h"

#include <algorithm>
#include <cmath>

namespace tl::sim {

namespace {
double batchLife(double rate, double windowS, int maxBatch)
{
    return std::min(windowS, double(maxBatch - 1) / rate);
}
} // namespace

BatchingModel::AgentEffect BatchingModel::agentEffect(const std::array<double, 24> &rates,
                                                      double windowS, int maxBatch)
{
    AgentEffect e;
    if (windowS <= 0 || maxBatch < 2)
        return e;
    double calls = 0, batched = 0, wait = 0;
    for (double rate : rates) {
        if (rate <= 0)
            continue;
        const double p = -std::expm1(-rate * windowS);
        calls += rate;
        batched += rate * p;
        wait += rate * p * batchLife(rate, windowS, maxBatch) / 2;
    }
    if (calls > 0)
        e.batchedShare = batched / calls;
    if (batched > 0)
        e.meanWaitS = wait / batched;
    return e;
}

double BatchingModel::p95WaitS(const std::vector<std::array<double, 24>> &rates,
                               const std::vector<double> &agentCalls, double windowS, int maxBatch)
{
    if (windowS <= 0 || maxBatch < 2)
        return 0;
    struct Bucket
    {
        double weight, life;
    };
    std::vector<Bucket> buckets;
    double total = 0, longest = 0;
    for (size_t a = 0; a < rates.size() && a < agentCalls.size(); ++a) {
        if (agentCalls[a] <= 0)
            continue;
        double sum = 0;
        for (double r : rates[a])
            sum += r;
        if (sum <= 0)
            continue;
        for (double rate : rates[a]) {
            if (rate <= 0)
                continue;
            const double w = agentCalls[a] * rate / sum * -std::expm1(-rate * windowS);
            const double life = batchLife(rate, windowS, maxBatch);
            buckets.push_back({w, life});
            total += w;
            longest = std::max(longest, life);
        }
    }
    if (total <= 0)
        return 0;
    // Mixture of uniform waits: bisect on F(t) = Σ w·min(1, t/T) / Σ w = 0.95.
    double lo = 0, hi = longest;
    for (int i = 0; i < 50 && hi - lo > 1e-6 * longest; ++i) {
        const double t = (lo + hi) / 2;
        double f = 0;
        for (const auto &b : buckets)
            f += b.weight * std::min(1.0, t / b.life);
        (f / total < 0.95 ? lo : hi) = t;
    }
    return hi;
}

} // namespace tl::sim
