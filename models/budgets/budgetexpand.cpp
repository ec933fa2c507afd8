#include "budgetexpand.h"

#include "core/timeutil.h"
#include "decide/portfolio.h"
#include "query/summaryquery.h"
#include "store/workspace.h"

#include <algorithm>
#include <cmath>

namespace tl {

namespace {

CallFilter scopeFilter(const std::map<Dimension, std::string> &scope)
{
    CallFilter f;
    for (const auto &[dim, name] : scope)
        f.include[dim] = {name};
    return f;
}

double periodDays(BudgetPeriod p)
{
    switch (p) {
    case BudgetPeriod::Day:
        return 1;
    case BudgetPeriod::Week:
        return 7;
    case BudgetPeriod::Month:
        return 365.25 / 12;
    case BudgetPeriod::Quarter:
        return 365.25 / 4;
    }
    return 1;
}

} // namespace

std::vector<Budget> expandEach(Workspace &ws, const std::vector<Budget> &budgets,
                               std::vector<std::string> *notes)
{
    std::vector<Budget> out;
    const auto bounds = dataDayBounds(ws);
    for (const Budget &b : budgets) {
        if (!b.each) {
            out.push_back(b);
            continue;
        }
        CallFilter f = scopeFilter(b.scope);
        if (bounds) {
            f.toDay = bounds->second;
            f.fromDay = bounds->second - 89;
        }
        GroupKey key;
        key.dimension = *b.each;
        size_t made = 0;
        for (const auto &row : SummaryQuery::run(ws, f, {key}).rows) {
            if (row.keyValues[0] == 0)
                continue; // calls without the dimension have no member to budget
            Budget m = b;
            m.each.reset();
            m.name = b.name + " · " + row.keys[0];
            m.scope[*b.each] = row.keys[0];
            out.push_back(std::move(m));
            ++made;
        }
        if (notes)
            notes->push_back("\"" + b.name + "\": " + std::to_string(made) + " budgets, one per " +
                             std::string(dimensionName(*b.each)) + " of " + b.scopeText() +
                             " with calls in the last 90 days of data");
    }
    return out;
}

PoolAllocation allocatePool(Workspace &ws, const BudgetPool &pool)
{
    PoolAllocation a;
    a.pool = pool;
    const auto in = DecisionInputs::load(ws, scopeFilter(pool.scope));
    a.basis = "ROI and spend of " + in->spec.from + " to " + in->spec.to;
    const PortfolioResult portfolio = Portfolio::build(*in, {}, {});
    const double perPeriod = periodDays(pool.period) / (365.25 / 12);
    for (const PortfolioAgent &agent : portfolio.agents) {
        if (agent.agent == kNoneName)
            continue;
        PoolShare s;
        s.agent = agent.agent;
        s.roi = agent.roi;
        s.needNusd = int64_t(std::llround(agent.monthlyCostUsd * perPeriod * 1e9));
        a.shares.push_back(std::move(s));
    }
    std::stable_sort(a.shares.begin(), a.shares.end(), [](const PoolShare &x, const PoolShare &y) {
        if (x.roi.has_value() != y.roi.has_value())
            return x.roi.has_value();
        if (x.roi && *x.roi != *y.roi)
            return *x.roi > *y.roi;
        return x.needNusd > y.needNusd;
    });
    if (a.shares.empty()) {
        a.error =
            "no agent of " +
            (pool.scope.empty() ? std::string("the fleet") : Budget{"", pool.scope}.scopeText()) +
            " has calls in the period";
        return a;
    }
    const int64_t n = int64_t(a.shares.size());
    if (pool.minNusd > 0 && pool.amountNusd / n < pool.minNusd) {
        a.error = "the pool (" + formatUsd(pool.amountNusd) + ") cannot give its " +
                  std::to_string(n) + " agents their minimum of " + formatUsd(pool.minNusd) +
                  " each";
        return a;
    }
    const int64_t cap = pool.maxNusd > 0 ? pool.maxNusd : pool.amountNusd;
    int64_t left = pool.amountNusd;
    for (PoolShare &s : a.shares) {
        s.allocatedNusd = pool.minNusd;
        s.why = "the minimum";
        left -= pool.minNusd;
    }
    // What each spent lately and a quarter more, highest ROI first.
    for (PoolShare &s : a.shares) {
        const int64_t want = std::min(cap, std::max(s.allocatedNusd, s.needNusd + s.needNusd / 4));
        const int64_t give = std::min(left, want - s.allocatedNusd);
        if (give > 0) {
            s.allocatedNusd += give;
            left -= give;
            s.why = s.allocatedNusd == cap ? "its need, held to the maximum"
                                           : "its recent spend and 25% headroom";
        }
    }
    // Room to grow, highest ROI first.
    for (PoolShare &s : a.shares) {
        const int64_t give = std::min(left, cap - s.allocatedNusd);
        if (give > 0) {
            s.allocatedNusd += give;
            left -= give;
            s.why = s.allocatedNusd == cap ? "the maximum: high ROI, room to grow"
                                           : "what was left: high ROI, room to grow";
        }
    }
    a.unallocatedNusd = left;
    return a;
}

std::vector<Budget> applyAllocation(const std::vector<Budget> &budgets, const PoolAllocation &a)
{
    std::vector<Budget> out;
    for (const Budget &b : budgets)
        if (b.pool != a.pool.name)
            out.push_back(b);
    for (const PoolShare &s : a.shares) {
        if (s.allocatedNusd <= 0)
            continue; // nothing left for it: no budget rather than one already spent
        Budget b;
        b.name = a.pool.name + " · " + s.agent;
        b.scope = a.pool.scope;
        b.scope[Dimension::Agent] = s.agent;
        b.period = a.pool.period;
        b.amountNusd = s.allocatedNusd;
        b.pool = a.pool.name;
        out.push_back(std::move(b));
    }
    return out;
}

} // namespace tl
