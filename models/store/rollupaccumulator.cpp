#include "rollupaccumulator.h"

namespace tl {

namespace {

size_t combine(size_t h, int64_t v)
{
    return (h ^ size_t(v)) * 0x9E3779B97F4A7C15ull + (h >> 29);
}

} // namespace

size_t RollupAccumulator::Hash::operator()(const DayKey &k) const
{
    size_t h = 0;
    for (int64_t v : {k.day, k.provider, k.model, k.team, k.feature, k.agent})
        h = combine(h, v);
    return h;
}

size_t RollupAccumulator::Hash::operator()(const HourKey &k) const
{
    size_t h = 0;
    for (int64_t v : {k.hour, k.provider, k.model, k.team, k.feature})
        h = combine(h, v);
    return h;
}

size_t RollupAccumulator::Hash::operator()(const UserDayKey &k) const
{
    return combine(combine(0, k.day), k.user);
}

size_t RollupAccumulator::Hash::operator()(const AgentHourKey &k) const
{
    size_t h = 0;
    for (int64_t v : {k.hour, k.agent, k.model, k.team, k.feature, k.provider})
        h = combine(h, v);
    return h;
}

size_t RollupAccumulator::Hash::operator()(const TaskDayKey &k) const
{
    size_t h = 0;
    for (int64_t v : {k.agent, k.day, k.task, k.team, k.feature})
        h = combine(h, v);
    return h;
}

void RollupAccumulator::add(int64_t hour, const DayKey &dk, int64_t user, int64_t task,
                            const Measures &m)
{
    m_days[dk] += m;
    m_hours[HourKey{hour, dk.provider, dk.model, dk.team, dk.feature}] += m;
    m_userDays[UserDayKey{dk.day, user}] += m;
    m_agentHours[AgentHourKey{hour, dk.agent, dk.model, dk.team, dk.feature, dk.provider}] += m;
    m_taskDays[TaskDayKey{dk.agent, dk.day, task, dk.team, dk.feature}] += m;
}

void RollupAccumulator::clear()
{
    m_days.clear();
    m_hours.clear();
    m_userDays.clear();
    m_agentHours.clear();
    m_taskDays.clear();
}

} // namespace tl
