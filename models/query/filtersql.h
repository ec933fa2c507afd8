#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tl {

class Workspace;
struct CallFilter;

// A CallFilter as a WHERE clause over one table, with its bound values.
struct FilterSql
{
    // RollupHour: any rollup keyed by hour (rollup_hour, rollup_agent_hour).
    enum class Table { Calls, RollupDay, RollupHour, RollupUserDay };

    std::string where; // " WHERE …" or empty
    std::vector<int64_t> binds;

    void add(const std::string &clause);
    static FilterSql build(Workspace &ws, const CallFilter &filter, Table table);
};

} // namespace tl
