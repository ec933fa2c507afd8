#pragma once

#include "core/callrecord.h"

#include <optional>
#include <string>
#include <string_view>

namespace tl {

// The native log format's fields (README "Native log format"), shared by the
// CSV and JSON Lines readers so both read exactly the same way.
enum class NativeField {
    Ts,
    Model,
    InputTokens,
    OutputTokens,
    RequestId,
    Provider,
    CachedInputTokens,
    CacheWriteTokens,
    ReasoningTokens,
    CostUsd,
    LatencyMs,
    Status,
    Agent,
    TaskId,
    Feature,
    User,
    Team,
    Outcome,
    ValueUsd,
    PromptHash,
    Batch,
    Requests,
    Tags,
    CacheWrite1hTokens,
    WebSearchCalls,
    FileSearchCalls,
    ServiceTier
};

std::optional<NativeField> nativeFieldFromName(std::string_view name);
std::string_view nativeFieldName(NativeField f);

// Applies a textual value (a CSV cell, or a JSON string) to `rec`. Empty
// text leaves the default. Returns false with `why` on a bad value.
bool applyNativeText(NativeField f, std::string_view value, CallRecord &rec, std::string &why);
// Applies a JSON number; `isInteger` tells whether it had no fraction/exponent.
bool applyNativeNumber(NativeField f, double value, int64_t intValue, bool isInteger,
                       CallRecord &rec, std::string &why);

// Appends "key":"value" (JSON-escaped) to a JSON object under construction.
void appendTag(std::string &json, std::string_view key, std::string_view value);
// Appends "key":<raw JSON> to a JSON object under construction.
void appendRawTag(std::string &json, std::string_view key, std::string_view rawJson);
// Closes an object built with appendTag (no-op for an empty one).
void finishTags(std::string &json);
void appendJsonString(std::string &out, std::string_view s);

bool isErrorStatus(std::string_view status);

} // namespace tl
