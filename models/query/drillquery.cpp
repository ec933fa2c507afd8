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
    const std::vector<GroupKey> groups = {GroupKey{next, TimeBucket::None}};
    SummaryResult now = SummaryQuery::run(ws, f, groups);
    std::vector<DrillRow> rows;
    rows.reserve(now.rows.size());
    std::unordered_map<std::string, size_t> at;
    for (auto &r : now.rows) {
        at[r.keys[0]] = rows.size();
        rows.push_back(DrillRow{r.keys[0], r.m, {}});
    }
    if (auto prev = f.previousPeriod()) {
        for (const auto &r : SummaryQuery::run(ws, *prev, groups).rows) {
            auto it = at.find(r.keys[0]);
            if (it != at.end())
                rows[it->second].previous = r.m;
        }
    }
    return rows;
}

} // namespace tl
