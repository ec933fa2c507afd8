#pragma once

#include "scenario.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tl::sim {

// A model the scenario can route to or price: the catalog's prices in force
// at the end of the baseline period, in USD per token, and what the logs say
// about it. Unpriced models keep their recorded cost and cannot be a target.
struct ModelInfo
{
    std::string name;
    std::string provider;
    bool priced = false;
    double input = 0;        // uncached input
    double cachedInput = 0;  // cache read
    double cacheWrite = 0;   // 5-minute TTL
    double cacheWrite1h = 0; // 1-hour TTL (Anthropic: 2x input)
    double output = 0;
    double batchInput = 0;
    double batchOutput = 0;
    std::optional<double> observedQuality;   // successes / (successes + failures)
    std::optional<double> observedLatencyMs; // mean over calls that logged one

    // The list price of tokens at this model's standard prices: the one
    // formula the engine and the frontier price a moved workload with.
    // cached and writes are parts of input; writes1h a part of writes.
    double listCost(double input, double cached, double writes, double writes1h,
                    double output) const;
};

// One aggregate of the real workload: a UTC day x agent x team x feature x
// model. Tokens are totals; input includes cached input and cache writes.
struct BaselineCell
{
    int32_t day = 0;
    uint32_t agent = 0;
    uint32_t team = 0;
    uint32_t feature = 0;
    uint32_t model = 0; // index into Baseline::models
    double requests = 0;
    double inputTokens = 0;
    double cachedInputTokens = 0;
    double cacheWriteTokens = 0;
    double cacheWrite1hTokens = 0; // a part of cacheWriteTokens
    double outputTokens = 0;
    int64_t costNusd = 0; // as recorded: reported where logged, else computed
    int64_t toolNusd = 0; // search tool calls' charge, a part of costNusd
    double tasks = 0;     // calls that logged an outcome
    double successTasks = 0;
    double valueUsd = 0;
    double latencyMsSum = 0;
    double latencyCount = 0;
};

// The real workload of a period and filter, as the store extracts it. The
// engine reads nothing else: no database, no Qt.
struct Baseline
{
    int64_t fromDay = 0; // inclusive UTC day numbers
    int64_t toDay = 0;
    std::string workspaceId;
    std::vector<std::string> agents; // index 0.. as used by cells
    std::vector<std::string> teams;
    std::vector<std::string> features;
    std::vector<ModelInfo> models; // every catalog model plus the logged ones
    std::vector<BaselineCell> cells;
    // Calls per second by UTC hour of day, averaged over the period's days,
    // per agent (index as agents): what batching has to work with.
    std::vector<std::array<double, 24>> agentCallsPerSecond;
    // Share of calls whose prompt_hash was seen within the TTL before: the
    // exact-match hit rate a response cache could reach (nullopt: no hashes).
    std::optional<double> promptRepeatRate;
    // Infrastructure cost over the period from imported cloud bills: per
    // agent (index as agents) and what no agent of this workload carries
    // (untagged, or only team-tagged). hasInfra false: no bill covers it.
    std::vector<int64_t> agentInfraNusd;
    int64_t otherInfraNusd = 0;
    bool hasInfra = false;

    double days() const { return double(toDay - fromDay + 1); }
    // Days of the period with at least one cell. Monthly figures rest on
    // these, not on the calendar span: three stray calls months before the
    // rest must not spread a month's cost over half a year.
    int64_t daysWithData() const;
    int modelIndex(const std::string &name) const; // -1 when unknown
    // Each model's observed success rate and mean latency over the cells
    // (nullopt where none logged one): the one rule for both.
    void observeModels();
    // The part of this workload a narrower filter (agent, feature, team
    // names) would have loaded: its cells, each model's observed quality and
    // latency over them, arrival rates over its own days with data. The
    // prompt repeat rate is the scope's own, which only the calls know: the
    // caller passes it (nullopt: unknown).
    Baseline restrictedTo(const Scope &scope, std::optional<double> promptRepeatRate) const;
    int64_t costNusd() const; // exact sum of the cells
    // The bills' cost per month (over the period's calendar days: servers
    // run whether or not calls come); 0 without a bill.
    double observedInfraMonthlyUsd() const;
};

} // namespace tl::sim
