#pragma once

#include "scenario.h"

#include <optional>
#include <string>
#include <vector>

namespace tl::sim {

// One numeric lever: where it lives in a scenario file, its unit and valid
// range (the file reader refuses values outside it), the span the tornado
// sweeps when the scenario gives no range, and how to read and write it.
// simulation.md's lever tables list the same entries.
struct LeverSpec
{
    std::string path; // "batching.window_s", "model_mix[0].share", "quality.gpt-4o"
    std::string group;
    std::string label;
    std::string unit; // "share", "%", "USD", "s", "x", "calls"
    double min = 0;
    double max = 1;
    double tornadoLow = 0;
    double tornadoHigh = 1;
    bool nullable = false; // null = from the logs / the catalog
    bool integer = false;

    std::optional<double> get(const Levers &l) const;
    void set(Levers &l, std::optional<double> v) const;
};

class LeverRegistry
{
public:
    // The fixed levers, in the order the simulator shows them.
    static const std::vector<LeverSpec> &fixed();
    // The fixed levers plus those a scenario adds (each model move's share and
    // token ratio, each model's quality, each per-model/provider price change).
    static std::vector<LeverSpec> forScenario(const Levers &l);
    static std::optional<LeverSpec> find(const Levers &l, const std::string &path);
};

} // namespace tl::sim
