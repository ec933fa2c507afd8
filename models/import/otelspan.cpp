#include "otelspan.h"

#include "core/callrecord.h"

#include <string>

namespace tl::otel {

namespace {

const AnyValue *find(const Attributes &a, std::string_view key)
{
    for (const auto &[k, v] : a)
        if (k == key)
            return &v;
    return nullptr;
}

const AnyValue *first(const Attributes &a, std::initializer_list<const char *> names)
{
    const AnyValue *unusable = nullptr;
    for (const char *n : names)
        if (const AnyValue *v = find(a, n)) {
            if (v->kind != AnyValue::None)
                return v;
            unusable = unusable ? unusable : v;
        }
    return unusable; // present but unusable: the caller reports it
}

std::string_view text(const Attributes &a, std::initializer_list<const char *> names)
{
    const AnyValue *v = first(a, names);
    return v && v->kind == AnyValue::String ? v->s : std::string_view();
}

} // namespace

void mapSpan(const SpanData &s, const Attributes &resource, const AttributionMapping::Rules *rules,
             RecordArena &arena, PendingItem &item)
{
    const Attributes &a = s.attrs;
    item.path = s.path;
    const AnyValue *in =
        first(a, {"gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens",
                  "llm.token_count.prompt", "ai.usage.inputTokens", "ai.usage.promptTokens"});
    const AnyValue *out = first(a, {"gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens",
                                    "llm.token_count.completion", "ai.usage.outputTokens",
                                    "ai.usage.completionTokens"});
    if (!in && !out) {
        item.status =
            RecordReader::Status::Skipped; // not an LLM call (tool, agent, HTTP, database span)
        return;
    }
    auto count = [&](const AnyValue *v, const char *name, int64_t &target) {
        if (!v)
            return true;
        if (v->kind != AnyValue::Int || v->i < 0) {
            item.status = RecordReader::Status::Rejected;
            item.reason = std::string(name) + ": expected a non-negative integer";
            return false;
        }
        target = v->i;
        return true;
    };
    CallRecord &r = item.record;
    const AnyValue *cached =
        first(a, {"gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens",
                  "llm.usage.cache_read_input_tokens", "llm.token_count.prompt_details.cache_read",
                  "ai.usage.cachedInputTokens"});
    const AnyValue *written = first(a, {"gen_ai.usage.cache_creation.input_tokens",
                                        "gen_ai.usage.cache_creation_input_tokens",
                                        "llm.token_count.prompt_details.cache_write"});
    const AnyValue *reasoning =
        first(a, {"gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.reasoning_tokens",
                  "llm.token_count.completion_details.reasoning", "ai.usage.reasoningTokens"});
    if (!count(in, "gen_ai.usage.input_tokens", r.inputTokens) ||
        !count(out, "gen_ai.usage.output_tokens", r.outputTokens) ||
        !count(cached, "gen_ai.usage.cache_read.input_tokens", r.cachedInputTokens) ||
        !count(written, "gen_ai.usage.cache_creation.input_tokens", r.cacheWriteTokens) ||
        !count(reasoning, "gen_ai.usage.reasoning.output_tokens", r.reasoningTokens)) {
        return;
    }
    // The OpenAI instrumentations' service tier (semantic conventions
    // name it per provider): priced at the tier's own rates.
    applyServiceTier(text(a, {"openai.response.service_tier", "gen_ai.openai.response.service_tier",
                              "openai.request.service_tier", "gen_ai.openai.request.service_tier"}),
                     r);
    r.model = std::string_view(text(
        a, {"gen_ai.response.model", "gen_ai.request.model", "llm.model_name", "ai.model.id"}));
    if (r.model.empty())
        r.model = kUnknownModel; // usage without a model: kept, unpriced
    if (s.startNs < 0) {
        item.status = RecordReader::Status::Rejected;
        item.reason = "startTimeUnixNano: missing";
        return;
    }
    r.tsMs = s.startNs / 1'000'000;
    if (s.endNs >= s.startNs)
        r.latencyMs = (s.endNs - s.startNs) / 1'000'000;
    std::string_view responseId = text(a, {"gen_ai.response.id"});
    r.requestId = std::string_view(responseId.empty() ? std::string_view(s.spanId) : responseId);
    r.provider =
        std::string_view(text(a, {"gen_ai.provider.name", "gen_ai.system", "ai.model.provider"}));
    std::string_view agent = text(a, {"gen_ai.agent.name", "gen_ai.agent.id"});
    r.agent = std::string_view(agent.empty() ? text(resource, {"service.name"}) : agent);
    std::string_view task = text(a, {"gen_ai.conversation.id", "session.id"});
    r.task = std::string_view(task.empty() ? std::string_view(s.traceId) : task);
    r.feature = std::string_view(text(a, {"gen_ai.workflow.name"}));
    r.user = std::string_view(text(a, {"user.id", "langfuse.user.id", "gen_ai.user", "llm.user"}));
    std::string_view team = text(a, {"team"});
    r.team = std::string_view(team.empty() ? text(resource, {"team", "service.namespace"}) : team);
    if (const AnyValue *cost = first(a, {"gen_ai.usage.cost", "llm.cost.total"})) {
        if (cost->kind == AnyValue::Double || cost->kind == AnyValue::Int) {
            r.hasReportedCost = true;
            r.reportedNusd = usdToNano(cost->kind == AnyValue::Double ? cost->d : double(cost->i));
        }
    }
    std::string_view errorType = text(a, {"error.type"});
    r.status = s.statusCode == 2
                   ? std::string_view(errorType.empty() ? std::string_view("error") : errorType)
                   : std::string_view("ok");
    if (rules) {
        AttributionMapping::apply(
            *rules,
            [&](const AttributionMapping::Source &src) {
                return text(src.kind == "span" ? a : resource, {src.key.c_str()});
            },
            r, arena);
    }
}

} // namespace tl::otel
