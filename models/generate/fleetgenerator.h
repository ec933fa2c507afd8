#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace tl {

struct FleetOptions
{
    std::string format = "csv"; // csv | jsonl
    int agents = 40;
    int days = 30;
    int64_t startDay = 0; // UTC day number of the first day
    uint64_t seed = 1;
    int64_t callsPerDay = 20000; // fleet-wide, on an average weekday
    int spikes = -1;             // injected cost spikes; -1 = about one per 10 agents a month
};

struct FleetStats
{
    int64_t records = 0;
    int64_t bytes = 0;
    int spikes = 0;
};

// Writes a realistic synthetic fleet: teams -> features -> agents -> tasks
// -> calls, with per-agent model mixes, a diurnal and weekly rhythm,
// retries, provider-cache hits, repeated prompts, outcomes with value, and a
// few injected cost spikes listed in a sidecar truth file (OUT.truth.json).
// Output is in time order and a pure function of the options.
class FleetGenerator
{
public:
    explicit FleetGenerator(FleetOptions options);
    // false with `error` when a file cannot be written or the options are off.
    bool write(const std::string &path, FleetStats *stats, std::string *error,
               const std::function<bool(double fraction)> &progress = {});

private:
    FleetOptions m_opt;
};

} // namespace tl
