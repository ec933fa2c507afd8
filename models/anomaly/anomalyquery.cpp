#include "anomalyquery.h"

#include "core/measures.h"
#include "core/timeutil.h"
#include "query/filtersql.h"
#include "query/namecache.h"
#include "store/rollupgrains.h"
#include "store/workspace.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

namespace tl {

namespace {

std::string money(double usd)
{
    char buf[48];
    if (std::abs(usd) >= 100)
        std::snprintf(buf, sizeof buf, "$%.0f", usd);
    else
        std::snprintf(buf, sizeof buf, "$%.2f", usd);
    return buf;
}

std::string ratio(double r)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "×%.1f", r);
    return buf;
}

// Cost and requests per bucket of `bucketHours`, per entity of each kind,
// over `scan`: from the rollups when they carry every kind and filter (the
// day's key by day or by hour: a few hundred thousand rows for a month of a
// 10M-call fleet), else from the calls. add(kind index, id, bucket, cost in
// nano-dollars, requests) is called per row; the bucket is in bucketHours
// since the epoch.
template <class Add>
void readSeries(Workspace &ws, const CallFilter &scan, const std::vector<Dimension> &kinds,
                int bucketHours, const Add &add, const std::function<bool()> &tick = {})
{
    // rollup_day and rollup_agent_hour carry these; a user or a task (in
    // the kinds or the filter) is counted from the calls.
    const auto keyed = [](Dimension d) {
        return d == Dimension::Agent || d == Dimension::Model || d == Dimension::Team ||
               d == Dimension::Feature || d == Dimension::Provider;
    };
    bool rollups = !scan.windowMs;
    for (Dimension d : kinds)
        rollups &= keyed(d);
    for (const auto &[d, names] : scan.include)
        rollups &= keyed(d);
    const bool daily = bucketHours % 24 == 0;
    std::string cols;
    for (Dimension d : kinds)
        cols += ", " + std::string(dimensionColumn(d));
    const FilterSql where = FilterSql::build(ws, scan,
                                             !rollups ? FilterSql::Table::Calls
                                             : daily  ? FilterSql::Table::RollupDay
                                                      : FilterSql::Table::RollupHour);
    const std::string sql = !rollups ? "SELECT ts_ms, " + std::string(kCallCostSql) + ", requests" +
                                           cols + " FROM calls"
                            : daily ? "SELECT day, cost_nusd, requests" + cols + " FROM rollup_day"
                                    : "SELECT hour, cost_nusd, requests" + cols + " FROM " +
                                          std::string(kRollupAgentHour.table);
    // Whole, not through a server's cursor: 408k rows at 10M calls came
    // 0.2-0.35 s slower in 65,536-row chunks (41 MB against 93 MB peak).
    Statement st(ws.db(), sql + where.where);
    for (size_t i = 0; i < where.binds.size(); ++i)
        st.bind(int(i + 1), where.binds[i]);
    const int64_t bucketMs = int64_t(bucketHours) * kMsPerHour;
    while (st.step()) {
        const int64_t t = st.columnInt(0);
        const int64_t bucket = !rollups ? floorDiv(t, bucketMs)
                               : daily  ? floorDiv(t * 24, bucketHours)
                                        : floorDiv(t, bucketHours);
        for (size_t k = 0; k < kinds.size(); ++k)
            add(k, st.columnInt(int(3 + k)), bucket, st.columnInt(1), st.columnInt(2));
        if (tick && !tick())
            return;
    }
}

// The history a report period needs: the detector's look-back and warm-up.
int64_t historyStartDay(const AnomalyRequest &r, int64_t fromDay)
{
    return fromDay - r.options.historyDays - 1;
}

// A window's cost by its causes, keyed by ids: named once per anomaly (a
// name looked up per call was a round trip each on a server, 15k of them
// for an hourly run at 10M calls: 3 of its 4 seconds).
struct Window
{
    double cost = 0, calls = 0, tokens = 0;
    std::map<std::pair<int64_t, int64_t>, double> byAgentModel;
    std::map<int64_t, double> byUser, byTask;
};

// [fromMs, toMs): an anomaly's hours, or the same hours of a day before.
struct Span
{
    int64_t fromMs, toMs;
};

// Statements by their text, kept for a run: its anomalies of one kind
// share them (a server prepares each once, not once an anomaly).
using Statements = std::map<std::string, Statement>;

Statement &statement(Workspace &ws, Statements &kept, const std::string &sql)
{
    Statement &st = kept[sql];
    if (!st.isPrepared())
        st = Statement(ws.db(), sql);
    return st;
}

