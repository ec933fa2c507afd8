#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tl {

// The additive measures every rollup keeps. One list, used for the rollup
// schema, the import accumulator and the queries, so they cannot drift.
enum Measure : int {
    MRecords,
    MRequests,
    MInputTokens,
    MCachedInputTokens,
    MCacheWriteTokens,
    MOutputTokens,
    MReasoningTokens,
    MCostNusd,             // reported where the log carries it, else computed
    MComputedNusd,         // catalog price, over the records that have one
    MReportedNusd,         // as logged, over the records that have it
    MReportedComputedNusd, // computed cost of the records that also have a reported cost
    MUnpricedRequests,     // neither reported nor computable: cost unknown
    MErrorRequests,
    MSuccessTasks,
    MFailureTasks,
    MValueNusd,
    MLatencyMsSum,
    MLatencyCount,
    // v5: appended so that older rollup tables only gain columns.
    MCacheWrite1hTokens, // 1-hour cache writes, a part of cache writes
    MWebSearchCalls,
    MFileSearchCalls,
    MToolNusd, // computed cost of the search calls, a part of computed_nusd
    MeasureCount
};

inline constexpr std::array<std::string_view, MeasureCount> kMeasureColumns = {
    "records",
    "requests",
    "input_tokens",
    "cached_input_tokens",
    "cache_write_tokens",
    "output_tokens",
    "reasoning_tokens",
    "cost_nusd",
    "computed_nusd",
    "reported_nusd",
    "reported_computed_nusd",
    "unpriced_requests",
    "error_requests",
    "success_tasks",
    "failure_tasks",
    "value_nusd",
    "latency_ms_sum",
    "latency_count",
    "cache_write_1h_tokens",
    "web_search_calls",
    "file_search_calls",
    "tool_nusd"};

struct MeasureOverflow : std::overflow_error
{
    explicit MeasureOverflow(std::string_view measure)
        : std::overflow_error("the sum of " + std::string(measure) +
                              " passes what 64 bits hold (a workspace holds up to $9.2 billion "
                              "and 9.2e18 tokens)")
    {}
};

struct Measures
{
    std::array<int64_t, MeasureCount> v{};
    int64_t &operator[](int i) { return v[size_t(i)]; }
    int64_t operator[](int i) const { return v[size_t(i)]; }
    // Checked: a sum past 64 bits throws MeasureOverflow rather than wrap
    // into a negative total (an import then fails whole, nothing kept).
    Measures &operator+=(const Measures &o)
    {
        for (size_t i = 0; i < v.size(); ++i)
            if (__builtin_add_overflow(v[i], o.v[i], &v[i]))
                throw MeasureOverflow(kMeasureColumns[i]);
        return *this;
    }
};

// A call's cost in SQL: what the log reported, else the catalog's price, else 0
// (a sum over calls; costUnknown says when every call was unpriced).
inline constexpr const char *kCallCostSql = "COALESCE(reported_nusd, computed_nusd, 0)";

// The one rule for an unknown cost: every request of the aggregate has
// neither a logged cost nor a catalog price. Its cost is unknown — shown as
// "unpriced" or null, never as $0 — and it has no share of a total.
inline bool costUnknown(const Measures &m)
{
    return m[MRequests] > 0 && m[MUnpricedRequests] >= m[MRequests];
}

} // namespace tl
