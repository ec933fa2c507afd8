#include "summaryquery.h"

#include <cmath>

#include "core/timeutil.h"
#include "query/filtersql.h"
#include "store/callusage.h"
#include "store/rollupgrains.h"
#include "store/schema.h"
#include "store/workspace.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

namespace tl {

std::string GroupKey::name() const
{
    switch (time) {
    case TimeBucket::Hour:
        return "hour";
    case TimeBucket::Day:
        return "day";
    case TimeBucket::Week:
        return "week";
    case TimeBucket::Month:
        return "month";
    case TimeBucket::None:
        break;
    }
    return dimension ? std::string(dimensionName(*dimension)) : std::string();
}

std::optional<GroupKey> GroupKey::fromName(const std::string &name)
{
    if (name == "hour")
        return GroupKey{std::nullopt, TimeBucket::Hour};
    if (name == "day")
        return GroupKey{std::nullopt, TimeBucket::Day};
    if (name == "week")
        return GroupKey{std::nullopt, TimeBucket::Week};
    if (name == "month")
        return GroupKey{std::nullopt, TimeBucket::Month};
    auto d = dimensionFromName(name);
    if (!d || *d == Dimension::Status)
        return std::nullopt;
    return GroupKey{d, TimeBucket::None};
}

namespace {

struct Source
{
    std::string table;
    bool hasHour = false;
    bool isCalls = false;
    std::set<Dimension> dims;
};

Source chooseSource(const CallFilter &filter, const std::vector<GroupKey> &groups)
{
    std::set<Dimension> need;
    bool hour = false;
    for (const auto &g : groups) {
        if (g.dimension)
            need.insert(*g.dimension);
        hour |= g.time == TimeBucket::Hour;
    }
    for (const auto &[d, names] : filter.include)
        need.insert(d);
    if (filter.windowMs) {
        std::set<Dimension> all(kAllDimensions.begin(), kAllDimensions.end());
        return Source{"calls", true, true, all};
    }
    const std::set<Dimension> main = {Dimension::Provider, Dimension::Model, Dimension::Team,
                                      Dimension::Feature, Dimension::Agent};
    const std::set<Dimension> hourly = {Dimension::Provider, Dimension::Model, Dimension::Team,
                                        Dimension::Feature};
    const std::set<Dimension> user = {Dimension::User};
    const std::set<Dimension> task = {Dimension::Agent, Dimension::Feature, Dimension::Task,
                                      Dimension::Team};
    auto within = [&](const std::set<Dimension> &have) {
        return std::includes(have.begin(), have.end(), need.begin(), need.end());
    };
    if (hour && within(hourly))
        return Source{"rollup_hour", true, false, hourly};
    if (hour && within(main))
        return Source{kRollupAgentHour.table, true, false, main};
    if (!hour && within(main))
        return Source{"rollup_day", false, false, main};
    if (within(user) && !hour)
        return Source{"rollup_user_day", false, false, user};
    if (within(task) && !hour)
        return Source{kRollupTaskDay.table, false, false, task};
    std::set<Dimension> all(kAllDimensions.begin(), kAllDimensions.end());
    return Source{"calls", true, true, all};
}

std::string timeExpr(TimeBucket b, const Source &s)
{
    const std::string day = s.hasHour && !s.isCalls ? "(hour / 24)" : "day";
    switch (b) {
    case TimeBucket::Hour:
        return "hour";
    case TimeBucket::Day:
        return day;
    // ISO weeks start on Monday; day 0 (1970-01-01) was a Thursday.
    case TimeBucket::Week:
        return "(" + day + " - ((" + day + " + 3) % 7))";
    case TimeBucket::Month:
        return "CAST(julianday(date(" + day +
               " * 86400, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER)";
    case TimeBucket::None:
        break;
    }
    return "0";
}

std::string timeLabel(TimeBucket b, int64_t v)
{
    switch (b) {
    case TimeBucket::Hour:
        return formatHour(v);
    case TimeBucket::Day:
    case TimeBucket::Week:
        return formatDate(v);
    case TimeBucket::Month:
        return formatMonth(v);
    case TimeBucket::None:
        break;
    }
    return {};
}

constexpr int kMaxHashedKeys = 4;

struct KeyHash
{
    size_t operator()(const std::array<int64_t, kMaxHashedKeys> &k) const
    {
        uint64_t h = 0x9E3779B97F4A7C15ull;
        for (int64_t v : k)
            h = (h ^ uint64_t(v)) * 0xFF51AFD7ED558CCDull;
        return size_t(h ^ (h >> 29));
    }
};

// On SQLite, rollup rows (or calls, through measuresOf) are read as they
// are and summed here: SQLite's GROUP BY with 18 SUM()s cost ~2 µs a row (a
// month of a 300-agent fleet's rollup took 30-40 ms a query); reading the
// columns and adding them in a hash map is several times cheaper. A server
// sums by the stored keys (sending a month's rollup rows cost it 3x summing
// them), and the day, week or month of an hour or day is still taken here,
// where both engines compute it alike (julianday() per row was the other
// half of SQLite's cost).
std::vector<std::pair<SummarySums::Key, Measures>>
aggregateRollup(Workspace &ws, const Source &src, const FilterSql &where,
                const std::vector<GroupKey> &groups)
{
    const bool hourly = src.hasHour;
    // Not by task or user: their groups are nearly as many as the rows, and
    // a server's 22 SUM()s over the busiest agent's 79k task days took 140 ms
    // where sending them took 33.
    const bool summed = !ws.db().sumsInClient() &&
                        std::none_of(groups.begin(), groups.end(), [](const GroupKey &g) {
                            return g.dimension == Dimension::Task || g.dimension == Dimension::User;
                        });
    std::string keys;
    for (const auto &g : groups)
        keys +=
            (keys.empty() ? "" : ", ") + (g.dimension ? std::string(dimensionColumn(*g.dimension))
                                          : hourly    ? std::string("hour")
                                                      : std::string("day"));
    std::string sql = "SELECT " + keys + (keys.empty() ? "" : ", ");
    if (summed && src.isCalls) {
        sql += Schema::measureAggregatesSql();
    } else if (src.isCalls) {
        sql += kFactsColumns;
    } else {
        for (size_t i = 0; i < kMeasureColumns.size(); ++i)
            sql += (i ? ", " : "") + (summed ? "SUM(" + std::string(kMeasureColumns[i]) + ")"
                                             : std::string(kMeasureColumns[i]));
    }
    sql += " FROM " + src.table + where.where;
    if (summed && !keys.empty())
        sql += " GROUP BY " + keys;
    Statement st(ws.db(), sql);
    for (size_t i = 0; i < where.binds.size(); ++i)
        st.bind(int(i + 1), where.binds[i]);
    const int k = int(groups.size());
    std::unordered_map<std::array<int64_t, kMaxHashedKeys>, Measures, KeyHash> sums;
    std::array<int64_t, kMaxHashedKeys> key{};
    while (st.step()) {
        for (int i = 0; i < k; ++i) {
            int64_t v = st.columnInt(i);
            const TimeBucket b = groups[size_t(i)].time;
            if (b != TimeBucket::None && b != TimeBucket::Hour && hourly)
                v = floorDiv(v, 24);
            if (b == TimeBucket::Week)
                v = weekStartDay(v);
            else if (b == TimeBucket::Month)
                v = monthStartDay(v);
            key[size_t(i)] = v;
        }
        Measures row;
        if (src.isCalls && !summed) {
            row = measuresOf(factsAt(st, k));
        } else {
            for (int c = 0; c < MeasureCount; ++c)
                row.v[size_t(c)] = st.columnInt(k + c);
        }
        sums[key] += row; // checked: a total past 64 bits is an error, not a wrap
    }
    std::vector<std::pair<SummarySums::Key, Measures>> out;
    out.reserve(sums.size());
    for (auto &[kv, m] : sums) {
        SummarySums::Key key{};
        std::copy(kv.begin(), kv.end(), key.begin());
        out.emplace_back(key, m);
    }
    return out;
}

FilterSql filterSql(Workspace &ws, const CallFilter &filter, const Source &src)
{
    return FilterSql::build(ws, filter,
                            src.isCalls                      ? FilterSql::Table::Calls
                            : src.hasHour                    ? FilterSql::Table::RollupHour
                            : src.table == "rollup_user_day" ? FilterSql::Table::RollupUserDay
                                                             : FilterSql::Table::RollupDay);
}

} // namespace

bool SummaryQuery::fromRollups(const CallFilter &filter, const std::vector<GroupKey> &groups)
{
    return !chooseSource(filter, groups).isCalls;
}

std::vector<SummaryQuery::Cost> SummaryQuery::costs(Workspace &ws, const CallFilter &filter,
                                                    Dimension dimension)
{
    const std::vector<GroupKey> groups{GroupKey{dimension, TimeBucket::None}};
    const Source src = chooseSource(filter, groups);
    std::vector<Cost> out;
    if (src.isCalls) { // every measure of every call: no cheaper than sums()
        for (const auto &[key, m] : sums(ws, filter, groups).rows)
            out.push_back(Cost{key[0], m[MCostNusd], m[MRecords]});
        return out;
    }
    const FilterSql where = filterSql(ws, filter, src);
    const std::string col(dimensionColumn(dimension));
    const std::string cost(kMeasureColumns[MCostNusd]), records(kMeasureColumns[MRecords]);
    // Summed here on both engines: a task's rows are nearly as many as its
    // tasks, and a server's GROUP BY of the busiest agent's 31k task days
    // (SUM of BIGINT is NUMERIC) took 33-40 ms where sending them took 12.
    const std::string sql =
        "SELECT " + col + ", " + cost + ", " + records + " FROM " + src.table + where.where;
    Statement st(ws.db(), sql);
    for (size_t i = 0; i < where.binds.size(); ++i)
        st.bind(int(i + 1), where.binds[i]);
    // Open addressing, slot = index in `out` + 1: a node per id in a
    // standard map was a third of the ranking of an agent's 224k tasks (the
    // id beside the index in a slot was slower still: twice the memory).
    std::vector<uint32_t> slots(1024, 0);
    const auto slotOf = [&](int64_t id) {
        size_t h = size_t((uint64_t(id) * 0x9E3779B97F4A7C15ull) >> 20) & (slots.size() - 1);
        while (slots[h] && out[slots[h] - 1].id != id)
            h = (h + 1) & (slots.size() - 1);
        return h;
    };
    while (st.step()) {
        const int64_t id = st.columnInt(0);
        size_t h = slotOf(id);
        if (!slots[h]) {
            out.push_back(Cost{id, 0, 0});
            slots[h] = uint32_t(out.size());
            if (out.size() * 2 > slots.size()) {
                slots.assign(slots.size() * 2, 0);
                for (size_t i = 0; i < out.size(); ++i)
                    slots[slotOf(out[i].id)] = uint32_t(i + 1);
                h = slotOf(id);
            }
        }
        Cost &c = out[slots[h] - 1];
        if (__builtin_add_overflow(c.costNusd, st.columnInt(1), &c.costNusd))
            throw MeasureOverflow(kMeasureColumns[MCostNusd]);
        c.records += st.columnInt(2);
    }
    std::erase_if(out, [](const Cost &c) { return c.records == 0; });
    return out;
}

SummarySums SummaryQuery::sums(Workspace &ws, const CallFilter &filter,
                               const std::vector<GroupKey> &groups, const IdList *only)
{
    const Source src = chooseSource(filter, groups);
    std::string select, groupBy;
    for (size_t i = 0; i < groups.size(); ++i) {
        const auto &g = groups[i];
        std::string expr =
            g.dimension ? std::string(dimensionColumn(*g.dimension)) : timeExpr(g.time, src);
        select += expr + ", ";
        groupBy += (i ? ", " : "") + expr;
    }
    FilterSql where = filterSql(ws, filter, src);
    SummarySums res;
    res.table = src.table;
    if (only) {
        if (only->ids.empty())
            return res;
        // Ids from the store itself, as literals: one statement whatever
        // their number, on both engines.
        std::string in;
        for (int64_t id : only->ids)
            in += (in.empty() ? "" : ",") + std::to_string(id);
        where.add(std::string(dimensionColumn(only->dimension)) + " IN (" + in + ")");
    }
    const int k = int(groups.size());
    if (groups.size() > std::tuple_size_v<SummarySums::Key>)
        throw std::invalid_argument("more than 8 groupings");
    std::vector<std::pair<SummarySums::Key, Measures>> aggregated;
    if (k <= kMaxHashedKeys) {
        aggregated = aggregateRollup(ws, src, where, groups);
    } else {
        std::string measures = src.isCalls ? Schema::measureAggregatesSql() : std::string();
        if (!src.isCalls)
            for (auto c : kMeasureColumns)
                measures += (measures.empty() ? "SUM(" : ", SUM(") + std::string(c) + ")";
        std::string sql = "SELECT " + select + measures + " FROM " + src.table + where.where;
        if (!groups.empty())
            sql += " GROUP BY " + groupBy;
        Statement st(ws.db(), sql);
        for (size_t i = 0; i < where.binds.size(); ++i)
            st.bind(int(i + 1), where.binds[i]);
        while (st.step()) {
            std::pair<SummarySums::Key, Measures> row{};
            for (int i = 0; i < MeasureCount; ++i)
                row.second[i] = st.columnInt(k + i);
            for (int i = 0; i < k; ++i)
                row.first[size_t(i)] = st.columnInt(i);
            aggregated.push_back(std::move(row));
        }
    }
    std::erase_if(aggregated, [](const auto &row) {
        return row.second[MRecords] == 0; // SUM over no rows
    });
    res.rows = std::move(aggregated);
    return res;
}

SummaryResult SummaryQuery::run(Workspace &ws, const CallFilter &filter,
                                const std::vector<GroupKey> &groups)
{
    SummarySums sums = SummaryQuery::sums(ws, filter, groups);
    auto &aggregated = sums.rows;
    SummaryResult res;
    res.groups = groups;
    res.table = std::move(sums.table);
    const int k = int(groups.size());
    // Each dimension's names in one read (tasks and users come in tens of
    // thousands; one lookup each was most of a task drill's time).
    std::vector<std::unordered_map<int64_t, std::string>> names{size_t(k)};
    for (int i = 0; i < k; ++i) {
        if (!groups[size_t(i)].dimension)
            continue;
        std::vector<int64_t> ids;
        ids.reserve(aggregated.size());
        for (const auto &[keyValues, m] : aggregated)
            ids.push_back(keyValues[size_t(i)]);
        names[size_t(i)] = ws.dims().namesOf(*groups[size_t(i)].dimension, std::move(ids));
        names[size_t(i)][0] = std::string(kNoneName);
    }
    for (auto &[keyValues, m] : aggregated) {
        SummaryRow row;
        row.m = m;
        for (int i = 0; i < k; ++i) {
            const int64_t v = keyValues[size_t(i)];
            row.keyValues.push_back(v);
            if (groups[size_t(i)].dimension) {
                row.keys.push_back(names[size_t(i)][v]);
            } else {
                row.keys.push_back(timeLabel(groups[size_t(i)].time, v));
            }
        }
        res.totals += row.m;
        res.rows.push_back(std::move(row));
    }
    // Time keys ascend; within them the most expensive first.
    std::stable_sort(res.rows.begin(), res.rows.end(),
                     [&](const SummaryRow &a, const SummaryRow &b) {
                         for (int i = 0; i < k; ++i)
                             if (!groups[size_t(i)].dimension &&
                                 a.keyValues[size_t(i)] != b.keyValues[size_t(i)])
                                 return a.keyValues[size_t(i)] < b.keyValues[size_t(i)];
                         if (a.m[MCostNusd] != b.m[MCostNusd])
                             return a.m[MCostNusd] > b.m[MCostNusd];
                         return a.keys < b.keys;
                     });
    return res;
}

std::optional<CallFilter> CallFilter::previousPeriod() const
{
    if (!fromDay || !toDay)
        return std::nullopt;
    CallFilter p = *this;
    const int64_t len = *toDay - *fromDay + 1;
    p.fromDay = *fromDay - len;
    p.toDay = *fromDay - 1;
    return p;
}

std::optional<std::pair<int64_t, int64_t>> dataDayBounds(Workspace &ws)
{
    Statement st(ws.db(), "SELECT MIN(day), MAX(day) FROM rollup_day");
    if (!st.step() || st.columnIsNull(0))
        return std::nullopt;
    return std::make_pair(st.columnInt(0), st.columnInt(1));
}

std::string groupThousands(std::string digits)
{
    // Built forwards: GCC 12 warns (falsely, PR 105329) on insert() here.
    std::string out;
    out.reserve(digits.size() + digits.size() / 3);
    const size_t lead = digits.size() % 3 ? digits.size() % 3 : 3;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i >= lead && (i - lead) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

std::string nanoToDecimal(int64_t nusd)
{
    const bool neg = nusd < 0;
    uint64_t v = neg ? uint64_t(-(nusd + 1)) + 1 : uint64_t(nusd);
    std::string frac = std::to_string(v % 1'000'000'000ull);
    frac.insert(0, 9 - frac.size(), '0');
    while (!frac.empty() && frac.back() == '0')
        frac.pop_back();
    std::string s = neg ? "-" : "";
    s += std::to_string(v / 1'000'000'000ull);
    return frac.empty() ? s : s + "." + frac;
}

std::string formatDollars(double usd)
{
    return formatUsd(int64_t(std::llround(usd * 1e9)));
}

std::string formatPoints(double shareChange)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.1f pts", shareChange * 100);
    return buf;
}

std::string formatRoi(double roi)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", roi);
    return buf;
}

std::string formatUsd(int64_t nusd, int decimals)
{
    decimals = std::clamp(decimals, 0, 9);
    const bool neg = nusd < 0;
    uint64_t v = neg ? uint64_t(-(nusd + 1)) + 1 : uint64_t(nusd);
    uint64_t step = 1;
    for (int i = decimals; i < 9; ++i)
        step *= 10;
    const uint64_t units = (v + step / 2) / step; // half away from zero, in integers
    uint64_t per = 1;
    for (int i = 0; i < decimals; ++i)
        per *= 10;
    std::string out = neg ? "-$" : "$";
    out += groupThousands(std::to_string(units / per));
    if (decimals > 0) {
        std::string frac = std::to_string(units % per);
        out += '.';
        out.append(size_t(decimals) - frac.size(), '0');
        out += frac;
    }
    return out;
}

} // namespace tl
