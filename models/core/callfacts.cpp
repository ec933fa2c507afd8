#include "callfacts.h"

#include "callrecord.h"

namespace tl {

Measures measuresOf(const CallFacts &c)
{
    Measures m;
    m[MRecords] = 1;
    m[MRequests] = c.requests;
    m[MInputTokens] = c.input;
    m[MCachedInputTokens] = c.cached;
    m[MCacheWriteTokens] = c.cacheWrite;
    m[MOutputTokens] = c.output;
    m[MReasoningTokens] = c.reasoning;
    const bool priced = c.computedNusd >= 0;
    if (priced)
        m[MComputedNusd] = c.computedNusd;
    if (c.hasReported) {
        m[MReportedNusd] = c.reportedNusd;
        m[MCostNusd] = c.reportedNusd;
        if (priced)
            m[MReportedComputedNusd] = c.computedNusd;
    } else if (priced) {
        m[MCostNusd] = c.computedNusd;
    } else {
        m[MUnpricedRequests] = c.requests;
    }
    if (c.isError)
        m[MErrorRequests] = c.requests;
    if (c.outcome == int(Outcome::Success))
        m[MSuccessTasks] = 1;
    else if (c.outcome == int(Outcome::Failure) || c.outcome == int(Outcome::Empty))
        m[MFailureTasks] = 1;
    if (c.hasValue)
        m[MValueNusd] = c.valueNusd;
    if (c.latencyMs >= 0) {
        m[MLatencyMsSum] = c.latencyMs;
        m[MLatencyCount] = 1;
    }
    m[MCacheWrite1hTokens] = c.cacheWrite1h;
    m[MWebSearchCalls] = c.webSearches;
    m[MFileSearchCalls] = c.fileSearches;
    if (priced)
        m[MToolNusd] = c.toolNusd;
    return m;
}

} // namespace tl
