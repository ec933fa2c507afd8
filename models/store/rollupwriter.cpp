#include "rollupwriter.h"

#include "pgdb.h"
#include "rollupgrains.h"
#include "rowwriter.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>
#include <utility>
#include <vector>

namespace tl {

namespace {

// An upsert of `table`'s rows: the head before the VALUES and the tail after.
// A rollup's columns, and the clause that adds a row's sums to a stored one.
struct Upsert
{
    std::string cols, onConflict;
};

Upsert upsertOf(const std::string &table, const std::string &keyCols)
{
    Upsert u{keyCols, {}};
    std::string updates;
    for (auto c : kMeasureColumns) {
        const std::string col(c);
        u.cols += ", " + col;
        updates +=
            (updates.empty() ? "" : ", ") + col + " = " + table + "." + col + " + excluded." + col;
    }
    u.onConflict = "ON CONFLICT(" + keyCols + ") DO UPDATE SET " + updates;
    return u;
}

// Rows many to a statement (RowWriter): one by one, a task's days cost
// 1.6 µs a row, a tenth of a million-call import.
template <class Map, class KeyOf>
void upsertAll(Database &db, const RollupGrain &g, const Map &rows, KeyOf keyOf)
{
    const Upsert u = upsertOf(g.table, g.keys);
    RowWriter writer(db, std::string("INSERT INTO ") + g.table + "(" + u.cols + ")",
                     g.keyCount + MeasureCount, u.onConflict);
    std::array<int64_t, 8 + MeasureCount> row{};
    for (const auto *r : rows) {
        const auto key = keyOf(r->first);
        std::copy(key.begin(), key.end(), row.begin());
        std::copy(r->second.v.begin(), r->second.v.end(), row.begin() + g.keyCount);
        writer.add(row.data());
    }
    writer.flush();
}

template <class Map> std::vector<const typename Map::value_type *> rowsOf(const Map &map)
{
    std::vector<const typename Map::value_type *> rows;
    rows.reserve(map.size());
    for (const auto &row : map)
        rows.push_back(&row);
    return rows;
}

constexpr const char *kHourKeys = kRollupHour.keys;
constexpr const char *kDayKeys = kRollupDay.keys;
constexpr const char *kUserDayKeys = kRollupUserDay.keys;
constexpr const char *kAgentHourKeys = kRollupAgentHour.keys;
constexpr const char *kTaskDayKeys = kRollupTaskDay.keys;

void appendRow(std::string &out, std::initializer_list<int64_t> key, const Measures &m)
{
    char buf[24];
    for (int64_t v : key) {
        out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
        out += '\t';
    }
    for (int k = 0; k < MeasureCount; ++k) {
        out.append(buf, std::to_chars(buf, buf + sizeof buf, m[k]).ptr);
        out += k + 1 < MeasureCount ? '\t' : '\n';
    }
}

void merge(PgDb &db, const std::string &table, const char *keys, const std::string &rows)
{
    if (rows.empty())
        return;
    const Upsert u = upsertOf(table, keys);
    const std::string stage = "stage_" + table;
    db.stage(stage, "(LIKE " + table + ")", rows);
    // In key order: a server's table is a heap in the order rows arrive, and
    // a busy agent's 31k task days in hash order lay in 27k blocks (170 ms
    // to read for one drill).
    db.exec("INSERT INTO " + table + "(" + u.cols + ") SELECT " + u.cols + " FROM " + stage +
            " ORDER BY " + keys + " " + u.onConflict);
}

} // namespace

RollupWriter::RollupWriter(Database &db)
    : m_db(db)
{}

void RollupWriter::writeStaged(const RollupAccumulator &acc)
{
    auto &db = static_cast<PgDb &>(m_db);
    std::string rows;
    for (const auto &[k, m] : acc.hours())
        appendRow(rows, {k.hour, k.provider, k.model, k.team, k.feature}, m);
    merge(db, "rollup_hour", kHourKeys, rows);
    rows.clear();
    for (const auto &[k, m] : acc.days())
        appendRow(rows, {k.day, k.provider, k.model, k.team, k.feature, k.agent}, m);
    merge(db, "rollup_day", kDayKeys, rows);
    rows.clear();
    for (const auto &[k, m] : acc.userDays())
        appendRow(rows, {k.day, k.user}, m);
    merge(db, "rollup_user_day", kUserDayKeys, rows);
    rows.clear();
    for (const auto &[k, m] : acc.agentHours())
        appendRow(rows, {k.hour, k.agent, k.model, k.team, k.feature, k.provider}, m);
    merge(db, kRollupAgentHour.table, kAgentHourKeys, rows);
    rows.clear();
    for (const auto &[k, m] : acc.taskDays())
        appendRow(rows, {k.agent, k.day, k.task, k.team, k.feature}, m);
    merge(db, kRollupTaskDay.table, kTaskDayKeys, rows);
}

void RollupWriter::write(const RollupAccumulator &acc)
{
    if (m_db.engine() == Engine::Postgres) {
        writeStaged(acc);
        return;
    }
    upsertAll(m_db, kRollupHour, rowsOf(acc.hours()), [](const auto &k) {
        return std::array{k.hour, k.provider, k.model, k.team, k.feature};
    });
    upsertAll(m_db, kRollupDay, rowsOf(acc.days()), [](const auto &k) {
        return std::array{k.day, k.provider, k.model, k.team, k.feature, k.agent};
    });
    upsertAll(m_db, kRollupUserDay, rowsOf(acc.userDays()), [](const auto &k) {
        return std::array{k.day, k.user};
    });
    upsertAll(m_db, kRollupAgentHour, rowsOf(acc.agentHours()), [](const auto &k) {
        return std::array{k.hour, k.agent, k.model, k.team, k.feature, k.provider};
    });
    // A task's days in key order: the table is millions of rows at 10M
    // calls, and upserts in hash order touched its pages at random.
    const auto taskKey = [](const RollupAccumulator::TaskDayKey &k) {
        return std::array{k.agent, k.day, k.task, k.team, k.feature};
    };
    auto tasks = rowsOf(acc.taskDays());
    std::sort(tasks.begin(), tasks.end(),
              [&](const auto *a, const auto *b) { return taskKey(a->first) < taskKey(b->first); });
    upsertAll(m_db, kRollupTaskDay, tasks, taskKey);
}

} // namespace tl
