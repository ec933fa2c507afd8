#include "drillquery.h"

#include "query/infraquery.h"
#include "store/workspace.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

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

void sortByCost(std::vector<DrillRow> &rows)
{
    std::sort(rows.begin(), rows.end(), [](const DrillRow &a, const DrillRow &b) {
        return a.m[MCostNusd] != b.m[MCostNusd] ? a.m[MCostNusd] > b.m[MCostNusd] : a.name < b.name;
    });
}

// A long list (a busy agent's 31k tasks) ranked by cost alone, then every
// measure read for the rows shown only: reading and adding 22 measures of
// every task day was most of the drill (a server's sending them too). The
// rest row is the period's total less the rows shown, the total from the
// smallest rollup that answers (an agent's days, not its task days).
std::vector<DrillRow> rankedChildren(Workspace &ws, const CallFilter &f,
                                     const std::optional<CallFilter> &prev, Dimension next,
                                     size_t limit)
{
    // No infrastructure figures: bills carry no task or user
    // (InfraQuery::answers).
    auto order = SummaryQuery::costs(ws, f, next);
    const size_t shown = std::min(limit, order.size());
    // Costliest first; the ids break ties here, the names below.
    std::partial_sort(order.begin(), order.begin() + long(shown), order.end(),
                      [](const SummaryQuery::Cost &a, const SummaryQuery::Cost &b) {
                          return a.costNusd != b.costNusd ? a.costNusd > b.costNusd : a.id < b.id;
                      });

    // Every measure of the rows shown, both periods; and of the rest's
    // children that also had calls before, whose previous figures the rest
    // row carries (a name with calls only before the period is no child).
    SummaryQuery::IdList read{next, {}};
    for (size_t i = 0; i < shown; ++i)
        read.ids.push_back(order[i].id);
    std::vector<int64_t> restBefore;
    if (prev && shown < order.size()) {
        std::unordered_set<int64_t> before;
        for (const auto &c : SummaryQuery::costs(ws, *prev, next))
            before.insert(c.id);
        if (!before.empty())
            for (size_t i = shown; i < order.size(); ++i)
                if (before.count(order[i].id))
                    restBefore.push_back(order[i].id);
        read.ids.insert(read.ids.end(), restBefore.begin(), restBefore.end());
    }
    CallFilter both = f;
    std::vector<GroupKey> groups{GroupKey{next, TimeBucket::None}};
    if (prev) {
        both.fromDay = prev->fromDay;
        groups.push_back(GroupKey{std::nullopt, TimeBucket::Day});
    }
    std::unordered_map<int64_t, Sums> full;
    for (const auto &[key, m] : SummaryQuery::sums(ws, both, groups, &read).rows)
        (prev && key[1] < *f.fromDay ? full[key[0]].before : full[key[0]].now) += m;

    auto names = ws.dims().namesOf(next, {read.ids.begin(), read.ids.begin() + long(shown)});
    names[0] = std::string(kNoneName);
    std::vector<DrillRow> rows;
    rows.reserve(shown + 1);
    for (size_t i = 0; i < shown; ++i) {
        const Sums &s = full[order[i].id];
        rows.push_back(DrillRow{names[order[i].id], s.now, s.before, std::nullopt});
    }
    sortByCost(rows);
    if (shown == order.size())
        return rows;
    DrillRow rest;
    rest.restCount = int64_t(order.size() - shown);
    for (const auto &[key, m] : SummaryQuery::sums(ws, f, {}).rows)
        rest.m += m;
    for (const DrillRow &row : rows)
        for (int m = 0; m < MeasureCount; ++m)
            rest.m[m] -= row.m[m];
    for (int64_t id : restBefore)
        rest.previous += full[id].before;
    rows.push_back(std::move(rest));
    return rows;
}

} // namespace

std::vector<DrillRow> DrillQuery::children(Workspace &ws, const CallFilter &filter,
                                           const DrillPath &path, Dimension next, size_t limit)
{
    const CallFilter f = narrow(filter, path);
    const auto prev = f.previousPeriod();
    // Tasks and users come in tens of thousands under one agent; agents,
    // teams and models in tens, where one read of everything is cheaper.
    if (limit < SIZE_MAX && (next == Dimension::Task || next == Dimension::User) &&
        SummaryQuery::fromRollups(f, {GroupKey{next, TimeBucket::None}}))
        return rankedChildren(ws, f, prev, next, limit);
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
    std::vector<std::pair<int64_t, const Sums *>> order;
    order.reserve(by.size());
    for (const auto &[id, s] : by)
        order.emplace_back(id, &s);
    const size_t shown = std::min(limit, order.size());
    // Costliest first; the ids break ties here, the names below.
    std::partial_sort(order.begin(), order.begin() + long(shown), order.end(),
                      [](const auto &a, const auto &b) {
                          const int64_t x = a.second->now[MCostNusd], y = b.second->now[MCostNusd];
                          return x != y ? x > y : a.first < b.first;
                      });
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
    sortByCost(rows);
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
