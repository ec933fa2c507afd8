#include "rollupwriter.h"

#include "pgdb.h"
#include "rollupgrains.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <tuple>
#include <vector>

namespace tl {

namespace {

std::string upsertSql(const std::string &table, const std::string &keyCols, int keyCount)
{
    std::string cols = keyCols, params, updates;
    for (int i = 0; i < keyCount; ++i)
        params += i ? ", ?" : "?";
    for (auto c : kMeasureColumns) {
        const std::string col(c);
        cols += ", " + col;
        params += ", ?";
        updates +=
            (updates.empty() ? "" : ", ") + col + " = " + table + "." + col + " + excluded." + col;
    }
    return "INSERT INTO " + table + "(" + cols + ") VALUES(" + params + ") ON CONFLICT(" + keyCols +
           ") DO UPDATE SET " + updates;
}

void upsert(Statement &st, std::initializer_list<int64_t> key, const Measures &m)
{
    int i = 1;
    for (int64_t v : key)
        st.bind(i++, v);
    for (int k = 0; k < MeasureCount; ++k)
        st.bind(i++, m[k]);
    st.step();
    st.reset();
}

constexpr const char *kHourKeys = kRollupHour.keys;
constexpr const char *kDayKeys = kRollupDay.keys;
constexpr const char *kUserDayKeys = kRollupUserDay.keys;
constexpr const char *kAgentHourKeys = kRollupAgentHour.keys;
constexpr const char *kTaskDayKeys = kRollupTaskDay.keys;

// A task's days in key order: the table is millions of rows at 10M calls,
// and upserts in hash order touched its pages at random.
std::vector<const std::pair<const RollupAccumulator::TaskDayKey, Measures> *>
sortedTaskDays(const RollupAccumulator &acc)
{
    std::vector<const std::pair<const RollupAccumulator::TaskDayKey, Measures> *> rows;
    rows.reserve(acc.taskDays().size());
    for (const auto &row : acc.taskDays())
        rows.push_back(&row);
    std::sort(rows.begin(), rows.end(), [](const auto *a, const auto *b) {
        const auto &x = a->first, &y = b->first;
        return std::tie(x.agent, x.day, x.task, x.team, x.feature) <
               std::tie(y.agent, y.day, y.task, y.team, y.feature);
    });
    return rows;
}

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
    std::string cols = keys, updates;
    for (auto c : kMeasureColumns) {
        const std::string col(c);
        cols += ", " + col;
        updates +=
            (updates.empty() ? "" : ", ") + col + " = " + table + "." + col + " + excluded." + col;
    }
    const std::string stage = "stage_" + table;
    db.stage(stage, "(LIKE " + table + ")", rows);
    db.exec("INSERT INTO " + table + "(" + cols + ") SELECT " + cols + " FROM " + stage +
            " ON CONFLICT(" + keys + ") DO UPDATE SET " + updates);
}

} // namespace

RollupWriter::RollupWriter(Database &db)
    : m_db(db)
{
    if (db.engine() == Engine::Postgres)
        return;
    m_upsertHour = Statement(db, upsertSql("rollup_hour", kHourKeys, 5));
    m_upsertDay = Statement(db, upsertSql("rollup_day", kDayKeys, 6));
    m_upsertUserDay = Statement(db, upsertSql("rollup_user_day", kUserDayKeys, 2));
    m_upsertAgentHour = Statement(db, upsertSql(kRollupAgentHour.table, kAgentHourKeys, 6));
    m_upsertTaskDay =
        Statement(db, upsertSql(kRollupTaskDay.table, kTaskDayKeys, kRollupTaskDay.keyCount));
}

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
    for (const auto &[k, m] : acc.hours())
        upsert(m_upsertHour, {k.hour, k.provider, k.model, k.team, k.feature}, m);
    for (const auto &[k, m] : acc.days())
        upsert(m_upsertDay, {k.day, k.provider, k.model, k.team, k.feature, k.agent}, m);
    for (const auto &[k, m] : acc.userDays())
        upsert(m_upsertUserDay, {k.day, k.user}, m);
    for (const auto &[k, m] : acc.agentHours())
        upsert(m_upsertAgentHour, {k.hour, k.agent, k.model, k.team, k.feature, k.provider}, m);
    for (const auto *row : sortedTaskDays(acc)) {
        const auto &k = row->first;
        upsert(m_upsertTaskDay, {k.agent, k.day, k.task, k.team, k.feature}, row->second);
    }
}

} // namespace tl
