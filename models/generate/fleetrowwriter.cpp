#include "fleetrowwriter.h"

#include "core/timeutil.h"

#include <charconv>
#include <cstdio>

namespace tl {

namespace {

void appendInt(std::string &out, int64_t v)
{
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

// "key":"value" — generated values never need escaping.
void field(std::string &out, std::string_view key, std::string_view value, bool comma = true)
{
    if (comma)
        out += ',';
    out += '"';
    out += key;
    out += "\":\"";
    out += value;
    out += '"';
}

void number(std::string &out, std::string_view key, int64_t value)
{
    out += ",\"";
    out += key;
    out += "\":";
    appendInt(out, value);
}

void otelString(std::string &out, std::string_view key, std::string_view value)
{
    if (value.empty())
        return;
    out += ",{\"key\":\"";
    out += key;
    out += "\",\"value\":{\"stringValue\":\"";
    out += value;
    out += "\"}}";
}

void otelInt(std::string &out, std::string_view key, int64_t value)
{
    out += ",{\"key\":\"";
    out += key;
    out += "\",\"value\":{\"intValue\":\""; // proto3 JSON writes int64 as a string
    appendInt(out, value);
    out += "\"}}";
}

} // namespace

bool FleetRowWriter::knownFormat(std::string_view format)
{
    return format == "csv" || format == "jsonl" || format == "otel" || format == "litellm";
}

FleetRowWriter::FleetRowWriter(std::string format)
    : m_format(std::move(format))
{
    if (m_format == "litellm")
        m_catalog = PriceCatalog::builtIn();
}

void FleetRowWriter::begin(std::string &out) const
{
    if (m_format == "csv")
        out += "ts,request_id,provider,model,input_tokens,output_tokens,cached_input_tokens,cache_"
               "write_tokens,"
               "reasoning_tokens,latency_ms,status,agent,task_id,feature,user,team,outcome,value_"
               "usd,prompt_hash,"
               "batch,tags\n";
    else if (m_format == "litellm")
        out += "[\n";
}

void FleetRowWriter::end(std::string &out) const
{
    if (m_format == "litellm")
        out += "\n]\n";
}

void FleetRowWriter::write(const GeneratedCall &c, std::string &out)
{
    if (m_format == "csv")
        csv(c, out);
    else if (m_format == "jsonl")
        jsonl(c, out);
    else if (m_format == "otel")
        otel(c, out);
    else
        litellm(c, out);
}

void FleetRowWriter::csv(const GeneratedCall &c, std::string &out) const
{
    out += formatTimestamp(c.tsMs);
    for (std::string_view s : {c.requestId, c.provider, c.model}) {
        out += ',';
        out += s;
    }
    for (int64_t v : {c.input, c.output, c.cached, c.cacheWrite, c.reasoning, c.latencyMs}) {
        out += ',';
        appendInt(out, v);
    }
    for (std::string_view s :
         {c.status, c.agent, c.task, c.feature, c.user, c.team, c.outcome, c.value, c.promptHash}) {
        out += ',';
        out += s;
    }
    out += c.batch ? ",true" : ",false";
    out += ",env=prod\n";
}

void FleetRowWriter::jsonl(const GeneratedCall &c, std::string &out) const
{
    out += '{';
    field(out, "ts", formatTimestamp(c.tsMs), false);
    field(out, "request_id", c.requestId);
    field(out, "provider", c.provider);
    field(out, "model", c.model);
    number(out, "input_tokens", c.input);
    number(out, "output_tokens", c.output);
    number(out, "cached_input_tokens", c.cached);
    number(out, "cache_write_tokens", c.cacheWrite);
    number(out, "reasoning_tokens", c.reasoning);
    number(out, "latency_ms", c.latencyMs);
    field(out, "status", c.status);
    field(out, "agent", c.agent);
    field(out, "task_id", c.task);
    field(out, "feature", c.feature);
    field(out, "user", c.user);
    field(out, "team", c.team);
    if (!c.outcome.empty())
        field(out, "outcome", c.outcome);
    if (!c.value.empty()) {
        out += ",\"value_usd\":";
        out += c.value;
    }
    field(out, "prompt_hash", c.promptHash);
    out += c.batch ? ",\"batch\":true" : ",\"batch\":false";
    out += ",\"tags\":{\"env\":\"prod\"}}\n";
}

void FleetRowWriter::otel(const GeneratedCall &c, std::string &out) const
{
    out += "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
           "{\"stringValue\":\"";
    out += c.agent;
    out += "\"}}";
    otelString(out, "team", c.team);
    out += "]},\"scopeSpans\":[{\"scope\":{\"name\":\"tokenledger.generate\"},\"spans\":[{";
    field(out, "traceId", c.task, false);
    field(out, "spanId", c.requestId);
    out += ",\"name\":\"chat ";
    out += c.model;
    out += "\",\"kind\":3,\"startTimeUnixNano\":\"";
    appendInt(out, c.tsMs * 1'000'000);
    out += "\",\"endTimeUnixNano\":\"";
    appendInt(out, (c.tsMs + c.latencyMs) * 1'000'000);
    out += "\",\"attributes\":[{\"key\":\"gen_ai.operation.name\",\"value\":{\"stringValue\":"
           "\"chat\"}}";
    otelString(out, "gen_ai.provider.name", c.provider);
    otelString(out, "gen_ai.request.model", c.model);
    otelString(out, "gen_ai.response.id", c.requestId);
    otelInt(out, "gen_ai.usage.input_tokens", c.input);
    otelInt(out, "gen_ai.usage.output_tokens", c.output);
    if (c.cached)
        otelInt(out, "gen_ai.usage.cache_read.input_tokens", c.cached);
    if (c.cacheWrite)
        otelInt(out, "gen_ai.usage.cache_creation.input_tokens", c.cacheWrite);
    if (c.reasoning)
        otelInt(out, "gen_ai.usage.reasoning.output_tokens", c.reasoning);
    otelString(out, "gen_ai.agent.name", c.agent);
    otelString(out, "gen_ai.conversation.id", c.task);
    otelString(out, "gen_ai.workflow.name", c.feature);
    otelString(out, "user.id", c.user);
    const bool failed = c.status != "ok" && c.status != "retry";
    if (failed)
        otelString(out, "error.type", c.status);
    out += failed ? "],\"status\":{\"code\":2}}]}]}]}\n" : "],\"status\":{\"code\":0}}]}]}]}\n";
}

void FleetRowWriter::litellm(const GeneratedCall &c, std::string &out)
{
    if (!m_first)
        out += ",\n";
    m_first = false;
    int64_t spendNusd = 0;
    if (const PriceEntry *e = m_catalog.priceAt(c.model, c.tsMs))
        spendNusd = costNusd(*e, Usage{.input = c.input,
                                       .cached = c.cached,
                                       .cacheWrite = c.cacheWrite,
                                       .output = c.output,
                                       .batch = c.batch});
    char spend[40];
    std::snprintf(spend, sizeof spend, "%.9f", double(spendNusd) / 1e9);
    out += '{';
    field(out, "request_id", c.requestId, false);
    field(out, "call_type", "acompletion");
    out += ",\"spend\":";
    out += spend;
    number(out, "prompt_tokens", c.input);
    number(out, "completion_tokens", c.output);
    number(out, "total_tokens", c.input + c.output);
    field(out, "startTime", formatTimestamp(c.tsMs));
    field(out, "endTime", formatTimestamp(c.tsMs + c.latencyMs));
    field(out, "model", c.model);
    field(out, "custom_llm_provider", c.provider);
    field(out, "end_user", c.user);
    field(out, "session_id", c.task);
    field(out, "agent_id", c.agent);
    field(out, "status", c.status == "ok" || c.status == "retry" ? "success" : "failure");
    out += ",\"request_tags\":[\"env:prod\"],\"metadata\":{";
    field(out, "user_api_key_team_alias", c.team, false);
    out += ",\"spend_logs_metadata\":{";
    field(out, "feature", c.feature, false);
    out += "},\"usage_object\":{";
    out += "\"prompt_tokens_details\":{\"cached_tokens\":";
    appendInt(out, c.cached);
    out += "},\"cache_creation_input_tokens\":";
    appendInt(out, c.cacheWrite);
    out += ",\"completion_tokens_details\":{\"reasoning_tokens\":";
    appendInt(out, c.reasoning);
    out += "}}}}";
}

} // namespace tl
