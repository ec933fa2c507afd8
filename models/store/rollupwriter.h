#pragma once

#include "core/measures.h"
#include "sqlitedb.h"

#include <array>
#include <cstdint>
#include <unordered_map>

namespace tl {

// Keeps the rollup tables current during an import: measures are summed in
// memory per key of each rollup and added to the tables with an UPSERT on
// flush(). Memory is bounded by distinct keys, flushed at kMaxKeys.
//
// Grains: day x provider x model x team x feature x agent (every view of a
// day or longer), hour x provider x model x team x feature (hourly views;
// with agent it held a row per 2 calls for a 300-agent fleet, no rollup at
// all), and day x user.
class RollupWriter
{
public:
    static constexpr size_t kMaxKeys = 200'000;

    struct DayKey
    {
        int64_t day, provider, model, team, feature, agent;
        bool operator==(const DayKey &) const = default;
    };
    struct HourKey
    {
        int64_t hour, provider, model, team, feature;
        bool operator==(const HourKey &) const = default;
    };
    struct UserDayKey
    {
        int64_t day, user;
        bool operator==(const UserDayKey &) const = default;
    };

    explicit RollupWriter(SqliteDb &db);

    void add(int64_t hour, const DayKey &dk, int64_t user, const Measures &m);
    void flush();
    void discard();

private:
    struct Hash
    {
        size_t operator()(const DayKey &k) const;
        size_t operator()(const HourKey &k) const;
        size_t operator()(const UserDayKey &k) const;
    };

    void bindMeasures(Statement &st, int first, const Measures &m);

    SqliteDb &m_db;
    std::unordered_map<DayKey, Measures, Hash> m_days;
    std::unordered_map<HourKey, Measures, Hash> m_hours;
    std::unordered_map<UserDayKey, Measures, Hash> m_userDays;
    Statement m_upsertHour;
    Statement m_upsertDay;
    Statement m_upsertUserDay;
};

} // namespace tl
