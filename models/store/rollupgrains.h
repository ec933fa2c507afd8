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
inline constexpr RollupGrain kRollupGrains[] = {kRollupHour, kRollupDay, kRollupUserDay};

} // namespace tl
