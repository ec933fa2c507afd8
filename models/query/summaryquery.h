#pragma once

#include "core/dimension.h"
#include "core/measures.h"

#include <array>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tl {

class Workspace;

// How every view shows a dimension left empty in the logs (stored as id 0).
inline constexpr const char *kNoneName = "(none)";

// A grouping key of a summary: a dimension, or a time bucket.
enum class TimeBucket { None, Hour, Day, Week, Month };

struct GroupKey
{
    std::optional<Dimension> dimension;
    TimeBucket time = TimeBucket::None;
    std::string name() const;
    static std::optional<GroupKey> fromName(const std::string &name); // agent, day, week…
};

// Which calls to count: inclusive UTC days and, per dimension, the names to keep.
struct CallFilter
{
    std::optional<int64_t> fromDay;
    std::optional<int64_t> toDay;
    std::map<Dimension, std::vector<std::string>> include;
    // A window inside the days, [fromMs, toMs), for request-level views that
    // show an anomaly's own calls; summaries then read the calls table.
    std::optional<std::pair<int64_t, int64_t>> windowMs;
    bool isEmpty() const { return !fromDay && !toDay && include.empty() && !windowMs; }
    // The same filter over the equally long period just before this one
    // (nullopt without both ends).
    std::optional<CallFilter> previousPeriod() const;
};

struct SummaryRow
{
    std::vector<std::string> keys;  // one per group key, display form
    std::vector<int64_t> keyValues; // dimension id or bucket start (day/hour number)
    Measures m;
};

// Sums by key before naming: dimension ids and bucket starts, unordered,
// rows over no calls left out.
struct SummarySums
{
    // The group keys in order, the rest 0: a fixed array, as a vector each
    // was an allocation per row (31k of them for a busy agent's tasks).
    using Key = std::array<int64_t, 8>;
    std::vector<std::pair<Key, Measures>> rows;
    std::string table;
};

struct SummaryResult
{
    std::vector<GroupKey> groups;
    std::vector<SummaryRow> rows;
    Measures totals;
    std::string table; // which table answered (for tests and benchmarks)
};

// Aggregates calls by any mix of dimensions and time buckets. Answers from
// the smallest rollup that carries every key and filter (rollup_day,
// rollup_hour, rollup_agent_hour, rollup_user_day, rollup_task_day); only a
// task with a model, provider, user or hour, a user with another dimension,
// or a millisecond window reads the calls table.
class SummaryQuery
{
public:
    static SummaryResult run(Workspace &ws, const CallFilter &filter,
                             const std::vector<GroupKey> &groups);
    // Only the rows whose `dimension` id is one of `ids`.
    struct IdList
    {
        Dimension dimension;
        std::vector<int64_t> ids;
    };
    // The same sums unnamed and unsorted: for a caller that names only some
    // rows (the Explore drill names a busy agent's costliest tasks, not all).
    static SummarySums sums(Workspace &ws, const CallFilter &filter,
                            const std::vector<GroupKey> &groups, const IdList *only = nullptr);
    // Each id's cost and calls alone, ids with calls only: for a caller that
    // ranks before it reads. Adding 22 measures of each of a busy agent's
    // 79k task days was most of its drill (a server's sending them too).
    struct Cost
    {
        int64_t id;
        int64_t costNusd;
        int64_t records;
    };
    static std::vector<Cost> costs(Workspace &ws, const CallFilter &filter, Dimension dimension);
    // Whether run() would answer from a rollup (cheap) rather than the calls.
    static bool fromRollups(const CallFilter &filter, const std::vector<GroupKey> &groups);
};

// First and last day with calls, or nullopt for an empty workspace.
std::optional<std::pair<int64_t, int64_t>> dataDayBounds(Workspace &ws);

std::string formatUsd(int64_t nusd, int decimals = 2); // "$1,234.57"; 0-9 decimals
std::string formatDollars(double usd);                 // the same for an amount in dollars
std::string formatPoints(double shareChange);          // +0.012 -> "+1.2 pts" (success rates)
std::string formatRoi(double roi);                     // (value - cost) / cost: "0.50"
std::string nanoToDecimal(int64_t nusd);               // "1234.567890123", exact
std::string groupThousands(std::string digits);        // "1234567" -> "1,234,567"

} // namespace tl
