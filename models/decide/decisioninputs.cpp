#include "decisioninputs.h"

#include "baseline/baselinequery.h"
#include "core/callrecord.h"
#include "core/measures.h"
#include "core/timeutil.h"
#include "query/filtersql.h"
#include "store/workspace.h"

#include <algorithm>
#include <unordered_map>

namespace tl {

namespace {

// A task's calls as they stream by, in any order: enough to tell which of
// its failed calls were followed by another one (a retry).
struct TaskTrail
{
    int32_t agent = -1;
    int32_t calls = 0;
    int32_t failures = 0;
    int64_t failureNusd = 0;
    int64_t lastTs = INT64_MIN;
    bool lastFailed = false;
    int64_t lastNusd = 0;
};

struct Seen
{
    uint32_t agent;
    uint64_t hash;
    int64_t ts;
    bool answered; // a failed call left nothing a cache could keep
};

} // namespace

std::optional<DecisionInputs> DecisionInputs::load(Workspace &ws, const CallFilter &requested,
                                                   const Progress &progress)
{
    DecisionInputs in;
    sim::BaselineSpec spec;
    if (requested.fromDay)
        spec.from = formatDate(*requested.fromDay);
    if (requested.toDay)
        spec.to = formatDate(*requested.toDay);
    for (const auto &[dim, names] : requested.include)
        spec.filter[std::string(dimensionName(dim))] = names;
    in.filter = BaselineQuery::filterFor(ws, spec, nullptr);
    if (!requested.fromDay)
        in.notes.push_back("no --from given: the 30 days up to " + formatDate(*in.filter.toDay) +
                           " are the period");
    const auto half = [&](int64_t base) -> Progress {
        if (!progress)
            return {};
        return [&progress, base](int64_t done, int64_t total) {
            return progress(base + done / 2, total);
        };
    };
    auto baseline = BaselineQuery::load(ws, in.filter, half(0));
    if (!baseline)
        return std::nullopt;
    in.baseline = std::move(*baseline);
    // The period as the baseline settled it (cut to the days with data).
    in.filter.fromDay = in.baseline.fromDay;
    in.filter.toDay = in.baseline.toDay;
    spec.from = formatDate(in.baseline.fromDay);
    spec.to = formatDate(in.baseline.toDay);
    spec.workspace = in.baseline.workspaceId;
    in.spec = spec;

    // Each agent's main feature and team, by cost.
    std::vector<std::map<std::pair<uint32_t, uint32_t>, int64_t>> costBy(in.baseline.agents.size());
    for (const auto &c : in.baseline.cells)
        costBy[c.agent][{c.feature, c.team}] += c.costNusd;
    for (size_t a = 0; a < in.baseline.agents.size(); ++a) {
        AgentCallStats &s = in.agents[in.baseline.agents[a]];
        const auto top = std::max_element(costBy[a].begin(), costBy[a].end(),
                                          [](auto &x, auto &y) { return x.second < y.second; });
        if (top != costBy[a].end()) {
            s.feature = in.baseline.features[top->first.first];
            s.team = in.baseline.teams[top->first.second];
        }
    }

    Transaction snapshot(ws.db(), Transaction::Read);
    const FilterSql where = FilterSql::build(ws, in.filter, FilterSql::Table::Calls);
    Statement calls(ws.db(),
                    std::string("SELECT agent_id, task_id, ts_ms, requests, input_tokens, "
                                "cached_input_tokens, is_error, outcome, batch, prompt_hash, ") +
                        kCallCostSql + " FROM calls" + where.where,
                    Statement::Scan);
    for (size_t i = 0; i < where.binds.size(); ++i)
        calls.bind(int(i + 1), where.binds[i]);
    std::unordered_map<int64_t, uint32_t> agentIndex; // agent id -> index in `stats`
    std::vector<AgentCallStats *> stats;
    std::unordered_map<int64_t, TaskTrail> tasks;
    std::vector<Seen> seen;
    const std::hash<std::string_view> hasher;
    int64_t done = 0;
    double requests = 0;
    for (const auto &c : in.baseline.cells)
        requests += c.requests;
    const int64_t total = std::max<int64_t>(1, int64_t(requests));
    while (calls.step()) {
        const int64_t agentId = calls.columnInt(0);
        auto [it, added] = agentIndex.try_emplace(agentId, uint32_t(stats.size()));
        if (added)
            stats.push_back(&in.agents[agentId == 0 ? std::string(kNoneName)
                                                    : ws.dims().nameOf(Dimension::Agent, agentId)]);
        AgentCallStats &s = *stats[it->second];
        const int64_t ts = calls.columnInt(2);
        const int64_t requests = calls.columnInt(3);
        const int64_t input = calls.columnInt(4);
        const bool failed = calls.columnInt(6) != 0;
        const int outcome = int(calls.columnInt(7));
        const int64_t nusd = calls.columnInt(10);
        s.calls += requests;
        s.inputTokens += input;
        s.cachedInputTokens += calls.columnInt(5);
        if (calls.columnInt(8) != 0)
            s.batchCalls += requests;
        if (outcome == int(Outcome::Success)) {
            s.successCalls += 1;
            s.successInputTokens += input;
        }
        if (!calls.columnIsNull(9)) {
            s.hashedCalls += requests;
            seen.push_back({it->second, hasher(calls.columnText(9)), ts, !failed});
        }
        if (const int64_t task = calls.columnInt(1); task != 0) {
            TaskTrail &t = tasks[task];
            t.agent = int32_t(it->second);
            ++t.calls;
            if (failed) {
                ++t.failures;
                t.failureNusd += nusd;
            }
            if (ts >= t.lastTs) {
                t.lastTs = ts;
                t.lastFailed = failed;
                t.lastNusd = nusd;
            }
        }
        if (progress && (++done & 0xfff) == 0 &&
            !progress(total / 2 + std::min(done, total) / 2, total))
            return std::nullopt;
    }
    for (const auto &[id, t] : tasks) {
        AgentCallStats &s = *stats[size_t(t.agent)];
        ++s.tasks;
        s.callsInTasks += t.calls;
        s.tasksOverFiveCalls += t.calls > 5;
        // Every failure but a failed last call was followed by another try.
        s.retriedFailures += t.failures - (t.lastFailed ? 1 : 0);
        s.retriedFailureNusd += t.failureNusd - (t.lastFailed ? t.lastNusd : 0);
    }
    // A call repeats when its agent had an answer to the same prompt within
    // the TTL before (a retry after a failure is no cache hit: there was no
    // answer to keep).
    std::sort(seen.begin(), seen.end(), [](const Seen &x, const Seen &y) {
        if (x.agent != y.agent)
            return x.agent < y.agent;
        return x.hash != y.hash ? x.hash < y.hash : x.ts < y.ts;
    });
    int64_t lastAnswer = INT64_MIN;
    for (size_t i = 0; i < seen.size(); ++i) {
        if (i == 0 || seen[i].agent != seen[i - 1].agent || seen[i].hash != seen[i - 1].hash)
            lastAnswer = INT64_MIN;
        if (lastAnswer != INT64_MIN && seen[i].ts - lastAnswer <= BaselineQuery::kRepeatTtlMs)
            ++stats[seen[i].agent]->repeats;
        if (seen[i].answered)
            lastAnswer = seen[i].ts;
    }

    // Prompt sizes in the equally long period before, for growth.
    if (const auto previous = in.filter.previousPeriod()) {
        GroupKey byAgent;
        byAgent.dimension = Dimension::Agent;
        const SummaryResult prev = SummaryQuery::run(ws, *previous, {byAgent});
        for (const auto &row : prev.rows)
            if (auto it = in.agents.find(row.keys[0]); it != in.agents.end()) {
                it->second.previousCalls = row.m[MRequests];
                it->second.previousInputTokens = row.m[MInputTokens];
            }
    }
    if (progress)
        progress(total, total);
    return in;
}

} // namespace tl
