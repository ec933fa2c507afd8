#pragma once

#include "baseline.h"
#include "query/summaryquery.h"
#include "scenario.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tl {

class Workspace;

// Fills the simulator's input from the store: the cells of a period and
// filter from rollup_day (the calls table when the filter names users),
// every catalog model's prices in force at the period's end, each agent's
// hourly arrival rate (rollup_agent_hour) and the prompt repeat rate
// (DayFactsQuery: a call repeats when its agent had an answer to the same
// prompt within DayFactsCounter::kRepeatTtlMs before).
class BaselineQuery
{
public:
    using Progress = std::function<bool(int64_t done, int64_t total)>; // false = cancel

    // The filter a scenario's "baseline" section asks for on this workspace:
    // its dates (or the last 30 days of data when it has none) and names.
    // `notes` says what was assumed or re-based.
    static CallFilter filterFor(Workspace &ws, const sim::BaselineSpec &spec,
                                std::vector<std::string> *notes);

    // nullopt when cancelled. Throws SqliteError on a database error.
    static std::optional<sim::Baseline> load(Workspace &ws, const CallFilter &filter,
                                             const Progress &progress = {});

    // A stable id of this workspace (created on first use), so a scenario
    // knows where it was made.
    static std::string workspaceId(Workspace &ws);
};

} // namespace tl
