#pragma once

#include "measures.h"

#include <cstdint>

namespace tl {

// A call as far as the measures go. One rule (measuresOf) turns it into the
// additive measures, whether the call is being imported (the rollups) or
// read back from the calls table (groupings no rollup keeps, such as tasks).
struct CallFacts
{
    int64_t requests = 1, input = 0, cached = 0, cacheWrite = 0, output = 0, reasoning = 0;
    int64_t cacheWrite1h = 0, webSearches = 0, fileSearches = 0;
    int64_t computedNusd = -1; // -1: no catalog price
    int64_t toolNusd = 0;      // the search calls' part of computedNusd
    int64_t reportedNusd = 0, valueNusd = 0, latencyMs = -1;
    int outcome = 0;
    bool hasReported = false, hasValue = false, isError = false;
};

// What one call adds to each measure. Schema::measureAggregatesSql() is
// the same rule in SQL, for the few statements that still sum in SQL.
Measures measuresOf(const CallFacts &c);

} // namespace tl
