#include "callrecord.h"

#include <cmath>

namespace tl {

int64_t usdToNano(double usd)
{
    return int64_t(std::llround(usd * 1e9));
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
    if (r.inputTokens < 0 || r.outputTokens < 0 || r.cachedInputTokens < 0 ||
        r.cacheWriteTokens < 0 || r.reasoningTokens < 0 || r.cacheWrite1hTokens < 0)
        return "negative token count";
    if (r.webSearchCalls < 0 || r.fileSearchCalls < 0)
        return "negative search call count";
    if (r.cacheWrite1hTokens > r.cacheWriteTokens)
        return "cache_write_1h_tokens exceed cache_write_tokens (they are part of them)";
    if (r.cachedInputTokens + r.cacheWriteTokens > r.inputTokens)
        return "cached_input_tokens + cache_write_tokens exceed input_tokens";
    if (r.reasoningTokens > r.outputTokens)
        return "reasoning_tokens exceed output_tokens (they are part of output)";
    if (r.requests < 1)
        return "requests must be at least 1";
    return {};
}

} // namespace tl
