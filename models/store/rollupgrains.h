#pragma once

namespace tl {

// The rollup grains, once: which table keeps sums at which key. The import
// (RollupAccumulator and RollupWriter, in this key order), the rebuild from
// calls (Workspace::rebuildRollups) and the server's schema (PgSchema) all
// read them from here; SummaryQuery picks the table whose key covers a
// grouping. (The SQLite file's migrations keep the DDL each version wrote.)
struct RollupGrain
{
    const char *table;
    const char *keys; // also the primary key
    int keyCount;
};

inline constexpr RollupGrain kRollupHour{"rollup_hour",
                                         "hour, provider_id, model_id, team_id, feature_id", 5};
inline constexpr RollupGrain kRollupDay{
    "rollup_day", "day, provider_id, model_id, team_id, feature_id, agent_id", 6};
inline constexpr RollupGrain kRollupUserDay{"rollup_user_day", "day, user_id", 2};
// v9: the day's key by hour, for what needs an agent's hours (hourly
// anomalies, the Simulator's arrival rates, an hourly chart by agent):
// ~24 calls a row on a 300-agent fleet, where rollup_hour holds ~80.
inline constexpr RollupGrain kRollupAgentHour{
    "rollup_agent_hour", "hour, agent_id, model_id, team_id, feature_id, provider_id", 6};
// v12: a task's day, agent first: the Explore drill into an agent's tasks
// reads its rows (31k for the busiest agent at 10M calls) instead of its
// calls (166k, 0.2 s). ~3 calls a row; team and feature in the key so that
// a path through them is answered too (a task keeps one nearly always).
inline constexpr RollupGrain kRollupTaskDay{"rollup_task_day",
                                            "agent_id, day, task_id, team_id, feature_id", 5};
inline constexpr RollupGrain kRollupGrains[] = {kRollupHour, kRollupDay, kRollupUserDay,
                                                kRollupAgentHour, kRollupTaskDay};

} // namespace tl
