#pragma once

#include "query/summaryquery.h"

#include <cstdint>
#include <optional>
#include <string>

namespace tl {

class Workspace;

// How much of a period the workspace's data covers. A period's figures
// carry it so that "last month" with data from the 16th only says so, and a
// change against a half-empty previous period is not shown as growth.
// Coverage is of the workspace, not of a filter's names: a team with no
// calls on a day the fleet logged is a real zero, not missing data.
struct Coverage
{
    // Below this share of days with data a period is not compared with
    // another: "about 90%" leaves room for a quiet weekend day or two.
    static constexpr double kComparableShare = 0.9;

    int64_t fromDay = 0, toDay = -1;          // the period, inclusive UTC days
    std::optional<int64_t> firstDay, lastDay; // first and last day with data in it
    int64_t daysWithData = 0;
    std::optional<int64_t> lastHour; // the last hour with data in it (a partial day)

    int64_t days() const { return toDay >= fromDay ? toDay - fromDay + 1 : 0; }
    double share() const { return days() ? double(daysWithData) / double(days()) : 0.0; }
    bool comparable() const { return share() >= kComparableShare; }
    bool complete() const { return days() > 0 && daysWithData == days(); }

    // The coverage of fromDay..toDay.
    static Coverage of(Workspace &ws, int64_t fromDay, int64_t toDay);
    // Of a filter's period; an open end is the data's first or last day.
    static Coverage of(Workspace &ws, const CallFilter &filter);
};

// A period against the equally long one before it, and whether a change
// between them means anything: both must be covered (Coverage::comparable).
struct PeriodComparison
{
    Coverage current;
    std::optional<CallFilter> previous; // set when the filter has both ends
    Coverage previousCoverage;
    bool comparable = false;

    static PeriodComparison of(Workspace &ws, const CallFilter &filter);
    // One line for a reader, e.g. "previous period: data on 12 of 30 days";
    // empty when comparable.
    std::string whyNotComparable() const;
};

// "data from 2026-10-16 to 2026-10-28 (13 of 31 days)", or "" when the
// period is complete; "no data in this period" when it has none.
std::string coverageNote(const Coverage &c);

} // namespace tl
