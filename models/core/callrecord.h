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

// USD (as logged) to nano-dollars, rounding half away from zero.
int64_t usdToNano(double usd);
// Checks the invariants every source must meet; returns the reason or empty.
std::string_view validateRecord(const CallRecord &r);

} // namespace tl
