#include "executivesummary.h"

#include "reportcells.h"

#include "anomaly/anomalyquery.h"
#include "budgets/budgetevaluator.h"
#include "core/timeutil.h"
#include "query/coverage.h"
#include "query/infraquery.h"

#include <cmath>
#include <cstdio>
#include <map>

namespace tl {

using namespace reportcells;

namespace {

std::string times(double r)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "×%.2f", r);
    return buf;
}

// Cost per "agent A (team T) on M" over a filter.
std::map<std::string, double> byAgentModel(Workspace &ws, const CallFilter &f)
{
    std::map<std::string, double> out;
    const SummaryResult r = SummaryQuery::run(ws, f,
                                              {GroupKey{Dimension::Agent, TimeBucket::None},
                                               GroupKey{Dimension::Team, TimeBucket::None},
                                               GroupKey{Dimension::Model, TimeBucket::None}});
    for (const auto &row : r.rows)
        out["agent " + row.keys[0] + " (team " + row.keys[1] + ") on " + row.keys[2]] +=
            double(row.m[MCostNusd]) * 1e-9;
    return out;
}

} // namespace

ReportTable executiveSummary(Workspace &ws, const CallFilter &f, const ReportData &d)
{
    ReportTable t;
    t.id = "summary";
    t.title = "Executive summary";
    t.headers = {"Item", "Figure", "Detail"};
    t.numeric = {false, true, false};
    const auto add = [&](const std::string &item, const std::string &figure,
                         const std::string &plainFigure, const std::string &detail) {
        t.display.push_back({item, figure, detail});
        t.plain.push_back({item, plainFigure, detail});
    };
    const Measures &now = d.totals;
    const int64_t spent = now[MCostNusd];
    std::string spentDetail = formatDate(d.fromDay) + " to " + formatDate(d.toDay);
    if (now[MUnpricedRequests])
        spentDetail += "; " + count(now[MUnpricedRequests]) +
                       " unpriced calls are not in it (their cost is unknown)";
    if (costUnknown(now))
        add("Spent", "unpriced", "", spentDetail);
    else
        add("Spent", money(spent), nanoToDecimal(spent), spentDetail);

    // The servers beside the calls, when cloud bills are imported.
    if (InfraQuery::hasAny(ws)) {
        CallFilter days = f;
        days.fromDay = d.fromDay;
        days.toDay = d.toDay;
        if (const auto infra = InfraQuery::totalNusd(ws, days))
            add("Infrastructure", money(*infra), nanoToDecimal(*infra),
                "from the imported cloud bills (FOCUS); LLM and infrastructure together " +
                    money(spent + *infra));
        else
            add("Infrastructure", "", "",
                "not shown: the filter names what cloud bills do not carry (a model, a user)");
    }

    // The change, only against a period the data covers as well.
    const int64_t before = d.previous[MCostNusd];
    if (d.comparable && before) {
        const int64_t delta = spent - before;
        const double callsRatio =
            d.previous[MRequests] ? double(now[MRequests]) / double(d.previous[MRequests]) : 0;
        const double perCall = now[MRequests] ? double(spent) / double(now[MRequests]) : 0;
        const double perCallBefore =
            d.previous[MRequests] ? double(before) / double(d.previous[MRequests]) : 0;
        std::string detail = signedMoney(delta) + " against " + money(before) +
                             " in the period before; calls " + times(callsRatio);
        if (perCallBefore > 0)
            detail += ", cost per call " + times(perCall / perCallBefore);
        add("Change", signedPercent(double(delta) / double(before)),
            plainRatio(double(delta) / double(before)), detail);
    } else {
        add("Change", "", "",
            d.comparisonNote.empty() ? "No change is given: no calls in the period before."
                                     : d.comparisonNote);
    }

    // The forecast: the budgets' own, for the period's names, as of the
    // data's last hour in it.
    const Coverage c = Coverage::of(ws, d.fromDay, d.toDay);
    const int64_t periodEndMs = (d.toDay + 1) * kMsPerDay;
    if (c.lastHour && (*c.lastHour + 1) * kMsPerHour < periodEndMs) {
        CallFilter names;
        names.include = f.include;
        const BudgetStatus s = BudgetEvaluator::forecastPeriod(
            ws, names, PeriodBounds{d.fromDay * kMsPerDay, periodEndMs},
            (*c.lastHour + 1) * kMsPerHour);
        const int64_t forecast = int64_t(std::llround(s.forecastUsd * 1e9));
        add("Forecast to " + formatDate(d.toDay), money(forecast), nanoToDecimal(forecast),
            "80% range " + money(int64_t(std::llround(s.forecastLowUsd * 1e9))) + " – " +
                money(int64_t(std::llround(s.forecastHighUsd * 1e9))) + "; data to " +
                minute((*c.lastHour + 1) * kMsPerHour) +
                ", the rest forecast from the last four weeks' hours");
    } else {
        add("Forecast to " + formatDate(d.toDay), "", "",
            c.lastHour ? "The period is over: the spend above is final."
                       : "No calls in this period.");
    }

    // Drivers: what rose (or fell) most, agent and model together.
    if (d.comparable && before) {
        const auto drivers =
            rankCauses(byAgentModel(ws, f), byAgentModel(ws, *f.previousPeriod()), 3);
        for (size_t i = 0; i < drivers.size(); ++i) {
            const int64_t delta = int64_t(std::llround(drivers[i].excessUsd() * 1e9));
            add("Driver " + std::to_string(i + 1), signedMoney(delta), nanoToDecimal(delta),
                drivers[i].name + ": " + percent(drivers[i].share) + " of the change (" +
                    money(int64_t(std::llround(drivers[i].expectedUsd * 1e9))) + " → " +
                    money(int64_t(std::llround(drivers[i].actualUsd * 1e9))) + ")");
        }
    } else {
        add("Drivers", "", "", "None: there is no change to explain.");
    }

    // The report's own opportunities table, largest saving first.
    const ReportTable *ops = d.table("opportunities");
    if (!ops || ops->plain.empty()) {
        add("Opportunities", "", "", "None found in this period's calls.");
    } else {
        for (size_t i = 0; i < ops->plain.size() && i < 3; ++i)
            add("Opportunity " + std::to_string(i + 1), ops->display[i][3] + " / month",
                ops->plain[i][3], ops->display[i][0] + ": " + ops->display[i][2]);
    }
    return t;
}

} // namespace tl
