#pragma once

#include "measures.h"

#include <optional>

namespace tl {

// Token efficiency of any aggregate, from the rollups' measures: the one
// definition Explore, the report and the decision layer show.
// A task is a call that logged an outcome (the last call of a task logs it),
// so per-task figures need outcomes; without them they are unknown, not 0.
struct Efficiency
{
    std::optional<double> tokensPerSuccess; // input + output tokens per successful task
    std::optional<double> callsPerTask;
    std::optional<double> retriesPerTask; // failed calls (each retried or given up) per task
    std::optional<double> cachedShare;    // cached input / input

    static Efficiency of(const Measures &m)
    {
        Efficiency e;
        const double tasks = double(m[MSuccessTasks] + m[MFailureTasks]);
        if (m[MSuccessTasks] > 0)
            e.tokensPerSuccess =
                double(m[MInputTokens] + m[MOutputTokens]) / double(m[MSuccessTasks]);
        if (tasks > 0) {
            e.callsPerTask = double(m[MRequests]) / tasks;
            e.retriesPerTask = double(m[MErrorRequests]) / tasks;
        }
        if (m[MInputTokens] > 0)
            e.cachedShare = double(m[MCachedInputTokens]) / double(m[MInputTokens]);
        return e;
    }
};

} // namespace tl
