#pragma once

#include "core/measures.h"

#include <cstdint>
#include <unordered_map>

namespace tl {

// Sums of measures per key of each rollup, in memory. The parsing thread
// fills one as it prepares calls; RollupWriter adds it to the tables.
//
// Grains: day x provider x model x team x feature x agent (every view of a
// day or longer), hour x provider x model x team x feature (hourly views;
// with agent it held a row per 2 calls for a 300-agent fleet, no rollup at
// all), day x user, the day's key by hour (kRollupAgentHour) and a task's
// day (kRollupTaskDay).
class RollupAccumulator
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
    struct AgentHourKey
    {
        int64_t hour, agent, model, team, feature, provider; // kRollupAgentHour's order
        bool operator==(const AgentHourKey &) const = default;
    };
    struct TaskDayKey
    {
        int64_t agent, day, task, team, feature; // kRollupTaskDay's order
        bool operator==(const TaskDayKey &) const = default;
    };
    struct Hash
    {
        size_t operator()(const DayKey &k) const;
        size_t operator()(const HourKey &k) const;
        size_t operator()(const UserDayKey &k) const;
        size_t operator()(const AgentHourKey &k) const;
        size_t operator()(const TaskDayKey &k) const;
    };
    template <class K> using Map = std::unordered_map<K, Measures, Hash>;

    void add(int64_t hour, const DayKey &dk, int64_t user, int64_t task, const Measures &m);
    size_t keys() const
    {
        return m_days.size() + m_hours.size() + m_userDays.size() + m_agentHours.size() +
               m_taskDays.size();
    }
    bool full() const { return keys() > kMaxKeys; }
    void clear();

    const Map<DayKey> &days() const { return m_days; }
    const Map<HourKey> &hours() const { return m_hours; }
    const Map<UserDayKey> &userDays() const { return m_userDays; }
    const Map<AgentHourKey> &agentHours() const { return m_agentHours; }
    const Map<TaskDayKey> &taskDays() const { return m_taskDays; }

private:
    Map<DayKey> m_days;
    Map<HourKey> m_hours;
    Map<UserDayKey> m_userDays;
    Map<AgentHourKey> m_agentHours;
    Map<TaskDayKey> m_taskDays;
};

} // namespace tl
