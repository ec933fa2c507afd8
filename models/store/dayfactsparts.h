#pragma once

#include "core/dayfacts.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tl {

class Database;

// The pieces of a day's recount that the importer's in-stream count
// (DayFactsStream) shares with DayFactsTable::refresh: one rule for what
// a day's rows are, whoever counted them.
namespace DayFactsTable {

// A day's task ids: gathered call by call, looked up once sorted (a hash
// set's node per task was a tenth of a recount).
struct TaskIds
{
    std::vector<int64_t> ids;
    bool sorted = false;
    void add(int64_t task)
    {
        ids.push_back(task);
        sorted = false;
    }
    void seal()
    {
        if (!sorted) {
            std::sort(ids.begin(), ids.end());
            ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
            sorted = true;
        }
    }
    bool contains(int64_t task)
    {
        seal();
        return std::binary_search(ids.begin(), ids.end(), task);
    }
};

using Answer = PromptAnswer;

// A day's tasks waiting for the next day's task ids.
struct PendingTasks
{
    int64_t day = INT64_MIN;
    std::vector<TaskDay> tasks;
    TaskIds previousIds; // the task ids of the day before
};

// The stored calls of `day` as the day before the counted ones: their
// answers into `counter`, and (when asked) their task ids.
void readEarlier(Database &db, DayFactsCounter &counter, int64_t day, const std::string &andWhere,
                 TaskIds *taskIds = nullptr);
// The same, into `answers` (appended) and `taskIds`.
void readAnswers(Database &db, int64_t day, std::vector<Answer> &answers, TaskIds &taskIds);
// Replaces the day's rows of agent_day_tasks: each key's kTopTasksKept
// costliest tasks, and every task that also has calls the day before or
// after. Leaves `p` empty.
void writeTasks(Database &db, PendingTasks &p, TaskIds &&nextIds);
// Replaces the day's rows of agent_day_facts.
void writeFacts(Database &db, int64_t day, const std::map<FactKey, DayFacts> &facts);

} // namespace DayFactsTable

} // namespace tl
