#pragma once

#include "core/callfacts.h"
#include "database.h"
#include "pricing/priceentry.h"

namespace tl {

// The calls columns the cost rule reads, in the order usageAt() expects:
// every path that prices stored calls again (a new catalog, a budget's
// downgrade replay, reconcile) reads them through these two.
inline constexpr const char *kUsageColumns =
    "input_tokens, cached_input_tokens, cache_write_tokens, cache_write_1h_tokens, "
    "output_tokens, requests, web_search_calls, file_search_calls, batch, service_tier, "
    "long_context";
inline constexpr int kUsageColumnCount = 11;

// The Usage of the row `st` holds, its kUsageColumns starting at `first`.
Usage usageAt(Statement &st, int first);

// The calls columns a call's measures read, in the order factsAt() expects:
// summing measuresOf() over them in C++ is several times cheaper than
// SQLite's GROUP BY with 22 aggregates (~2 µs a row).
inline constexpr const char *kFactsColumns =
    "requests, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, "
    "reasoning_tokens, computed_nusd, reported_nusd, is_error, outcome, value_nusd, latency_ms, "
    "cache_write_1h_tokens, web_search_calls, file_search_calls, tool_nusd";
inline constexpr int kFactsColumnCount = 16;

// The CallFacts of the row `st` holds, its kFactsColumns starting at `first`.
CallFacts factsAt(Statement &st, int first);

} // namespace tl
