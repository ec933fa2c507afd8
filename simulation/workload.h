#pragma once

#include "baseline.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tl::sim {

// The baseline collapsed over days: one group per agent x team x feature x
// model (~2,400 for 300 agents and 8 models, against ~900k daily cells). No
// lever depends on the day, so every recompute runs over these groups.
struct WorkloadGroup
{
    uint32_t agent = 0;
    uint32_t team = 0;
    uint32_t feature = 0;
    uint32_t model = 0;
    double requests = 0;
    double inputTokens = 0;
    double cachedInputTokens = 0;
    double cacheWriteTokens = 0;
    double cacheWrite1hTokens = 0;
    double outputTokens = 0;
    double costUsd = 0; // recorded
    double toolUsd = 0; // search tool calls' charge, a part of costUsd
    double tasks = 0;   // calls with an outcome, else calls (see simulation.md)
    double successTasks = 0;
    bool outcomesLogged = false;
    double valueUsd = 0;
    double latencyMsSum = 0;
    double latencyCount = 0;
};

class Workload
{
public:
    explicit Workload(const Baseline &b);

    const std::vector<WorkloadGroup> &groups() const { return m_groups; }
    const std::vector<ModelInfo> &models() const { return m_models; }
    const std::vector<std::string> &agents() const { return m_agents; }
    const std::vector<std::string> &teams() const { return m_teams; }
    const std::vector<std::string> &features() const { return m_features; }
    const std::vector<std::array<double, 24>> &agentCallsPerSecond() const { return m_rates; }
    int64_t fromDay() const { return m_fromDay; }
    int64_t toDay() const { return m_toDay; }
    // The days the period's figures rest on: those with data (see
    // Baseline::daysWithData); a period with no data at all, its span.
    double days() const { return m_daysWithData ? double(m_daysWithData) : spanDays(); }
    double spanDays() const { return double(m_toDay - m_fromDay + 1); }
    int64_t daysWithoutData() const
    {
        return m_daysWithData ? int64_t(spanDays()) - m_daysWithData : 0;
    }
    int64_t costNusd() const { return m_costNusd; } // exact, as summary reports it
    size_t cellCount() const { return m_cellCount; }

    // Calibrations from the logs (the defaults of "null" levers).
    double observedCachedShare() const { return m_observedCachedShare; }
    double observedReadsPerWrite() const { return m_observedReadsPerWrite; }
    double valuePerSuccessUsd() const { return m_valuePerSuccess; }
    std::optional<double> promptRepeatRate() const { return m_promptRepeatRate; }
    // The imported cloud bills' compute cost per month (0 without one): where
    // the infrastructure levers start.
    double observedInfraMonthlyUsd() const { return m_observedInfraMonthly; }
    bool hasObservedInfra() const { return m_hasInfra; }
    int modelIndex(const std::string &name) const;

private:
    std::vector<WorkloadGroup> m_groups;
    std::vector<ModelInfo> m_models;
    std::vector<std::string> m_agents, m_teams, m_features;
    std::vector<std::array<double, 24>> m_rates;
    int64_t m_fromDay = 0;
    int64_t m_toDay = 0;
    int64_t m_daysWithData = 0;
    int64_t m_costNusd = 0;
    size_t m_cellCount = 0;
    double m_observedCachedShare = 0;
    double m_observedReadsPerWrite = 10;
    double m_valuePerSuccess = 0;
    std::optional<double> m_promptRepeatRate;
    double m_observedInfraMonthly = 0;
    bool m_hasInfra = false;
};

} // namespace tl::sim
