#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tl {

enum class Outcome : int { None = 0, Success = 1, Failure = 2, Empty = 3 };

// The model of a record that carries usage but names no model (the OpenAI
// usage API's default, ungrouped report; OTel spans of some
// instrumentations): kept, counted and summed under this name, unpriced
// unless the record carries its cost — never rejected, never $0.
inline constexpr std::string_view kUnknownModel = "(unknown)";

// One parsed log record, before it reaches the store. Text fields are views
// into the reader's buffer and stay valid only until the reader's next()
// call; the importer consumes a record before asking for the next one.
//
// Token convention (the same for every source, whatever it logged):
// inputTokens is the whole prompt, cachedInputTokens and cacheWriteTokens are
// parts of it; reasoningTokens is a part of outputTokens.
struct CallRecord
{
    int64_t tsMs = 0;
    std::string_view requestId;
    std::string_view provider;
    std::string_view model;
    std::string_view agent;
    std::string_view task;
    std::string_view feature;
    std::string_view user;
    std::string_view team;
    std::string_view status;
    std::string_view promptHash;
    int64_t inputTokens = 0;
    int64_t outputTokens = 0;
    int64_t cachedInputTokens = 0;
    int64_t cacheWriteTokens = 0;
    int64_t cacheWrite1hTokens = 0; // a part of cacheWriteTokens (1-hour TTL)
    int64_t reasoningTokens = 0;
    int64_t webSearchCalls = 0;  // tool calls billed per call, not per token
    int64_t fileSearchCalls = 0;
    int serviceTier = 0;  // ServiceTier: 0 standard, 1 priority, 2 flex
    int longContext = -1; // -1 by the catalog's threshold; 0/1 as reported
    int64_t requests = 1;
    bool hasReportedCost = false;
    int64_t reportedNusd = 0;
    int64_t latencyMs = -1;
    Outcome outcome = Outcome::None;
    bool hasValue = false;
    int64_t valueNusd = 0;
    bool batch = false;
    // Compact JSON object of the record's extra fields, empty when none.
    std::string tagsJson;

    void clear()
    {
        std::string tags = std::move(tagsJson);
        tags.clear();
        *this = CallRecord();
        tagsJson = std::move(tags);
    }
};

// A service tier as the APIs write it ("priority", "flex", "default",
// "standard", "auto", "scale", "batch"): sets serviceTier (and batch).
void applyServiceTier(std::string_view tier, CallRecord &r);

// What one record may hold. Past these a value is a fault or an attack, not
// a call, and sums of millions of records must stay inside 64 bits: a
// workspace holds up to $9.2 billion (int64 nano-dollars) and 9.2e18 tokens.
inline constexpr int64_t kMaxRecordTokens = 1'000'000'000'000;  // 1e12 per count
inline constexpr int64_t kMaxRecordRequests = 1'000'000'000;     // an aggregated row
inline constexpr int64_t kMaxRecordNusd = 1'000'000'000'000'000; // $1,000,000
inline constexpr int64_t kMaxLatencyMs = 1'000'000'000;          // 11.5 days
// Calls happen between 2000 and 2100: a time outside is a unit mix-up (ms
// read as ns, a zero) that would stretch every chart and report over decades.
inline constexpr int64_t kMinCallTsMs = 946'684'800'000;   // 2000-01-01
inline constexpr int64_t kMaxCallTsMs = 4'102'444'800'000; // 2100-01-01

// USD (as logged) to nano-dollars, rounding half away from zero. A value
// that is not finite or past what 64 bits hold comes back as INT64_MAX (or
// INT64_MIN when negative), which validateRecord() refuses, never wrapped.
int64_t usdToNano(double usd);
// Checks the invariants every source must meet; returns the reason or empty.
std::string_view validateRecord(const CallRecord &r);

} // namespace tl
