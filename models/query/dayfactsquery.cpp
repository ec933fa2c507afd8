#include "dayfactsquery.h"

#include "query/filtersql.h"
#include "store/dayfactstable.h"
#include "store/workspace.h"

namespace tl {

bool DayFactsQuery::fromTable(const CallFilter &filter)
{
    for (const auto &[dim, names] : filter.include)
        if (dim != Dimension::Agent && dim != Dimension::Team && dim != Dimension::Feature)
            return false;
    return !filter.windowMs;
}

namespace {

// The filter's names as " AND …" over the key's columns (no parameters).
std::string namesClause(Workspace &ws, const CallFilter &filter)
{
    CallFilter names;
    names.include = filter.include;
    std::string where = FilterSql::build(ws, names, FilterSql::Table::Calls).where;
    if (!where.empty())
        where.replace(0, 7, " AND "); // " WHERE " -> " AND "
    return where;
}

} // namespace

std::optional<std::vector<DayFactsTable::TaskTotal>>
DayFactsQuery::topTasks(Workspace &ws, const CallFilter &filter, size_t n)
{
    if (!fromTable(filter) || !filter.fromDay || !filter.toDay || n > kTopTasksKept)
        return std::nullopt;
    return DayFactsTable::topTasks(ws.db(), *filter.fromDay, *filter.toDay, namesClause(ws, filter),
                                   n);
}

std::optional<std::unordered_map<int64_t, DayFacts>>
DayFactsQuery::byAgent(Workspace &ws, const CallFilter &filter, int64_t fromDay, int64_t toDay,
                       const DayFactsTable::KeepGoing &keepGoing)
{
    // The names only: both paths below bound the days themselves.
    const std::string where = namesClause(ws, filter);
    if (fromTable(filter))
        return DayFactsTable::byAgent(ws.db(), fromDay, toDay, where);
    // Through the time index a call costs a random row read: past a quarter
    // of the data's days, reading the whole table in order is cheaper.
    const auto bounds = dataDayBounds(ws);
    const bool mostOfTheData =
        !bounds || (toDay - fromDay + 1) * 4 >= (bounds->second - bounds->first + 1);
    const auto counted =
        DayFactsTable::countFromCalls(ws.db(), fromDay, toDay, where, mostOfTheData, keepGoing);
    if (!counted)
        return std::nullopt;
    std::unordered_map<int64_t, DayFacts> out;
    for (const auto &[key, f] : *counted)
        out[key.agent] += f;
    return out;
}

} // namespace tl
