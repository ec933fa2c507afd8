#include "openrouterreader.h"

#include "core/timeutil.h"
#include "langfusereader.h"
#include "nativefields.h"

namespace tl {

using namespace simdjson;

namespace {

std::string_view firstLine(std::string_view head)
{
    const size_t i = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (i == std::string_view::npos)
        return {};
    return head.substr(i, head.find('\n', i) - i);
}

bool isGenerationHead(std::string_view head)
{
    return head.find("\"tokens_prompt\"") != std::string_view::npos ||
           head.find("\"native_tokens_prompt\"") != std::string_view::npos;
}

// -1 when present but not a non-negative integer; `fallback` when absent/null.
int64_t count(const StructuredReader::Element &e, int64_t fallback = 0)
{
    if (!e || e->is_null())
        return fallback;
    if (e->is_int64() && int64_t(e->get_int64()) >= 0)
        return int64_t(e->get_int64());
    if (e->is_uint64())
        return int64_t(e->get_uint64());
    return -1;
}

double number(const StructuredReader::Element &e)
{
    return e && e->is_number() ? double(e->get_double()) : 0.0;
}

} // namespace

bool OpenRouterReader::sniffGenerations(std::string_view head)
{
    const std::string_view first = firstLine(head);
    return !first.empty() && isGenerationHead(head) &&
           (first[0] == '[' || first == "{" ||
            (first.find("\"data\":[") != std::string_view::npos));
}

bool OpenRouterReader::sniffGenerationLines(std::string_view head)
{
    const std::string_view first = firstLine(head);
    return !first.empty() && first[0] == '{' && isGenerationHead(first);
}

bool OpenRouterReader::sniffActivity(std::string_view head)
{
    return head.find("\"model_permaslug\"") != std::string_view::npos &&
           head.find("\"requests\"") != std::string_view::npos &&
           head.find("\"date\"") != std::string_view::npos;
}

RecordReader::Status OpenRouterReader::map(const Row &row, CallRecord &r)
{
    const Element &doc = row.object();
    if (!doc)
        return reject("expected a JSON object");
    // A saved API response wraps the generation in "data".
    const Element wrapped = at(doc, {"data"});
    const Element g = wrapped && wrapped->is_object() ? wrapped : doc;
    return m_kind == Kind::Generations ? mapGeneration(g, r) : mapActivity(g, r);
}

RecordReader::Status OpenRouterReader::mapGeneration(const Element &g, CallRecord &r)
{
    RecordArena &strings = arena();
    struct Tokens
    {
        const char *native, *normalised;
        int64_t *target;
    };
    int64_t cached = 0;
    for (const Tokens &t : {Tokens{"native_tokens_prompt", "tokens_prompt", &r.inputTokens},
                            Tokens{"native_tokens_completion", "tokens_completion", &r.outputTokens},
                            Tokens{"native_tokens_reasoning", nullptr, &r.reasoningTokens},
                            Tokens{"native_tokens_cached", nullptr, &cached}}) {
        int64_t v = count(at(g, {t.native}), -2);
        if (v == -2)
            v = t.normalised ? count(at(g, {t.normalised})) : 0;
        if (v < 0)
            return reject(std::string("$.") + t.native + ": expected a non-negative integer");
        *t.target = v;
    }
    r.cachedInputTokens = std::min(cached, r.inputTokens);
    r.reasoningTokens = std::min(r.reasoningTokens, r.outputTokens);
    std::string why;
    const auto ts = parseTimestamp(str(at(g, {"created_at"})), &why);
    if (!ts)
        return reject("$.created_at: " + why);
    r.tsMs = *ts;
    r.requestId = strings.keep(str(at(g, {"id"})));
    r.model = strings.keep(str(at(g, {"model"})));
    if (r.model.empty())
        r.model = kUnknownModel;
    // The route's provider is who served it; the model's maker prices it.
    std::string provider(providerForModel(r.model));
    if (provider.empty()) {
        const std::string_view slug = r.model.substr(0, r.model.find('/'));
        provider = slug.size() < r.model.size() ? std::string(slug) : std::string("openrouter");
    }
    r.provider = strings.keep(provider);
    if (const Element cost = at(g, {"total_cost"}); cost && cost->is_number()) {
        r.hasReportedCost = true;
        r.reportedNusd = usdToNano(double(cost->get_double()));
    }
    if (const int64_t latency = count(at(g, {"latency"}), -1); latency >= 0)
        r.latencyMs = latency;
    if (const Element c = at(g, {"cancelled"}); c && c->is_bool() && bool(c->get_bool()))
        r.status = "cancelled";
    r.user = strings.keep(str(at(g, {"external_user"})));
    for (const char *key : {"provider_name", "origin", "finish_reason", "upstream_id"}) {
        const std::string_view v = str(at(g, {key}));
        if (!v.empty())
            appendTag(r.tagsJson, key, v);
    }
    if (const Element byok = at(g, {"is_byok"}); byok && byok->is_bool() && bool(byok->get_bool()))
        appendTag(r.tagsJson, "byok", "true");
    finishTags(r.tagsJson);
    return Status::Record;
}

RecordReader::Status OpenRouterReader::mapActivity(const Element &a, CallRecord &r)
{
    RecordArena &strings = arena();
    const std::string_view date = str(at(a, {"date"}));
    const auto day = parseDate(date.substr(0, 10));
    if (!day)
        return reject("$.date: expected YYYY-MM-DD");
    r.tsMs = *day * kMsPerDay;
    for (auto [key, target] : {std::pair{"requests", &r.requests},
                               std::pair{"prompt_tokens", &r.inputTokens},
                               std::pair{"completion_tokens", &r.outputTokens},
                               std::pair{"reasoning_tokens", &r.reasoningTokens}}) {
        const int64_t v = count(at(a, {key}));
        if (v < 0)
            return reject(std::string("$.") + key + ": expected a non-negative integer");
        *target = v;
    }
    if (r.requests == 0)
        return reject("$.requests: expected at least 1");
    r.reasoningTokens = std::min(r.reasoningTokens, r.outputTokens);
    const std::string_view permaslug = str(at(a, {"model_permaslug"}));
    r.model = strings.keep(permaslug.empty() ? str(at(a, {"model"})) : permaslug);
    if (r.model.empty())
        r.model = kUnknownModel;
    r.provider = strings.keep(providerForModel(r.model));
    // What the day cost: OpenRouter credits plus BYOK inference billed by the provider.
    r.hasReportedCost = true;
    r.reportedNusd =
        usdToNano(number(at(a, {"usage"}))) + usdToNano(number(at(a, {"byok_usage_inference"})));
    const std::string_view endpoint = str(at(a, {"endpoint_id"}));
    r.requestId = strings.keep("openrouter-activity:" + std::string(date.substr(0, 10)) + ":" +
                               std::string(r.model) + ":" + std::string(endpoint));
    const std::string_view served = str(at(a, {"provider_name"}));
    if (!served.empty())
        appendTag(r.tagsJson, "provider_name", served);
    finishTags(r.tagsJson);
    return Status::Record;
}

} // namespace tl
