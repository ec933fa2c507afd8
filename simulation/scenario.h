#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tl::sim {

// Which calls a lever applies to: empty lists match everything.
struct Scope
{
    std::vector<std::string> agent;
    std::vector<std::string> feature;
    std::vector<std::string> team;
    bool isEmpty() const { return agent.empty() && feature.empty() && team.empty(); }
    bool operator==(const Scope &) const = default;
};

struct ModelMove
{
    std::string from;
    std::string to;
    double share = 0;
    Scope scope;
    double outputTokenRatio = 1;
    bool operator==(const ModelMove &) const = default;
};

// Fewer tokens or calls for the same tasks in a scope: a shorter prompt, a
// trimmed answer, retries avoided. Tasks, successes and value stay.
struct PromptOptimization
{
    Scope scope;
    double inputReductionPct = 0;  // % of input tokens (cached and written parts alike)
    double outputReductionPct = 0; // % of output tokens
    double callReductionPct = 0;   // % of calls (e.g. failed calls that were retried)
    bool operator==(const PromptOptimization &) const = default;
};

// Every lever with its neutral default: a default-constructed Levers changes
// nothing. std::nullopt means "from the logs" or "the catalog's" (see
// simulation.md for each lever's formula, unit and range).
struct Levers
{
    std::vector<ModelMove> modelMix;
    std::map<std::string, double> quality; // success rate per model
    bool escalationEnabled = false;
    std::string escalationTo;

    std::vector<PromptOptimization> promptOptimization;

    std::optional<double> cacheHitRate = 0.0; // nullopt: the logs' prompt repeat rate
    double cacheCostPerLookupUsd = 0;
    double cacheMonthlyFixedUsd = 0;

    // A semantic cache behind the exact one: of all calls it answers
    // semanticHitRate in total (exact repeats included), so only the part
    // above the exact hit rate is new; every call that misses the exact cache
    // pays an embedding lookup; wrong answers lose their task.
    double semanticHitRate = 0;
    double semanticCostPerLookupUsd = 0;
    double semanticWrongRate = 0;

    std::optional<double> cachedInputShare; // nullopt: as logged
    std::optional<double> cacheReadsPerWrite;

    double batchEligibleShare = 0;
    double batchWindowS = 0;
    int batchMaxSize = 100;
    std::optional<double> batchDiscount; // nullopt: the catalog's batch price

    // nullopt: the observed compute cost (the imported cloud bills over the
    // baseline, per month), $0 when none covers it.
    std::optional<double> infraMonthlyUsd;
    double spotShare = 0;
    double reservedShare = 0;
    double spotDiscount = 0.6;
    double reservedDiscount = 0.35;
    double interruptionRate = 0.05;
    double criticalShare = 0;
    double redundancyFactor = 1;

    double priceChangePct = 0;
    std::map<std::string, double> priceChangeByProvider;
    std::map<std::string, double> priceChangeByModel;

    double volumeChangePct = 0;
    double monthlyGrowthPct = 0;

    std::optional<double> valuePerSuccessUsd; // nullopt: the logs' value_usd
    double oversightShare = 0;
    double costPerReviewUsd = 0;
    double fixedMonthlyUsd = 0;
    double investmentUsd = 0;

    bool operator==(const Levers &) const = default;
};

struct BaselineSpec
{
    std::string from; // YYYY-MM-DD, inclusive
    std::string to;
    std::map<std::string, std::vector<std::string>> filter; // dimension -> names
    std::string workspace;                                  // id of the workspace it was made on
    bool operator==(const BaselineSpec &) const = default;
};

struct Scenario
{
    std::string name;
    std::string author;
    std::string notes;
    std::string created;
    BaselineSpec baseline;
    int horizonMonths = 12;
    Levers levers;
    // Lever path ("prices.change_pct") -> [low, high] for Monte Carlo and the tornado.
    std::map<std::string, std::pair<double, double>> ranges;
    // Keys this version does not know, by the path of the object holding
    // them ("", "levers", "levers.batching", "levers.model_mix[0]"): kept on
    // save so a newer colleague's file survives a round trip here.
    std::map<std::string, nlohmann::ordered_json> unknownKeys;

    bool operator==(const Scenario &) const = default;
};

} // namespace tl::sim
