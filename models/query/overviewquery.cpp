#include "overviewquery.h"
#include "query/infraquery.h"

#include "core/timeutil.h"
#include "query/filtersql.h"
#include "store/rollupgrains.h"
#include "store/workspace.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace tl {

namespace {

std::vector<std::pair<std::string, int64_t>> costsBy(Workspace &ws, const CallFilter &f,
                                                     Dimension d)
{
    SummaryResult r = SummaryQuery::run(ws, f, {GroupKey{d, TimeBucket::None}});
    std::vector<std::pair<std::string, int64_t>> out;
    for (const auto &row : r.rows)
        out.emplace_back(row.keys[0], row.m[MCostNusd]);
    return out; // SummaryQuery sorts by cost, most expensive first
}

int64_t bucketOf(int64_t value, TimeBucket b)
{
    switch (b) {
    case TimeBucket::Week:
        return weekStartDay(value);
    case TimeBucket::Month:
        return monthStartDay(value);
    default:
        return value;
    }
}

bool within(const CallFilter &f, std::initializer_list<Dimension> have)
{
    for (const auto &[d, names] : f.include)
        if (std::find(have.begin(), have.end(), d) == have.end())
            return false;
    return true;
}

constexpr std::initializer_list<Dimension> kDayDims = {
    Dimension::Provider, Dimension::Model, Dimension::Team, Dimension::Feature, Dimension::Agent};
constexpr std::initializer_list<Dimension> kHourDims = {Dimension::Provider, Dimension::Model,
                                                        Dimension::Team, Dimension::Feature};
// The measures the Overview shows; the fast path reads only these.
constexpr Measure kShown[] = {MRecords,      MRequests, MInputTokens,      MCachedInputTokens,
                              MOutputTokens, MCostNusd, MUnpricedRequests, MSuccessTasks};

std::string nameOf(Workspace &ws, Dimension d, int64_t id)
{
    return id == 0 ? std::string(kNoneName) : ws.dims().nameOf(d, id);
}

std::vector<std::pair<std::string, int64_t>>
ranked(Workspace &ws, Dimension d, const std::unordered_map<int64_t, int64_t> &costs)
{
    std::vector<std::pair<std::string, int64_t>> out;
    for (const auto &[id, c] : costs)
        out.emplace_back(nameOf(ws, d, id), c);
    std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    return out;
}

} // namespace

std::vector<int64_t> OverviewQuery::bucketStarts(int64_t fromDay, int64_t toDay, TimeBucket b)
{
    std::vector<int64_t> out;
    if (toDay < fromDay)
        return out;
    if (b == TimeBucket::Hour) {
        for (int64_t h = fromDay * 24; h <= toDay * 24 + 23; ++h)
            out.push_back(h);
        return out;
    }
    for (int64_t d = fromDay; d <= toDay; ++d) {
        const int64_t s = bucketOf(d, b);
        if (out.empty() || out.back() != s)
            out.push_back(s);
    }
    return out;
}

