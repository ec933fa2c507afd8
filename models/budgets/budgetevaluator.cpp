#include "budgetevaluator.h"

#include "core/timeutil.h"
#include "pricing/priceentry.h"
#include "query/filtersql.h"
#include "query/summaryquery.h"
#include "store/callusage.h"
#include "store/rollupgrains.h"
#include "store/workspace.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>

namespace tl {

namespace {

constexpr int64_t kHistoryHours = 28 * 24;
constexpr double kZ80 = 1.2816; // two-sided 80% interval
// Sums of doubles drift by ~1e-13: an amount reached "exactly" must count.
constexpr double kCentTolerance = 1e-6;

CallFilter scopeFilter(const Budget &b, int64_t fromMs, int64_t toMs)
{
    CallFilter f;
    f.fromDay = dayOf(fromMs);
    f.toDay = dayOf(toMs - 1);
    for (const auto &[dim, name] : b.scope)
        f.include[dim] = {name};
    return f;
}

int hourOfWeek(int64_t hour)
{
    const int64_t day = floorDiv(hour, 24);
    const int dow = int((day % 7 + 7 + 3) % 7);
    return dow * 24 + int(hour - day * 24);
}

// Spent to `atHour` and the forecast to the period's end, with its 80%
// interval and hourly paths; a breach time when `s.amountUsd` is crossed.
void forecastInto(Workspace &ws, const CallFilter &scope, BudgetStatus &s, int64_t atHour)
{
    const int64_t startHour = s.period.startMs / kMsPerHour;
    const int64_t endHour = s.period.endMs / kMsPerHour;
    const int64_t nowHour = std::clamp(atHour, startHour, endHour);
    const int64_t historyStart = std::min(startHour, nowHour - kHistoryHours);
    const std::vector<double> hourly =
        BudgetEvaluator::hourlySpend(ws, scope, historyStart * kMsPerHour, nowHour * kMsPerHour);
    const auto at = [&](int64_t hour) {
        const int64_t i = hour - historyStart;
        return i >= 0 && size_t(i) < hourly.size() ? hourly[size_t(i)] : 0.0;
    };
    double cumulative = 0;
    for (int64_t h = startHour; h < nowHour; ++h) {
        cumulative += at(h);
        s.cumulativeUsd.push_back(cumulative);
        if (!s.breachAtMs && cumulative >= s.amountUsd - kCentTolerance) {
            s.breachAtMs = (h + 1) * kMsPerHour;
            s.breachHappened = true;
        }
    }
    s.spentUsd = cumulative;

    // The hour-of-week profile of the last four weeks (those that exist).
    std::array<double, 168> sum{}, count{};
    int64_t firstSpend = nowHour;
    for (int64_t h = nowHour - kHistoryHours; h < nowHour; ++h)
        if (at(h) > 0) {
            firstSpend = h;
            break;
        }
    for (int64_t h = std::max(firstSpend, nowHour - kHistoryHours); h < nowHour; ++h) {
        sum[size_t(hourOfWeek(h))] += at(h);
        count[size_t(hourOfWeek(h))] += 1;
    }
    std::array<double, 168> profile{};
    for (size_t i = 0; i < 168; ++i)
        profile[i] = count[i] > 0 ? sum[i] / count[i] : 0;
    // Recent level against the profile: a team spending more this week
    // forecasts more.
    double recent = 0, recentProfile = 0;
    for (int64_t h = std::max(firstSpend, nowHour - 168); h < nowHour; ++h) {
        recent += at(h);
        recentProfile += profile[size_t(hourOfWeek(h))];
    }
    const double level = recentProfile > 0 ? std::clamp(recent / recentProfile, 0.25, 4.0) : 1;
    // Day-by-day deviation from the profile, for the interval.
    std::vector<double> ratios;
    for (int64_t d = std::max(firstSpend, nowHour - kHistoryHours) / 24 * 24; d + 24 <= nowHour;
         d += 24) {
        double actual = 0, expected = 0;
        for (int64_t h = d; h < d + 24; ++h) {
            actual += at(h);
            expected += profile[size_t(hourOfWeek(h))];
        }
        if (expected > 0)
            ratios.push_back(actual / expected);
    }
    double sd = 0;
    if (ratios.size() >= 2) {
        double mean = 0;
        for (double r : ratios)
            mean += r;
        mean /= double(ratios.size());
        for (double r : ratios)
            sd += (r - mean) * (r - mean);
        sd = std::sqrt(sd / double(ratios.size() - 1));
    }
    double forecast = 0, dayExpected = 0, varianceSoFar = 0;
    for (int64_t h = nowHour; h < endHour; ++h) {
        const double f = profile[size_t(hourOfWeek(h))] * level;
        forecast += f;
        dayExpected += f;
        const bool dayEnds = (h + 1) % 24 == 0 || h + 1 == endHour;
        const double spreadNow = std::sqrt(varianceSoFar + (sd * dayExpected) * (sd * dayExpected));
        if (dayEnds) {
            varianceSoFar += (sd * dayExpected) * (sd * dayExpected);
            dayExpected = 0;
        }
        s.forecastPathUsd.push_back(s.spentUsd + forecast);
        s.forecastLowPathUsd.push_back(
            std::max(s.spentUsd, s.spentUsd + forecast - kZ80 * spreadNow));
        s.forecastHighPathUsd.push_back(s.spentUsd + forecast + kZ80 * spreadNow);
        if (!s.breachAtMs && s.spentUsd + forecast >= s.amountUsd - kCentTolerance)
            s.breachAtMs = (h + 1) * kMsPerHour;
    }
    const double spread = kZ80 * std::sqrt(varianceSoFar);
    s.forecastUsd = s.spentUsd + forecast;
    s.forecastLowUsd = std::max(s.spentUsd, s.forecastUsd - spread);
    s.forecastHighUsd = s.forecastUsd + spread;
}

CallFilter hourlyScope(const Budget &b)
{
    CallFilter f;
    for (const auto &[dim, name] : b.scope)
        f.include[dim] = {name};
    return f;
}

} // namespace

BudgetStatus BudgetEvaluator::forecastPeriod(Workspace &ws, const CallFilter &scope,
                                             const PeriodBounds &period, int64_t atMs)
{
    BudgetStatus s;
    s.period = period;
    s.atMs = floorDiv(atMs, kMsPerHour) * kMsPerHour;
    s.amountUsd = std::numeric_limits<double>::infinity(); // no amount: no breach
    forecastInto(ws, scope, s, floorDiv(atMs, kMsPerHour));
    return s;
}

bool BudgetStatus::breachesHard() const
{
    return budget.hard && (state == State::Breached || state == State::AtRisk);
}

std::string BudgetStatus::stateName(State s)
{
    switch (s) {
    case State::Ok:
        return "ok";
    case State::Watch:
        return "watch";
    case State::AtRisk:
        return "at risk";
    case State::Breached:
        return "breached";
    }
    return "ok";
}

int64_t BudgetEvaluator::defaultAsOf(Workspace &ws, int64_t nowMs)
{
    Statement st(ws.db(), "SELECT MAX(hour) FROM rollup_hour");
    if (!st.step() || st.columnIsNull(0))
        return nowMs;
    return std::min(nowMs, (st.columnInt(0) + 1) * kMsPerHour);
}

std::vector<double> BudgetEvaluator::hourlySpend(Workspace &ws, const Budget &b, int64_t fromMs,
                                                 int64_t toMs)
{
    CallFilter scope;
    for (const auto &[dim, name] : b.scope)
        scope.include[dim] = {name};
    return hourlySpend(ws, scope, fromMs, toMs);
}

std::vector<double> BudgetEvaluator::hourlySpend(Workspace &ws, const CallFilter &scope,
                                                 int64_t fromMs, int64_t toMs)
{
    const int64_t firstHour = floorDiv(fromMs, kMsPerHour);
    const int64_t endHour = floorDiv(toMs + kMsPerHour - 1, kMsPerHour);
    std::vector<double> out(size_t(std::max<int64_t>(0, endHour - firstHour)), 0.0);
    if (out.empty())
        return out;
    // rollup_hour carries team, feature and model, rollup_agent_hour agents
    // and providers too; a user, task or status needs the calls.
    bool byAgent = false, byCalls = false;
    for (const auto &[dim, names] : scope.include) {
        byAgent |= dim == Dimension::Agent || dim == Dimension::Provider;
        byCalls |= dim == Dimension::User || dim == Dimension::Task || dim == Dimension::Status;
    }
    CallFilter f = scope;
    f.fromDay = dayOf(fromMs);
    f.toDay = dayOf(toMs - 1);
    f.windowMs.reset();
    const FilterSql where =
        FilterSql::build(ws, f, byCalls ? FilterSql::Table::Calls : FilterSql::Table::RollupHour);
    Statement st(ws.db(), byCalls
                              ? "SELECT ts_ms / 3600000, " + std::string(kCallCostSql) +
                                    " FROM calls" + where.where
                              : "SELECT hour, cost_nusd FROM " +
                                    std::string(byAgent ? kRollupAgentHour.table : "rollup_hour") +
                                    where.where);
    for (size_t i = 0; i < where.binds.size(); ++i)
        st.bind(int(i + 1), where.binds[i]);
    while (st.step()) {
        const int64_t h = st.columnInt(0) - firstHour;
        if (h >= 0 && size_t(h) < out.size())
            out[size_t(h)] += double(st.columnInt(1)) * 1e-9;
    }
    return out;
}

std::vector<BudgetStatus>
BudgetEvaluator::evaluate(Workspace &ws, const std::vector<Budget> &budgets, int64_t atMs)
{
    std::vector<BudgetStatus> out;
    const int64_t atHour = floorDiv(atMs, kMsPerHour); // spent counts whole hours before it
    for (size_t index = 0; index < budgets.size(); ++index) {
        const Budget &b = budgets[index];
        BudgetStatus s;
        s.budget = b;
        s.atMs = atHour * kMsPerHour;
        // The period the hour before atMs belongs to: "as of the end of the last
        // hour" at a month's last hour judges that month, not the next one.
        s.period = periodAt(b.period, atMs - 1);
        s.amountUsd = double(b.amountIn(s.period)) * 1e-9;
        forecastInto(ws, hourlyScope(b), s, atHour);
        s.usedShare = s.amountUsd > 0 ? s.spentUsd / s.amountUsd : 0;
        const double firstAlert = b.alerts.empty() ? 1.0 : b.alerts.front();
        s.state = s.spentUsd >= s.amountUsd      ? BudgetStatus::State::Breached
                  : s.forecastUsd >= s.amountUsd ? BudgetStatus::State::AtRisk
                  : s.usedShare >= firstAlert    ? BudgetStatus::State::Watch
                                                 : BudgetStatus::State::Ok;
        const auto ancestors = ancestorsOf(budgets, index);
        s.parent = ancestors.empty() ? -1 : int(ancestors.front());
        out.push_back(std::move(s));
    }
    for (size_t i = 0; i < out.size(); ++i) {
        double children = 0;
        for (const auto &c : out)
            if (c.parent == int(i))
                children += c.amountUsd;
        out[i].childrenExceedAmount = children > out[i].amountUsd + 1e-9;
    }
    return out;
}

BudgetReplay BudgetReplay::run(Workspace &ws, const Budget &b, const PeriodBounds &period)
{
    BudgetReplay r;
    r.budget = b;
    r.period = period;
    CallFilter f = scopeFilter(b, period.startMs, period.endMs);
    const FilterSql where = FilterSql::build(ws, f, FilterSql::Table::Calls);
    Statement st(ws.db(),
                 std::string("SELECT id, ts_ms, request_id, model_id, COALESCE(reported_nusd, "
                             "computed_nusd, 0), prompt_hash, ") +
                     kUsageColumns + " FROM calls" + where.where + " ORDER BY ts_ms, id");
    for (size_t i = 0; i < where.binds.size(); ++i)
        st.bind(int(i + 1), where.binds[i]);
    const double amount = double(b.amountIn(period)) * 1e-9;
    for (const auto &a : b.adjustments)
        if (a.atMs >= period.startMs && a.atMs < period.endMs)
            r.adjustments.push_back(a);
    int64_t actualNusd = 0, policyNusd = 0;
    size_t nextAlert = 0;
    bool breached = false;
    std::unordered_set<std::string> prompts;
    std::vector<const PriceEntry *> downgrade;
    if (b.onBreach == BreachPolicy::Downgrade)
        downgrade = ws.catalog().entriesFor(b.downgradeTo);
    while (st.step()) {
        const int64_t ts = st.columnInt(1);
        const int64_t cost = st.columnInt(4);
        actualNusd += cost;
        int64_t charged = cost;
        if (breached && b.hard) {
            ++r.callsAfterBreach;
            switch (b.onBreach) {
            case BreachPolicy::Alert:
                break;
            case BreachPolicy::Downgrade:
                if (const PriceEntry *e = PriceCatalog::entryAt(downgrade, ts)) {
                    charged = costNusd(*e, usageAt(st, 6));
                    ++r.downgraded;
                }
                break;
            case BreachPolicy::Cache:
                if (!st.columnIsNull(5) && prompts.count(std::string(st.columnText(5)))) {
                    charged = 0;
                    ++r.servedFromCache;
                }
                break;
            case BreachPolicy::Reject:
                charged = 0;
                ++r.rejected;
                break;
            }
        } else if (breached) {
            ++r.callsAfterBreach;
        }
        if (!st.columnIsNull(5))
            prompts.emplace(st.columnText(5));
        policyNusd += charged;
        // Thresholds are crossed by what was actually spent, call by call.
        const double cumulative = double(actualNusd) * 1e-9;
        while (nextAlert < b.alerts.size() && cumulative >= b.alerts[nextAlert] * amount) {
            Crossing c;
            c.threshold = b.alerts[nextAlert];
            c.tsMs = ts;
            c.callId = st.columnInt(0);
            c.requestId = st.columnIsNull(2) ? std::string() : std::string(st.columnText(2));
            c.cumulativeUsd = cumulative;
            r.crossings.push_back(c);
            ++nextAlert;
        }
        if (!breached && cumulative >= amount) {
            breached = true;
            Crossing c;
            c.threshold = 1.0;
            c.tsMs = ts;
            c.callId = st.columnInt(0);
            c.requestId = st.columnIsNull(2) ? std::string() : std::string(st.columnText(2));
            c.cumulativeUsd = cumulative;
            r.breach = c;
        }
    }
    r.actualUsd = double(actualNusd) * 1e-9;
    r.underPolicyUsd = double(policyNusd) * 1e-9;
    return r;
}

} // namespace tl
