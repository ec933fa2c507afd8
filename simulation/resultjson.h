#pragma once

#include "montecarlo.h"
#include "outcome.h"
#include "sensitivity.h"
#include "workload.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace tl::sim {

// The JSON `tokenledger simulate --format json` prints (simulation.md, "Output").
class ResultJson
{
public:
    static nlohmann::ordered_json outcome(const Outcome &o, const Workload &w);
    static nlohmann::ordered_json build(const SimulationResult &r, const Workload &w,
                                        const std::vector<TornadoBar> &tornado,
                                        const std::optional<MonteCarloResult> &monteCarlo);
};

} // namespace tl::sim