// One pass over rollup_day for the period and the one before it gives the
// totals, the previous totals, the series (by day, week or month), the top
// agents and the model mix; an hourly series reads three columns of
// hourTable. Five GROUP BY queries over the same rows cost 3-5x this.
void OverviewQuery::runFromRollups(Workspace &ws, const CallFilter &f, bool hasPrevious,
                                   size_t maxStacks, const char *hourTable, OverviewData &o)
{
    o.hasPrevious = hasPrevious;
    const int64_t len = o.toDay - o.fromDay + 1;
    CallFilter scan = f;
    if (hasPrevious)
        scan.fromDay = o.fromDay - len;
    const std::string stackCol(dimensionColumn(o.stackBy));
    std::string cols = "day, " + stackCol + ", agent_id, model_id";
    for (Measure m : kShown)
        cols += ", " + std::string(kMeasureColumns[size_t(m)]);
    const FilterSql where = FilterSql::build(ws, scan, FilterSql::Table::RollupDay);
    Statement st(ws.db(), "SELECT " + cols + " FROM rollup_day" + where.where);
    for (size_t i = 0; i < where.binds.size(); ++i)
        st.bind(int(i + 1), where.binds[i]);
    o.buckets = bucketStarts(o.fromDay, o.toDay, o.bucket);
    std::unordered_map<int64_t, size_t> column;
    for (size_t i = 0; i < o.buckets.size(); ++i)
        column[o.buckets[i]] = i;
    std::unordered_map<int64_t, std::vector<int64_t>> byStack; // id -> cost per bucket
    std::unordered_map<int64_t, int64_t> agents, models, stackTotal;
    const bool daily = o.bucket != TimeBucket::Hour;
    while (st.step()) {
        const int64_t day = st.columnInt(0);
        const bool current = day >= o.fromDay;
        Measures &into = current ? o.totals : o.previous;
        for (size_t i = 0; i < std::size(kShown); ++i)
            into[kShown[i]] += st.columnInt(int(4 + i));
        if (!current)
            continue;
        const int64_t cost = st.columnInt(int(4 + 5)); // kShown[5] is the cost
        agents[st.columnInt(2)] += cost;
        models[st.columnInt(3)] += cost;
        if (daily) {
            const int64_t b = o.bucket == TimeBucket::Week    ? weekStartDay(day)
                              : o.bucket == TimeBucket::Month ? monthStartDay(day)
                                                              : day;
            auto &series = byStack[st.columnInt(1)];
            series.resize(o.buckets.size());
            series[column[b]] += cost;
        }
    }
    if (!daily) {
        const FilterSql hw = FilterSql::build(ws, f, FilterSql::Table::RollupHour);
        // A server sums a layer's hour itself: 120k rows of a month at 10M
        // calls come as 4k (a day -> hour change 83 -> 58-60 ms over
        // loopback). A file reads them whole: SQLite's GROUP BY sorts, 31
        // ms against a 12 ms scan.
        const std::string select = ws.isServer()
                                       ? "SELECT hour, " + stackCol + ", SUM(cost_nusd) FROM "
                                       : "SELECT hour, " + stackCol + ", cost_nusd FROM ";
        Statement hs(ws.db(), select + hourTable + hw.where +
                                  (ws.isServer() ? " GROUP BY hour, " + stackCol : ""));
        for (size_t i = 0; i < hw.binds.size(); ++i)
            hs.bind(int(i + 1), hw.binds[i]);
        while (hs.step()) {
            auto &series = byStack[hs.columnInt(1)];
            series.resize(o.buckets.size());
            series[column[hs.columnInt(0)]] += hs.columnInt(2);
        }
    }
    for (auto &[id, series] : byStack)
        for (int64_t c : series)
            stackTotal[id] += c;
    const auto order = ranked(ws, o.stackBy, stackTotal);
    std::unordered_map<std::string, size_t> layer;
    const size_t shown = order.size() > maxStacks ? maxStacks - 1 : order.size();
    for (size_t i = 0; i < shown; ++i) {
        layer[order[i].first] = i;
        o.stackNames.push_back(order[i].first);
    }
    if (shown < order.size())
        o.stackNames.emplace_back(kOther);
    o.stackCost.assign(o.stackNames.size(), std::vector<int64_t>(o.buckets.size(), 0));
    for (const auto &[id, series] : byStack) {
        auto l = layer.find(nameOf(ws, o.stackBy, id));
        const size_t li = l == layer.end() ? o.stackNames.size() - 1 : l->second;
        for (size_t i = 0; i < series.size(); ++i)
            o.stackCost[li][i] += series[i];
    }
    o.topAgents = ranked(ws, Dimension::Agent, agents);
    if (o.topAgents.size() > 10)
        o.topAgents.resize(10);
    o.modelMix = ranked(ws, Dimension::Model, models);
    o.table = daily ? std::string("rollup_day") : "rollup_day+" + std::string(hourTable);
}

OverviewData OverviewQuery::run(Workspace &ws, const CallFilter &filter, TimeBucket bucket,
                                Dimension stackBy, size_t maxStacks)
{
    OverviewData o = collect(ws, filter, bucket, stackBy, maxStacks);
    o.comparison = PeriodComparison::of(ws, filter);
    if (const auto bounds = dataDayBounds(ws)) {
        o.workspaceEmpty = false;
        o.dataFirstDay = bounds->first;
        o.dataLastDay = bounds->second;
        CallFilter f = filter;
        f.fromDay = o.fromDay;
        f.toDay = o.toDay;
        o.hasInfra = InfraQuery::hasAny(ws);
        if (o.hasInfra)
            o.infraNusd = InfraQuery::totalNusd(ws, f);
        o.topTeams = costsBy(ws, f, Dimension::Team);
        if (o.topTeams.size() > 10)
            o.topTeams.resize(10);
        if (o.comparison.comparable && o.comparison.previous) {
            for (const auto &[name, cost] : costsBy(ws, *o.comparison.previous, Dimension::Team))
                o.previousByTeam[name] = cost;
            for (const auto &[name, cost] : costsBy(ws, *o.comparison.previous, Dimension::Agent))
                o.previousByAgent[name] = cost;
        }
    }
    trimToData(o);
    return o;
}