// The calls of one entity in each span, a Window each: one statement for
// all the spans (a branch each, the span's index its first column), where
// a statement per span and per agent had been 402 statements for an
// hourly run at 10M calls on a server.
std::vector<Window> readWindows(Workspace &ws, Statements &kept, Dimension kind, int64_t id,
                                const std::vector<Span> &spans)
{
    std::vector<Window> out(spans.size());
    if (spans.empty())
        return out;
    const std::string col(dimensionColumn(kind));
    const bool inAgentHours = kind == Dimension::Model || kind == Dimension::Team ||
                              kind == Dimension::Feature || kind == Dimension::Provider;
    // An agent's, user's or task's calls through the (agent_id, ts_ms) or
    // the time index. A team's (model's, …) agent by agent through the
    // (agent_id, ts_ms) index, for the agents its hours name: the time
    // index read every call of the hour, 23k rows and 1.2k blocks from disk
    // for one team's 2.9k at 10M calls (150 ms a window on a server).
    std::string sql;
    for (size_t i = 0; i < spans.size(); ++i) {
        sql += i ? " UNION ALL SELECT " : "SELECT ";
        sql += std::to_string(i) + ", agent_id, model_id, user_id, task_id, " +
               std::string(kCallCostSql) +
               ", requests, input_tokens + output_tokens FROM calls WHERE " +
               (inAgentHours ? "agent_id = ? AND " : "") + col +
               " = ? AND ts_ms >= ? AND ts_ms < ?";
    }
    Statement &st = statement(ws, kept, sql);
    const auto read = [&](std::optional<int64_t> agent) {
        int p = 1;
        for (const Span &s : spans) {
            if (agent)
                st.bind(p++, *agent);
            st.bind(p++, id);
            st.bind(p++, s.fromMs);
            st.bind(p++, s.toMs);
        }
        while (st.step()) {
            Window &w = out[size_t(st.columnInt(0))];
            const double cost = double(st.columnInt(5)) * 1e-9;
            w.cost += cost;
            w.calls += double(st.columnInt(6));
            w.tokens += double(st.columnInt(7));
            w.byAgentModel[{st.columnInt(1), st.columnInt(2)}] += cost;
            w.byUser[st.columnInt(3)] += cost;
            w.byTask[st.columnInt(4)] += cost;
        }
        st.reset();
    };
    if (!inAgentHours) {
        read(std::nullopt);
        return out;
    }
    std::string hours;
    for (size_t i = 0; i < spans.size(); ++i)
        hours += std::string(i ? " OR " : "") + "(hour >= ? AND hour < ?)";
    Statement &agents =
        statement(ws, kept,
                  std::string("SELECT DISTINCT agent_id FROM ") + kRollupAgentHour.table +
                      " WHERE " + col + " = ? AND (" + hours + ") ORDER BY agent_id");
    agents.bind(1, id);
    for (size_t i = 0; i < spans.size(); ++i) {
        agents.bind(int(2 + 2 * i), floorDiv(spans[i].fromMs, kMsPerHour));
        agents.bind(int(3 + 2 * i), floorDiv(spans[i].toMs + kMsPerHour - 1, kMsPerHour));
    }
    std::vector<int64_t> ids;
    while (agents.step())
        ids.push_back(agents.columnInt(0));
    agents.reset();
    for (int64_t agent : ids)
        read(agent);
    return out;
}

// The ids of both windows' map, by a key's projection (e.g. its agent).
template <class Map, class Project>
std::vector<int64_t> idsOf(const Map &a, const Map &b, Project project)
{
    std::vector<int64_t> ids;
    for (const Map *m : {&a, &b})
        for (const auto &kv : *m)
            ids.push_back(project(kv.first));
    return ids;
}

// How many causes of each kind an anomaly names.
constexpr size_t kCauses = 5;

// The users' (tasks') ids that can rank among the `top` causes, ties with
// the last included, and the change over all of them: a team's hour has
// thousands of tasks, and naming them all to keep five was a third of an
// hourly run on a server (one statement of 280 ms at 10M calls).
struct Candidates
{
    std::set<int64_t> ids;
    double change = 0;
};

