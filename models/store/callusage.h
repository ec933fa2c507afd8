#pragma once

#include "pricing/priceentry.h"
#include "database.h"

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

} // namespace tl
