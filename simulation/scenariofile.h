#pragma once

#include "scenario.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tl::sim {

struct Baseline;
struct ModelInfo;

// The outcome of reading a scenario file: the scenario, or the reason it was
// refused ("$.levers.batching.window_s: expected a number from 0 to 86400,
// got -5"); never a half-read scenario.
struct ScenarioLoad
{
    std::optional<Scenario> scenario;
    std::string error;
    std::vector<std::string> warnings; // unknown keys (kept), re-basing
};

// tokenledger-scenario version 1 (simulation.md, "Scenario files").
class ScenarioFile
{
public:
    static constexpr const char *kFormat = "tokenledger-scenario";
    static constexpr int kVersion = 1;

    static ScenarioLoad parse(std::string_view text);
    static ScenarioLoad load(const std::string &path);
    // Canonical form: every lever written, known keys in a fixed order, the
    // unknown keys after them. save(load(save(s))) is byte-identical.
    static std::string serialize(const Scenario &s);
    // Writes a temporary file beside `path` and renames it over, so a crash
    // never leaves half a scenario. Returns an error message or empty.
    static std::string save(const std::string &path, const Scenario &s);

    // The checks that need a workspace: every model named must be one the
    // baseline knows (catalog or logs), targets must have a price. Each
    // problem with its JSON path; empty when the scenario applies.
    static std::vector<std::string> validate(const Scenario &s, const Baseline &b);
    static std::vector<std::string> validate(const Scenario &s,
                                             const std::vector<ModelInfo> &models);
};

} // namespace tl::sim