Candidates causeCandidates(const std::map<int64_t, double> &actual,
                           const std::map<int64_t, double> &expected, size_t top)
{
    Candidates c;
    std::unordered_map<int64_t, std::pair<double, double>> byId; // actual, expected
    for (const auto &[id, v] : actual) {
        byId[id].first = v;
        c.change += v;
    }
    for (const auto &[id, v] : expected) {
        byId[id].second = v;
        c.change -= v;
    }
    // Excess in the change's direction, as rankCauses orders it.
    std::vector<std::pair<double, int64_t>> ranked;
    ranked.reserve(byId.size());
    for (const auto &[id, v] : byId) {
        const double excess = v.first - v.second;
        ranked.emplace_back(c.change >= 0 ? excess : -excess, id);
    }
    if (top > 0 && ranked.size() > top) {
        std::nth_element(ranked.begin(), ranked.begin() + long(top - 1), ranked.end(),
                         std::greater<>());
        const double last = ranked[top - 1].first;
        for (const auto &[e, id] : ranked)
            if (e >= last)
                c.ids.insert(id);
    } else {
        for (const auto &[e, id] : ranked)
            c.ids.insert(id);
    }
    return c;
}

bool weekendDay(int64_t day)
{
    return int((day % 7 + 7 + 3) % 7) >= 5;
}

void explain(Workspace &ws, Statements &kept, Anomaly &a)
{
    // The anomaly's hours, and the same hours on the last four comparable
    // days: the expectation.
    std::vector<Span> spans{{a.startMs, a.endMs}};
    const int64_t day = floorDiv(a.startMs, kMsPerDay);
    for (int d = 1; d <= 28 && spans.size() < 5; ++d)
        if (weekendDay(day - d) == weekendDay(day))
            spans.push_back({a.startMs - d * kMsPerDay, a.endMs - d * kMsPerDay});
    const std::vector<Window> windows = readWindows(ws, kept, a.kind, a.entityId, spans);
    const Window &now = windows.front();
    Window usual;
    const int found = int(windows.size()) - 1;
    for (size_t i = 1; i < windows.size(); ++i) {
        const Window &w = windows[i];
        usual.cost += w.cost;
        usual.calls += w.calls;
        usual.tokens += w.tokens;
        for (const auto &[k, v] : w.byAgentModel)
            usual.byAgentModel[k] += v;
        for (const auto &[k, v] : w.byUser)
            usual.byUser[k] += v;
        for (const auto &[k, v] : w.byTask)
            usual.byTask[k] += v;
    }
    if (found > 0) {
        const double n = found;
        usual.cost /= n;
        usual.calls /= n;
        usual.tokens /= n;
        for (auto &[k, v] : usual.byAgentModel)
            v /= n;
        for (auto *m : {&usual.byUser, &usual.byTask})
            for (auto &[k, v] : *m)
                v /= n;
    }
    a.callsRatio = usual.calls > 0 ? now.calls / usual.calls : 0;
    const double tpcNow = now.calls > 0 ? now.tokens / now.calls : 0;
    const double tpcUsual = usual.calls > 0 ? usual.tokens / usual.calls : 0;
    a.tokensPerCallRatio = tpcUsual > 0 ? tpcNow / tpcUsual : 0;
    const double cpcUsual = usual.calls > 0 ? usual.cost / usual.calls : 0;
    const double cpcNow = now.calls > 0 ? now.cost / now.calls : 0;
    a.volumeEffectUsd = (now.calls - usual.calls) * cpcUsual;
    a.intensityEffectUsd = now.calls * (cpcNow - cpcUsual);
    {
        NameCache names(ws);
        const auto agentOf = [](const auto &ids) { return ids.first; };
        const auto modelOf = [](const auto &ids) { return ids.second; };
        names.prefetch(Dimension::Agent, idsOf(now.byAgentModel, usual.byAgentModel, agentOf));
        names.prefetch(Dimension::Model, idsOf(now.byAgentModel, usual.byAgentModel, modelOf));
        const Candidates users = causeCandidates(now.byUser, usual.byUser, kCauses);
        const Candidates tasks = causeCandidates(now.byTask, usual.byTask, kCauses);
        names.prefetch(Dimension::User, {users.ids.begin(), users.ids.end()});
        names.prefetch(Dimension::Task, {tasks.ids.begin(), tasks.ids.end()});
        const auto pairs = [&](const Window &w) {
            std::map<std::string, double> out;
            for (const auto &[ids, cost] : w.byAgentModel)
                out[names.name(Dimension::Agent, ids.first) + " on " +
                    names.name(Dimension::Model, ids.second)] += cost;
            return out;
        };
        // The candidates only, named.
        const auto named = [&](const std::map<int64_t, double> &byId, Dimension d,
                               const Candidates &c) {
            std::map<std::string, double> out;
            for (const auto &[id, cost] : byId)
                if (c.ids.count(id))
                    out[names.name(d, id)] += cost;
            return out;
        };
        a.byAgentModel = rankCauses(pairs(now), pairs(usual), kCauses);
        a.byUser = rankCauses(named(now.byUser, Dimension::User, users),
                              named(usual.byUser, Dimension::User, users), kCauses, users.change);
        a.byTask = rankCauses(named(now.byTask, Dimension::Task, tasks),
                              named(usual.byTask, Dimension::Task, tasks), kCauses, tasks.change);
    }

    std::string text("+");
    text += money(a.excessUsd());
    text += " over an expected ";
    text += money(a.expectedUsd);
    if (!a.byAgentModel.empty() && a.byAgentModel.front().share > 0) {
        char pct[16];
        std::snprintf(pct, sizeof pct, "%.0f%%", a.byAgentModel.front().share * 100);
        text += ": ";
        text += pct;
        text += " from agent ";
        text += a.byAgentModel.front().name;
    }
    const bool moreCalls = a.callsRatio >= 1.5;
    const bool biggerCalls = a.tokensPerCallRatio >= 1.5;
    text += "; calls ";
    text += ratio(a.callsRatio);
    text += ", tokens per call ";
    text += ratio(a.tokensPerCallRatio);
    if (moreCalls && !biggerCalls)
        text += " (more calls, each as usual)";
    else if (biggerCalls && !moreCalls)
        text += " (bigger calls, as many as usual)";
    else if (!moreCalls && !biggerCalls && a.intensityEffectUsd > a.volumeEffectUsd)
        text += " (pricier calls: a costlier model or fewer cache hits)";
    a.cause = text;
}

} // namespace

