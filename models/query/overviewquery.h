#pragma once

#include "query/coverage.h"
#include "query/summaryquery.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tl {

// Everything the Overview shows for one filter, in one worker-thread call:
// totals against the previous equal period, spend over time stacked by one
// dimension (top names + "Other"), the top agents and the model mix.
struct OverviewData
{
    int64_t fromDay = 0, toDay = -1; // the period shown (data bounds when unset)
    Measures totals;
    bool hasPrevious = false; // previous holds the period before (not "all data")
    Measures previous;
    // How much of the period and the one before the data covers; a change
    // is shown only when comparison.comparable.
    PeriodComparison comparison;
    bool workspaceEmpty = true;                 // no calls at all (not just in this period)
    int64_t dataFirstDay = 0, dataLastDay = -1; // the workspace's days with data
    TimeBucket bucket = TimeBucket::Day;
    Dimension stackBy = Dimension::Model;
    std::vector<int64_t> buckets;                           // bucket starts: hour or day numbers
    std::vector<std::string> stackNames;                    // top names, then "Other" when any
    std::vector<std::vector<int64_t>> stackCost;            // [stack][bucket], nano-dollars
    std::vector<std::pair<std::string, int64_t>> topAgents; // by cost, ≤ 10
    std::vector<std::pair<std::string, int64_t>> modelMix;  // by cost
    std::vector<std::pair<std::string, int64_t>> topTeams;  // by cost, ≤ 10
    // Spend of the teams and agents in the previous period, when the two
    // periods are comparable (for the change beside each name).
    std::map<std::string, int64_t> previousByTeam, previousByAgent;
    std::string table; // which table answered the series
    // Infrastructure cost of the period from imported cloud bills, beside
    // the LLM cost: hasInfra false when no bill is imported; infraNusd
    // nullopt when the filter names what a bill does not carry (a model).
    bool hasInfra = false;
    std::optional<int64_t> infraNusd;
};

class OverviewQuery
{
public:
    static constexpr const char *kOther = "Other";
    static OverviewData run(Workspace &ws, const CallFilter &filter, TimeBucket bucket,
                            Dimension stackBy, size_t maxStacks = 8);
    // Bucket starts from fromDay to toDay inclusive (hours or days).
    // (The fast path below reads only the measures the Overview shows:
    // records, requests, input/cached/output tokens, cost, unpriced, successes.)
    static std::vector<int64_t> bucketStarts(int64_t fromDay, int64_t toDay, TimeBucket bucket);

private:
    static OverviewData collect(Workspace &ws, const CallFilter &filter, TimeBucket bucket,
                                Dimension stackBy, size_t maxStacks);
    static void trimToData(OverviewData &o);
    static void runFromRollups(Workspace &ws, const CallFilter &f, bool hasPrevious,
                               size_t maxStacks, const char *hourTable, OverviewData &o);
};

} // namespace tl
