#include "drillquery.h"

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

std::vector<DrillRow> DrillQuery::children(Workspace &ws, const CallFilter &filter,
                                           const DrillPath &path, Dimension next)
{
    const CallFilter f = narrow(filter, path);
    const auto prev = f.previousPeriod();
    std::vector<DrillRow> rows;
    if (!prev) {
        for (auto &r : SummaryQuery::run(ws, f, {GroupKey{next, TimeBucket::None}}).rows)
            rows.push_back(DrillRow{r.keys[0], r.m, {}});
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
            rows.push_back(DrillRow{row.keys[0], {}, {}});
        rows[it->second].m += row.m;
    }
    for (auto &row : rows)
        if (auto it = before.find(row.name); it != before.end())
            row.previous = it->second;
    std::sort(rows.begin(), rows.end(), [](const DrillRow &a, const DrillRow &b) {
        return a.m[MCostNusd] != b.m[MCostNusd] ? a.m[MCostNusd] > b.m[MCostNusd] : a.name < b.name;
    });
    return rows;
}

} // namespace tl
