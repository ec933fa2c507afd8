#include "dayfacts.h"

#include "callrecord.h"

#include <algorithm>
#include <functional>

namespace tl {

DayFacts &DayFacts::operator+=(const DayFacts &o)
{
    auto v = valuesOf(*this);
    const auto w = valuesOf(o);
    for (size_t i = 0; i < v.size(); ++i)
        v[i] += w[i];
    return *this = dayFactsFrom(v);
}

std::array<int64_t, 10> valuesOf(const DayFacts &f)
{
    return {f.hashedCalls,        f.repeats,
            f.batchRequests,      f.successCalls,
            f.successInputTokens, f.tasks,
            f.callsInTasks,       f.tasksOverFiveCalls,
            f.retriedFailures,    f.retriedFailureNusd};
}

DayFacts dayFactsFrom(const std::array<int64_t, 10> &v)
{
    DayFacts f;
    f.hashedCalls = v[0];
    f.repeats = v[1];
    f.batchRequests = v[2];
    f.successCalls = v[3];
    f.successInputTokens = v[4];
    f.tasks = v[5];
    f.callsInTasks = v[6];
    f.tasksOverFiveCalls = v[7];
    f.retriedFailures = v[8];
    f.retriedFailureNusd = v[9];
    return f;
}

uint64_t DayFactsCounter::hashOf(std::string_view promptHash)
{
    return std::hash<std::string_view>()(promptHash);
}

void DayFactsCounter::addEarlier(int64_t agent, uint64_t hash, int64_t ts)
{
    m_seen.push_back({hash, ts, agent, 0, true, false});
}

uint32_t DayFactsCounter::slotOf(const FactKey &k)
{
    // Calls come in runs of one agent's (the store keeps them by agent).
    if (k == m_lastKey)
        return m_lastSlot;
    auto [it, added] = m_slots.try_emplace(k, uint32_t(m_keys.size()));
    if (added) {
        m_keys.push_back(k);
        m_facts.emplace_back();
    }
    m_lastKey = k;
    m_lastSlot = it->second;
    return it->second;
}

DayFactsCounter::TaskTrail &DayFactsCounter::trailOf(int64_t task, int64_t day)
{
    if (m_tasks.size() * 2 >= m_taskTable.size()) {
        std::vector<uint32_t> table(std::max<size_t>(1024, m_taskTable.size() * 2), 0);
        const size_t mask = table.size() - 1;
        for (size_t i = 0; i < m_tasks.size(); ++i) {
            size_t h = size_t((uint64_t(m_tasks[i].task) ^
                               uint64_t(m_tasks[i].day) * 0x9E3779B97F4A7C15ull) *
                                  0xBF58476D1CE4E5B9ull >>
                              20) &
                       mask;
            while (table[h] != 0)
                h = (h + 1) & mask;
            table[h] = uint32_t(i + 1);
        }
        m_taskTable = std::move(table);
    }
    const size_t mask = m_taskTable.size() - 1;
    size_t h =
        size_t((uint64_t(task) ^ uint64_t(day) * 0x9E3779B97F4A7C15ull) * 0xBF58476D1CE4E5B9ull >>
               20) &
        mask;
    for (;; h = (h + 1) & mask) {
        const uint32_t at = m_taskTable[h];
        if (at == 0) {
            m_taskTable[h] = uint32_t(m_tasks.size() + 1);
            TaskTrail &t = m_tasks.emplace_back();
            t.task = task;
            t.day = day;
            return t;
        }
        TaskTrail &t = m_tasks[at - 1];
        if (t.task == task && t.day == day)
            return t;
    }
}

void DayFactsCounter::add(const FactCall &c)
{
    const uint32_t slot = slotOf({c.day, c.agent, c.team, c.feature});
    DayFacts &f = m_facts[slot];
    if (c.batch)
        f.batchRequests += c.requests;
    if (c.outcome == int(Outcome::Success)) {
        f.successCalls += 1;
        f.successInputTokens += c.input;
    }
    if (c.hashed) {
        f.hashedCalls += 1;
        m_seen.push_back({c.hash, c.ts, c.agent, slot, !c.failed, true});
    }
    if (c.task != 0) {
        TaskTrail &t = trailOf(c.task, c.day);
        ++t.calls;
        t.nusd += c.nusd;
        if (c.failed) {
            ++t.failures;
            t.failureNusd += c.nusd;
        }
        if (c.ts >= t.lastTs) {
            t.slot = slot;
            t.lastTs = c.ts;
            t.lastFailed = c.failed;
            t.lastNusd = c.nusd;
        }
    }
}

std::map<FactKey, DayFacts> DayFactsCounter::finish(std::vector<TaskDay> *tasks,
                                                    std::vector<PromptAnswer> *lastAnswers)
{
    if (tasks)
        tasks->reserve(tasks->size() + m_tasks.size());
    for (const TaskTrail &t : m_tasks) {
        if (tasks)
            tasks->push_back({m_keys[t.slot], t.task, t.calls, t.nusd});
        DayFacts &f = m_facts[t.slot];
        ++f.tasks;
        f.callsInTasks += t.calls;
        f.tasksOverFiveCalls += t.calls > 5;
        f.retriedFailures += t.failures - (t.lastFailed ? 1 : 0);
        f.retriedFailureNusd += t.failureNusd - (t.lastFailed ? t.lastNusd : 0);
    }
    m_tasks.clear();
    m_taskTable.clear();
    std::sort(m_seen.begin(), m_seen.end(), [](const Seen &x, const Seen &y) {
        if (x.hash != y.hash)
            return x.hash < y.hash;
        return x.agent != y.agent ? x.agent < y.agent : x.ts < y.ts;
    });
    // Calls of the same millisecond never answer each other: each group of
    // one time is judged against the answers strictly before it, whatever
    // order the calls came in.
    int64_t lastAnswer = INT64_MIN;
    for (size_t i = 0; i < m_seen.size();) {
        const Seen &first = m_seen[i];
        if (i == 0 || first.agent != m_seen[i - 1].agent || first.hash != m_seen[i - 1].hash)
            lastAnswer = INT64_MIN;
        size_t end = i;
        bool answered = false;
        for (; end < m_seen.size() && m_seen[end].agent == first.agent &&
               m_seen[end].hash == first.hash && m_seen[end].ts == first.ts;
             ++end) {
            const Seen &s = m_seen[end];
            if (s.counted && lastAnswer != INT64_MIN && s.ts - lastAnswer <= kRepeatTtlMs)
                ++m_facts[s.slot].repeats;
            answered |= s.answered;
        }
        if (answered)
            lastAnswer = first.ts;
        i = end;
    }
    if (lastAnswers) {
        // Sorted by prompt, agent and time: the last of each run.
        const size_t first = lastAnswers->size();
        for (const Seen &s : m_seen) {
            if (!s.counted || !s.answered)
                continue;
            if (lastAnswers->size() > first && lastAnswers->back().hash == s.hash &&
                lastAnswers->back().agent == s.agent)
                lastAnswers->back().ts = s.ts;
            else
                lastAnswers->push_back({s.agent, s.hash, s.ts});
        }
    }
    m_seen.clear();
    m_seen.shrink_to_fit();
    std::map<FactKey, DayFacts> out;
    for (size_t i = 0; i < m_keys.size(); ++i)
        out.emplace(m_keys[i], m_facts[i]);
    m_keys.clear();
    m_facts.clear();
    m_slots.clear();
    m_lastKey = FactKey{INT64_MIN, 0, 0, 0};
    return out;
}

} // namespace tl
