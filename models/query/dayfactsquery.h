#pragma once

#include "core/dayfacts.h"
#include "query/summaryquery.h"
#include "store/dayfactstable.h"

#include <cstdint>
#include <unordered_map>

namespace tl {

class Workspace;

// DayFacts of a period and filter, summed by agent id: from agent_day_facts
// when the filter names nothing but agents, teams and features (the table's
// key), else counted from the filter's calls by the same rule
// (DayFactsCounter), in table order when the period is most of the data.
class DayFactsQuery
{
public:
    // nullopt when keepGoing (asked every few thousand calls when the calls
    // are counted) said stop.
    static std::optional<std::unordered_map<int64_t, DayFacts>>
    byAgent(Workspace &ws, const CallFilter &filter, int64_t fromDay, int64_t toDay,
            const DayFactsTable::KeepGoing &keepGoing = {});
    static bool fromTable(const CallFilter &filter);
    // The period's n costliest (task, agent) pairs from the kept tasks;
    // nullopt when the filter is not on the key, or a day waits for its
    // recount: the caller then groups the calls.
    static std::optional<std::vector<DayFactsTable::TaskTotal>>
    topTasks(Workspace &ws, const CallFilter &filter, size_t n);
};

} // namespace tl
