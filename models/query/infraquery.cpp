#include "infraquery.h"

#include "core/timeutil.h"
#include "store/workspace.h"

#include <algorithm>

namespace tl {

namespace {

bool carried(Dimension d)
{
    return d == Dimension::Team || d == Dimension::Feature || d == Dimension::Agent;
}

// Rows of infra_costs in the filter: (day, team, feature, agent, cost).
template <typename F> void scan(Workspace &ws, const CallFilter &filter, F &&row)
{
    std::string sql = "SELECT day, team_id, feature_id, agent_id, cost_nusd FROM infra_costs";
    std::vector<int64_t> binds;
    std::string where;
    // Appended piece by piece: "a" + std::string trips GCC 12's false -Wrestrict.
    const auto add = [&](const std::string &clause) {
        where += where.empty() ? " WHERE " : " AND ";
        where += clause;
    };
    if (filter.fromDay) {
        add("day >= ?");
        binds.push_back(*filter.fromDay);
    }
    if (filter.toDay) {
        add("day <= ?");
        binds.push_back(*filter.toDay);
    }
    for (const auto &[dim, names] : filter.include) {
        std::string in;
        for (const auto &n : names) {
            if (!in.empty())
                in += ',';
            in += std::to_string(n == kNoneName ? 0 : ws.dims().find(dim, n));
        }
        add(std::string(dimensionColumn(dim)) + " IN (" + (in.empty() ? "-1" : in) + ")");
    }
    Statement st(ws.db(), sql + where);
    for (size_t i = 0; i < binds.size(); ++i)
        st.bind(int(i + 1), binds[i]);
    while (st.step())
        row(st.columnInt(0), st.columnInt(1), st.columnInt(2), st.columnInt(3), st.columnInt(4));
}

} // namespace

bool InfraQuery::hasAny(Workspace &ws)
{
    return ws.db().queryInt("SELECT EXISTS(SELECT 1 FROM infra_costs)") != 0;
}

bool InfraQuery::answers(const CallFilter &filter, const std::vector<GroupKey> &groups)
{
    if (filter.windowMs)
        return false;
    for (const auto &[dim, names] : filter.include)
        if (!carried(dim))
            return false;
    for (const GroupKey &g : groups) {
        if (g.dimension && !carried(*g.dimension))
            return false;
        if (!g.dimension && g.time == TimeBucket::Hour)
            return false; // bills are daily
    }
    return true;
}

std::optional<int64_t> InfraQuery::totalNusd(Workspace &ws, const CallFilter &filter)
{
    if (!answers(filter))
        return std::nullopt;
    int64_t total = 0;
    scan(ws, filter, [&](int64_t, int64_t, int64_t, int64_t, int64_t cost) { total += cost; });
    return total;
}

std::optional<std::map<std::vector<int64_t>, int64_t>>
InfraQuery::byGroups(Workspace &ws, const CallFilter &filter, const std::vector<GroupKey> &groups)
{
    if (!answers(filter, groups))
        return std::nullopt;
    std::map<std::vector<int64_t>, int64_t> out;
    std::vector<int64_t> key(groups.size());
    scan(ws, filter, [&](int64_t day, int64_t team, int64_t feature, int64_t agent, int64_t cost) {
        for (size_t i = 0; i < groups.size(); ++i) {
            const GroupKey &g = groups[i];
            if (g.dimension)
                key[i] = *g.dimension == Dimension::Team      ? team
                         : *g.dimension == Dimension::Feature ? feature
                                                              : agent;
            else
                key[i] = g.time == TimeBucket::Week    ? weekStartDay(day)
                         : g.time == TimeBucket::Month ? monthStartDay(day)
                                                       : day;
        }
        out[key] += cost;
    });
    return out;
}

std::optional<InfraQuery::Column> InfraQuery::attach(Workspace &ws, const CallFilter &filter,
                                                     SummaryResult &r)
{
    if (!hasAny(ws))
        return std::nullopt;
    auto by = byGroups(ws, filter, r.groups);
    if (!by)
        return std::nullopt;
    Column c;
    for (const auto &[key, cost] : *by)
        c.total += cost;
    std::map<std::vector<int64_t>, size_t> rowOf;
    for (size_t i = 0; i < r.rows.size(); ++i)
        rowOf[r.rows[i].keyValues] = i;
    bool added = false;
    for (const auto &[key, cost] : *by) {
        if (rowOf.count(key) || r.groups.empty())
            continue;
        SummaryRow row;
        row.keyValues = key;
        for (size_t i = 0; i < key.size(); ++i) {
            const GroupKey &g = r.groups[i];
            if (g.dimension)
                row.keys.push_back(key[i] ? ws.dims().nameOf(*g.dimension, key[i])
                                          : std::string(kNoneName));
            else
                row.keys.push_back(g.time == TimeBucket::Month ? formatMonth(key[i])
                                                               : formatDate(key[i]));
        }
        r.rows.push_back(std::move(row));
        added = true;
    }
    // Time-first groupings stay in time order.
    if (added && !r.groups.empty() && !r.groups.front().dimension)
        std::stable_sort(
            r.rows.begin(), r.rows.end(),
            [](const SummaryRow &a, const SummaryRow &b) { return a.keyValues < b.keyValues; });
    for (const SummaryRow &row : r.rows) {
        const auto it = by->find(row.keyValues);
        c.rows.push_back(it == by->end() ? 0 : it->second);
    }
    return c;
}

std::map<int64_t, int64_t> InfraQuery::byAgent(Workspace &ws, const CallFilter &filter)
{
    std::map<int64_t, int64_t> out;
    CallFilter days;
    days.fromDay = filter.fromDay;
    days.toDay = filter.toDay;
    scan(ws, days,
         [&](int64_t, int64_t, int64_t, int64_t agent, int64_t cost) { out[agent] += cost; });
    return out;
}

} // namespace tl
