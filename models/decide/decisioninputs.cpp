#include "decisioninputs.h"

#include "baseline/baselinequery.h"
#include "core/timeutil.h"
#include "query/dayfactsquery.h"
#include "store/workspace.h"

#include <algorithm>

namespace tl {

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

    // Calls and prompt sizes from the baseline's cells (rollup_day); what
    // only single calls tell (repeats, retries, batch use) from DayFacts.
    for (const auto &c : in.baseline.cells) {
        AgentCallStats &s = in.agents[in.baseline.agents[c.agent]];
        s.calls += int64_t(c.requests);
        s.inputTokens += int64_t(c.inputTokens);
        s.cachedInputTokens += int64_t(c.cachedInputTokens);
    }
    constexpr int64_t total = 2; // the baseline, then the facts
    if (progress && !progress(1, total))
        return std::nullopt;
    const auto facts =
        DayFactsQuery::byAgent(ws, in.filter, in.filter.fromDay.value_or(in.baseline.fromDay),
                               in.filter.toDay.value_or(in.baseline.toDay),
                               [&](int64_t) { return !progress || progress(1, total); });
    if (!facts)
        return std::nullopt;
    for (const auto &[agentId, f] : *facts) {
        AgentCallStats &s = in.agents[agentId == 0 ? std::string(kNoneName)
                                                   : ws.dims().nameOf(Dimension::Agent, agentId)];
        s.hashedCalls += f.hashedCalls;
        s.repeats += f.repeats;
        s.batchCalls += f.batchRequests;
        s.successCalls += f.successCalls;
        s.successInputTokens += f.successInputTokens;
        s.tasks += f.tasks;
        s.callsInTasks += f.callsInTasks;
        s.tasksOverFiveCalls += f.tasksOverFiveCalls;
        s.retriedFailures += f.retriedFailures;
        s.retriedFailureNusd += f.retriedFailureNusd;
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
