#include "coverage.h"

#include "core/timeutil.h"
#include "store/workspace.h"

namespace tl {

Coverage Coverage::of(Workspace &ws, int64_t fromDay, int64_t toDay)
{
    Coverage c;
    c.fromDay = fromDay;
    c.toDay = toDay;
    if (toDay < fromDay)
        return c;
    // Both read a rollup's primary key from its first column: index ranges.
    Statement days(ws.db(), "SELECT MIN(day), MAX(day), COUNT(DISTINCT day) FROM rollup_day "
                            "WHERE day BETWEEN ? AND ?");
    days.bind(1, fromDay);
    days.bind(2, toDay);
    if (days.step() && !days.columnIsNull(0)) {
        c.firstDay = days.columnInt(0);
        c.lastDay = days.columnInt(1);
        c.daysWithData = days.columnInt(2);
    }
    if (c.lastDay) {
        Statement hour(ws.db(), "SELECT MAX(hour) FROM rollup_hour WHERE hour BETWEEN ? AND ?");
        hour.bind(1, *c.lastDay * 24);
        hour.bind(2, *c.lastDay * 24 + 23);
        if (hour.step() && !hour.columnIsNull(0))
            c.lastHour = hour.columnInt(0);
    }
    return c;
}

Coverage Coverage::of(Workspace &ws, const CallFilter &filter)
{
    int64_t from = filter.fromDay.value_or(0), to = filter.toDay.value_or(-1);
    if (!filter.fromDay || !filter.toDay) {
        const auto bounds = dataDayBounds(ws);
        if (!bounds) {
            Coverage c;
            c.fromDay = from;
            c.toDay = filter.toDay.value_or(from - 1);
            return c;
        }
        if (!filter.fromDay)
            from = bounds->first;
        if (!filter.toDay)
            to = bounds->second;
    }
    return of(ws, from, to);
}

PeriodComparison PeriodComparison::of(Workspace &ws, const CallFilter &filter)
{
    PeriodComparison p;
    p.current = Coverage::of(ws, filter);
    p.previous = filter.previousPeriod();
    if (p.previous) {
        p.previousCoverage = Coverage::of(ws, *p.previous->fromDay, *p.previous->toDay);
        p.comparable = p.current.comparable() && p.previousCoverage.comparable();
    }
    return p;
}

std::string PeriodComparison::whyNotComparable() const
{
    if (comparable)
        return {};
    if (!previous)
        return "all data: no earlier period";
    const auto days = [](const Coverage &c) {
        return "data on " + std::to_string(c.daysWithData) + " of " + std::to_string(c.days()) +
               " days";
    };
    if (!previousCoverage.comparable())
        return previousCoverage.daysWithData ? "previous period: " + days(previousCoverage)
                                             : "previous period: no data";
    return "this period: " + days(current);
}

std::string coverageNote(const Coverage &c)
{
    if (c.complete() || c.days() == 0)
        return {};
    if (!c.firstDay)
        return "no data in this period";
    std::string s = "data ";
    if (*c.firstDay > c.fromDay)
        s += "from " + formatDate(*c.firstDay) + " ";
    if (*c.lastDay < c.toDay)
        s += "to " + formatDate(*c.lastDay) + " ";
    return s + "(" + std::to_string(c.daysWithData) + " of " + std::to_string(c.days()) + " days)";
}

} // namespace tl
