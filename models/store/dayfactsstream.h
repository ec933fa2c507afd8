#pragma once

#include "dayfactsparts.h"

#include <cstdint>
#include <deque>
#include <future>
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace tl {

class Database;

// Counts the facts of an import's new days from its calls as they stream
// past, instead of reading every day back from the store after the rows
// are in (the read back was half of the recount: ~9% of a 10M-call import).
//
// Only what the stream alone decides exactly is counted here: days that
// held no calls before the import, met in time order (a day may still
// take calls in the next one's first hour: a log written as calls end,
// stamped as they start, crosses midnight out of order). A first day that held
// calls (a log rotated during a day) is left to the recount, but gives
// the next day its look-back. Anything else — a later day that held
// calls, a call of a day already closed, a pause over a day that holds
// calls — and the stream gives up: the import then marks every day it
// touched for the recount, as before (`fellBack`).
class DayFactsStream
{
public:
    // Reads which days hold calls now: before the import writes any.
    explicit DayFactsStream(Database &db);
    ~DayFactsStream(); // waits for a day being counted

    // A new call (not a duplicate, not refused). The first one reads the
    // day before from the store, so it comes before the import drops the
    // calls' indexes.
    void add(const FactCall &c);
    // Closes the days still open. Returns the days the recount must still
    // count (the day before the first, and the last and the day after,
    // when those already held calls; a first day that did): for
    // DayFactsTable::markDirty without neighbours. Empty once fellBack().
    std::vector<int64_t> finish();
    bool fellBack() const { return m_fellBack; }

    // How late a day's call may come among the next day's: the call's end
    // logged after the next day's first calls. A later one is counted by
    // the recount (the stream gives up), correctly but slower.
    static constexpr int64_t kLateCallMs = 3'600'000;

private:
    struct OpenDay
    {
        int64_t day = 0;
        DayFactsCounter counter;
        // A first day that held calls collects only the look-back, call by
        // call; a counted day's comes from its counter when it finishes
        // (each agent's last answer to a prompt, and its tasks' ids), not
        // from a copy of every call's.
        bool recounted = false;
        std::vector<DayFactsTable::Answer> answers;
        DayFactsTable::TaskIds ids;
    };
    // A closed day as its counter finished it.
    struct Counted
    {
        int64_t day = 0;
        std::map<FactKey, DayFacts> facts;
        std::vector<TaskDay> tasks;
        DayFactsTable::TaskIds ids; // sealed
        std::vector<DayFactsTable::Answer> answers;
    };

    bool held(int64_t day) const { return m_heldDays.count(day) > 0; }
    void open(int64_t day);
    // The oldest open day: its counter finishes on a thread of its own
    // (sorting a day's prompts is most of the count, and the import's
    // storing thread is the busy one) while the next day's calls come in.
    void close();
    void land(Counted &&c); // writes a finished day's rows
    void giveUp();          // frees what is counted: the recount will do it all

    Database &m_db;
    std::set<int64_t> m_heldDays; // that held calls before the import
    std::deque<OpenDay> m_open;   // at most two, oldest first
    // The last closed day's answers: the next day's look-back.
    int64_t m_answersDay = INT64_MIN;
    std::vector<DayFactsTable::Answer> m_answers;
    std::optional<std::future<Counted>> m_counting; // at most one day
    // The last landed day's (or the store's day before the first) task
    // ids, and its tasks waiting for the next day's.
    int64_t m_landedDay = INT64_MIN;
    DayFactsTable::TaskIds m_landedIds;
    DayFactsTable::PendingTasks m_pending;
    std::vector<int64_t> m_recount;
    bool m_started = false, m_fellBack = false;
};

} // namespace tl
