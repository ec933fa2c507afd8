#include "callrecord.h"

#include <cmath>

namespace tl {

int64_t usdToNano(double usd)
{
    return int64_t(std::llround(usd * 1e9));
}

std::string_view validateRecord(const CallRecord &r)
{
    if (r.model.empty())
        return "missing required field 'model'";
    if (r.inputTokens < 0 || r.outputTokens < 0 || r.cachedInputTokens < 0 ||
        r.cacheWriteTokens < 0 || r.reasoningTokens < 0)
        return "negative token count";
    if (r.cachedInputTokens + r.cacheWriteTokens > r.inputTokens)
        return "cached_input_tokens + cache_write_tokens exceed input_tokens";
    if (r.reasoningTokens > r.outputTokens)
        return "reasoning_tokens exceed output_tokens (they are part of output)";
    if (r.requests < 1)
        return "requests must be at least 1";
    return {};
}

} // namespace tl
