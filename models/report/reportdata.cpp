#include "reportdata.h"
#include "baseline/baselinequery.h"
#include "chargeback.h"
#include "decisionsections.h"
#include "executivesummary.h"
#include "reportcells.h"
#include "scenariosection.h"

#include "core/efficiency.h"

#include "core/timeutil.h"
#include "export/csvwriter.h"
#include "query/coverage.h"
#include "query/dayfactsquery.h"
#include "query/filtersql.h"
#include "store/workspace.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <unordered_map>

namespace tl {

using namespace reportcells;

namespace {

// Spend by one dimension, with shares: the same rows `summary --by DIM` prints.
ReportTable byDimension(Workspace &ws, const CallFilter &f, Dimension d, const std::string &title)
{
    ReportTable t;
    t.id = "by_" + std::string(dimensionName(d));
    t.title = title;
    std::string name(dimensionName(d));
    name[0] = char(std::toupper(name[0]));
    t.headers = {name,           "Cost (USD)",    "Share",       "Requests",
                 "Input tokens", "Output tokens", "Per request", "Unpriced calls"};
    t.numeric = {false, true, true, true, true, true, true, true};
    const SummaryResult r = SummaryQuery::run(ws, f, {GroupKey{d, TimeBucket::None}});
    const int64_t total = r.totals[MCostNusd];
    for (const auto &row : r.rows) {
        const int64_t cost = row.m[MCostNusd], req = row.m[MRequests];
        const int64_t unpriced = row.m[MUnpricedRequests];
        // Every call unpriced: the cost is unknown, not $0 (and no share).
        const bool unknown = costUnknown(row.m);
        const double share = total ? double(cost) / double(total) : 0.0;
        const int64_t avg = req ? cost / req : 0;
        t.display.push_back({row.keys[0], unknown ? "unpriced" : money(cost),
                             unknown ? "" : percent(share), count(req), count(row.m[MInputTokens]),
                             count(row.m[MOutputTokens]), unknown ? "" : formatUsd(avg, 4),
                             unpriced ? count(unpriced) : ""});
        t.plain.push_back({row.keys[0], unknown ? "" : nanoToDecimal(cost),
                           unknown ? "" : plainRatio(share), std::to_string(req),
                           std::to_string(row.m[MInputTokens]),
                           std::to_string(row.m[MOutputTokens]), unknown ? "" : nanoToDecimal(avg),
                           std::to_string(unpriced)});
    }
    return t;
}

// Token efficiency per name of a dimension (core/efficiency.h), each figure
// with its change against the period before when there is one.
ReportTable efficiencyBy(Workspace &ws, const CallFilter &f, Dimension d, const std::string &title)
{
    ReportTable t;
    t.id = "efficiency_by_" + std::string(dimensionName(d));
    t.title = title;
    std::string name(dimensionName(d));
    name[0] = char(std::toupper(name[0]));
    // One word each: the PDF wraps headers at spaces into two lines at most.
    t.headers = {name,          "Tokens/success", "Change", "Calls/task", "Change",
                 "Failed/task", "Change",         "Cached", "Change"};
    t.numeric = {false, true, true, true, true, true, true, true, true};
    const GroupKey key{d, TimeBucket::None};
    const SummaryResult now = SummaryQuery::run(ws, f, {key});
    std::map<std::string, Measures> before;
    if (const auto prev = f.previousPeriod())
        for (const auto &row : SummaryQuery::run(ws, *prev, {key}).rows)
            before[row.keys[0]] = row.m;
    const auto cells = [](const std::optional<double> &v, const std::optional<double> &p,
                          bool share, int decimals, std::vector<std::string> &display,
                          std::vector<std::string> &plain) {
        char buf[48];
        if (!v) {
            display.insert(display.end(), {"—", ""});
            plain.insert(plain.end(), {"", ""});
            return;
        }
        if (share)
            display.push_back(percent(*v));
        else if (decimals == 0)
            display.push_back(count(std::llround(*v)));
        else {
            std::snprintf(buf, sizeof buf, "%.*f", decimals, *v);
            display.push_back(buf);
        }
        plain.push_back(plainRatio(*v));
        if (p && *p > 0) {
            const double change = (*v - *p) / *p;
            display.push_back(signedPercent(change));
            plain.push_back(plainRatio(change));
        } else {
            display.push_back("");
            plain.push_back("");
        }
    };
    for (const auto &row : now.rows) {
        const Efficiency e = Efficiency::of(row.m);
        const auto it = before.find(row.keys[0]);
        const std::optional<Efficiency> p =
            it == before.end() ? std::nullopt : std::optional(Efficiency::of(it->second));
        std::vector<std::string> display{row.keys[0]}, plain{row.keys[0]};
        cells(e.tokensPerSuccess, p ? p->tokensPerSuccess : std::nullopt, false, 0, display, plain);
        cells(e.callsPerTask, p ? p->callsPerTask : std::nullopt, false, 2, display, plain);
        cells(e.retriesPerTask, p ? p->retriesPerTask : std::nullopt, false, 2, display, plain);
        cells(e.cachedShare, p ? p->cachedShare : std::nullopt, true, 0, display, plain);
        t.display.push_back(std::move(display));
        t.plain.push_back(std::move(plain));
    }
    return t;
}

struct TaskCost
{
    int64_t task = 0, agent = 0, calls = 0, cost = 0;
};

// The most expensive (task, agent) pairs: from the tasks the import keeps
// (DayFactsQuery), else from every call of the period, summed alike (while
// a day waits for its recount: seconds and ~300 MB at 10M calls).
std::vector<TaskCost> topTasks(Workspace &ws, const CallFilter &f, size_t n)
{
    if (const auto kept = DayFactsQuery::topTasks(ws, f, n)) {
        std::vector<TaskCost> out;
        for (const auto &t : *kept)
            out.push_back(TaskCost{t.task, t.agent, t.calls, t.nusd});
        return out;
    }
    const FilterSql where = FilterSql::build(ws, f, FilterSql::Table::Calls);
    Statement st(ws.db(), "SELECT task_id, agent_id, 1, COALESCE(reported_nusd, computed_nusd, 0) "
                          "FROM calls" +
                              where.where);
    for (size_t i = 0; i < where.binds.size(); ++i)
        st.bind(int(i + 1), where.binds[i]);
    std::vector<TaskCost> out;
    for (const auto &t : DayFactsTable::sumTopTasks(st, n))
        out.push_back(TaskCost{t.task, t.agent, t.calls, t.nusd});
    return out;
}

// The period's costliest tasks (`totals` the period's, for the shares).
ReportTable topTasksTable(Workspace &ws, const CallFilter &f, const Measures &totals)
{
    const Measures &t = totals;
    constexpr size_t kTopTasks = ReportBuilder::kTopTasks;
    static_assert(kTopTasks <= kTopTasksKept);
    ReportTable tasks;
    tasks.id = "top_tasks";
    tasks.title = "Top " + std::to_string(kTopTasks) + " tasks by cost";
    tasks.headers = {"Task", "Agent", "Calls", "Cost (USD)", "Share", "Unpriced calls"};
    tasks.numeric = {false, false, true, true, true, true};
    std::vector<std::pair<std::string, std::string>> listed; // task, agent
    const std::vector<TaskCost> top = topTasks(ws, f, kTopTasks);
    for (const TaskCost &tc : top)
        listed.emplace_back(
            tc.task ? ws.dims().nameOf(Dimension::Task, tc.task) : std::string(kNoneName),
            tc.agent ? ws.dims().nameOf(Dimension::Agent, tc.agent) : std::string(kNoneName));
    // A task's cost is its priced calls': the listed tasks' unpriced calls
    // are counted (from the task days; only when the period has any), so
    // that a task of unpriced calls reads "unpriced", never $0.00.
    std::map<std::pair<std::string, std::string>, Measures> unpricedOf;
    if (t[MUnpricedRequests] > 0 && !listed.empty()) {
        CallFilter only = f;
        std::set<std::string> taskNames, agentNames;
        for (const auto &[task, agent] : listed) {
            taskNames.insert(task);
            agentNames.insert(agent);
        }
        // Within the filter's own names: the listed ones passed it. Only
        // the agents with unpriced calls in the period (from the day
        // rollups, a few ms): their task days are the costly read (55 ms
        // for four busy agents at 10M on a server).
        only.include[Dimension::Agent].assign(agentNames.begin(), agentNames.end());
        std::vector<std::string> unpricedAgents;
        for (const SummaryRow &row :
             SummaryQuery::run(ws, only, {GroupKey{Dimension::Agent, TimeBucket::None}}).rows)
            if (row.m[MUnpricedRequests] > 0)
                unpricedAgents.push_back(row.keys[0]);
        only.include[Dimension::Agent] = unpricedAgents;
        only.include[Dimension::Task].assign(taskNames.begin(), taskNames.end());
        if (!unpricedAgents.empty())
            for (const SummaryRow &row :
                 SummaryQuery::run(ws, only,
                                   {GroupKey{Dimension::Task, TimeBucket::None},
                                    GroupKey{Dimension::Agent, TimeBucket::None}})
                     .rows)
                unpricedOf[{row.keys[0], row.keys[1]}] = row.m;
    }
    for (size_t i = 0; i < top.size(); ++i) {
        const TaskCost &tc = top[i];
        const auto &[task, agent] = listed[i];
        const auto m = unpricedOf.find(listed[i]);
        const int64_t unpriced = m == unpricedOf.end() ? 0 : m->second[MUnpricedRequests];
        // The one rule (costUnknown): every request unpriced.
        const bool unknown = m != unpricedOf.end() && costUnknown(m->second);
        const double share = t[MCostNusd] ? double(tc.cost) / double(t[MCostNusd]) : 0.0;
        tasks.display.push_back({task, agent, count(tc.calls),
                                 unknown ? "unpriced" : money(tc.cost),
                                 unknown ? "" : percent(share), unpriced ? count(unpriced) : ""});
        tasks.plain.push_back({task, agent, std::to_string(tc.calls),
                               unknown ? "" : nanoToDecimal(tc.cost),
                               unknown ? "" : plainRatio(share), std::to_string(unpriced)});
    }
    return tasks;
}

std::string nowIso()
{
    const std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

} // namespace

const ReportTable *ReportData::table(const std::string &id) const
{
    for (const auto &t : tables)
        if (t.id == id)
            return &t;
    return nullptr;
}

ReportData ReportBuilder::build(Workspace &ws, const CallFilter &filter,
                                const ReportOptions &options)
{
    ReportData d;
    d.workspace = std::filesystem::path(ws.path()).filename().string();
    d.generatedAt = nowIso();
    // The workspace's id is written at its first use, which a server's
    // read-only snapshot below could not do (and a failed statement ends a
    // server's transaction): written, or found unwritable, first.
    BaselineQuery::workspaceId(ws);
    // One snapshot for every section: an import landing meanwhile is in
    // all of them or in none (the totals and the tables that split them
    // must add up).
    Transaction snapshot(ws.db(), Transaction::Read);
    CallFilter f = filter;
    auto bounds = dataDayBounds(ws);
    if (!f.fromDay)
        f.fromDay = bounds ? bounds->first : 0;
    if (!f.toDay)
        f.toDay = bounds ? bounds->second : *f.fromDay;
    d.fromDay = *f.fromDay;
    d.toDay = *f.toDay;
    d.period = formatDate(d.fromDay) + " to " + formatDate(d.toDay) + " (UTC)";
    std::string fl;
    for (const auto &[dim, names] : f.include) {
        if (!fl.empty())
            fl += "; ";
        fl += std::string(dimensionName(dim)) + " = ";
        for (size_t i = 0; i < names.size(); ++i)
            fl += (i ? ", " : "") + names[i];
    }
    d.filter = fl.empty() ? "none" : fl;

    // The anomalies are the longest section: on a server, where a second
    // connection can read this one's snapshot, they are found on it while
    // the rest is built (the two connections' server and client work
    // overlap); on a file, here, in turn.
    std::future<ReportTable> anomaliesLater;
    if (std::shared_ptr<Workspace> reader = ws.openReader())
        anomaliesLater =
            std::async(std::launch::async, [reader, f] { return anomalySection(*reader, f); });

    d.totals = SummaryQuery::run(ws, f, {}).totals;
    const PeriodComparison comparison = PeriodComparison::of(ws, f);
    if (const std::string note = coverageNote(comparison.current); !note.empty())
        d.period += "; " + note;
    if (auto p = f.previousPeriod()) {
        d.previous = SummaryQuery::run(ws, *p, {}).totals;
        // A period before the first call has nothing to compare with.
        d.hasPrevious = d.previous[MRecords] > 0;
    }
    // A change only against a period the data covers as well (the rule
    // the Overview follows); the previous figures are printed all the same.
    d.comparable = d.hasPrevious && comparison.comparable;
    if (d.hasPrevious && !d.comparable)
        d.comparisonNote = "No change is given: " + comparison.whyNotComparable() + ".";
    const Measures &t = d.totals;

    ReportTable kpi;
    kpi.id = "kpis";
    kpi.title = "Headline figures";
    kpi.headers = {"Measure", "This period", "Previous period", "Change"};
    kpi.numeric = {false, true, true, true};
    auto addKpi = [&](const std::string &name, int m, bool isMoney) {
        const int64_t now = t[m], before = d.previous[m];
        const bool changes = d.comparable && before;
        const std::string change =
            changes ? signedPercent(double(now - before) / double(before)) : "";
        kpi.display.push_back({name, isMoney ? money(now) : count(now),
                               d.hasPrevious ? (isMoney ? money(before) : count(before)) : "",
                               change});
        kpi.plain.push_back(
            {name, isMoney ? nanoToDecimal(now) : std::to_string(now),
             d.hasPrevious ? (isMoney ? nanoToDecimal(before) : std::to_string(before)) : "",
             changes ? plainRatio(double(now - before) / double(before)) : ""});
    };
    addKpi("Spend (USD)", MCostNusd, true);
    addKpi("Requests", MRequests, false);
    addKpi("Input tokens", MInputTokens, false);
    addKpi("Cached input tokens", MCachedInputTokens, false);
    addKpi("Output tokens", MOutputTokens, false);
    addKpi("Successful tasks", MSuccessTasks, false);
    addKpi("Unpriced calls", MUnpricedRequests, false);
    const int64_t avg = t[MRequests] ? t[MCostNusd] / t[MRequests] : 0;
    kpi.display.push_back({"Average cost per request", formatUsd(avg, 4), "", ""});
    kpi.plain.push_back({"Average cost per request", nanoToDecimal(avg), "", ""});
    if (t[MSuccessTasks]) {
        const int64_t per = t[MCostNusd] / t[MSuccessTasks];
        kpi.display.push_back({"Cost per successful task", money(per), "", ""});
        kpi.plain.push_back({"Cost per successful task", nanoToDecimal(per), "", ""});
    }
    const double cacheShare =
        t[MInputTokens] ? double(t[MCachedInputTokens]) / double(t[MInputTokens]) : 0.0;
    kpi.display.push_back({"Input served from provider cache", percent(cacheShare), "", ""});
    kpi.plain.push_back({"Input served from provider cache", plainRatio(cacheShare), "", ""});
    d.tables.push_back(std::move(kpi));

    constexpr int64_t kMaxListedDays = 366;
    // Spend by day, every day of the period (zero days included) — but a
    // period of years lists only its days with calls: one stray call dated
    // decades away once made a report of 63,316 pages.
    const bool longPeriod = d.toDay - d.fromDay + 1 > kMaxListedDays;
    ReportTable day;
    day.id = "by_day";
    day.title = longPeriod ? "Spend by day (days with calls only: the period is over a year)"
                           : "Spend by day";
    day.headers = {"Day", "Cost (USD)", "Requests", "Input tokens", "Output tokens"};
    day.numeric = {false, true, true, true, true};
    const SummaryResult byDay = SummaryQuery::run(ws, f, {GroupKey{std::nullopt, TimeBucket::Day}});
    size_t at = 0;
    for (int64_t dd = d.fromDay; dd <= d.toDay; ++dd) {
        Measures m;
        if (at < byDay.rows.size() && byDay.rows[at].keyValues[0] == dd)
            m = byDay.rows[at++].m;
        d.days.push_back(dd);
        d.dailyCost.push_back(m[MCostNusd]);
        if (longPeriod && m[MRecords] == 0)
            continue;
        day.display.push_back({formatDate(dd), money(m[MCostNusd]), count(m[MRequests]),
                               count(m[MInputTokens]), count(m[MOutputTokens])});
        day.plain.push_back({formatDate(dd), nanoToDecimal(m[MCostNusd]),
                             std::to_string(m[MRequests]), std::to_string(m[MInputTokens]),
                             std::to_string(m[MOutputTokens])});
    }
    d.tables.push_back(std::move(day));
    d.tables.push_back(byDimension(ws, f, Dimension::Team, "Spend by team"));
    d.tables.push_back(byDimension(ws, f, Dimension::Feature, "Spend by feature"));
    d.tables.push_back(byDimension(ws, f, Dimension::Agent, "Spend by agent"));
    d.tables.push_back(byDimension(ws, f, Dimension::Model, "Spend by model"));
    d.tables.push_back(efficiencyBy(ws, f, Dimension::Feature, "Token efficiency by feature"));
    d.tables.push_back(efficiencyBy(ws, f, Dimension::Agent, "Token efficiency by agent"));

    // Top tasks: from the tasks the import keeps, as many as it keeps a day.
    d.tables.push_back(topTasksTable(ws, f, t));
    const auto anomalies = [&] {
        return anomaliesLater.valid() ? anomaliesLater.get() : anomalySection(ws, f);
    };
    for (ReportTable &t : decisionSections(ws, f, anomalies))
        d.tables.push_back(std::move(t));
    d.tables.push_back(chargebackTable(ws, f, options.chargeback));
    d.tables.push_back(scenarioComparison(ws, options.scenarioFiles, &d.errors));
    // First, though made last: it quotes the sections above.
    d.tables.insert(d.tables.begin(), executiveSummary(ws, f, d));
    return d;
}

bool ReportBuilder::writeCsv(const ReportData &data, const std::string &dir, std::string *error)
{
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    for (const auto &t : data.tables) {
        const std::string path = (std::filesystem::path(dir) / (t.id + ".csv")).string();
        const std::string tmp = path + ".part";
        {
            std::ofstream out(tmp, std::ios::binary);
            out << CsvWriter::row(t.headers);
            for (const auto &row : t.plain)
                out << CsvWriter::row(row, t.numeric);
            out.flush();
            if (!out) {
                if (error)
                    *error = path + ": cannot be written";
                std::filesystem::remove(tmp, ec);
                return false;
            }
        }
        std::filesystem::rename(tmp, path, ec);
        if (ec) {
            if (error)
                *error = path + ": cannot be written: " + ec.message();
            return false;
        }
    }
    return true;
}

} // namespace tl