// Buckets after the last hour with data are not spend of $0: the hours
// still to come today, or days not imported yet. The series ends with the
// data; the coverage note says where the data ends.
void OverviewQuery::trimToData(OverviewData &o)
{
    const Coverage &c = o.comparison.current;
    if (!c.lastDay || o.buckets.empty())
        return;
    const int64_t last = o.bucket == TimeBucket::Hour ? c.lastHour.value_or(*c.lastDay * 24 + 23)
                                                      : bucketOf(*c.lastDay, o.bucket);
    size_t keep = o.buckets.size();
    while (keep > 1 && o.buckets[keep - 1] > last)
        --keep;
    o.buckets.resize(keep);
    for (auto &series : o.stackCost)
        series.resize(keep);
}

OverviewData OverviewQuery::collect(Workspace &ws, const CallFilter &filter, TimeBucket bucket,
                                    Dimension stackBy, size_t maxStacks)
{
    OverviewData o;
    o.bucket = bucket == TimeBucket::None ? TimeBucket::Day : bucket;
    o.stackBy = stackBy;
    CallFilter f = filter;
    if (!f.fromDay || !f.toDay) {
        auto bounds = dataDayBounds(ws);
        if (!bounds)
            return o;
        if (!f.fromDay)
            f.fromDay = bounds->first;
        if (!f.toDay)
            f.toDay = bounds->second;
    }
    o.fromDay = *f.fromDay;
    o.toDay = *f.toDay;
    const bool dayOk = within(f, kDayDims);
    const bool hourOk = within(f, kHourDims) &&
                        std::find(kHourDims.begin(), kHourDims.end(), stackBy) != kHourDims.end();
    // An hourly series by or for an agent reads the agent's hours
    // (rollup_agent_hour), the rest the smaller rollup_hour.
    if (dayOk && stackBy != Dimension::User && stackBy != Dimension::Task) {
        runFromRollups(ws, f, filter.fromDay && filter.toDay, maxStacks,
                       hourOk ? "rollup_hour" : kRollupAgentHour.table, o);
        return o;
    }
    o.totals = SummaryQuery::run(ws, f, {}).totals;
    // "All data" has no previous period to compare with.
    if (filter.fromDay && filter.toDay) {
        o.hasPrevious = true;
        o.previous = SummaryQuery::run(ws, *f.previousPeriod(), {}).totals;
    }

    SummaryResult series = SummaryQuery::run(
        ws, f, {GroupKey{std::nullopt, o.bucket}, GroupKey{stackBy, TimeBucket::None}});
    o.table = series.table;
    std::unordered_map<std::string, int64_t> byName;
    for (const auto &row : series.rows)
        byName[row.keys[1]] += row.m[MCostNusd];
    std::vector<std::pair<std::string, int64_t>> ranked(byName.begin(), byName.end());
    std::sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    // More than maxStacks names: the tail is one "Other" layer, so the
    // stack stays readable and still sums to the total.
    const size_t shown = ranked.size() > maxStacks ? maxStacks - 1 : ranked.size();
    std::unordered_map<std::string, size_t> layer;
    for (size_t i = 0; i < shown; ++i) {
        layer[ranked[i].first] = i;
        o.stackNames.push_back(ranked[i].first);
    }
    if (shown < ranked.size())
        o.stackNames.emplace_back(kOther);
    o.buckets = bucketStarts(o.fromDay, o.toDay, o.bucket);
    std::unordered_map<int64_t, size_t> column;
    for (size_t i = 0; i < o.buckets.size(); ++i)
        column[o.buckets[i]] = i;
    o.stackCost.assign(o.stackNames.size(), std::vector<int64_t>(o.buckets.size(), 0));
    for (const auto &row : series.rows) {
        auto c = column.find(row.keyValues[0]);
        if (c == column.end())
            continue;
        auto l = layer.find(row.keys[1]);
        const size_t li = l == layer.end() ? o.stackNames.size() - 1 : l->second;
        o.stackCost[li][c->second] += row.m[MCostNusd];
    }

    o.topAgents = costsBy(ws, f, Dimension::Agent);
    if (o.topAgents.size() > 10)
        o.topAgents.resize(10);
    o.modelMix = costsBy(ws, f, Dimension::Model);
    return o;
}

} // namespace tl
