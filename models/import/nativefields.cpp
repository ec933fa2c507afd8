#include "nativefields.h"

#include "core/timeutil.h"

#include <array>
#include <charconv>
#include <cmath>
#include <unordered_map>

namespace tl {

namespace {

constexpr std::array<std::pair<std::string_view, NativeField>, 27> kFields = {{
    {"ts", NativeField::Ts},
    {"model", NativeField::Model},
    {"input_tokens", NativeField::InputTokens},
    {"output_tokens", NativeField::OutputTokens},
    {"request_id", NativeField::RequestId},
    {"provider", NativeField::Provider},
    {"cached_input_tokens", NativeField::CachedInputTokens},
    {"cache_write_tokens", NativeField::CacheWriteTokens},
    {"reasoning_tokens", NativeField::ReasoningTokens},
    {"cost_usd", NativeField::CostUsd},
    {"latency_ms", NativeField::LatencyMs},
    {"status", NativeField::Status},
    {"agent", NativeField::Agent},
    {"task_id", NativeField::TaskId},
    {"feature", NativeField::Feature},
    {"user", NativeField::User},
    {"team", NativeField::Team},
    {"outcome", NativeField::Outcome},
    {"value_usd", NativeField::ValueUsd},
    {"prompt_hash", NativeField::PromptHash},
    {"batch", NativeField::Batch},
    {"requests", NativeField::Requests},
    {"tags", NativeField::Tags},
    {"cache_write_1h_tokens", NativeField::CacheWrite1hTokens},
    {"web_search_calls", NativeField::WebSearchCalls},
    {"file_search_calls", NativeField::FileSearchCalls},
    {"service_tier", NativeField::ServiceTier},
}};

bool equalsNoCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = char(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = char(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

bool badValue(std::string &why, NativeField f, const char *expected)
{
    why = std::string(nativeFieldName(f)) + ": expected " + expected;
    return false;
}

bool parseCount(std::string_view v, int64_t &out)
{
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    return ec == std::errc() && p == v.data() + v.size();
}

bool parseMoney(std::string_view v, int64_t &nano)
{
    double d = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
    if (ec != std::errc() || p != v.data() + v.size() || !std::isfinite(d))
        return false;
    nano = usdToNano(d);
    return true;
}

int64_t *tokenSlot(NativeField f, CallRecord &r)
{
    switch (f) {
    case NativeField::InputTokens:
        return &r.inputTokens;
    case NativeField::OutputTokens:
        return &r.outputTokens;
    case NativeField::CachedInputTokens:
        return &r.cachedInputTokens;
    case NativeField::CacheWriteTokens:
        return &r.cacheWriteTokens;
    case NativeField::ReasoningTokens:
        return &r.reasoningTokens;
    case NativeField::CacheWrite1hTokens:
        return &r.cacheWrite1hTokens;
    case NativeField::WebSearchCalls:
        return &r.webSearchCalls;
    case NativeField::FileSearchCalls:
        return &r.fileSearchCalls;
    case NativeField::Requests:
        return &r.requests;
    case NativeField::LatencyMs:
        return &r.latencyMs;
    default:
        return nullptr;
    }
}

} // namespace

std::optional<NativeField> nativeFieldFromName(std::string_view name)
{
    // Called for every key of every JSON line: a hash lookup, not a scan.
    static const std::unordered_map<std::string_view, NativeField> byName(kFields.begin(),
                                                                          kFields.end());
    auto it = byName.find(name);
    return it == byName.end() ? std::nullopt : std::optional<NativeField>(it->second);
}

std::string_view nativeFieldName(NativeField f)
{
    for (const auto &[n, field] : kFields)
        if (field == f)
            return n;
    return "?";
}

bool isErrorStatus(std::string_view s)
{
    if (s.empty() || equalsNoCase(s, "ok") || equalsNoCase(s, "success") || equalsNoCase(s, "200"))
        return false;
    if (equalsNoCase(s, "retry"))
        return false; // a retried attempt that answered; the failed one is logged as error
    return true;
}

bool applyNativeText(NativeField f, std::string_view v, CallRecord &r, std::string &why)
{
    if (v.empty())
        return true;
    if (int64_t *slot = tokenSlot(f, r)) {
        int64_t n = 0;
        if (!parseCount(v, n))
            return badValue(why, f, "a non-negative integer");
        if (n < 0)
            return badValue(why, f, "a non-negative integer");
        *slot = n;
        return true;
    }
    switch (f) {
    case NativeField::Ts: {
        std::string reason;
        auto ts = parseTimestamp(v, &reason);
        if (!ts) {
            why = "ts: " + reason;
            return false;
        }
        r.tsMs = *ts;
        return true;
    }
    case NativeField::Model:
        r.model = v;
        return true;
    case NativeField::RequestId:
        r.requestId = v;
        return true;
    case NativeField::Provider:
        r.provider = v;
        return true;
    case NativeField::Status:
        r.status = v;
        return true;
    case NativeField::Agent:
        r.agent = v;
        return true;
    case NativeField::TaskId:
        r.task = v;
        return true;
    case NativeField::Feature:
        r.feature = v;
        return true;
    case NativeField::User:
        r.user = v;
        return true;
    case NativeField::Team:
        r.team = v;
        return true;
    case NativeField::PromptHash:
        r.promptHash = v;
        return true;
    case NativeField::CostUsd:
        if (!parseMoney(v, r.reportedNusd))
            return badValue(why, f, "a number of US dollars");
        r.hasReportedCost = true;
        return true;
    case NativeField::ValueUsd:
        if (!parseMoney(v, r.valueNusd))
            return badValue(why, f, "a number of US dollars");
        r.hasValue = true;
        return true;
    case NativeField::Outcome:
        if (equalsNoCase(v, "success"))
            r.outcome = Outcome::Success;
        else if (equalsNoCase(v, "failure"))
            r.outcome = Outcome::Failure;
        else if (equalsNoCase(v, "empty"))
            r.outcome = Outcome::Empty;
        else
            return badValue(why, f, "success, failure or empty");
        return true;
    case NativeField::Batch:
        if (equalsNoCase(v, "true") || v == "1" || equalsNoCase(v, "yes"))
            r.batch = true;
        else if (equalsNoCase(v, "false") || v == "0" || equalsNoCase(v, "no"))
            r.batch = false;
        else
            return badValue(why, f, "true or false");
        return true;
    case NativeField::ServiceTier:
        if (equalsNoCase(v, "standard") || equalsNoCase(v, "default") || equalsNoCase(v, "auto"))
            return true;
        if (!equalsNoCase(v, "priority") && !equalsNoCase(v, "flex") && !equalsNoCase(v, "batch"))
            return badValue(why, f, "standard, priority, flex or batch");
        applyServiceTier(equalsNoCase(v, "priority") ? "priority"
                         : equalsNoCase(v, "flex")   ? "flex"
                                                     : "batch",
                         r);
        return true;
    case NativeField::Tags: {
        // k=v;k=v
        size_t start = 0;
        while (start <= v.size()) {
            size_t end = v.find(';', start);
            if (end == std::string_view::npos)
                end = v.size();
            std::string_view pair = v.substr(start, end - start);
            if (!pair.empty()) {
                size_t eq = pair.find('=');
                if (eq == std::string_view::npos || eq == 0)
                    return badValue(why, f, "k=v pairs separated by ';'");
                appendTag(r.tagsJson, pair.substr(0, eq), pair.substr(eq + 1));
            }
            start = end + 1;
        }
        return true;
    }
    default:
        return true;
    }
}

bool applyNativeNumber(NativeField f, double value, int64_t intValue, bool isInteger, CallRecord &r,
                       std::string &why)
{
    if (int64_t *slot = tokenSlot(f, r)) {
        if (!isInteger || intValue < 0)
            return badValue(why, f, "a non-negative integer");
        *slot = intValue;
        return true;
    }
    switch (f) {
    case NativeField::Ts:
        r.tsMs = epochNumberToMs(isInteger ? double(intValue) : value);
        return true;
    case NativeField::CostUsd:
        r.reportedNusd = usdToNano(isInteger ? double(intValue) : value);
        r.hasReportedCost = true;
        return true;
    case NativeField::ValueUsd:
        r.valueNusd = usdToNano(isInteger ? double(intValue) : value);
        r.hasValue = true;
        return true;
    case NativeField::Batch:
        if (isInteger && (intValue == 0 || intValue == 1)) {
            r.batch = intValue == 1;
            return true;
        }
        return badValue(why, f, "true or false");
    default:
        return badValue(why, f, "a string");
    }
}

void appendJsonString(std::string &out, std::string_view s)
{
    out += '"';
    for (char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                static const char hex[] = "0123456789abcdef";
                out += "\\u00";
                out += hex[(c >> 4) & 0xF];
                out += hex[c & 0xF];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

void appendRawTag(std::string &json, std::string_view key, std::string_view rawJson)
{
    json += json.empty() ? '{' : ',';
    appendJsonString(json, key);
    json += ':';
    json += rawJson;
}

void appendTag(std::string &json, std::string_view key, std::string_view value)
{
    json += json.empty() ? '{' : ',';
    appendJsonString(json, key);
    json += ':';
    appendJsonString(json, value);
}

void finishTags(std::string &json)
{
    if (!json.empty())
        json += '}';
}

} // namespace tl
