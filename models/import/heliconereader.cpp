#include "heliconereader.h"

#include "langfusereader.h"
#include "nativefields.h"

#include <algorithm>
#include <cmath>

namespace tl {

using namespace simdjson;

namespace {

bool isHeliconeHead(std::string_view head)
{
    return head.find("request_created_at") != std::string_view::npos &&
           head.find("prompt_tokens") != std::string_view::npos;
}

std::string_view firstLine(std::string_view head)
{
    const size_t i = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (i == std::string_view::npos)
        return {};
    return head.substr(i, head.find('\n', i) - i);
}

bool equalsNoCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

} // namespace

bool HeliconeReader::sniffJson(std::string_view head)
{
    const std::string_view first = firstLine(head);
    return !first.empty() && isHeliconeHead(head) &&
           (first[0] == '[' || first == "{" || first.find("\"data\"") != std::string_view::npos);
}

bool HeliconeReader::sniffJsonLines(std::string_view head)
{
    const std::string_view first = firstLine(head);
    return !first.empty() && first[0] == '{' && first.find("\"data\"") == std::string_view::npos &&
           isHeliconeHead(first);
}

bool HeliconeReader::sniffCsv(std::string_view head)
{
    const std::string_view first = firstLine(head);
    return !first.empty() && first[0] != '{' && first[0] != '[' && isHeliconeHead(first);
}

RecordReader::Status HeliconeReader::map(const Row &row, CallRecord &r)
{
    RecordArena &strings = arena();
    std::string why;
    const auto ts = time(row, "request_created_at", &why);
    if (!ts)
        return reject("request_created_at: " + why);
    r.tsMs = *ts;
    int64_t reads = 0, writes = 0;
    for (auto [key, target] : {std::pair{"prompt_tokens", &r.inputTokens},
                               std::pair{"completion_tokens", &r.outputTokens},
                               std::pair{"prompt_cache_read_tokens", &reads},
                               std::pair{"prompt_cache_write_tokens", &writes}})
        if (!row.count(key, *target))
            return reject(std::string(key) + ": expected a non-negative integer");
    std::string provider(row.text("provider").value_or(""));
    std::transform(provider.begin(), provider.end(), provider.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    for (const char *key : {"model", "response_model", "request_model", "model_override"}) {
        r.model = strings.keep(row.text(key).value_or(""));
        if (!r.model.empty())
            break;
    }
    if (r.model.empty())
        r.model = kUnknownModel;
    if (provider.empty())
        provider = std::string(providerForModel(r.model));
    r.provider = strings.keep(provider);
    r.cachedInputTokens = reads;
    r.cacheWriteTokens = writes;
    // Anthropic's prompt count leaves the cache parts out; so does any row
    // whose parts exceed the whole.
    if (provider == "anthropic" || reads + writes > r.inputTokens)
        r.inputTokens += reads + writes;
    r.requestId = strings.keep(row.text("request_id").value_or(""));
    for (const char *key : {"costUSD", "cost_usd", "cost"})
        if (auto cost = row.number(key)) {
            r.hasReportedCost = true;
            r.reportedNusd = usdToNano(*cost);
            break;
        }
    if (auto delay = row.number("delay_ms"); delay && *delay >= 0)
        r.latencyMs = int64_t(*delay);
    if (auto code = row.number("response_status")) {
        if (*code >= 400 || *code < 0)
            r.status = strings.keep("http_" + std::to_string(int64_t(*code)));
    }
    r.user = strings.keep(row.text("request_user_id").value_or(row.text("user_id").value_or("")));
    // Custom properties: the attribution the team gave each request.
    const Element props = row.json("request_properties");
    std::string_view sessionName;
    if (props && props->is_object()) {
        for (auto [key, value] : dom::object(*props)) {
            const std::string_view v = value.is_string() ? std::string_view(value.get_string())
                                                         : std::string_view();
            if (v.empty())
                continue;
            if (equalsNoCase(key, "agent"))
                r.agent = strings.keep(v);
            else if (equalsNoCase(key, "Helicone-Session-Id") || equalsNoCase(key, "session"))
                r.task = strings.keep(v);
            else if (equalsNoCase(key, "feature"))
                r.feature = strings.keep(v);
            else if (equalsNoCase(key, "team"))
                r.team = strings.keep(v);
            else if (equalsNoCase(key, "Helicone-Session-Name"))
                sessionName = strings.keep(v);
            else
                appendTag(r.tagsJson, key, v);
        }
    }
    if (r.feature.empty())
        r.feature = sessionName; // the session's name says what the requests were for
    finishTags(r.tagsJson);
    return Status::Record;
}

} // namespace tl
