#include "dayfactstable.h"

#include "dayfactsparts.h"

#include "core/measures.h"
#include "core/timeutil.h"
#include "database.h"
#include "rowwriter.h"

#include <algorithm>
#include <initializer_list>
#include <tuple>
#include <unordered_map>

namespace tl::DayFactsTable {

namespace {

std::string columnList()
{
    std::string cols;
    for (auto c : kDayFactsColumns)
        cols.append(", ").append(c);
    return cols;
}

// Feeds `counter` the calls of one day range; collects the day's answers
// (for the next day's look-back) when asked.
// The calls of the days, when they lie together in the table (a file in
// time order): read in table order between their first and last id rather
// than row by row through the time index (a quarter of a recount's time).
std::optional<std::pair<int64_t, int64_t>> denseIds(Database &db, int64_t fromDay, int64_t toDay)
{
    if (db.engine() != Engine::Sqlite)
        return std::nullopt; // a server's planner reads its partitions its own way
    Statement st(db, "SELECT MIN(id), MAX(id), COUNT(*) FROM calls WHERE ts_ms >= ? AND ts_ms < ?");
    st.bind(1, fromDay * kMsPerDay);
    st.bind(2, (toDay + 1) * kMsPerDay);
    if (!st.step() || st.columnInt(2) == 0)
        return std::nullopt;
    const int64_t first = st.columnInt(0), last = st.columnInt(1), count = st.columnInt(2);
    if (last - first + 1 > 2 * count)
        return std::nullopt;
    return std::make_pair(first, last);
}

// false when keepGoing said stop.
bool readCalls(Database &db, DayFactsCounter &counter, int64_t fromDay, int64_t toDay,
               const std::string &andWhere, bool tableOrder, std::vector<Answer> *answers,
               TaskIds *taskIds, const KeepGoing &keepGoing = {})
{
    const auto ids = tableOrder ? std::nullopt : denseIds(db, fromDay, toDay);
    // The time index finds a day's calls; `day` lets a server skip the
    // other months' partitions.
    std::string sql = "SELECT day, agent_id, team_id, feature_id, task_id, ts_ms, requests, "
                      "input_tokens, is_error, outcome, batch, prompt_hash, ";
    sql.append(kCallCostSql).append(" FROM calls");
    if (tableOrder || ids)
        sql.append(db.tableOrderHint());
    sql.append(" WHERE ts_ms >= ? AND ts_ms < ? AND day >= ? AND day <= ?").append(andWhere);
    if (ids)
        sql.append(" AND id >= ? AND id <= ?");
    Statement st(db, sql, Statement::Scan);
    st.bind(1, fromDay * kMsPerDay);
    st.bind(2, (toDay + 1) * kMsPerDay);
    st.bind(3, fromDay);
    st.bind(4, toDay);
    if (ids) {
        st.bind(5, ids->first);
        st.bind(6, ids->second);
    }
    int64_t rows = 0;
    while (st.step()) {
        if (keepGoing && (++rows & 0xfff) == 0 && !keepGoing(rows))
            return false;
        FactCall c;
        c.day = st.columnInt(0);
        c.agent = st.columnInt(1);
        c.team = st.columnInt(2);
        c.feature = st.columnInt(3);
        c.task = st.columnInt(4);
        c.ts = st.columnInt(5);
        c.requests = st.columnInt(6);
        c.input = st.columnInt(7);
        c.failed = st.columnInt(8) != 0;
        c.outcome = int(st.columnInt(9));
        c.batch = st.columnInt(10) != 0;
        c.hashed = !st.columnIsNull(11);
        if (c.hashed)
            c.hash = DayFactsCounter::hashOf(st.columnText(11));
        c.nusd = st.columnInt(12);
        counter.add(c);
        if (answers && c.hashed && !c.failed)
            answers->push_back({c.agent, c.hash, c.ts});
        if (taskIds && c.task != 0)
            taskIds->add(c.task);
    }
    return true;
}

TaskIds taskIdsOf(Database &db, int64_t day)
{
    Statement st(db,
                 "SELECT task_id FROM calls WHERE ts_ms >= ? AND ts_ms < ? AND day = ? AND "
                 "task_id <> 0",
                 Statement::Scan);
    st.bind(1, day * kMsPerDay);
    st.bind(2, (day + 1) * kMsPerDay);
    st.bind(3, day);
    TaskIds ids;
    while (st.step())
        ids.add(st.columnInt(0));
    return ids;
}

// The calls of `day` as a look-back: each answer (a prompt-hashed call
// that did not fail) to onAnswer, and (when asked) the task ids.
template <class OnAnswer>
void eachEarlier(Database &db, int64_t day, const std::string &andWhere, TaskIds *taskIds,
                 OnAnswer onAnswer)
{
    Statement st(db,
                 std::string(taskIds ? "SELECT agent_id, prompt_hash, ts_ms, is_error, task_id "
                                     : "SELECT agent_id, prompt_hash, ts_ms, is_error, 0 ") +
                     "FROM calls WHERE ts_ms >= ? AND ts_ms < ? AND day = ?" +
                     (taskIds ? "" : " AND is_error = 0 AND prompt_hash IS NOT NULL") + andWhere,
                 Statement::Scan);
    st.bind(1, day * kMsPerDay);
    st.bind(2, (day + 1) * kMsPerDay);
    st.bind(3, day);
    while (st.step()) {
        if (!st.columnIsNull(1) && st.columnInt(3) == 0)
            onAnswer(Answer{st.columnInt(0), DayFactsCounter::hashOf(st.columnText(1)),
                            st.columnInt(2)});
        if (taskIds && st.columnInt(4) != 0)
            taskIds->add(st.columnInt(4));
    }
}

} // namespace

void readEarlier(Database &db, DayFactsCounter &counter, int64_t day, const std::string &andWhere,
                 TaskIds *taskIds)
{
    eachEarlier(db, day, andWhere, taskIds,
                [&](const Answer &a) { counter.addEarlier(a.agent, a.hash, a.ts); });
}

void readAnswers(Database &db, int64_t day, std::vector<Answer> &answers, TaskIds &taskIds)
{
    eachEarlier(db, day, {}, &taskIds, [&](const Answer &a) { answers.push_back(a); });
}

// A task that also has calls the day before or after is kept whatever
// its cost: its total is then the sum of its days, all kept.
void writeTasks(Database &db, PendingTasks &p, TaskIds &&nextIds)
{
    Statement remove(db, std::string("DELETE FROM ") + kTasksTable + " WHERE day = ?");
    remove.bind(1, p.day);
    remove.step();
    RowWriter insert(db,
                     std::string("INSERT INTO ") + kTasksTable +
                         "(day, task_id, agent_id, team_id, feature_id, calls, cost_nusd)",
                     7);
    std::sort(p.tasks.begin(), p.tasks.end(), [](const TaskDay &x, const TaskDay &y) {
        if (x.key != y.key)
            return x.key < y.key;
        return x.nusd != y.nusd ? x.nusd > y.nusd : x.task < y.task;
    });
    size_t rank = 0;
    for (size_t i = 0; i < p.tasks.size(); ++i) {
        const TaskDay &t = p.tasks[i];
        rank = i > 0 && p.tasks[i - 1].key == t.key ? rank + 1 : 0;
        if (rank >= kTopTasksKept && !p.previousIds.contains(t.task) && !nextIds.contains(t.task))
            continue;
        insert.add({p.day, t.task, t.key.agent, t.key.team, t.key.feature, t.calls, t.nusd});
    }
    insert.flush();
    p = PendingTasks{};
}

std::string tableDdl(const char *type)
{
    std::string cols;
    for (const char *k : {"day", "agent_id", "team_id", "feature_id"})
        cols.append(cols.empty() ? "" : ", ")
            .append(k)
            .append(" ")
            .append(type)
            .append(" NOT NULL");
    for (auto c : kDayFactsColumns)
        cols.append(", ").append(c).append(" ").append(type).append(" NOT NULL");
    return std::string("CREATE TABLE ") + kTable + "(" + cols +
           ", PRIMARY KEY(day, agent_id, team_id, feature_id))";
}

std::string tasksDdl(const char *type)
{
    std::string cols;
    for (const char *k :
         {"day", "task_id", "agent_id", "team_id", "feature_id", "calls", "cost_nusd"})
        cols.append(cols.empty() ? "" : ", ")
            .append(k)
            .append(" ")
            .append(type)
            .append(" NOT NULL");
    return std::string("CREATE TABLE ") + kTasksTable + "(" + cols + ", PRIMARY KEY(day, task_id))";
}

std::string dirtyDdl(const char *type)
{
    return std::string("CREATE TABLE ") + kDirtyTable + "(day " + type + " PRIMARY KEY)";
}

void writeFacts(Database &db, int64_t day, const std::map<FactKey, DayFacts> &facts)
{
    Statement remove(db, std::string("DELETE FROM ") + kTable + " WHERE day = ?");
    remove.bind(1, day);
    remove.step();
    RowWriter insert(db,
                     std::string("INSERT INTO ") + kTable + "(day, agent_id, team_id, feature_id" +
                         columnList() + ")",
                     14);
    for (const auto &[key, f] : facts) {
        const auto v = valuesOf(f);
        insert.add({key.day, key.agent, key.team, key.feature, v[0], v[1], v[2], v[3], v[4], v[5],
                    v[6], v[7], v[8], v[9]});
    }
    insert.flush();
}

void markDirty(Database &db, const std::vector<int64_t> &days, bool withNeighbours)
{
    if (days.empty())
        return;
    Statement st(db, std::string("INSERT INTO ") + kDirtyTable +
                         "(day) VALUES(?) ON CONFLICT(day) DO NOTHING");
    for (int64_t d : days)
        for (int64_t day : {d - 1, d, d + 1}) {
            if (!withNeighbours && day != d)
                continue;
            st.bind(1, day);
            st.step();
            st.reset();
        }
}

void markAllDirty(Database &db)
{
    db.exec(std::string("INSERT INTO ") + kDirtyTable +
            "(day) SELECT DISTINCT day FROM rollup_day WHERE TRUE ON CONFLICT(day) DO NOTHING");
    // (WHERE TRUE: SQLite reads ON after a bare FROM as a join's.)
}

int64_t refresh(Database &db)
{
    std::vector<int64_t> days;
    {
        Statement st(db, std::string("SELECT day FROM ") + kDirtyTable + " ORDER BY day");
        while (st.step())
            days.push_back(st.columnInt(0));
    }
    Statement clean(db, std::string("DELETE FROM ") + kDirtyTable + " WHERE day = ?");
    // One day at a time (a day's calls in memory, not the month's), each
    // day's answers and task ids carried to the next.
    std::vector<Answer> answers;
    TaskIds previousIds, ids;
    PendingTasks pending;
    int64_t previous = INT64_MIN;
    for (const int64_t day : days) {
        DayFactsCounter counter;
        if (previous == day - 1) {
            for (const Answer &a : answers)
                counter.addEarlier(a.agent, a.hash, a.ts);
            previousIds = std::move(ids);
        } else {
            if (pending.day != INT64_MIN)
                writeTasks(db, pending, taskIdsOf(db, pending.day + 1));
            previousIds = {};
            readEarlier(db, counter, day - 1, {}, &previousIds);
        }
        answers.clear();
        ids = {};
        readCalls(db, counter, day, day, {}, false, &answers, &ids);
        ids.seal(); // once: it serves this day's pending tasks, then as the next day's look-back
        previous = day;
        std::vector<TaskDay> tasks;
        writeFacts(db, day, counter.finish(&tasks));
        if (pending.day == day - 1)
            writeTasks(db, pending, TaskIds(ids));
        pending = PendingTasks{day, std::move(tasks), std::move(previousIds)};
        previousIds = {};
        clean.bind(1, day);
        clean.step();
        clean.reset();
    }
    if (pending.day != INT64_MIN)
        writeTasks(db, pending, taskIdsOf(db, pending.day + 1));
    return int64_t(days.size());
}

std::map<FactKey, DayFacts> countFromCalls(Database &db, int64_t fromDay, int64_t toDay,
                                           const std::string &andWhere, bool tableOrder)
{
    return *countFromCalls(db, fromDay, toDay, andWhere, tableOrder, {});
}

std::optional<std::map<FactKey, DayFacts>>
countFromCalls(Database &db, int64_t fromDay, int64_t toDay, const std::string &andWhere,
               bool tableOrder, const KeepGoing &keepGoing)
{
    DayFactsCounter counter;
    readEarlier(db, counter, fromDay - 1, andWhere);
    if (!readCalls(db, counter, fromDay, toDay, andWhere, tableOrder, nullptr, nullptr, keepGoing))
        return std::nullopt;
    return counter.finish();
}

std::unordered_map<int64_t, DayFacts> byAgent(Database &db, int64_t fromDay, int64_t toDay,
                                              const std::string &andWhere)
{
    std::unordered_map<int64_t, DayFacts> out;
    std::vector<int64_t> dirty;
    {
        Statement st(db, std::string("SELECT day FROM ") + kDirtyTable +
                             " WHERE day >= ? AND day <= ? ORDER BY day");
        st.bind(1, fromDay);
        st.bind(2, toDay);
        while (st.step())
            dirty.push_back(st.columnInt(0));
    }
    std::string sums;
    for (auto c : kDayFactsColumns)
        sums.append(", SUM(").append(c).append(")");
    Statement st(db, "SELECT agent_id" + sums + " FROM " + kTable + " WHERE day >= ? AND day <= ?" +
                         andWhere + " AND day NOT IN (SELECT day FROM " + kDirtyTable +
                         ") GROUP BY agent_id");
    st.bind(1, fromDay);
    st.bind(2, toDay);
    while (st.step()) {
        std::array<int64_t, 10> v{};
        for (size_t i = 0; i < v.size(); ++i)
            v[i] = st.columnInt(int(i + 1));
        out[st.columnInt(0)] += dayFactsFrom(v);
    }
    for (const int64_t day : dirty)
        for (const auto &[key, f] : countFromCalls(db, day, day, andWhere))
            out[key.agent] += f;
    return out;
}

std::vector<TaskTotal> sumTopTasks(Statement &rows, size_t n)
{
    // Sorted by pair and merged: nearly every pair has one row, and a hash
    // map's node per row was most of the report's client time at 10M calls.
    std::vector<TaskTotal> all;
    while (rows.step())
        all.push_back({rows.columnInt(0), rows.columnInt(1), rows.columnInt(2), rows.columnInt(3)});
    std::sort(all.begin(), all.end(), [](const TaskTotal &a, const TaskTotal &b) {
        return std::tie(a.task, a.agent) < std::tie(b.task, b.agent);
    });
    size_t pairs = 0;
    for (size_t i = 0; i < all.size(); ++i) {
        if (pairs > 0 && all[pairs - 1].task == all[i].task &&
            all[pairs - 1].agent == all[i].agent) {
            all[pairs - 1].calls += all[i].calls;
            all[pairs - 1].nusd += all[i].nusd;
        } else {
            all[pairs++] = all[i];
        }
    }
    all.resize(pairs);
    const size_t keep = std::min(n, all.size());
    std::partial_sort(all.begin(), all.begin() + long(keep), all.end(),
                      [](const TaskTotal &a, const TaskTotal &b) {
                          return std::tie(b.nusd, a.task, a.agent) <
                                 std::tie(a.nusd, b.task, b.agent);
                      });
    all.resize(keep);
    return all;
}

std::optional<std::vector<TaskTotal>> topTasks(Database &db, int64_t fromDay, int64_t toDay,
                                               const std::string &andWhere, size_t n)
{
    Statement dirty(db, std::string("SELECT COUNT(*) FROM ") + kDirtyTable +
                            " WHERE day >= ? AND day <= ?");
    dirty.bind(1, fromDay);
    dirty.bind(2, toDay);
    if (!dirty.step() || dirty.columnInt(0) > 0)
        return std::nullopt;
    // Summed here, not by GROUP BY: nearly every (task, agent) has one row,
    // and a server's hash aggregate of the month's 224k rows at 10M calls
    // took 250-380 ms where sending them takes 65-100 (SQLite sorts them).
    Statement st(db, std::string("SELECT task_id, agent_id, calls, cost_nusd FROM ") + kTasksTable +
                         " WHERE day >= ? AND day <= ?" + andWhere);
    st.bind(1, fromDay);
    st.bind(2, toDay);
    return sumTopTasks(st, std::min(n, kTopTasksKept));
}

} // namespace tl::DayFactsTable
