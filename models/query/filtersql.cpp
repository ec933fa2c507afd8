#include "filtersql.h"

#include "core/timeutil.h"
#include "query/summaryquery.h"
#include "store/workspace.h"

#include <stdexcept>

namespace tl {

void FilterSql::add(const std::string &clause)
{
    where += (where.empty() ? " WHERE " : " AND ") + clause;
}

FilterSql FilterSql::build(Workspace &ws, const CallFilter &filter, Table table)
{
    FilterSql f;
    const bool calls = table == Table::Calls;
    const bool byHour = table == Table::RollupHour;
    if (filter.fromDay) {
        f.add(calls ? "ts_ms >= ?" : byHour ? "hour >= ?" : "day >= ?");
        f.binds.push_back(calls    ? *filter.fromDay * kMsPerDay
                          : byHour ? *filter.fromDay * 24
                                   : *filter.fromDay);
    }
    if (filter.toDay) {
        f.add(calls ? "ts_ms < ?" : byHour ? "hour <= ?" : "day <= ?");
        f.binds.push_back(calls    ? (*filter.toDay + 1) * kMsPerDay
                          : byHour ? *filter.toDay * 24 + 23
                                   : *filter.toDay);
    }
    if (filter.windowMs) {
        // Only the calls table has the time to the millisecond; the summary
        // and request queries choose it for a windowed filter.
        if (!calls)
            throw std::logic_error("a millisecond window needs the calls table");
        f.add("ts_ms >= ?");
        f.binds.push_back(filter.windowMs->first);
        f.add("ts_ms < ?");
        f.binds.push_back(filter.windowMs->second);
    }
    for (const auto &[dim, names] : filter.include) {
        std::string in;
        for (const auto &n : names) {
            // "(none)" is how every view shows id 0 (the field was empty).
            const int64_t id = n == kNoneName ? 0 : ws.dims().find(dim, n);
            if (!in.empty())
                in += ',';
            in += std::to_string(id);
        }
        f.add(std::string(dimensionColumn(dim)) + " IN (" + (in.empty() ? "-1" : in) + ")");
    }
    return f;
}

} // namespace tl
