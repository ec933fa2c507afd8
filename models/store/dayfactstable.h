#pragma once

#include "core/dayfacts.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tl {

class Database;
class Statement;

// agent_day_facts (schema v10): DayFacts by FactKey, kept so that the
// Simulator's baseline and the decision layer read a few thousand rows, not
// every call of their period. Every import recounts, from the calls, each
// day it added calls to and the day after (whose repeats look back a day).
// A writer that defers the recount (the live collector, between batches)
// leaves the days in facts_dirty; readers count those from the calls
// meanwhile, so no reader sees a stale figure.
namespace DayFactsTable {

inline constexpr const char *kTable = "agent_day_facts";
inline constexpr const char *kDirtyTable = "facts_dirty";
// v11: each day's costliest tasks by key (kTopTasksKept), and every task
// that runs into the day before or after, for the report's top tasks.
inline constexpr const char *kTasksTable = "agent_day_tasks";

// CREATE TABLE statements, with the engine's integer type.
std::string tableDdl(const char *type);
std::string dirtyDdl(const char *type);
std::string tasksDdl(const char *type);

// Marks these days for a recount, and (withNeighbours) the day before and
// after each: their look-back and their tasks that go on depend on it.
void markDirty(Database &db, const std::vector<int64_t> &days, bool withNeighbours = true);
// Every day that has calls (an upgrade, a rebuild after repricing).
void markAllDirty(Database &db);
// Recounts every marked day; returns how many. Inside the caller's write
// transaction.
int64_t refresh(Database &db);

// Counted from the calls of [fromDay, toDay] that also match `andWhere`
// (" AND …" over the calls table, no parameters; may be empty), with the
// answers of the day before: the same rule the stored rows were counted by.
// tableOrder: read the calls in table order rather than through the time
// index (cheaper when the days are most of the table).
std::map<FactKey, DayFacts> countFromCalls(Database &db, int64_t fromDay, int64_t toDay,
                                           const std::string &andWhere, bool tableOrder = false);
// The same, asking keepGoing(rows read) every few thousand rows; nullopt
// when it said stop (a Cancel).
using KeepGoing = std::function<bool(int64_t rows)>;
std::optional<std::map<FactKey, DayFacts>>
countFromCalls(Database &db, int64_t fromDay, int64_t toDay, const std::string &andWhere,
               bool tableOrder, const KeepGoing &keepGoing);

// The facts of [fromDay, toDay] by agent id: stored rows, and the calls of
// any day still waiting for its recount. `andWhere` restricts the key's
// dimensions (" AND agent_id IN (…) AND team_id IN (…)"; empty for all).
std::unordered_map<int64_t, DayFacts> byAgent(Database &db, int64_t fromDay, int64_t toDay,
                                              const std::string &andWhere);

struct TaskTotal
{
    int64_t task = 0, agent = 0, calls = 0, nusd = 0;
};

// The `n` costliest (task, agent) pairs of rows (task_id, agent_id, calls,
// nano-dollars) summed by pair: by cost, then task id, then agent. Summed
// here, not by a GROUP BY (see the .cpp).
std::vector<TaskTotal> sumTopTasks(Statement &rows, size_t n);

// The period's `n` (<= kTopTasksKept) costliest (task, agent) pairs among
// the kept tasks, by cost then task id; nullopt while a day of the period
// waits for its recount (the caller then counts the calls). Exact for
// tasks whose calls lie on one day or on days in a row.
std::optional<std::vector<TaskTotal>> topTasks(Database &db, int64_t fromDay, int64_t toDay,
                                               const std::string &andWhere, size_t n);

} // namespace DayFactsTable

} // namespace tl
