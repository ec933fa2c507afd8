#pragma once

#include "decisioninputs.h"
#include "opportunityfinder.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace tl {

struct PortfolioOptions
{
    int horizonMonths = 12;
    double minRoi = 0.5; // (value - cost) / cost an agent should earn
};

// One agent's economics over the horizon, priced by the what-if engine on
// its own calls, and what to do about it.
struct PortfolioAgent
{
    std::string agent, team, feature;
    bool outcomesLogged = false;
    double monthlyCostUsd = 0;
    double monthlyValueUsd = 0;
    double monthlySuccessfulTasks = 0;
    std::optional<double> roi;
    std::optional<int> paybackMonth; // first month whose running value covers the running cost
    // ROI under the seed's three stresses.
    std::optional<double> roiPricesUp20, roiQualityDown5, roiVolumeHalf;
    int opportunities = 0;
    double opportunitySavingUsd = 0;    // per month, every opportunity applied together
    std::optional<double> roiOptimized; // ROI with them applied
    std::string verdict;                // scale, optimize, retire; empty without outcomes
    std::string reason;
};

struct PortfolioGroup
{
    std::string name;
    int agents = 0;
    int agentsWithoutOutcomes = 0;
    double monthlyCostUsd = 0;
    double monthlyValueUsd = 0; // of the agents with outcomes
    std::optional<double> roi;  // over the agents with outcomes
};

struct PortfolioResult
{
    std::vector<PortfolioAgent> agents; // by monthly cost, largest first
    std::vector<PortfolioGroup> teams, features;
};

class Portfolio
{
public:
    static PortfolioResult build(const DecisionInputs &in,
                                 const std::vector<Opportunity> &opportunities,
                                 const PortfolioOptions &o);
    static nlohmann::ordered_json toJson(const PortfolioResult &r, const PortfolioOptions &o);
};

} // namespace tl
