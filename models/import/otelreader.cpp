#include "otelreader.h"

#include "core/callrecord.h"
#include "otelspan.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <unordered_map>

namespace tl {

using namespace simdjson;
using otel::AnyValue;
using otel::Attributes;
using otel::SpanData;

namespace {

constexpr size_t kMaxWholeDocument = size_t(1) << 30; // a single document is read whole

bool readInt(ondemand::value v, int64_t &out)
{
    ondemand::json_type t;
    if (v.type().get(t))
        return false;
    if (t == ondemand::json_type::number)
        return !v.get_int64().get(out);
    if (t == ondemand::json_type::string) {
        std::string_view s;
        if (v.get_string().get(s))
            return false;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return ec == std::errc() && p == s.data() + s.size();
    }
    return false;
}

bool readAnyValue(ondemand::value v, AnyValue &out)
{
    ondemand::object o;
    if (v.get_object().get(o))
        return false;
    for (auto f : o) {
        std::string_view key;
        if (f.unescaped_key().get(key))
            return false;
        ondemand::value fv = f.value();
        if (key == "stringValue") {
            std::string_view s;
            if (fv.get_string().get(s))
                return false;
            out.kind = AnyValue::String;
            out.s = s;
        } else if (key == "intValue") {
            if (!readInt(fv, out.i)) {
                out.kind = AnyValue::None;
                out.s = "not an integer";
                return true;
            }
            out.kind = AnyValue::Int;
        } else if (key == "doubleValue") {
            if (fv.get_double().get(out.d))
                return false;
            out.kind = AnyValue::Double;
        } else if (key == "boolValue") {
            bool b = false;
            if (fv.get_bool().get(b))
                return false;
            out.kind = AnyValue::Bool;
            out.i = b;
        }
        // arrayValue, kvlistValue, bytesValue: not needed for cost; skipped.
    }
    return true;
}

bool readAttributes(ondemand::value v, Attributes &attrs)
{
    ondemand::array arr;
    if (v.get_array().get(arr))
        return false;
    for (auto kvResult : arr) {
        ondemand::object kv;
        if (kvResult.get_object().get(kv))
            return false;
        std::string_view key;
        AnyValue value;
        for (auto f : kv) {
            std::string_view k;
            if (f.unescaped_key().get(k))
                return false;
            if (k == "key") {
                std::string_view s;
                if (f.value().get_string().get(s))
                    return false;
                key = s;
            } else if (k == "value") {
                if (!readAnyValue(f.value(), value))
                    return false;
            }
        }
        if (!key.empty())
            attrs.emplace_back(key, value);
    }
    return true;
}

// OTLP enumerations and the `…TimeUnixNano` fields are numbers or strings.
bool readSpan(ondemand::object span, SpanData &s)
{
    for (auto f : span) {
        std::string_view key;
        if (f.unescaped_key().get(key))
            return false;
        ondemand::value v = f.value();
        std::string_view sv;
        if (key == "traceId") {
            if (v.get_string().get(sv))
                return false;
            s.traceId = sv;
        } else if (key == "spanId") {
            if (v.get_string().get(sv))
                return false;
            s.spanId = sv;
        } else if (key == "name") {
            if (v.get_string().get(sv))
                return false;
            s.name = sv;
        } else if (key == "startTimeUnixNano") {
            if (!readInt(v, s.startNs))
                return false;
        } else if (key == "endTimeUnixNano") {
            if (!readInt(v, s.endNs))
                return false;
        } else if (key == "attributes") {
            if (!readAttributes(v, s.attrs))
                return false;
        } else if (key == "status") {
            ondemand::object st;
            if (v.get_object().get(st))
                return false;
            for (auto sf : st) {
                std::string_view sk;
                if (sf.unescaped_key().get(sk))
                    return false;
                if (sk == "code" && !readInt(sf.value(), s.statusCode))
                    return false;
            }
        }
    }
    return true;
}

} // namespace

std::string OtelReader::spanPath(const std::array<size_t, 3> &p)
{
    return "resourceSpans[" + std::to_string(p[0]) + "].scopeSpans[" + std::to_string(p[1]) +
           "].spans[" + std::to_string(p[2]) + "]";
}

OtelReader::OtelReader(std::unique_ptr<ChunkReader> in, std::string fileName)
    : m_in(std::move(in))
    , m_lines(*m_in)
    , m_fileName(std::move(fileName))
{}

bool OtelReader::sniff(std::string_view head)
{
    size_t i = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    return i != std::string_view::npos && head[i] == '{' &&
           (head.find("\"resourceSpans\"") != std::string_view::npos);
}

// A line holds a whole document when its braces balance (outside strings).
static bool balanced(std::string_view line)
{
    int depth = 0;
    bool inString = false;
    for (size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return depth == 0 && !inString;
}

bool OtelReader::readDocument()
{
    m_items.clear();
    m_nextItem = 0;
    m_arena.clear();
    if (m_done)
        return false;
    if (m_wholeMode) {
        m_done = true;
        return false;
    }
    std::string_view line;
    for (;;) {
        auto r = m_lines.next(line);
        if (r == LineReader::Result::End) {
            m_done = true;
            return false;
        }
        if (r == LineReader::Result::TooLong) {
            m_fatal = true;
            m_reason = "line longer than 64 MiB";
            m_location = "line " + std::to_string(m_lines.line());
            return false;
        }
        if (line.find_first_not_of(" \t") != std::string_view::npos)
            break;
    }
    m_lineNo = m_lines.line();
    // Only the first line decides between JSON Lines and one pretty-printed
    // document; later lines are parsed as they are (simdjson reports a cut one).
    if (m_documents == 0 && !balanced(line)) {
        {
            // One pretty-printed document: read it whole.
            m_wholeMode = true;
            m_whole.assign(line);
            m_whole += '\n';
            while (m_lines.next(line) == LineReader::Result::Line) {
                m_whole.append(line);
                m_whole += '\n';
                if (m_whole.size() > kMaxWholeDocument) {
                    m_fatal = true;
                    m_location = "line 1";
                    m_reason = "a single OTLP document over 1 GiB; export it as JSON Lines";
                    return false;
                }
            }
            const size_t size = m_whole.size();
            m_whole.append(SIMDJSON_PADDING, ' ');
            // After the append: it may move the text (a view taken before it
            // dangled, and a rejection wrote freed memory to --rejects).
            m_raw = std::string_view(m_whole).substr(0, std::min<size_t>(size, 200));
            parseDocument(std::string_view(m_whole.data(), size), m_whole.size());
            return true;
        }
    }
    ++m_documents;
    m_raw = line;
    parseDocument(line, line.size() + ChunkReader::kPadding);
    return true;
}

bool OtelReader::parseDocument(std::string_view json, size_t capacity)
{
    m_where = m_wholeMode ? std::string() : "line " + std::to_string(m_lineNo) + ": ";
    const std::string &where = m_where;
    auto reject = [&](const std::string &path, const std::string &why) {
        m_items.push_back(PendingItem(Status::Rejected, where + path, why));
        return false;
    };
    padded_string_view input(json.data(), json.size(), capacity);
    ondemand::document doc;
    if (auto err = m_parser.iterate(input).get(doc))
        return reject("$", std::string("invalid JSON: ") + error_message(err));
    ondemand::object root;
    if (auto err = doc.get_object().get(root))
        return reject("$", std::string("invalid JSON: ") + error_message(err));
    ondemand::array resourceSpans;
    if (auto err = root.find_field_unordered("resourceSpans").get_array().get(resourceSpans))
        return reject("$.resourceSpans", err == NO_SUCH_FIELD ? "missing" : "expected an array");

    size_t ri = 0;
    for (auto rsResult : resourceSpans) {
        const size_t rIndex = ri++;
        auto rsPath = [rIndex] { return "resourceSpans[" + std::to_string(rIndex) + "]"; };
        ondemand::object rs;
        if (rsResult.get_object().get(rs))
            return reject(rsPath(), "invalid JSON or not an object");
        Attributes resource;
        std::vector<SpanData> spans;
        for (auto f : rs) {
            std::string_view key;
            if (f.unescaped_key().get(key))
                return reject(rsPath(), "invalid JSON");
            if (key == "resource") {
                ondemand::object res;
                if (f.value().get_object().get(res))
                    return reject(rsPath() + ".resource", "expected an object");
                for (auto rf : res) {
                    std::string_view rk;
                    if (rf.unescaped_key().get(rk))
                        return reject(rsPath() + ".resource", "invalid JSON");
                    if (rk == "attributes" && !readAttributes(rf.value(), resource))
                        return reject(rsPath() + ".resource.attributes",
                                      "expected an array of key/value pairs");
                }
            } else if (key == "scopeSpans") {
                ondemand::array scopes;
                if (f.value().get_array().get(scopes))
                    return reject(rsPath() + ".scopeSpans", "expected an array");
                size_t si = 0;
                for (auto ssResult : scopes) {
                    const size_t sIndex = si++;
                    auto ssPath = [&] {
                        return rsPath() + ".scopeSpans[" + std::to_string(sIndex) + "]";
                    };
                    ondemand::object ss;
                    if (ssResult.get_object().get(ss))
                        return reject(ssPath(), "invalid JSON or not an object");
                    for (auto sf : ss) {
                        std::string_view sk;
                        if (sf.unescaped_key().get(sk))
                            return reject(ssPath(), "invalid JSON");
                        if (sk != "spans")
                            continue;
                        ondemand::array arr;
                        if (sf.value().get_array().get(arr))
                            return reject(ssPath() + ".spans", "expected an array");
                        size_t k = 0;
                        for (auto spanResult : arr) {
                            ondemand::object span;
                            SpanData s;
                            s.path = {ri - 1, si - 1, k++};
                            if (spanResult.get_object().get(span) || !readSpan(span, s))
                                return reject(spanPath(s.path),
                                              "invalid JSON or a field of the wrong type");
                            spans.push_back(std::move(s));
                        }
                    }
                }
            }
        }
        // The resource's attributes are known only now (fields come in any order).
        for (size_t i = 0; i < spans.size(); ++i) {
            PendingItem item(Status::Record, std::string());
            otel::mapSpan(spans[i], resource, m_attribution, m_arena, item);
            m_items.push_back(std::move(item));
        }
    }
    return true;
}

RecordReader::Status OtelReader::next(CallRecord &out)
{
    while (m_nextItem >= m_items.size()) {
        if (!readDocument())
            return m_fatal ? Status::Fatal : Status::End;
    }
    PendingItem &item = m_items[m_nextItem++];
    m_location =
        item.location.empty() && item.status != Status::Record && item.status != Status::Skipped
            ? m_where + spanPath(item.path)
            : item.location;
    m_currentPath = item.path;
    m_reason = item.reason;
    if (item.status == Status::Record)
        out = item.record;
    return item.status;
}

} // namespace tl
