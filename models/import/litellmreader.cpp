#include "litellmreader.h"

#include "nativefields.h"

#include <cmath>

namespace tl {

using namespace simdjson;

namespace {

using Element = StructuredReader::Element;

// "agent:triage" in request_tags -> triage, for the attribution fallbacks.
std::string_view tagValue(const Element &tags, std::string_view prefix)
{
    if (!tags || !tags->is_array())
        return {};
    for (dom::element t : tags->get_array()) {
        std::string_view s = StructuredReader::str(t);
        if (s.size() > prefix.size() && s.substr(0, prefix.size()) == prefix &&
            s[prefix.size()] == ':')
            return s.substr(prefix.size() + 1);
    }
    return {};
}

} // namespace

bool LiteLlmReader::sniffJson(std::string_view head)
{
    size_t i = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (i == std::string_view::npos || (head[i] != '[' && head[i] != '{'))
        return false;
    return head.find("\"spend\"") != std::string_view::npos &&
           (head.find("\"prompt_tokens\"") != std::string_view::npos ||
            head.find("\"call_type\"") != std::string_view::npos);
}

bool LiteLlmReader::sniffCsv(std::string_view head)
{
    std::string_view first = head.substr(0, head.find('\n'));
    return first.find("request_id") != std::string_view::npos &&
           first.find("spend") != std::string_view::npos &&
           first.find("prompt_tokens") != std::string_view::npos &&
           first.find('{') == std::string_view::npos;
}

RecordReader::Status LiteLlmReader::map(const Row &row, CallRecord &r)
{
    RecordArena &strings = arena();
    std::string why;
    auto ts = time(row, "startTime", &why);
    if (!ts)
        return reject(why.empty() ? "startTime: missing" : "startTime: " + why);
    r.tsMs = *ts;
    if (!row.count("prompt_tokens", r.inputTokens))
        return reject("prompt_tokens: expected a non-negative integer");
    if (!row.count("completion_tokens", r.outputTokens))
        return reject("completion_tokens: expected a non-negative integer");
    const Element metadata = row.json("metadata");
    const Element requestTags = row.json("request_tags");
    const Element usage = at(metadata, {"usage_object"});
    r.cachedInputTokens = integer(at(usage, {"prompt_tokens_details", "cached_tokens"}),
                                  integer(at(usage, {"cache_read_input_tokens"})));
    // Anthropic's name, or the OpenAI-style detail LiteLLM's usage object
    // carries for providers that report cache writes.
    r.cacheWriteTokens =
        integer(at(usage, {"cache_creation_input_tokens"}),
                integer(at(usage, {"prompt_tokens_details", "cache_creation_tokens"}),
                        integer(at(usage, {"prompt_tokens_details", "cache_write_tokens"}))));
    r.reasoningTokens = integer(at(usage, {"completion_tokens_details", "reasoning_tokens"}));
    // Current LiteLLM counts cache writes inside prompt_tokens; one older
    // release did not. When the parts exceed the whole, the whole left them out.
    if (r.cachedInputTokens + r.cacheWriteTokens > r.inputTokens)
        r.inputTokens += r.cacheWriteTokens;

    r.model = strings.keep(row.text("model").value_or(""));
    if (r.model.empty())
        r.model = strings.keep(row.text("model_group").value_or(""));
    r.requestId = strings.keep(row.text("request_id").value_or(row.text("id").value_or("")));
    r.provider = strings.keep(row.text("custom_llm_provider").value_or(""));
    if (auto spend = row.number("spend")) {
        r.hasReportedCost = true;
        r.reportedNusd = usdToNano(*spend);
    } else if (auto cost = row.number("response_cost")) {
        r.hasReportedCost = true;
        r.reportedNusd = usdToNano(*cost);
    }
    if (auto ms = row.number("request_duration_ms")) {
        r.latencyMs = int64_t(*ms);
    } else if (auto end = time(row, "endTime", nullptr)) {
        if (*end >= r.tsMs)
            r.latencyMs = *end - r.tsMs;
    }
    std::string_view status = row.text("status").value_or("");
    r.status = status == "failure" ? std::string_view("error") : std::string_view("ok");
    const Element extra = at(metadata, {"spend_logs_metadata"});
    auto pick = [&](std::initializer_list<std::string_view> candidates) {
        for (std::string_view c : candidates)
            if (!c.empty())
                return strings.keep(c);
        return std::string_view();
    };
    r.agent = pick({row.text("agent_id").value_or(""), str(at(extra, {"agent"})),
                    tagValue(requestTags, "agent")});
    r.task = pick({row.text("session_id").value_or(""), str(at(extra, {"task_id"})),
                   tagValue(requestTags, "task")});
    r.feature = pick({str(at(extra, {"feature"})), tagValue(requestTags, "feature")});
    r.user = pick({row.text("end_user").value_or(""), row.text("user").value_or("")});
    r.team =
        pick({str(at(metadata, {"user_api_key_team_alias"})), row.text("team_id").value_or("")});
    if (requestTags && requestTags->is_array()) {
        std::string tags = simdjson::minify(*requestTags);
        appendRawTag(r.tagsJson, "request_tags", tags);
        finishTags(r.tagsJson);
    }
    return Status::Record;
}

} // namespace tl
