#include "langfusereader.h"

#include "core/callrecord.h"
#include "nativefields.h"

#include <cmath>

namespace tl {

using namespace simdjson;

std::string_view providerForModel(std::string_view model)
{
    if (auto slash = model.find('/'); slash != std::string_view::npos)
        model = model.substr(slash + 1);
    auto starts = [&](std::string_view p) { return model.substr(0, p.size()) == p; };
    if (starts("gpt") || starts("o1") || starts("o3") || starts("o4") || starts("text-embedding"))
        return "openai";
    if (starts("claude"))
        return "anthropic";
    if (starts("gemini"))
        return "google";
    if (starts("mistral") || starts("codestral"))
        return "mistral";
    if (starts("deepseek"))
        return "deepseek";
    return {};
}

namespace {

bool isObservationHead(std::string_view head)
{
    return head.find("\"traceId\"") != std::string_view::npos &&
           (head.find("\"usageDetails\"") != std::string_view::npos ||
            head.find("\"calculatedTotalCost\"") != std::string_view::npos ||
            head.find("\"GENERATION\"") != std::string_view::npos);
}

std::string_view firstLine(std::string_view head)
{
    size_t i = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (i == std::string_view::npos)
        return {};
    return head.substr(i, head.find('\n', i) - i);
}

} // namespace

bool LangfuseReader::sniffJson(std::string_view head)
{
    std::string_view first = firstLine(head);
    if (first.empty() || !isObservationHead(head))
        return false;
    // An array, or an API page ({"data":[…]}), possibly pretty-printed.
    return first[0] == '[' || first.find("\"data\"") != std::string_view::npos || first == "{";
}

bool LangfuseReader::sniffJsonLines(std::string_view head)
{
    std::string_view first = firstLine(head);
    return !first.empty() && first[0] == '{' && first.find("\"data\"") == std::string_view::npos &&
           isObservationHead(first);
}

bool LangfuseReader::sniffCsv(std::string_view head)
{
    std::string_view first = head.substr(0, head.find('\n'));
    return first.find("traceId") != std::string_view::npos &&
           first.find("startTime") != std::string_view::npos &&
           (first.find("usageDetails") != std::string_view::npos ||
            first.find("calculatedTotalCost") != std::string_view::npos);
}

RecordReader::Status LangfuseReader::map(const Row &row, CallRecord &r)
{
    RecordArena &strings = arena();
    const std::string_view type = row.text("type").value_or("GENERATION");
    if (type != "GENERATION" && type != "EMBEDDING")
        return Status::Skipped;
    std::string why;
    auto ts = time(row, "startTime", &why);
    if (!ts)
        return reject(why.empty() ? "startTime: missing" : "startTime: " + why);
    r.tsMs = *ts;
    r.requestId = strings.keep(row.text("id").value_or(""));
    r.model = strings.keep(row.text("providedModelName").value_or(row.text("model").value_or("")));
    r.provider = providerForModel(r.model);

    const Element usage = row.json("usageDetails");
    if (usage && usage->is_object()) {
        for (auto [key, value] : usage->get_object()) {
            const int64_t n = integer(value, -1);
            if (key == "total")
                continue;
            if (n < 0)
                return reject("usageDetails." + std::string(key) +
                              ": expected a non-negative integer");
            if (key.find("input") != std::string_view::npos || key == "promptTokenCount")
                r.inputTokens += n;
            else if (key.find("output") != std::string_view::npos || key == "candidatesTokenCount")
                r.outputTokens += n;
            if (key == "input_cached_tokens" || key == "cache_read_input_tokens" ||
                key == "input_cache_read")
                r.cachedInputTokens += n;
            else if (key == "cache_creation_input_tokens" ||
                     key.substr(0, 20) == "input_cache_creation")
                r.cacheWriteTokens += n;
            else if (key == "output_reasoning_tokens" || key == "output_reasoning")
                r.reasoningTokens += n;
        }
    } else if (const Element legacy = row.json("usage"); legacy && legacy->is_object()) {
        r.inputTokens = integer(at(legacy, {"input"}));
        r.outputTokens = integer(at(legacy, {"output"}));
    } else {
        return reject("usageDetails: missing (a generation without token usage)");
    }

    const Element costs = row.json("costDetails");
    if (const Element total = at(costs, {"total"}); total && total->is_number()) {
        r.hasReportedCost = true;
        r.reportedNusd =
            usdToNano(total->is_double() ? double(total->get_double()) : double(integer(total)));
    } else if (auto cost = row.number("totalCost")) {
        r.hasReportedCost = true;
        r.reportedNusd = usdToNano(*cost);
    } else if (auto legacyCost = row.number("calculatedTotalCost")) {
        r.hasReportedCost = true;
        r.reportedNusd = usdToNano(*legacyCost);
    }
    if (auto latency = row.number("latency"))
        r.latencyMs = std::llround(*latency * 1000.0); // Langfuse reports seconds
    r.status = row.text("level").value_or("") == "ERROR" ? std::string_view("error")
                                                         : std::string_view("ok");
    const Element metadata = row.json("metadata");
    r.agent = strings.keep(str(at(metadata, {"agent"})));
    r.team = strings.keep(str(at(metadata, {"team"})));
    r.task = strings.keep(row.text("sessionId").value_or(row.text("traceId").value_or("")));
    r.feature = strings.keep(row.text("traceName").value_or(""));
    r.user = strings.keep(row.text("userId").value_or(""));
    if (const Element tags = row.json("traceTags"); tags && tags->is_array()) {
        appendRawTag(r.tagsJson, "tags", simdjson::minify(*tags));
        finishTags(r.tagsJson);
    }
    return Status::Record;
}

} // namespace tl
