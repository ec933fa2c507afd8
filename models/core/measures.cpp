#include "measures.h"

#include "callrecord.h"

namespace tl {

Measures measuresOf(const CallRecord &r, int64_t computedNusd, bool isError)
{
    Measures m;
    m[MRecords] = 1;
    m[MRequests] = r.requests;
    m[MInputTokens] = r.inputTokens;
    m[MCachedInputTokens] = r.cachedInputTokens;
    m[MCacheWriteTokens] = r.cacheWriteTokens;
    m[MOutputTokens] = r.outputTokens;
    m[MReasoningTokens] = r.reasoningTokens;
    const bool priced = computedNusd >= 0;
    if (priced)
        m[MComputedNusd] = computedNusd;
    if (r.hasReportedCost) {
        m[MReportedNusd] = r.reportedNusd;
        m[MCostNusd] = r.reportedNusd;
        if (priced)
            m[MReportedComputedNusd] = computedNusd;
    } else if (priced) {
        m[MCostNusd] = computedNusd;
    } else {
        m[MUnpricedRequests] = r.requests;
    }
    if (isError)
        m[MErrorRequests] = r.requests;
    if (r.outcome == Outcome::Success)
        m[MSuccessTasks] = 1;
    else if (r.outcome == Outcome::Failure || r.outcome == Outcome::Empty)
        m[MFailureTasks] = 1;
    if (r.hasValue)
        m[MValueNusd] = r.valueNusd;
    if (r.latencyMs >= 0) {
        m[MLatencyMsSum] = r.latencyMs;
        m[MLatencyCount] = 1;
    }
    return m;
}

} // namespace tl
