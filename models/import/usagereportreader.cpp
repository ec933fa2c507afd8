#include "usagereportreader.h"

#include "core/timeutil.h"
#include "nativefields.h"
#include "store/dedupeindex.h"
#include "structuredreader.h"

namespace tl {

using namespace simdjson;
using Element = StructuredReader::Element;

UsageReportReader::UsageReportReader(std::unique_ptr<ChunkReader> in, std::string fileName,
                                     Provider provider)
    : m_in(std::move(in))
    , m_fileName(std::move(fileName))
    , m_provider(provider)
    , m_array(*m_in)
{}

bool UsageReportReader::sniffOpenAi(std::string_view head)
{
    return head.find("\"num_model_requests\"") != std::string_view::npos ||
           head.find("organization.usage.completions.result") != std::string_view::npos;
}

bool UsageReportReader::sniffAnthropic(std::string_view head)
{
    return head.find("\"uncached_input_tokens\"") != std::string_view::npos &&
           head.find("\"starting_at\"") != std::string_view::npos;
}

bool UsageReportReader::sniffLiteLlmDaily(std::string_view head)
{
    return head.find("\"breakdown\"") != std::string_view::npos &&
           head.find("\"api_requests\"") != std::string_view::npos &&
           head.find("\"date\"") != std::string_view::npos;
}

void UsageReportReader::readLiteLlmDay(const dom::element &dayElement, const std::string &where)
{
    const Element day = dayElement;
    const std::string_view date = StructuredReader::str(StructuredReader::at(day, {"date"}));
    const auto dayNo = parseDate(date);
    if (!dayNo) {
        m_items.push_back(PendingItem(Status::Rejected, where + ": date",
                                      "expected YYYY-MM-DD, got \"" + std::string(date) + "\""));
        return;
    }
    // Per model where the report breaks the day down; else the day's total.
    std::vector<std::pair<std::string_view, Element>> parts;
    const Element models = StructuredReader::at(day, {"breakdown", "models"});
    if (models && models->is_object() && dom::object(*models).size() > 0) {
        for (auto [name, value] : dom::object(*models)) {
            const Element v = value;
            const Element metrics = StructuredReader::at(v, {"metrics"});
            parts.emplace_back(name, metrics ? metrics : v);
        }
    } else {
        parts.emplace_back(kUnknownModel, StructuredReader::at(day, {"metrics"}));
    }
    for (const auto &part : parts) {
        // (Named, not bound: a lambda below uses them, which clang 14 refuses
        // for structured bindings.)
        const std::string_view model = part.first;
        const Element &m = part.second;
        PendingItem item(Status::Record,
                         where + ": breakdown.models[\"" + std::string(model) + "\"]");
        CallRecord &c = item.record;
        auto count = [&](const char *key, int64_t &target) {
            const Element v = StructuredReader::at(m, {key});
            target = v ? StructuredReader::integer(v, -1) : 0;
            if (target >= 0 && (!v || v->type() != dom::element_type::DOUBLE))
                return true;
            item.status = Status::Rejected;
            item.reason = std::string(key) + ": expected a non-negative integer";
            return false;
        };
        if (!count("api_requests", c.requests) || !count("prompt_tokens", c.inputTokens) ||
            !count("completion_tokens", c.outputTokens) ||
            !count("cache_read_input_tokens", c.cachedInputTokens) ||
            !count("cache_creation_input_tokens", c.cacheWriteTokens)) {
            m_items.push_back(std::move(item));
            continue;
        }
        if (c.requests == 0) {
            item.status = Status::Skipped; // a model listed with no requests that day
            item.reason = "no requests";
            m_items.push_back(std::move(item));
            continue;
        }
        // As in its spend logs, LiteLLM counts cache writes inside
        // prompt_tokens; when the parts exceed the whole, they were left out.
        if (c.cachedInputTokens + c.cacheWriteTokens > c.inputTokens)
            c.inputTokens += c.cacheWriteTokens;
        if (const Element spend = StructuredReader::at(m, {"spend"}); spend && spend->is_number()) {
            c.hasReportedCost = true;
            c.reportedNusd = usdToNano(double(spend->get_double()));
        }
        c.tsMs = *dayNo * kMsPerDay;
        c.model = m_arena.keep(model);
        int64_t failed = 0;
        if (count("failed_requests", failed) && failed > 0)
            appendTag(c.tagsJson, "failed_requests", std::to_string(failed));
        finishTags(c.tagsJson);
        // One record per day and model: a re-import of the same days adds nothing.
        c.requestId = m_arena.keep("litellm-daily:" + std::string(date) + ":" + std::string(model));
        m_items.push_back(std::move(item));
    }
}

bool UsageReportReader::readBucket()
{
    m_items.clear();
    m_next = 0;
    m_arena.clear();
    std::string_view object;
    const auto r = m_array.next(object);
    if (r == JsonArrayStream::Result::End)
        return false;
    const std::string where = "bucket " + std::to_string(m_array.index()) + " (line " +
                              std::to_string(m_array.line()) + ")";
    if (r != JsonArrayStream::Result::Object) {
        m_fatal = true;
        m_location = where;
        m_reason = m_array.error();
        return false;
    }
    m_raw = object;
    auto reject = [&](const std::string &path, const std::string &why) {
        m_items.push_back(PendingItem(Status::Rejected, where + ": " + path, why));
        return true;
    };
    dom::element bucketElement;
    if (auto err = m_parser.parse(object.data(), object.size(), false).get(bucketElement))
        return reject("$", std::string("invalid JSON: ") + error_message(err));
    if (m_provider == Provider::LiteLlmDaily) {
        readLiteLlmDay(bucketElement, where);
        return true;
    }
    const Element bucket = bucketElement;
    const bool openai = m_provider == Provider::OpenAi;
    const Element start = StructuredReader::at(bucket, {openai ? "start_time" : "starting_at"});
    int64_t startMs = 0;
    if (openai && start && (start->is_int64() || start->is_uint64())) {
        startMs = StructuredReader::integer(start) * 1000;
    } else if (!openai && start && start->is_string()) {
        std::string why;
        auto t = parseTimestamp(StructuredReader::str(start), &why);
        if (!t)
            return reject("starting_at", why);
        startMs = *t;
    } else {
        return reject(openai ? "start_time" : "starting_at",
                      openai ? "expected Unix seconds" : "expected an RFC 3339 time");
    }
    const Element results = StructuredReader::at(bucket, {"results"});
    if (!results || !results->is_array())
        return reject("results", "expected an array");
    size_t i = 0;
    for (dom::element resultElement : results->get_array()) {
        const std::string path = "results[" + std::to_string(i++) + "]";
        const Element res = resultElement;
        PendingItem item(Status::Record, where + ": " + path);
        CallRecord &c = item.record;
        auto count = [&](std::initializer_list<const char *> key, const char *name,
                         int64_t &target) {
            const Element v = StructuredReader::at(res, key);
            if (!v) {
                target = 0;
                return true;
            }
            target = StructuredReader::integer(v, -1);
            // (is_double() is true of every JSON number: ask for the type.)
            if (target >= 0 && v->type() != dom::element_type::DOUBLE)
                return true;
            item.status = Status::Rejected;
            item.reason = std::string(name) + ": expected a non-negative integer";
            return false;
        };
        bool ok = true;
        KeyHasher key;
        key.add(std::string_view(openai ? "openai-usage" : "anthropic-usage"));
        key.add(startMs);
        if (openai) {
            int64_t writes = 0, writes12h = 0;
            ok = count({"num_model_requests"}, "num_model_requests", c.requests) &&
                 count({"input_tokens"}, "input_tokens", c.inputTokens) &&
                 count({"output_tokens"}, "output_tokens", c.outputTokens) &&
                 count({"input_cached_tokens"}, "input_cached_tokens", c.cachedInputTokens) &&
                 count({"input_cache_write_tokens"}, "input_cache_write_tokens", writes) &&
                 count({"input_cache_write_12h_tokens"}, "input_cache_write_12h_tokens", writes12h);
            c.cacheWriteTokens = writes + writes12h;
            c.provider = "openai";
            c.team = m_arena.keep(StructuredReader::str(StructuredReader::at(res, {"project_id"})));
            c.user = m_arena.keep(StructuredReader::str(StructuredReader::at(res, {"user_id"})));
            const Element batch = StructuredReader::at(res, {"batch"});
            c.batch = batch && batch->is_bool() && bool(batch->get_bool());
            // Grouped by service_tier, the bucket says which price set billed it.
            applyServiceTier(StructuredReader::str(StructuredReader::at(res, {"service_tier"})), c);
        } else {
            int64_t uncached = 0, w5 = 0, w1h = 0;
            ok = count({"uncached_input_tokens"}, "uncached_input_tokens", uncached) &&
                 count({"cache_creation", "ephemeral_5m_input_tokens"},
                       "cache_creation.ephemeral_5m_input_tokens", w5) &&
                 count({"cache_creation", "ephemeral_1h_input_tokens"},
                       "cache_creation.ephemeral_1h_input_tokens", w1h) &&
                 count({"cache_read_input_tokens"}, "cache_read_input_tokens",
                       c.cachedInputTokens) &&
                 count({"output_tokens"}, "output_tokens", c.outputTokens);
            c.cacheWriteTokens = w5 + w1h;
            c.cacheWrite1hTokens = w1h;
            ok = ok && count({"server_tool_use", "web_search_requests"},
                             "server_tool_use.web_search_requests", c.webSearchCalls);
            applyServiceTier(
                StructuredReader::str(StructuredReader::at(res, {"service_tier"})), c);
            // Grouped by context window, the report says which tier billed
            // the bucket; a sum of requests cannot be tested against it.
            const std::string_view window =
                StructuredReader::str(StructuredReader::at(res, {"context_window"}));
            // Without it a bucket's sum is no prompt size: not long context.
            c.longContext = window.empty() || window == "0-200k" ? 0 : 1;
            c.inputTokens = uncached + c.cachedInputTokens + c.cacheWriteTokens;
            c.requests = 1; // the report counts tokens, not requests
            c.provider = "anthropic";
            c.team =
                m_arena.keep(StructuredReader::str(StructuredReader::at(res, {"workspace_id"})));
            c.user = m_arena.keep(StructuredReader::str(StructuredReader::at(res, {"account_id"})));
        }
        if (!ok) {
            m_items.push_back(std::move(item));
            continue;
        }
        c.tsMs = startMs;
        c.model = m_arena.keep(StructuredReader::str(StructuredReader::at(res, {"model"})));
        if (c.model.empty())
            c.model = kUnknownModel; // not grouped by model: kept, unpriced
        for (const char *tag : {"api_key_id", "service_tier", "context_window", "api_source"}) {
            std::string_view v = StructuredReader::str(StructuredReader::at(res, {tag}));
            if (!v.empty())
                appendTag(c.tagsJson, tag, v);
        }
        finishTags(c.tagsJson);
        // Dedupe identity: source, bucket start and the group keys.
        for (std::string_view s : {c.model, c.team, c.user, std::string_view(c.tagsJson)})
            key.add(s);
        key.add(int64_t(c.batch));
        c.requestId = m_arena.keep((openai ? "openai-usage:" : "anthropic-usage:") +
                                   std::to_string(key.value()));
        m_items.push_back(std::move(item));
    }
    return true;
}

RecordReader::Status UsageReportReader::next(CallRecord &out)
{
    while (m_next >= m_items.size()) {
        if (!readBucket())
            return m_fatal ? Status::Fatal : Status::End;
    }
    PendingItem &item = m_items[m_next++];
    m_location = item.location;
    m_reason = item.reason;
    if (item.status == Status::Record)
        out = item.record;
    return item.status;
}

} // namespace tl
