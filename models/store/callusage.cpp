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

} // namespace tl
