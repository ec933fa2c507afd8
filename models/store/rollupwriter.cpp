#include "rollupwriter.h"

#include <algorithm>
#include <string>

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
        updates += (updates.empty() ? "" : ", ") + col + " = " + table + "." + col + " + excluded." + col;
    }
    return "INSERT INTO " + table + "(" + cols + ") VALUES(" + params +
           ") ON CONFLICT(" + keyCols + ") DO UPDATE SET " + updates;
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

} // namespace

RollupWriter::RollupWriter(Database &db)
    : m_upsertHour(db,
                   upsertSql("rollup_hour", "hour, provider_id, model_id, team_id, feature_id", 5))
    , m_upsertDay(db, upsertSql("rollup_day",
                                "day, provider_id, model_id, team_id, feature_id, agent_id", 6))
    , m_upsertUserDay(db, upsertSql("rollup_user_day", "day, user_id", 2))
{}

void RollupWriter::write(const RollupAccumulator &acc)
{
    for (const auto &[k, m] : acc.hours())
        upsert(m_upsertHour, {k.hour, k.provider, k.model, k.team, k.feature}, m);
    for (const auto &[k, m] : acc.days())
        upsert(m_upsertDay, {k.day, k.provider, k.model, k.team, k.feature, k.agent}, m);
    for (const auto &[k, m] : acc.userDays())
        upsert(m_upsertUserDay, {k.day, k.user}, m);
}

} // namespace tl
