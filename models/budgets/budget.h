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

    bool operator==(const Budget &) const = default;
    // True when every call of `inner` is also in this budget's scope.
    bool contains(const Budget &inner) const;
    std::string scopeText() const; // "team=support, agent=triage" or "organisation"
};

struct PeriodBounds
{
    int64_t startMs = 0;
    int64_t endMs = 0; // exclusive
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
