#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tl {

// What the decision layer and the Simulator read from single calls beyond
// the rollups' sums, for one agent (in one team and feature) on one UTC
// day: prompt repeats, batch
// use, successful calls, and the day's tasks with their retries. Kept by
// the import (store/dayfactstable) so that an analysis reads a few
// thousand rows instead of every call of its period.
struct DayFacts
{
    int64_t hashedCalls = 0; // calls with a prompt_hash
    int64_t repeats = 0;     // ... whose prompt the agent had an answer to within the TTL before
    int64_t batchRequests = 0;
    int64_t successCalls = 0; // calls that logged a successful outcome
    int64_t successInputTokens = 0;
    int64_t tasks = 0; // distinct task ids of the day
    int64_t callsInTasks = 0;
    int64_t tasksOverFiveCalls = 0;
    int64_t retriedFailures = 0; // failed calls of a task with a later call that day
    int64_t retriedFailureNusd = 0;

    DayFacts &operator+=(const DayFacts &o);
    bool operator==(const DayFacts &o) const = default;
};

// The stored columns, in DayFacts' order (see DayFacts::values).
inline constexpr std::array<std::string_view, 10> kDayFactsColumns = {
    "hashed_calls",         "repeats",
    "batch_requests",       "success_calls",
    "success_input_tokens", "tasks",
    "calls_in_tasks",       "tasks_over_five_calls",
    "retried_failures",     "retried_failure_nusd"};

std::array<int64_t, 10> valuesOf(const DayFacts &f);
DayFacts dayFactsFrom(const std::array<int64_t, 10> &v);

// The stored key: the filters an analysis asks most (agent, team, feature)
// read the table; others count their calls (DayFactsQuery).
struct FactKey
{
    int64_t day = 0, agent = 0, team = 0, feature = 0;
    auto operator<=>(const FactKey &) const = default;
};

// One call as the counter needs it.
struct FactCall
{
    int64_t day = 0, agent = 0, team = 0, feature = 0;
    int64_t task = 0, ts = 0, requests = 1, input = 0, nusd = 0;
    int outcome = 0;
    bool failed = false, batch = false, hashed = false;
    uint64_t hash = 0; // of the prompt_hash text, when hashed
};

// An answered call (one that did not fail): what a later call's prompt
// may repeat.
struct PromptAnswer
{
    int64_t agent;
    uint64_t hash;
    int64_t ts;
};

// One task's calls of one day, in the key of its last call of the day.
struct TaskDay
{
    FactKey key;
    int64_t task = 0, calls = 0, nusd = 0;
};

// How many of each key's costliest tasks a day keeps (agent_day_tasks): as
// many as the report lists, so that the period's top tasks of any filter
// on the key are among them (see DayFactsTable).
inline constexpr size_t kTopTasksKept = 25;

// Counts DayFacts from calls fed in any order. The rules, in one place:
// - a call repeats when its agent had an answer (a call that did not fail)
//   to the same prompt within kRepeatTtlMs before it, on that day or the
//   day before (addEarlier feeds the calls before the counted days);
// - a task's calls are grouped per UTC day; every failed call but the
//   day's last one of its task was followed by another try (a retry). A
//   task counts in the team and feature of its last call of the day.
class DayFactsCounter
{
public:
    static constexpr int64_t kRepeatTtlMs = 24 * 3'600'000;

    // An answered call before the counted days: only a later call can
    // repeat it; it is not counted itself.
    void addEarlier(int64_t agent, uint64_t hash, int64_t ts);
    void add(const FactCall &c);
    // The counter is empty afterwards. `tasks`, when given, receives every
    // task's day; `lastAnswers` each agent's last answer to each prompt
    // among the calls added (all a next day's look-back needs: the last
    // answer is the nearest).
    std::map<FactKey, DayFacts> finish(std::vector<TaskDay> *tasks = nullptr,
                                       std::vector<PromptAnswer> *lastAnswers = nullptr);

    static uint64_t hashOf(std::string_view promptHash);

private:
    // Compact on purpose: a day's calls are sorted by these (a recount of
    // 1M calls spent a third of its time sorting 56-byte records).
    struct Seen
    {
        uint64_t hash;
        int64_t ts;
        int64_t agent;
        uint32_t slot; // of the call's key; unused for an earlier answer
        bool answered;
        bool counted;
    };
    struct TaskTrail
    {
        int64_t task = 0, day = 0;
        int64_t calls = 0, nusd = 0, failures = 0, failureNusd = 0;
        int64_t lastTs = INT64_MIN, lastNusd = 0;
        uint32_t slot = 0; // the key of its last call
        bool lastFailed = false;
    };
    struct KeyHash
    {
        size_t operator()(const FactKey &k) const
        {
            uint64_t h = uint64_t(k.day);
            for (int64_t v : {k.agent, k.team, k.feature})
                h = (h ^ uint64_t(v)) * 0x9E3779B97F4A7C15ull;
            return size_t(h ^ (h >> 29));
        }
    };
    uint32_t slotOf(const FactKey &k);
    TaskTrail &trailOf(int64_t task, int64_t day);

    std::vector<FactKey> m_keys; // by slot
    std::vector<DayFacts> m_facts;
    std::unordered_map<FactKey, uint32_t, KeyHash> m_slots;
    FactKey m_lastKey{INT64_MIN, 0, 0, 0};
    uint32_t m_lastSlot = 0;
    // (task, day) -> trail, open addressing: a node per task in a standard
    // map was a tenth of a recount's time. 0 is empty, else index + 1.
    std::vector<uint32_t> m_taskTable;
    std::vector<TaskTrail> m_tasks;
    std::vector<Seen> m_seen;
};

} // namespace tl