std::vector<CauseShare> rankCauses(const std::map<std::string, double> &actual,
                                   const std::map<std::string, double> &expected, size_t top)
{
    double change = 0;
    for (const auto &[k, v] : actual)
        change += v;
    for (const auto &[k, v] : expected)
        change -= v;
    return rankCauses(actual, expected, top, change);
}

std::vector<CauseShare> rankCauses(const std::map<std::string, double> &actual,
                                   const std::map<std::string, double> &expected, size_t top,
                                   double change)
{
    std::map<std::string, CauseShare> all;
    for (const auto &[k, v] : actual) {
        all[k].name = k;
        all[k].actualUsd = v;
    }
    for (const auto &[k, v] : expected) {
        all[k].name = k;
        all[k].expectedUsd = v;
    }
    std::vector<CauseShare> out;
    for (auto &[k, c] : all) {
        c.share = change != 0 ? c.excessUsd() / change : 0;
        out.push_back(c);
    }
    // In the change's direction: what rose most, or what fell most.
    std::sort(out.begin(), out.end(), [&](const CauseShare &a, const CauseShare &b) {
        if (a.excessUsd() != b.excessUsd())
            return change >= 0 ? a.excessUsd() > b.excessUsd() : a.excessUsd() < b.excessUsd();
        return a.name < b.name;
    });
    if (out.size() > top)
        out.resize(top);
    return out;
}

