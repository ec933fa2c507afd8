#include "callrecord.h"

#include <cmath>
#include <limits>

namespace tl {

int64_t usdToNano(double usd)
{
    const double n = usd * 1e9;
    if (std::isnan(n) || n >= 9.2e18)
        return std::numeric_limits<int64_t>::max();
    if (n <= -9.2e18)
        return std::numeric_limits<int64_t>::min();
    return int64_t(std::llround(n));
}

void applyServiceTier(std::string_view tier, CallRecord &r)
{
    if (tier == "priority")
        r.serviceTier = 1;
    else if (tier == "flex")
        r.serviceTier = 2;
    else if (tier == "batch")
        r.batch = true;
}

std::string_view validateRecord(const CallRecord &r)
{
    if (r.model.empty())
        return "missing required field 'model'";
    if (r.tsMs < kMinCallTsMs || r.tsMs >= kMaxCallTsMs)
        return "timestamp outside 2000–2099 (a unit mix-up? seconds, milliseconds and "
               "nanoseconds read differently)";
    if (r.inputTokens < 0 || r.outputTokens < 0 || r.cachedInputTokens < 0 ||
        r.cacheWriteTokens < 0 || r.reasoningTokens < 0 || r.cacheWrite1hTokens < 0)
        return "negative token count";
    if (r.webSearchCalls < 0 || r.fileSearchCalls < 0)
        return "negative search call count";
    // Before any sum of them: 2^62 cached + 2^62 written wrapped negative and
    // passed the parts-within-input check (a 1-token call became $2.5 billion).
    for (int64_t v : {r.inputTokens, r.outputTokens, r.cachedInputTokens, r.cacheWriteTokens,
                      r.reasoningTokens, r.cacheWrite1hTokens})
        if (v > kMaxRecordTokens)
            return "a token count past 1e12 in one record (a fault in the log, not a call)";
    if (r.cacheWrite1hTokens > r.cacheWriteTokens)
        return "cache_write_1h_tokens exceed cache_write_tokens (they are part of them)";
    if (r.cachedInputTokens + r.cacheWriteTokens > r.inputTokens)
        return "cached_input_tokens + cache_write_tokens exceed input_tokens";
    if (r.reasoningTokens > r.outputTokens)
        return "reasoning_tokens exceed output_tokens (they are part of output)";
    if (r.requests < 1)
        return "requests must be at least 1";
    if (r.requests > kMaxRecordRequests || r.webSearchCalls > kMaxRecordRequests ||
        r.fileSearchCalls > kMaxRecordRequests)
        return "a request or search count past 1e9 in one record";
    if (r.hasReportedCost && r.reportedNusd < 0)
        return "a negative cost (a refund or credit is not a call's cost)";
    if (r.hasReportedCost && r.reportedNusd > kMaxRecordNusd)
        return "a cost past $1,000,000 for one record (a fault in the log, not a call)";
    if (r.hasValue && (r.valueNusd < 0 || r.valueNusd > kMaxRecordNusd))
        return "value_usd: expected $0 to $1,000,000";
    if (r.latencyMs > kMaxLatencyMs)
        return "latency past 1e9 ms";
    return {};
}

} // namespace tl
