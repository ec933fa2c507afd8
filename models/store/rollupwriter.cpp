#include "rollupwriter.h"

#include "core/timeutil.h"

#include <string>

namespace tl {

namespace {

std::string upsertSql(const std::string &table, const std::string &keyCols, int keyCount)
{
    std::string cols = keyCols, params, updates;
    for (int i = 0; i < keyCount; ++i)
        params += i ? ", ?" : "?";
    for (auto c : kMeasureColumns) {
        cols += ", " + std::string(c);
        params += ", ?";
        updates += (updates.empty() ? "" : ", ") + std::string(c) + " = " + std::string(c) + " + excluded."
                   + std::string(c);
    }
    return "INSERT INTO " + table + "(" + cols + ") VALUES(" + params + ") ON CONFLICT DO UPDATE SET "
           + updates;
}

size_t combine(size_t h, int64_t v)
{
    return (h ^ size_t(v)) * 0x9E3779B97F4A7C15ull + (h >> 29);
}

} // namespace

size_t RollupWriter::Hash::operator()(const DayKey &k) const
{
    size_t h = 0;
    for (int64_t v : {k.day, k.provider, k.model, k.team, k.feature, k.agent})
        h = combine(h, v);
    return h;
}

size_t RollupWriter::Hash::operator()(const HourKey &k) const
{
    size_t h = 0;
    for (int64_t v : {k.hour, k.provider, k.model, k.team, k.feature})
        h = combine(h, v);
    return h;
}

size_t RollupWriter::Hash::operator()(const UserDayKey &k) const
{
    size_t h = 0;
    for (int64_t v : {k.day, k.user})
        h = combine(h, v);
    return h;
}

RollupWriter::RollupWriter(SqliteDb &db)
    : m_db(db)
    , m_upsertHour(db, upsertSql("rollup_hour", "hour, provider_id, model_id, team_id, feature_id", 5))
    , m_upsertDay(db, upsertSql("rollup_day", "day, provider_id, model_id, team_id, feature_id, agent_id", 6))
    , m_upsertUserDay(db, upsertSql("rollup_user_day", "day, user_id", 2))
{
}

void RollupWriter::add(int64_t hour, const DayKey &dk, int64_t user, const Measures &m)
{
    m_days[dk] += m;
    m_hours[HourKey{hour, dk.provider, dk.model, dk.team, dk.feature}] += m;
    m_userDays[UserDayKey{dk.day, user}] += m;
    if (m_days.size() > kMaxKeys || m_hours.size() > kMaxKeys || m_userDays.size() > kMaxKeys)
        flush();
}

void RollupWriter::bindMeasures(Statement &st, int first, const Measures &m)
{
    for (int i = 0; i < MeasureCount; ++i)
        st.bind(first + i, m[i]);
}

void RollupWriter::flush()
{
    for (const auto &[k, m] : m_hours) {
        int i = 1;
        for (int64_t v : {k.hour, k.provider, k.model, k.team, k.feature})
            m_upsertHour.bind(i++, v);
        bindMeasures(m_upsertHour, i, m);
        m_upsertHour.step();
        m_upsertHour.reset();
    }
    for (const auto &[k, m] : m_days) {
        int i = 1;
        for (int64_t v : {k.day, k.provider, k.model, k.team, k.feature, k.agent})
            m_upsertDay.bind(i++, v);
        bindMeasures(m_upsertDay, i, m);
        m_upsertDay.step();
        m_upsertDay.reset();
    }
    for (const auto &[k, m] : m_userDays) {
        int i = 1;
        for (int64_t v : {k.day, k.user})
            m_upsertUserDay.bind(i++, v);
        bindMeasures(m_upsertUserDay, i, m);
        m_upsertUserDay.step();
        m_upsertUserDay.reset();
    }
    discard();
}

void RollupWriter::discard()
{
    m_days.clear();
    m_hours.clear();
    m_userDays.clear();
}

} // namespace tl
