#include "callusage.h"

namespace tl {

Usage usageAt(Statement &st, int first)
{
    Usage u;
    u.input = st.columnInt(first);
    u.cached = st.columnInt(first + 1);
    u.cacheWrite = st.columnInt(first + 2);
    u.cacheWrite1h = st.columnInt(first + 3);
    u.output = st.columnInt(first + 4);
    u.requests = st.columnInt(first + 5);
    u.webSearches = st.columnInt(first + 6);
    u.fileSearches = st.columnInt(first + 7);
    u.batch = st.columnInt(first + 8) != 0;
    u.tier = ServiceTier(st.columnInt(first + 9));
    u.longContext = st.columnIsNull(first + 10) ? -1 : int(st.columnInt(first + 10));
    return u;
}

CallFacts factsAt(Statement &st, int first)
{
    CallFacts c;
    c.requests = st.columnInt(first);
    c.input = st.columnInt(first + 1);
    c.cached = st.columnInt(first + 2);
    c.cacheWrite = st.columnInt(first + 3);
    c.output = st.columnInt(first + 4);
    c.reasoning = st.columnInt(first + 5);
    c.computedNusd = st.columnIsNull(first + 6) ? -1 : st.columnInt(first + 6);
    c.hasReported = !st.columnIsNull(first + 7);
    c.reportedNusd = c.hasReported ? st.columnInt(first + 7) : 0;
    c.isError = st.columnInt(first + 8) != 0;
    c.outcome = int(st.columnInt(first + 9));
    c.hasValue = !st.columnIsNull(first + 10);
    c.valueNusd = c.hasValue ? st.columnInt(first + 10) : 0;
    c.latencyMs = st.columnIsNull(first + 11) ? -1 : st.columnInt(first + 11);
    c.cacheWrite1h = st.columnInt(first + 12);
    c.webSearches = st.columnInt(first + 13);
    c.fileSearches = st.columnInt(first + 14);
    c.toolNusd = st.columnIsNull(first + 15) ? 0 : st.columnInt(first + 15);
    return c;
}

} // namespace tl
