#include "decisionsections.h"

#include "reportcells.h"

#include "anomaly/anomalyquery.h"
#include "budgets/budgetevaluator.h"
#include "budgets/budgetstore.h"
#include "core/timeutil.h"
#include "decide/portfolio.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tl {

using namespace reportcells;

namespace {

int64_t nusd(double usd)
{
    return int64_t(std::llround(usd * 1e9));
}

std::string plainUsd(double usd)
{
    return nanoToDecimal(nusd(usd));
}

// A plain (CSV) number with `decimals` places; "" when unknown.
std::string ratio(const std::optional<double> &v, int decimals)
{
    if (!v)
        return "";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, *v);
    return buf;
}

ReportTable budgets(Workspace &ws, const CallFilter &f)
{
    ReportTable t;
    t.id = "budgets";
    t.title = "Budgets";
    t.emptyText = "No budgets in this workspace.";
    t.headers = {"Budget", "Scope",    "Period",    "Amount", "Adjusted", "Spent",
                 "Used",   "Forecast", "80% range", "State",  "Breach"};
    t.numeric = {false, false, false, true, true, true, true, true, false, false, false};
    const std::vector<Budget> list = BudgetStore::load(ws);
    if (list.empty())
        return t;
    // As of the report period's end (or the data's, when that is earlier).
    const int64_t at = BudgetEvaluator::defaultAsOf(ws, (*f.toDay + 1) * kMsPerDay);
    for (const BudgetStatus &s : BudgetEvaluator::evaluate(ws, list, at)) {
        // A breach that happened names the call that crossed the amount
        // (the replay's walk over the period's calls); a forecast one, when.
        std::string breach, breachPlain;
        if (s.breachAtMs && s.breachHappened) {
            const BudgetReplay r = BudgetReplay::run(ws, s.budget, s.period);
            const int64_t ts = r.breach ? r.breach->tsMs : *s.breachAtMs;
            breach = "at " + minute(ts);
            breachPlain = "at " + formatTimestamp(ts);
            if (r.breach) {
                const std::string call = r.breach->requestId.empty()
                                             ? "call #" + std::to_string(r.breach->callId)
                                             : r.breach->requestId;
                breach += ", " + call;
                breachPlain += " " + call;
            }
        } else if (s.breachAtMs) {
            breach = "forecast " + minute(*s.breachAtMs);
            breachPlain = "forecast " + formatTimestamp(*s.breachAtMs);
        }
        // The adjustments dated in this period, already in its amount.
        int64_t adjusted = 0;
        std::string reasons;
        for (const BudgetAdjustment &a : s.budget.adjustments) {
            if (a.atMs < s.period.startMs || a.atMs >= s.period.endMs)
                continue;
            adjusted += a.amountNusd;
            reasons += (reasons.empty() ? "" : "; ") + nanoToDecimal(a.amountNusd) + " " +
                       a.reason + (a.by.empty() ? "" : " (" + a.by + ")");
        }
        const std::string range =
            money(nusd(s.forecastLowUsd)) + " – " + money(nusd(s.forecastHighUsd));
        t.display.push_back({s.budget.name, s.budget.scopeText(), periodName(s.budget.period),
                             money(nusd(s.amountUsd)), adjusted ? signedMoney(adjusted) : "",
                             money(nusd(s.spentUsd)), percent(s.usedShare),
                             money(nusd(s.forecastUsd)), range, BudgetStatus::stateName(s.state),
                             breach});
        t.plain.push_back({s.budget.name, s.budget.scopeText(), periodName(s.budget.period),
                           plainUsd(s.amountUsd), reasons.empty() ? "" : nanoToDecimal(adjusted),
                           plainUsd(s.spentUsd), plainRatio(s.usedShare), plainUsd(s.forecastUsd),
                           plainUsd(s.forecastLowUsd) + ".." + plainUsd(s.forecastHighUsd),
                           BudgetStatus::stateName(s.state), breachPlain});
    }
    return t;
}

} // namespace

