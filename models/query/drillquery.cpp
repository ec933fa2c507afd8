#include "drillquery.h"

#include "query/infraquery.h"
#include "store/workspace.h"

#include <algorithm>
#include <unordered_map>

namespace tl {

CallFilter DrillQuery::narrow(const CallFilter &filter, const DrillPath &path)
{
    CallFilter f = filter;
    for (const auto &[dim, name] : path) {
        auto it = f.include.find(dim);
        // A path step inside an existing filter on the same dimension keeps
        // only that name; one outside it matches nothing, as it should.
        if (it != f.include.end() &&
            std::find(it->second.begin(), it->second.end(), name) == it->second.end())
            f.include[dim] = {};
        else
            f.include[dim] = {name};
    }
    return f;
}

namespace {

// Each row's infrastructure cost, and rows for names with infrastructure
// cost but no calls (an untagged cluster is the "(none)" row).
void addInfra(Workspace &ws, const CallFilter &f, Dimension next, std::vector<DrillRow> &rows)
{
    if (!InfraQuery::hasAny(ws))
        return;
    const auto by = InfraQuery::byGroups(ws, f, {GroupKey{next, TimeBucket::None}});
    if (!by)
        return;
    std::unordered_map<std::string, int64_t> cost;
    for (const auto &[key, nusd] : *by)
        cost[key[0] ? ws.dims().nameOf(next, key[0]) : std::string(kNoneName)] += nusd;
    for (DrillRow &row : rows) {
        const auto it = cost.find(row.name);
        row.infraNusd = it == cost.end() ? 0 : it->second;
        if (it != cost.end())
            cost.erase(it);
    }
    for (const auto &[name, nusd] : cost)
        rows.push_back(DrillRow{name, {}, {}, nusd});
}

} // namespace

std::vector<DrillRow> DrillQuery::children(Workspace &ws, const CallFilter &filter,
                                           const DrillPath &path, Dimension next)
{
    const CallFilter f = narrow(filter, path);
    const auto prev = f.previousPeriod();
    std::vector<DrillRow> rows;
    if (!prev) {
        for (auto &r : SummaryQuery::run(ws, f, {GroupKey{next, TimeBucket::None}}).rows)
            rows.push_back(DrillRow{r.keys[0], r.m, {}, {}});
        addInfra(ws, f, next, rows);
        return rows;
    }
    // One read of both periods, split by day: half the cost of two queries.
    CallFilter both = f;
    both.fromDay = prev->fromDay;
    const SummaryResult r = SummaryQuery::run(
        ws, both, {GroupKey{next, TimeBucket::None}, GroupKey{std::nullopt, TimeBucket::Day}});
    std::unordered_map<std::string, size_t> at;
    std::unordered_map<std::string, Measures> before;
    for (const auto &row : r.rows) {
        if (row.keyValues[1] < *f.fromDay) {
            before[row.keys[0]] += row.m;
            continue;
        }
        auto [it, inserted] = at.emplace(row.keys[0], rows.size());
        if (inserted)
            rows.push_back(DrillRow{row.keys[0], {}, {}, {}});
        rows[it->second].m += row.m;
    }
    for (auto &row : rows)
        if (auto it = before.find(row.name); it != before.end())
            row.previous = it->second;
    addInfra(ws, f, next, rows);
    std::sort(rows.begin(), rows.end(), [](const DrillRow &a, const DrillRow &b) {
        return a.m[MCostNusd] != b.m[MCostNusd] ? a.m[MCostNusd] > b.m[MCostNusd] : a.name < b.name;
    });
    return rows;
}

} // namespace tl
