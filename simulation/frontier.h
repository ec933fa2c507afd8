#pragma once

#include "engine.h"
#include "scenario.h"

#include <string>
#include <utility>
#include <vector>

namespace tl::sim {

struct FrontierModel
{
    std::string model;
    double monthlyCostUsd = 0; // every call of the scope on this model
    double successRate = 0;
    // Where the rate comes from: the scope's own calls of this model, the
    // scenario's quality lever, or — borrowed — this model's calls elsewhere
    // in the workload (other agents' tasks may be easier or harder).
    enum class Source { Scope, Scenario, OtherScopes } source = Source::Scope;
};

struct FrontierPoint
{
    double targetSuccessRate = 0;
    double monthlyCostUsd = 0;
    std::vector<std::pair<std::string, double>> mix; // model, share of calls
    bool borrowed = false; // a model of the mix has a rate from other scopes' calls
};

struct FrontierResult
{
    std::vector<FrontierModel> models;
    std::vector<FrontierPoint> points; // ascending target
};

// The cost-quality frontier of model mixes for the calls of `scope` (an
// agent, a feature, a team): for each success-rate target, the cheapest mix
// whose expected success rate reaches it. Each model is costed on the scope's
// own tokens at its catalog price (with the scenario's price changes); its
// success rate is the scenario's `quality`, else the scope's own calls of
// that model with outcomes, else the model's rate over the whole workload —
// marked as borrowed, since another agent's work says little of this one's. A mix of models is
// linear in both, so the answer is a pair of neighbours on the lower convex
// hull: solved exactly over every pair.
class Frontier
{
public:
    static FrontierResult compute(const Engine &e, const Scenario &s, const Scope &scope,
                                  int steps = 11);
};

} // namespace tl::sim
