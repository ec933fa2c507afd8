#pragma once

#include "baseline.h"
#include "query/summaryquery.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tl {

class Workspace;

// What the calls say about one agent beyond the rollups: repeats, retries,
// prompt sizes, batch use. Calls and tokens from the rollups, the rest from
// the DayFacts the import keeps (tasks are grouped per UTC day).
struct AgentCallStats
{
    int64_t calls = 0;       // requests
    int64_t hashedCalls = 0; // call records with a prompt_hash
    int64_t repeats = 0;     // ... whose hash the agent sent within the TTL before
    int64_t batchCalls = 0;  // sent through a batch API
    int64_t tasks = 0;       // distinct task ids
    int64_t callsInTasks = 0;
    int64_t tasksOverFiveCalls = 0;
    int64_t retriedFailures = 0;    // failed calls of a task that has a later call
    int64_t retriedFailureNusd = 0; // what they cost
    int64_t inputTokens = 0;
    int64_t cachedInputTokens = 0;
    int64_t successCalls = 0; // calls that logged a successful outcome
    int64_t successInputTokens = 0;
    int64_t previousCalls = 0; // the equally long period before
    int64_t previousInputTokens = 0;
    std::string feature; // where most of its cost is
    std::string team;
    std::optional<double> repeatRate() const
    {
        return hashedCalls > 0 ? std::optional<double>(double(repeats) / double(hashedCalls))
                               : std::nullopt;
    }
};

// Everything the decision layer reads from a workspace for a period and
// filter: the simulator's baseline (so every saving is priced by the engine
// on the same workload `simulate` loads) and the per-agent call statistics.
struct DecisionInputs
{
    CallFilter filter;      // with the period settled (as the baseline has it)
    sim::BaselineSpec spec; // the same, as a scenario file writes it
    sim::Baseline baseline;
    std::map<std::string, AgentCallStats> agents; // by agent name
    std::vector<std::string> notes;

    using Progress = std::function<bool(int64_t done, int64_t total)>; // false = cancel
    // nullopt when cancelled. Throws StoreError.
    static std::optional<DecisionInputs> load(Workspace &ws, const CallFilter &filter,
                                              const Progress &progress = {});
};

} // namespace tl
