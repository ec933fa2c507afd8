#include "budget.h"

#include "core/timeutil.h"
#include "pricing/pricecatalog.h"

#include <algorithm>

namespace tl {

bool Budget::contains(const Budget &inner) const
{
    for (const auto &[dim, name] : scope) {
        auto it = inner.scope.find(dim);
        if (it == inner.scope.end() || it->second != name)
            return false;
    }
    return true;
}

int64_t Budget::amountIn(const PeriodBounds &period) const
{
    int64_t amount = amountNusd;
    for (const auto &a : adjustments)
        if (a.atMs >= period.startMs && a.atMs < period.endMs)
            amount += a.amountNusd;
    return amount;
}

std::string Budget::scopeText() const
{
    if (scope.empty())
        return "organisation";
    std::string out;
    for (const auto &[dim, name] : scope)
        out += (out.empty() ? "" : ", ") + std::string(dimensionName(dim)) + "=" + name;
    return out;
}

PeriodBounds periodAt(BudgetPeriod p, int64_t tsMs)
{
    const int64_t day = dayOf(tsMs);
    int64_t start = day, end = day + 1;
    switch (p) {
    case BudgetPeriod::Day:
        break;
    case BudgetPeriod::Week:
        start = weekStartDay(day);
        end = start + 7;
        break;
    case BudgetPeriod::Month:
    case BudgetPeriod::Quarter: {
        int y;
        unsigned m, d;
        civilFromDays(day, y, m, d);
        unsigned first = m;
        unsigned months = 1;
        if (p == BudgetPeriod::Quarter) {
            first = (m - 1) / 3 * 3 + 1;
            months = 3;
        }
        start = daysFromCivil(y, first, 1);
        const unsigned next = first + months;
        end = next > 12 ? daysFromCivil(y + 1, next - 12, 1) : daysFromCivil(y, next, 1);
        break;
    }
    }
    return {start * kMsPerDay, end * kMsPerDay};
}

PeriodBounds previousPeriod(BudgetPeriod p, const PeriodBounds &b)
{
    return periodAt(p, b.startMs - 1);
}

std::string periodName(BudgetPeriod p)
{
    switch (p) {
    case BudgetPeriod::Day:
        return "day";
    case BudgetPeriod::Week:
        return "week";
    case BudgetPeriod::Month:
        return "month";
    case BudgetPeriod::Quarter:
        return "quarter";
    }
    return "month";
}

std::optional<BudgetPeriod> periodFromName(const std::string &s)
{
    for (BudgetPeriod p :
         {BudgetPeriod::Day, BudgetPeriod::Week, BudgetPeriod::Month, BudgetPeriod::Quarter})
        if (periodName(p) == s)
            return p;
    return std::nullopt;
}

std::string policyName(BreachPolicy p)
{
    switch (p) {
    case BreachPolicy::Alert:
        return "alert";
    case BreachPolicy::Downgrade:
        return "downgrade";
    case BreachPolicy::Cache:
        return "cache";
    case BreachPolicy::Reject:
        return "reject";
    }
    return "alert";
}

std::optional<BreachPolicy> policyFromName(const std::string &s)
{
    for (BreachPolicy p :
         {BreachPolicy::Alert, BreachPolicy::Downgrade, BreachPolicy::Cache, BreachPolicy::Reject})
        if (policyName(p) == s)
            return p;
    return std::nullopt;
}

std::vector<size_t> ancestorsOf(const std::vector<Budget> &all, size_t index)
{
    std::vector<size_t> out;
    const Budget &b = all[index];
    for (size_t i = 0; i < all.size(); ++i)
        if (i != index && all[i].period == b.period && all[i].scope.size() < b.scope.size() &&
            all[i].contains(b))
            out.push_back(i);
    // Most specific (largest scope map) first.
    std::stable_sort(out.begin(), out.end(),
                     [&](size_t x, size_t y) { return all[x].scope.size() > all[y].scope.size(); });
    return out;
}

std::string budgetProblem(const Budget &b, const std::vector<Budget> &others,
                          const PriceCatalog *catalog)
{
    if (b.name.empty())
        return "a budget needs a name";
    for (const Budget &o : others)
        if (o.name == b.name)
            return "another budget is called \"" + b.name + "\"";
    if (b.amountNusd <= 0)
        return "the amount must be above $0";
    // $1e9 in nano-dollars (1e18) is far past any real budget and well
    // inside int64, so sums of amounts cannot overflow.
    constexpr int64_t kMaxNusd = 1'000'000'000LL * 1'000'000'000LL;
    if (b.amountNusd > kMaxNusd)
        return "the amount is past $1,000,000,000";
    for (size_t i = 0; i < b.alerts.size(); ++i) {
        if (b.alerts[i] <= 0 || b.alerts[i] > 10)
            return "alerts are shares above 0% and at most 1000%";
        if (i && b.alerts[i] <= b.alerts[i - 1])
            return "alerts must rise (e.g. 50, 80, 100)";
    }
    if (b.hard && b.onBreach == BreachPolicy::Downgrade) {
        if (b.downgradeTo.empty())
            return "a downgrade needs the model to downgrade to";
        if (catalog && catalog->resolve(b.downgradeTo).empty())
            return "the catalog has no price for \"" + b.downgradeTo + "\"";
    }
    return {};
}

} // namespace tl
