#pragma once

#include "budgets/budget.h"
#include "query/summaryquery.h"

#include <optional>
#include <string>
#include <vector>

namespace tl {

class Workspace;

// One budget in one period, as of a moment.
struct BudgetStatus
{
    enum class State { Ok, Watch, AtRisk, Breached };

    Budget budget;
    PeriodBounds period;
    int64_t atMs = 0;
    double amountUsd = 0;
    double spentUsd = 0;
    double usedShare = 0;
    // Spend at the period's end: spent + the forecast of the rest, with an
    // 80% interval.
    double forecastUsd = 0;
    double forecastLowUsd = 0;
    double forecastHighUsd = 0;
    // When the spend crossed the amount (breachHappened) or, if it has not
    // yet, when the forecast crosses it.
    std::optional<int64_t> breachAtMs;
    bool breachHappened = false;
    State state = State::Ok;
    int parent = -1;                   // index in the evaluated list
    bool childrenExceedAmount = false; // the children's amounts add up past this one
    // Hourly burn: cumulative spend to `atMs`, then the forecast path to the
    // period's end (for the burn-down chart).
    std::vector<double> cumulativeUsd;   // one per hour from period start to atMs
    std::vector<double> forecastPathUsd; // one per hour from atMs to period end
    std::vector<double> forecastLowPathUsd, forecastHighPathUsd;

    bool breachesHard() const;
    static std::string stateName(State s);
};

// Spent, forecast and state of every budget at `atMs`. The forecast runs the
// scope's last four weeks forward hour by hour: each remaining hour gets the
// average of the same hour of the week over those weeks, scaled by how the
// last seven days compare with that profile, so Mondays and nights forecast
// as Mondays and nights. The interval comes from how far the last 28 days
// strayed from the profile, day by day.
class BudgetEvaluator
{
public:
    static std::vector<BudgetStatus> evaluate(Workspace &ws, const std::vector<Budget> &budgets,
                                              int64_t atMs);
    // The one "as of" the app and `budgets list/check` use unless told
    // otherwise: now, or the end of the last hour with calls when the data
    // is older (a workspace imported last week is judged as of its data).
    static int64_t defaultAsOf(Workspace &ws, int64_t nowMs);
    // The hourly spend of a scope over [fromMs, toMs) (hours since fromMs).
    static std::vector<double> hourlySpend(Workspace &ws, const Budget &scope, int64_t fromMs,
                                           int64_t toMs);
    static std::vector<double> hourlySpend(Workspace &ws, const CallFilter &scope, int64_t fromMs,
                                           int64_t toMs);
    // Spent and forecast of any scope (its names; its days are ignored)
    // over any period as of `atMs`, by the budgets' own forecast: the
    // report's "forecast to the period's end". No amount, so no state.
    static BudgetStatus forecastPeriod(Workspace &ws, const CallFilter &scope,
                                       const PeriodBounds &period, int64_t atMs);
};

// What happened in a period, call by call: the call at which each alert
// threshold was crossed, and — for a hard budget — what its breach policy
// would have done to every call after the amount was spent.
struct BudgetReplay
{
    struct Crossing
    {
        double threshold = 0;
        int64_t tsMs = 0;
        int64_t callId = 0;
        std::string requestId;
        double cumulativeUsd = 0;
    };
    Budget budget;
    PeriodBounds period;
    std::vector<Crossing> crossings;
    // The call that took the spend to the amount, whatever the thresholds.
    std::optional<Crossing> breach;
    std::vector<BudgetAdjustment> adjustments; // dated in this period, already in its amount
    int64_t callsAfterBreach = 0;
    int64_t downgraded = 0;
    int64_t servedFromCache = 0;
    int64_t rejected = 0;
    double actualUsd = 0;
    double underPolicyUsd = 0; // the period's spend had the policy acted

    static BudgetReplay run(Workspace &ws, const Budget &b, const PeriodBounds &period);
};

} // namespace tl
