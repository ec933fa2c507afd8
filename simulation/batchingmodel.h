#pragma once

#include <array>
#include <vector>

namespace tl::sim {

// Batching from the observed arrival rate (simulation.md, "Batching"): calls
// of an agent arrive as a Poisson stream of rate λ per hour of day; a batch
// opens at a call and closes after the window or when it is full. A call is
// batched when another call joins it: probability 1 - e^(-λw). Its wait is
// uniform over the batch's life T = min(w, (B-1)/λ).
class BatchingModel
{
public:
    struct AgentEffect
    {
        double batchedShare = 0; // of the agent's calls
        double meanWaitS = 0;    // over its batched calls
    };

    static AgentEffect agentEffect(const std::array<double, 24> &callsPerSecond, double windowS,
                                   int maxBatch);
    // The 95th percentile of the added wait over every batched call, agents
    // weighted by `agentCalls` (the eligible calls of each).
    static double p95WaitS(const std::vector<std::array<double, 24>> &callsPerSecond,
                           const std::vector<double> &agentCalls, double windowS, int maxBatch);
};

} // namespace tl::sim
