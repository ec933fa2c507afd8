#pragma once

#include "core/dimension.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tl {

enum class BudgetPeriod { Day, Week, Month, Quarter };
enum class BreachPolicy { Alert, Downgrade, Cache, Reject };

struct PeriodBounds;

// A credit or correction to one period of a budget: who, when, why. It
// changes the amount of the period its time falls in, and stays in the
// budget's history (the file, the replay) after that period is over.
struct BudgetAdjustment
{
    int64_t atMs = 0;
    int64_t amountNusd = 0; // + raises the period's amount, - lowers it
    std::string reason;
    std::string by;
    bool operator==(const BudgetAdjustment &) const = default;
};

// A spending limit on a scope (empty: the whole organisation) per calendar
// period (UTC; weeks start on Monday), with alert thresholds and what a
// hard budget does once it is spent.
struct Budget
{
    std::string name;
    std::map<Dimension, std::string> scope; // team, feature, agent, user, model
    BudgetPeriod period = BudgetPeriod::Month;
    int64_t amountNusd = 0;
    std::vector<double> alerts = {0.5, 0.8, 1.0};
    bool hard = false;
    BreachPolicy onBreach = BreachPolicy::Alert;
    std::string downgradeTo;
    std::vector<BudgetAdjustment> adjustments;
    // A file's "each": one budget per member of this dimension within the
    // scope (expandEach() makes them; the store never holds a template).
    std::optional<Dimension> each;
    std::string pool; // the pool this budget was allocated from, if any

    bool operator==(const Budget &) const = default;
    // The amount of one period: the budget's, plus the adjustments dated in it.
    int64_t amountIn(const PeriodBounds &period) const;
    // True when every call of `inner` is also in this budget's scope.
    bool contains(const Budget &inner) const;
    std::string scopeText() const; // "team=support, agent=triage" or "organisation"
};

struct PeriodBounds
{
    int64_t startMs = 0;
    int64_t endMs = 0; // exclusive
};

// A shared amount per period across the members of a scope (every agent of
// a team, of the fleet), allocated by ROI between a minimum and a maximum
// per member (budgets allocate): the allocation becomes one budget each.
struct BudgetPool
{
    std::string name;
    std::map<Dimension, std::string> scope;
    BudgetPeriod period = BudgetPeriod::Day;
    int64_t amountNusd = 0;
    int64_t minNusd = 0; // per member
    int64_t maxNusd = 0; // per member; 0: the whole pool
    bool operator==(const BudgetPool &) const = default;
};

class PriceCatalog;

// The dimensions a budget's scope may name, in the order the app shows them.
inline constexpr Dimension kBudgetScopeDimensions[] = {
    Dimension::Team, Dimension::Feature, Dimension::Agent, Dimension::User, Dimension::Model};

// What is wrong with a budget the user edits, or "" when nothing is:
// a name (unique among `others`), an amount above zero, alerts that rise
// within (0, 10], a downgrade model `catalog` can price (when given).
std::string budgetProblem(const Budget &b, const std::vector<Budget> &others,
                          const PriceCatalog *catalog);

// The calendar period holding tsMs (UTC).
PeriodBounds periodAt(BudgetPeriod p, int64_t tsMs);
PeriodBounds previousPeriod(BudgetPeriod p, const PeriodBounds &b);

std::string periodName(BudgetPeriod p);
std::optional<BudgetPeriod> periodFromName(const std::string &s);
std::string policyName(BreachPolicy p);
std::optional<BreachPolicy> policyFromName(const std::string &s);

// Budgets whose scope holds this one's, most specific first: [0] is its parent.
std::vector<size_t> ancestorsOf(const std::vector<Budget> &all, size_t index);

} // namespace tl
