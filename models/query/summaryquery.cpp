#include "summaryquery.h"

#include "core/timeutil.h"
#include "query/filtersql.h"
#include "store/schema.h"
#include "store/workspace.h"

#include <algorithm>
#include <set>
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
    const std::set<Dimension> main = {Dimension::Provider, Dimension::Model, Dimension::Team,
                                      Dimension::Feature, Dimension::Agent};
    const std::set<Dimension> hourly = {Dimension::Provider, Dimension::Model, Dimension::Team,
                                        Dimension::Feature};
    const std::set<Dimension> user = {Dimension::User};
    auto within = [&](const std::set<Dimension> &have) {
        return std::includes(have.begin(), have.end(), need.begin(), need.end());
    };
    if (hour && within(hourly))
        return Source{"rollup_hour", true, false, hourly};
    if (!hour && within(main))
        return Source{"rollup_day", false, false, main};
    if (within(user) && !hour)
        return Source{"rollup_user_day", false, false, user};
    std::set<Dimension> all(kAllDimensions.begin(), kAllDimensions.end());
    return Source{"calls", true, true, all};
}

std::string timeExpr(TimeBucket b, const Source &s)
{
    const std::string day = s.table == "rollup_hour" ? "(hour / 24)" : "day";
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

} // namespace

SummaryResult SummaryQuery::run(Workspace &ws, const CallFilter &filter,
                                const std::vector<GroupKey> &groups)
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
    std::string measures;
    if (src.isCalls) {
        measures = Schema::measureAggregatesSql();
    } else {
        for (auto c : kMeasureColumns)
            measures += (measures.empty() ? "SUM(" : ", SUM(") + std::string(c) + ")";
    }
    const FilterSql where = FilterSql::build(
        ws, filter,
        src.isCalls                      ? FilterSql::Table::Calls
        : src.table == "rollup_hour"     ? FilterSql::Table::RollupHour
        : src.table == "rollup_user_day" ? FilterSql::Table::RollupUserDay
                                         : FilterSql::Table::RollupDay);
    const std::vector<int64_t> &binds = where.binds;
    std::string sql = "SELECT " + select + measures + " FROM " + src.table + where.where;
    if (!groups.empty())
        sql += " GROUP BY " + groupBy;

    SummaryResult res;
    res.groups = groups;
    res.table = src.table;
    Statement st(ws.db(), sql);
    for (size_t i = 0; i < binds.size(); ++i)
        st.bind(int(i + 1), binds[i]);
    std::unordered_map<int64_t, std::string> names;
    const int k = int(groups.size());
    while (st.step()) {
        SummaryRow row;
        for (int i = 0; i < MeasureCount; ++i)
            row.m[i] = st.columnInt(k + i);
        if (row.m[MRecords] == 0)
            continue; // SUM over no rows
        for (int i = 0; i < k; ++i) {
            int64_t v = st.columnInt(i);
            row.keyValues.push_back(v);
            if (groups[size_t(i)].dimension) {
                auto it = names.find(v);
                if (it == names.end())
                    it = names
                             .emplace(v, v == 0 ? std::string(kNoneName)
                                                : ws.dims().nameOf(*groups[size_t(i)].dimension, v))
                             .first;
                row.keys.push_back(it->second);
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
