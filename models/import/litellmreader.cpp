#include "litellmreader.h"

#include "core/timeutil.h"
#include "nativefields.h"

#include <charconv>
#include <cmath>

namespace tl {

using namespace simdjson;

namespace {

// A default-constructed dom::element points at nothing: absence is an empty optional.
using Element = std::optional<dom::element>;

std::string_view str(const Element &e)
{
    std::string_view s;
    return e && e->is_string() && !e->get_string().get(s) ? s : std::string_view();
}

int64_t integer(const Element &e, int64_t fallback = 0)
{
    if (!e)
        return fallback;
    if (e->is_int64())
        return int64_t(e->get_int64());
    if (e->is_uint64())
        return int64_t(e->get_uint64());
    if (e->is_double())
        return int64_t(std::llround(double(e->get_double())));
    return fallback;
}

Element at(const Element &e, std::initializer_list<const char *> path)
{
    if (!e)
        return std::nullopt;
    dom::element cur = *e;
    for (const char *k : path) {
        if (!cur.is_object())
            return std::nullopt;
        dom::element next;
        if (cur.get_object().at_key(k).get(next))
            return std::nullopt;
        cur = next;
    }
    return cur;
}

// SpendLogs times are DB DateTimes: ISO with or without a zone (naive ones
// are UTC), or epoch seconds as a float in the StandardLoggingPayload.
std::optional<int64_t> time(const LiteLlmReader::Row &row, std::string_view key, std::string *why)
{
    if (auto n = row.number(key))
        return epochNumberToMs(*n);
    auto t = row.text(key);
    if (!t || t->empty())
        return std::nullopt;
    if (auto ms = parseTimestamp(*t, why))
        return ms;
    std::string naive(*t);
    naive += 'Z';
    return parseTimestamp(naive, why);
}

// "agent:triage" in request_tags -> triage, for the attribution fallbacks.
std::string_view tagValue(const Element &tags, std::string_view prefix)
{
    if (!tags || !tags->is_array())
        return {};
    for (dom::element t : tags->get_array()) {
        std::string_view s = str(t);
        if (s.size() > prefix.size() && s.substr(0, prefix.size()) == prefix &&
            s[prefix.size()] == ':')
            return s.substr(prefix.size() + 1);
    }
    return {};
}

bool parseJsonCell(dom::parser &parser, std::string &copy, std::string_view cell, Element &out)
{
    out.reset();
    if (cell.empty() || cell == "null")
        return true;
    copy.assign(cell);
    copy.append(SIMDJSON_PADDING, ' ');
    dom::element e;
    if (parser.parse(copy.data(), cell.size(), false).get(e))
        return false;
    out = e;
    return true;
}

} // namespace

LiteLlmReader::LiteLlmReader(std::unique_ptr<ChunkReader> in, std::string fileName, Shape shape)
    : m_in(std::move(in))
    , m_fileName(std::move(fileName))
    , m_shape(shape)
    , m_array(*m_in)
    , m_csv(*m_in)
{}

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

RecordReader::Status LiteLlmReader::next(CallRecord &out)
{
    m_arena.clear();
    return m_shape == Shape::JsonArray ? nextJson(out) : nextCsv(out);
}

RecordReader::Status LiteLlmReader::nextJson(CallRecord &out)
{
    std::string_view object;
    const auto r = m_array.next(object);
    m_lineNo = m_array.line();
    m_location = "record " +
                 std::to_string(m_array.index() + (r == JsonArrayStream::Result::Object ? 0 : 1)) +
                 " (line " + std::to_string(m_lineNo) + ")";
    if (r == JsonArrayStream::Result::End)
        return Status::End;
    if (r != JsonArrayStream::Result::Object) {
        m_reason = m_array.error();
        return Status::Fatal;
    }
    m_raw = object;
    dom::element doc;
    if (auto err = m_parser.parse(object.data(), object.size(), false).get(doc)) {
        m_reason = std::string("invalid JSON: ") + error_message(err);
        return Status::Rejected;
    }
    Row row;
    row.text = [doc](std::string_view key) -> std::optional<std::string_view> {
        dom::element e;
        if (doc.get_object().at_key(key).get(e) || !e.is_string())
            return std::nullopt;
        return str(e);
    };
    row.number = [doc](std::string_view key) -> std::optional<double> {
        dom::element e;
        if (doc.get_object().at_key(key).get(e) || !e.is_number())
            return std::nullopt;
        return e.is_double() ? double(e.get_double()) : double(integer(e));
    };
    row.metadata = at(Element(doc), {"metadata"});
    row.requestTags = at(Element(doc), {"request_tags"});
    return map(row, out);
}

RecordReader::Status LiteLlmReader::nextCsv(CallRecord &out)
{
    if (m_header.empty()) {
        if (m_csv.next(m_fields) != CsvReader::Result::Record) {
            m_reason = "empty file (expected a header row)";
            return Status::Fatal;
        }
        for (auto f : m_fields)
            m_header.emplace_back(f);
    }
    for (;;) {
        const auto r = m_csv.next(m_fields);
        m_lineNo = m_csv.line();
        m_location = "line " + std::to_string(m_lineNo);
        m_raw = m_csv.rawRecord();
        if (r == CsvReader::Result::End)
            return Status::End;
        if (r == CsvReader::Result::TooLong) {
            m_reason = m_csv.error();
            return Status::Fatal;
        }
        if (r == CsvReader::Result::Malformed) {
            m_reason = m_csv.error();
            return Status::Rejected;
        }
        if (m_fields.size() == 1 && m_fields[0].empty())
            continue;
        break;
    }
    if (m_fields.size() != m_header.size()) {
        m_reason = "expected " + std::to_string(m_header.size()) +
                   " fields as in the header, found " + std::to_string(m_fields.size());
        return Status::Rejected;
    }
    auto cell = [this](std::string_view key) -> std::optional<std::string_view> {
        for (size_t i = 0; i < m_header.size(); ++i)
            if (m_header[i] == key)
                return m_fields[i];
        return std::nullopt;
    };
    Row row;
    row.text = cell;
    row.number = [cell](std::string_view key) -> std::optional<double> {
        auto t = cell(key);
        double d = 0;
        if (!t || t->empty())
            return std::nullopt;
        auto [p, ec] = std::from_chars(t->data(), t->data() + t->size(), d);
        if (ec != std::errc() || p != t->data() + t->size())
            return std::nullopt;
        return d;
    };
    if (!parseJsonCell(m_metaParser, m_metaCopy, cell("metadata").value_or(""), row.metadata)) {
        m_reason = "metadata: not valid JSON";
        return Status::Rejected;
    }
    if (!parseJsonCell(m_tagsParser, m_tagsCopy, cell("request_tags").value_or(""),
                       row.requestTags)) {
        m_reason = "request_tags: not valid JSON";
        return Status::Rejected;
    }
    return map(row, out);
}

RecordReader::Status LiteLlmReader::map(const Row &row, CallRecord &r)
{
    r.clear();
    auto reject = [this](std::string why) {
        m_reason = std::move(why);
        return Status::Rejected;
    };
    std::string why;
    auto ts = time(row, "startTime", &why);
    if (!ts)
        return reject(why.empty() ? "startTime: missing" : "startTime: " + why);
    r.tsMs = *ts;
    auto count = [&](const char *key, int64_t &target) {
        if (auto n = row.number(key)) {
            if (*n < 0 || std::floor(*n) != *n)
                return false;
            target = int64_t(*n);
            return true;
        }
        auto t = row.text(key);
        return !t || t->empty(); // absent counts as 0
    };
    if (!count("prompt_tokens", r.inputTokens))
        return reject("prompt_tokens: expected a non-negative integer");
    if (!count("completion_tokens", r.outputTokens))
        return reject("completion_tokens: expected a non-negative integer");
    const Element usage = at(row.metadata, {"usage_object"});
    r.cachedInputTokens = integer(at(usage, {"prompt_tokens_details", "cached_tokens"}),
                                  integer(at(usage, {"cache_read_input_tokens"})));
    r.cacheWriteTokens = integer(at(usage, {"cache_creation_input_tokens"}));
    r.reasoningTokens = integer(at(usage, {"completion_tokens_details", "reasoning_tokens"}));
    // Current LiteLLM counts cache writes inside prompt_tokens; one older
    // release did not. When the parts exceed the whole, the whole left them out.
    if (r.cachedInputTokens + r.cacheWriteTokens > r.inputTokens)
        r.inputTokens += r.cacheWriteTokens;

    r.model = m_arena.keep(row.text("model").value_or(""));
    if (r.model.empty())
        r.model = m_arena.keep(row.text("model_group").value_or(""));
    r.requestId = m_arena.keep(row.text("request_id").value_or(row.text("id").value_or("")));
    r.provider = m_arena.keep(row.text("custom_llm_provider").value_or(""));
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
    const Element extra = at(row.metadata, {"spend_logs_metadata"});
    auto pick = [&](std::initializer_list<std::string_view> candidates) {
        for (std::string_view c : candidates)
            if (!c.empty())
                return m_arena.keep(c);
        return std::string_view();
    };
    r.agent = pick({row.text("agent_id").value_or(""), str(at(extra, {"agent"})),
                    tagValue(row.requestTags, "agent")});
    r.task = pick({row.text("session_id").value_or(""), str(at(extra, {"task_id"})),
                   tagValue(row.requestTags, "task")});
    r.feature = pick({str(at(extra, {"feature"})), tagValue(row.requestTags, "feature")});
    r.user = pick({row.text("end_user").value_or(""), row.text("user").value_or("")});
    r.team = pick(
        {str(at(row.metadata, {"user_api_key_team_alias"})), row.text("team_id").value_or("")});
    if (row.requestTags && row.requestTags->is_array()) {
        std::string tags = simdjson::minify(*row.requestTags);
        appendRawTag(r.tagsJson, "request_tags", tags);
        finishTags(r.tagsJson);
    }
    return Status::Record;
}

} // namespace tl
