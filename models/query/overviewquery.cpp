#include "overviewquery.h"

#include "core/timeutil.h"

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

OverviewData OverviewQuery::run(Workspace &ws, const CallFilter &filter, TimeBucket bucket,
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
    o.totals = SummaryQuery::run(ws, f, {}).totals;
    // "All data" has no previous period to compare with.
    if (filter.fromDay && filter.toDay) {
        o.hasPrevious = true;
        o.previous = SummaryQuery::run(ws, *f.previousPeriod(), {}).totals;
    }

    SummaryResult series =
        SummaryQuery::run(ws, f, {GroupKey{std::nullopt, o.bucket}, GroupKey{stackBy, TimeBucket::None}});
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
