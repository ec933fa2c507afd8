#include "workload.h"

#include <stdexcept>
#include <unordered_map>

namespace tl::sim {

Workload::Workload(const Baseline &b)
    : m_models(b.models)
    , m_agents(b.agents)
    , m_teams(b.teams)
    , m_features(b.features)
    , m_rates(b.agentCallsPerSecond)
    , m_fromDay(b.fromDay)
    , m_toDay(b.toDay)
    , m_daysWithData(b.daysWithData())
    , m_cellCount(b.cells.size())
    , m_promptRepeatRate(b.promptRepeatRate)
    , m_observedInfraMonthly(b.observedInfraMonthlyUsd())
    , m_hasInfra(b.hasInfra)
{
    // Sum recorded cost in exact nano-dollars per group; convert once.
    std::unordered_map<uint64_t, size_t> index;
    std::vector<int64_t> nusd;
    index.reserve(4096);
    for (const auto &c : b.cells) {
        const uint64_t key = (uint64_t(c.agent) << 40) ^ (uint64_t(c.team) << 28) ^
                             (uint64_t(c.feature) << 14) ^ uint64_t(c.model);
        auto [it, added] = index.try_emplace(key, m_groups.size());
        if (added) {
            WorkloadGroup g;
            g.agent = c.agent;
            g.team = c.team;
            g.feature = c.feature;
            g.model = c.model;
            m_groups.push_back(g);
            nusd.push_back(0);
        }
        WorkloadGroup &g = m_groups[it->second];
        if (g.agent != c.agent || g.team != c.team || g.feature != c.feature || g.model != c.model)
            throw std::logic_error("workload key collision"); // ids beyond 2^14 teams/features
        g.requests += c.requests;
        g.inputTokens += c.inputTokens;
        g.cachedInputTokens += c.cachedInputTokens;
        g.cacheWriteTokens += c.cacheWriteTokens;
        g.cacheWrite1hTokens += c.cacheWrite1hTokens;
        g.outputTokens += c.outputTokens;
        g.toolUsd += double(c.toolNusd) * 1e-9;
        g.tasks += c.tasks;
        g.successTasks += c.successTasks;
        g.valueUsd += c.valueUsd;
        g.latencyMsSum += c.latencyMsSum;
        g.latencyCount += c.latencyCount;
        nusd[it->second] += c.costNusd;
        m_costNusd += c.costNusd;
    }
    double input = 0, cached = 0, writes = 0, value = 0, successes = 0;
    for (size_t i = 0; i < m_groups.size(); ++i) {
        WorkloadGroup &g = m_groups[i];
        g.costUsd = double(nusd[i]) * 1e-9;
        g.outcomesLogged = g.tasks > 0;
        input += g.inputTokens;
        cached += g.cachedInputTokens;
        writes += g.cacheWriteTokens;
        value += g.valueUsd;
        successes += g.successTasks;
    }
    if (input > 0)
        m_observedCachedShare = cached / input;
    if (writes > 0 && cached > 0)
        m_observedReadsPerWrite = std::max(1.0, cached / writes);
    if (successes > 0)
        m_valuePerSuccess = value / successes;
    // Logs without outcomes: each call is a task, successful at the model's
    // quality where one is known (simulation.md, "Tasks and success").
    for (auto &g : m_groups) {
        if (g.outcomesLogged)
            continue;
        g.tasks = g.requests;
        g.successTasks = g.requests * m_models[g.model].observedQuality.value_or(1.0);
    }
}

int Workload::modelIndex(const std::string &name) const
{
    for (size_t i = 0; i < m_models.size(); ++i)
        if (m_models[i].name == name)
            return int(i);
    return -1;
}

} // namespace tl::sim
