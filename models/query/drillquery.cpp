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

struct Sums
{
    Measures now, before;
    std::optional<int64_t> infra;
};

// Each child's infrastructure cost, by id; ids with infrastructure cost but
// no calls (an untagged cluster is the "(none)" row) become children too.
void addInfra(Workspace &ws, const CallFilter &f, Dimension next,
              std::unordered_map<int64_t, Sums> &by)
{
    if (!InfraQuery::hasAny(ws))
        return;
    const auto infra = InfraQuery::byGroups(ws, f, {GroupKey{next, TimeBucket::None}});
    if (!infra)
        return;
    for (auto &[id, s] : by)
        s.infra = 0;
    for (const auto &[key, nusd] : *infra) {
        auto &s = by[key[0]];
        s.infra = s.infra.value_or(0) + nusd;
    }
}

} // namespace

std::vector<DrillRow> DrillQuery::children(Workspace &ws, const CallFilter &filter,
                                           const DrillPath &path, Dimension next, size_t limit)
{
    const CallFilter f = narrow(filter, path);
    const auto prev = f.previousPeriod();
    // One read of both periods, split by day: half the cost of two queries.
    CallFilter both = f;
    std::vector<GroupKey> groups{GroupKey{next, TimeBucket::None}};
    if (prev) {
        both.fromDay = prev->fromDay;
        groups.push_back(GroupKey{std::nullopt, TimeBucket::Day});
    }
    const SummarySums sums = SummaryQuery::sums(ws, both, groups);
    std::unordered_map<int64_t, Sums> by;
    by.reserve(sums.rows.size());
    Measures allNow, allBefore; // the rest is these less the rows shown
    for (const auto &[key, m] : sums.rows) {
        Sums &s = by[key[0]];
        const bool before = prev && key[1] < *f.fromDay;
        (before ? s.before : s.now) += m;
        (before ? allBefore : allNow) += m;
    }
    // A name with calls only before the period is not a child of it.
    std::vector<std::pair<int64_t, Measures>> onlyBefore;
    std::erase_if(by, [&](const auto &kv) {
        if (kv.second.now[MRecords] != 0)
            return false;
        onlyBefore.emplace_back(kv.first, kv.second.before);
        return true;
    });
    addInfra(ws, f, next, by);
    // Costliest first; the ids break ties here, the names below.
    std::vector<std::pair<int64_t, const Sums *>> order;
    order.reserve(by.size());
    for (const auto &[id, s] : by)
        order.emplace_back(id, &s);
    const auto costlier = [](const auto &a, const auto &b) {
        const int64_t x = a.second->now[MCostNusd], y = b.second->now[MCostNusd];
        return x != y ? x > y : a.first < b.first;
    };
    const size_t shown = std::min(limit, order.size());
    std::partial_sort(order.begin(), order.begin() + long(shown), order.end(), costlier);
    std::vector<int64_t> ids;
    ids.reserve(shown);
    for (size_t i = 0; i < shown; ++i)
        ids.push_back(order[i].first);
    auto names = ws.dims().namesOf(next, std::move(ids));
    names[0] = std::string(kNoneName);
    std::vector<DrillRow> rows;
    rows.reserve(shown + 1);
    for (size_t i = 0; i < shown; ++i) {
        const Sums &s = *order[i].second;
        rows.push_back(DrillRow{names[order[i].first], s.now, s.before, s.infra});
    }
    std::sort(rows.begin(), rows.end(), [](const DrillRow &a, const DrillRow &b) {
        return a.m[MCostNusd] != b.m[MCostNusd] ? a.m[MCostNusd] > b.m[MCostNusd] : a.name < b.name;
    });
    if (shown < order.size()) {
        // All less the rows shown: summing the rest row by row was most of
        // the drill's own time (30k hash nodes, each a cache miss).
        DrillRow rest;
        rest.restCount = int64_t(order.size() - shown);
        rest.m = allNow;
        rest.previous = allBefore;
        for (const DrillRow &row : rows)
            for (int m = 0; m < MeasureCount; ++m) {
                rest.m[m] -= row.m[m];
                rest.previous[m] -= row.previous[m];
            }
        // A name with calls only before the period was left out above.
        for (const auto &[id, s] : onlyBefore)
            for (int m = 0; m < MeasureCount; ++m)
                rest.previous[m] -= s[m];
        if (order[shown].second->infra) // a bill is imported: every row has a figure
            for (size_t i = shown; i < order.size(); ++i)
                rest.infraNusd = rest.infraNusd.value_or(0) + order[i].second->infra.value_or(0);
        rows.push_back(std::move(rest));
    }
    return rows;
}

} // namespace tl
