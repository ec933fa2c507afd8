#pragma once

#include "decisioninputs.h"
#include "scenario.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace tl {

// One thing to do, found in the logs and priced by the what-if engine on
// the real baseline of its scope: its scenario, simulated, saves exactly
// monthlySavingUsd (the average month over the horizon).
struct Opportunity
{
    std::string kind; // model_switch, response_cache, prompt_cache, batching, prompt_size, retries
    std::string dimension; // the scope: "agent" or "feature"
    std::string name;
    double monthlySavingUsd = 0;
    double monthlyCostUsd = 0;           // the scope's cost today, per month
    std::optional<double> successChange; // success rate after minus before; nullopt: unknown
    std::string summary;                 // one sentence, for a person
    nlohmann::ordered_json evidence;
    sim::Scenario scenario;
};

struct OpportunityOptions
{
    // How far (in success-rate points) a cheaper model may fall short of
    // the current one: the lower end of the 95% interval of the difference
    // must stay above -tolerance.
    double qualityTolerance = 0.02;
    int minTasks = 30;       // outcomes each model needs in the scope
    double minSavingUsd = 1; // per month; smaller ones are noise
    int horizonMonths = 12;
    // Scopes the user declares not latency-bound ("agent", "nightly-eval").
    std::vector<std::pair<std::string, std::string>> batchable;
    std::string created; // the scenarios' creation time (ISO 8601)
};

class OpportunityFinder
{
public:
    // Largest monthly saving first.
    static std::vector<Opportunity> find(const DecisionInputs &in, const OpportunityOptions &o);

    // The agent's (or feature's) baseline, as `simulate` loads it for the
    // scenario's filter.
    static sim::Baseline scopeBaseline(const DecisionInputs &in, const std::string &dimension,
                                       const std::string &name,
                                       std::optional<double> repeatRate = std::nullopt);

    static nlohmann::ordered_json toJson(const Opportunity &op);
};

} // namespace tl