ReportTable anomalySection(Workspace &ws, const CallFilter &f)
{
    ReportTable t;
    t.id = "anomalies";
    t.title = "Anomalies";
    t.emptyText = "No anomalies in this period.";
    t.headers = {"Entity", "Start (UTC)", "Hours", "Actual", "Expected", "Excess", "Cause"};
    t.numeric = {false, false, true, true, true, true, false};
    // Over the days with data only: a report asked for a century must not
    // build a century of hourly series.
    const auto bounds = dataDayBounds(ws);
    if (!bounds || *f.fromDay > bounds->second || *f.toDay < bounds->first)
        return t;
    AnomalyRequest r;
    r.filter = f;
    r.filter.fromDay = std::max(*f.fromDay, bounds->first);
    r.filter.toDay = std::min(*f.toDay, bounds->second);
    // The detector walks every hour of its span: a quarter is a report's
    // longest useful view of spikes (a century of three calls took minutes).
    constexpr int64_t kMaxDays = 92;
    if (*r.filter.toDay - *r.filter.fromDay + 1 > kMaxDays) {
        r.filter.fromDay = *r.filter.toDay - (kMaxDays - 1);
        t.title = "Anomalies (the last " + std::to_string(kMaxDays) + " days, to " +
                  formatDate(*r.filter.toDay) + ")";
    }
    for (const Anomaly &a : AnomalyQuery::run(ws, r)) {
        const std::string entity = std::string(dimensionName(a.kind)) + " " + a.entity;
        const std::string hours = std::to_string((a.endMs - a.startMs) / kMsPerHour);
        // The cause's first clause, without the amounts the columns already
        // give: "73% from agent triage on gpt-4o".
        std::string cause = a.cause.substr(0, a.cause.find(';'));
        if (const size_t colon = cause.find(": "); colon != std::string::npos)
            cause = cause.substr(colon + 2);
        t.display.push_back({entity, minute(a.startMs), hours, money(nusd(a.actualUsd)),
                             money(nusd(a.expectedUsd)), money(nusd(a.excessUsd())), cause});
        t.plain.push_back({entity, formatTimestamp(a.startMs), hours, plainUsd(a.actualUsd),
                           plainUsd(a.expectedUsd), plainUsd(a.excessUsd()), cause});
    }
    return t;
}

namespace {

ReportTable opportunities(const std::vector<Opportunity> &ops)
{
    ReportTable t;
    t.id = "opportunities";
    t.title = "Opportunities";
    t.emptyText = "No opportunity found in this period's calls.";
    t.headers = {"Kind", "Where", "What", "Saving / month", "Of its cost", "Success change"};
    t.numeric = {false, false, false, true, true, true};
    for (const Opportunity &o : ops) {
        const double share = o.monthlyCostUsd > 0 ? o.monthlySavingUsd / o.monthlyCostUsd : 0;
        const std::string points = o.successChange ? formatPoints(*o.successChange) : "";
        t.display.push_back({o.kind, o.dimension + " " + o.name, o.summary,
                             money(nusd(o.monthlySavingUsd)), percent(share), points});
        t.plain.push_back({o.kind, o.dimension + " " + o.name, o.summary,
                           plainUsd(o.monthlySavingUsd), plainRatio(share),
                           ratio(o.successChange, 4)});
    }
    return t;
}

ReportTable portfolio(const PortfolioResult &r)
{
    ReportTable t;
    t.id = "portfolio";
    t.title = "Agent portfolio";
    t.emptyText = "No agent has calls in this period.";
    t.headers = {"Agent", "Team",        "Cost / month",   "Value / month",
                 "ROI",   "Prices +20%", "Quality -5 pts", "Verdict"};
    t.numeric = {false, false, true, true, true, true, true, false};
    for (const PortfolioAgent &a : r.agents) {
        const std::string verdict = a.verdict.empty() ? "no outcomes" : a.verdict;
        const auto roi = [](const std::optional<double> &v) { return v ? formatRoi(*v) : ""; };
        t.display.push_back({a.agent, a.team, money(nusd(a.monthlyCostUsd)),
                             a.outcomesLogged ? money(nusd(a.monthlyValueUsd)) : "", roi(a.roi),
                             roi(a.roiPricesUp20), roi(a.roiQualityDown5), verdict});
        t.plain.push_back({a.agent, a.team, plainUsd(a.monthlyCostUsd),
                           a.outcomesLogged ? plainUsd(a.monthlyValueUsd) : "", ratio(a.roi, 6),
                           ratio(a.roiPricesUp20, 6), ratio(a.roiQualityDown5, 6), verdict});
    }
    return t;
}

} // namespace

std::vector<ReportTable> decisionSections(Workspace &ws, const CallFilter &f,
                                          const std::function<ReportTable()> &anomalies)
{
    std::vector<ReportTable> out;
    out.push_back(budgets(ws, f));
    const auto in = DecisionInputs::load(ws, f);
    OpportunityOptions o;
    const std::vector<Opportunity> ops = OpportunityFinder::find(*in, o);
    out.push_back(opportunities(ops));
    out.push_back(portfolio(Portfolio::build(*in, ops, {})));
    out.insert(out.begin() + 1, anomalies());
    return out;
}

} // namespace tl