std::vector<Anomaly> AnomalyQuery::run(Workspace &ws, const AnomalyRequest &r,
                                       const Progress &progress, bool *cancelled)
{
    if (cancelled)
        *cancelled = false;
    // One snapshot: the anomalies are explained from the data they were
    // found in (an import landing meanwhile is wholly in or out).
    Transaction snapshot(ws.db(), Transaction::Read);
    const auto bounds = dataDayBounds(ws);
    if (!bounds)
        return {};
    const int64_t toDay = r.filter.toDay.value_or(bounds->second);
    const int64_t fromDay = r.filter.fromDay.value_or(std::max(bounds->first, toDay - 29));
    const int64_t bucketMs = int64_t(r.bucketHours) * kMsPerHour;
    const int64_t firstDay = std::max(bounds->first, historyStartDay(r, fromDay));
    const int64_t firstBucket = firstDay * kMsPerDay / bucketMs;
    const int64_t endBucket = (toDay + 1) * kMsPerDay / bucketMs;
    const size_t n = size_t(endBucket - firstBucket);

    CallFilter scan = r.filter;
    scan.fromDay = firstDay;
    scan.toDay = toDay;
    struct Series
    {
        std::vector<double> cost, calls;
    };
    // (kind index, id) -> series
    std::vector<std::unordered_map<int64_t, Series>> series(r.kinds.size());
    const int64_t total = SummaryQuery::run(ws, scan, {}).totals[MRecords];
    int64_t done = 0;
    bool stopped = false;
    readSeries(
        ws, scan, r.kinds, r.bucketHours,
        [&](size_t k, int64_t id, int64_t bucket, int64_t costNusd, int64_t requests) {
            const int64_t b = bucket - firstBucket;
            if (b < 0 || size_t(b) >= n)
                return;
            auto &s = series[k][id];
            if (s.cost.empty()) {
                s.cost.assign(n, 0.0);
                s.calls.assign(n, 0.0);
            }
            s.cost[size_t(b)] += double(costNusd) * 1e-9;
            s.calls[size_t(b)] += double(requests);
        },
        [&] {
            stopped = progress && (++done & 0xffff) == 0 && !progress(done, total);
            return !stopped;
        });
    if (stopped) {
        if (cancelled)
            *cancelled = true;
        return {};
    }

    AnomalyDetector detector(r.options);
    const int64_t reportFrom = fromDay * kMsPerDay / bucketMs;
    std::vector<Anomaly> out;
    for (size_t k = 0; k < r.kinds.size(); ++k) {
        for (const auto &[id, s] : series[k]) {
            for (const DetectedAnomaly &d :
                 detector.detect(firstBucket, s.cost, s.calls, reportFrom)) {
                Anomaly a;
                a.kind = r.kinds[k];
                a.entityId = id;
                a.entity = id == 0 ? std::string(kNoneName) : ws.dims().nameOf(a.kind, id);
                a.startMs = d.startBucket * bucketMs;
                a.detectedMs = (d.firstAlarmBucket + 1) * bucketMs;
                a.endMs = d.endBucket * bucketMs;
                a.bucketHours = r.bucketHours;
                a.windowBuckets = d.windowBuckets;
                a.expectedUsd = d.expectedUsd;
                a.actualUsd = d.actualUsd;
                a.score = d.score;
                out.push_back(std::move(a));
            }
        }
    }
    std::sort(out.begin(), out.end(),
              [](const Anomaly &a, const Anomaly &b) { return a.excessUsd() > b.excessUsd(); });
    Statements kept;
    for (Anomaly &a : out)
        explain(ws, kept, a);
    if (progress)
        progress(total, total);
    return out;
}

std::vector<AnomalyQuery::SeriesPoint>
AnomalyQuery::series(Workspace &ws, Dimension kind, int64_t entityId, int64_t fromBucket,
                     int64_t toBucket, const AnomalyRequest &r, int windowBuckets)
{
    const int64_t bucketMs = int64_t(r.bucketHours) * kMsPerHour;
    const int64_t perDay = 24 / r.bucketHours;
    const int64_t historyBuckets = int64_t(r.options.historyDays + 1) * perDay;
    const int64_t first = fromBucket - historyBuckets;
    const size_t n = size_t(toBucket - first);
    std::vector<double> cost(n, 0.0), calls(n, 0.0);
    CallFilter f;
    f.fromDay = floorDiv(first * bucketMs, kMsPerDay);
    f.toDay = floorDiv(toBucket * bucketMs - 1, kMsPerDay);
    f.include[kind] = {entityId == 0 ? std::string(kNoneName) : ws.dims().nameOf(kind, entityId)};
    readSeries(ws, f, {kind}, r.bucketHours,
               [&](size_t, int64_t, int64_t bucket, int64_t costNusd, int64_t requests) {
                   const int64_t b = bucket - first;
                   if (b >= 0 && size_t(b) < n) {
                       cost[size_t(b)] += double(costNusd) * 1e-9;
                       calls[size_t(b)] += double(requests);
                   }
               });
    AnomalyDetector detector(r.options);
    const auto exp = detector.expectations(first, cost, calls);
    const size_t w = size_t(std::clamp(windowBuckets, 1, 3));
    std::vector<SeriesPoint> out;
    for (size_t i = size_t(historyBuckets); i < n; ++i) {
        SeriesPoint p;
        p.bucket = first + int64_t(i);
        const size_t from = i + 1 - w;
        for (size_t k = from; k <= i; ++k) {
            p.costUsd += cost[k];
            p.expectedUsd += exp[k].costUsd;
        }
        if (const auto t = detector.windowThresholdUsd(exp, calls, from, i)) {
            p.judged = true;
            p.thresholdUsd = *t;
        }
        out.push_back(p);
    }
    return out;
}

} // namespace tl
