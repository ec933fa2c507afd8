#include "apiresponsereader.h"

#include "core/timeutil.h"
#include "nativefields.h"

namespace tl {

using namespace simdjson;

namespace {

// -1: present but not a non-negative integer; 0 when absent.
int64_t count(const StructuredReader::Element &e)
{
    if (!e)
        return 0;
    if (e->is_int64() && int64_t(e->get_int64()) >= 0)
        return int64_t(e->get_int64());
    if (e->is_uint64())
        return int64_t(e->get_uint64());
    return -1;
}

} // namespace

bool ApiResponseReader::sniff(std::string_view head)
{
    size_t i = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (i == std::string_view::npos || head[i] != '{')
        return false;
    std::string_view first = head.substr(i, head.find('\n', i) - i);
    if (first.find("\"usage\"") == std::string_view::npos)
        return false;
    for (std::string_view marker :
         {"\"chat.completion\"", "\"object\":\"response\"", "\"object\": \"response\"",
          "\"type\":\"message\"", "\"type\": \"message\""})
        if (first.find(marker) != std::string_view::npos)
            return true;
    return false;
}

RecordReader::Status ApiResponseReader::map(const Row &row, CallRecord &r)
{
    RecordArena &strings = arena();
    const Element &doc = row.object();
    // Wrapped ({"response": {...}, "agent": ...}) or bare.
    Element body = at(doc, {"response"});
    std::string path = "$.response";
    if (!body || !body->is_object()) {
        body = doc;
        path = "$";
    }
    const Element usage = at(body, {"usage"});
    if (!usage)
        return reject(path + ".usage: missing (expected the response's token usage)");
    const std::string_view object = str(at(body, {"object"}));
    const bool anthropic = str(at(body, {"type"})) == "message";

    const std::string usagePath = path + ".usage.";
    auto need = [&](const Element &e, const char *name, int64_t &target) {
        target = count(e);
        return target >= 0 ? std::string() : usagePath + name + ": expected a non-negative integer";
    };
    std::string bad;
    if (anthropic) {
        int64_t uncached = 0, reads = 0, writes = 0, w5m = 0, w1h = 0;
        for (std::string err :
             {need(at(usage, {"input_tokens"}), "input_tokens", uncached),
              need(at(usage, {"cache_read_input_tokens"}), "cache_read_input_tokens", reads),
              need(at(usage, {"cache_creation_input_tokens"}), "cache_creation_input_tokens",
                   writes),
              need(at(usage, {"cache_creation", "ephemeral_5m_input_tokens"}),
                   "cache_creation.ephemeral_5m_input_tokens", w5m),
              need(at(usage, {"cache_creation", "ephemeral_1h_input_tokens"}),
                   "cache_creation.ephemeral_1h_input_tokens", w1h),
              need(at(usage, {"server_tool_use", "web_search_requests"}),
                   "server_tool_use.web_search_requests", r.webSearchCalls),
              need(at(usage, {"output_tokens"}), "output_tokens", r.outputTokens),
              need(at(usage, {"output_tokens_details", "thinking_tokens"}),
                   "output_tokens_details.thinking_tokens", r.reasoningTokens)})
            if (bad.empty())
                bad = err;
        // The split by TTL is the newer field; the total stays authoritative
        // when both are present (the split of an older total is unknown).
        if (w5m + w1h > writes)
            writes = w5m + w1h;
        // Anthropic's input_tokens is the uncached part only.
        r.inputTokens = uncached + reads + writes;
        r.cachedInputTokens = reads;
        r.cacheWriteTokens = writes;
        r.cacheWrite1hTokens = w1h;
        applyServiceTier(str(at(usage, {"service_tier"})), r);
        r.provider = "anthropic";
    } else {
        const bool chat = at(usage, {"prompt_tokens"}).has_value();
        for (std::string err :
             {need(at(usage, {chat ? "prompt_tokens" : "input_tokens"}),
                   chat ? "prompt_tokens" : "input_tokens", r.inputTokens),
              need(at(usage, {chat ? "completion_tokens" : "output_tokens"}),
                   chat ? "completion_tokens" : "output_tokens", r.outputTokens),
              need(at(usage,
                      {chat ? "prompt_tokens_details" : "input_tokens_details", "cached_tokens"}),
                   "…_details.cached_tokens", r.cachedInputTokens),
              // Newer responses report cache writes too: a part of the
              // input, billed at the cache-write price, not as plain input.
              need(at(usage, {chat ? "prompt_tokens_details" : "input_tokens_details",
                              "cache_write_tokens"}),
                   "…_details.cache_write_tokens", r.cacheWriteTokens),
              need(at(usage, {chat ? "completion_tokens_details" : "output_tokens_details",
                              "reasoning_tokens"}),
                   "…_details.reasoning_tokens", r.reasoningTokens)})
            if (bad.empty())
                bad = err;
        r.provider = "openai";
        applyServiceTier(str(at(body, {"service_tier"})), r);
        // Responses list their built-in tool calls among the output items;
        // each is billed per call.
        if (const Element output = at(body, {"output"}); output && output->is_array())
            for (dom::element item : output->get_array()) {
                const std::string_view type = str(at(Element(item), {"type"}));
                r.webSearchCalls += type == "web_search_call";
                r.fileSearchCalls += type == "file_search_call";
            }
    }
    if (!bad.empty())
        return reject(bad);
    r.model = strings.keep(str(at(body, {"model"})));
    r.requestId = strings.keep(str(at(body, {"id"})));

    // Our attribution fields, on the wrapper only: a bare body's own keys
    // (a Responses body's "status": "completed") mean something else.
    const bool wrapped = path != "$";
    if (!wrapped && str(at(body, {"status"})) == "failed")
        r.status = "error";
    std::string why;
    static constexpr const char *kWrapperFields[] = {
        "ts",        "agent",       "task_id",    "feature",    "user",
        "team",      "status",      "latency_ms", "cost_usd",   "outcome",
        "value_usd", "prompt_hash", "batch",      "request_id", "provider"};
    for (const char *key : kWrapperFields) {
        if (!wrapped)
            break;
        const Element v = at(doc, {key});
        if (!v)
            continue;
        const auto field = nativeFieldFromName(key);
        if (v->is_string()) {
            if (!applyNativeText(*field, strings.keep(str(v)), r, why))
                return reject(why);
        } else if (v->is_number()) {
            const bool isInt = v->is_int64();
            if (!applyNativeNumber(*field, isInt ? 0.0 : double(v->get_double()),
                                   isInt ? int64_t(v->get_int64()) : 0, isInt, r, why))
                return reject(why);
        } else if (v->is_bool()) {
            r.batch = bool(v->get_bool());
        }
    }
    if (!wrapped || !at(doc, {"ts"})) {
        // created (chat, Unix seconds) or created_at (Responses); Anthropic bodies carry no time.
        const Element created = at(body, {object == "response" ? "created_at" : "created"});
        if (!created || !created->is_number())
            return reject(anthropic
                              ? "no timestamp: Anthropic responses carry none; wrap each as "
                                "{\"ts\": …, \"response\": {…}}"
                              : path + ".created: missing (and no \"ts\" beside the response)");
        r.tsMs = epochNumberToMs(created->is_double() ? double(created->get_double())
                                                      : double(count(created)));
    }
    if (const Element tags = wrapped ? at(doc, {"tags"}) : Element(); tags && tags->is_object())
        for (auto [k, v] : tags->get_object())
            appendTag(r.tagsJson, k,
                      v.is_string() ? std::string_view(v.get_string()) : std::string_view());
    finishTags(r.tagsJson);
    return Status::Record;
}

} // namespace tl
