#include "structuredreader.h"

#include "core/timeutil.h"

#include <charconv>
#include <cmath>

namespace tl {

using namespace simdjson;

StructuredReader::StructuredReader(std::unique_ptr<ChunkReader> in, std::string fileName,
                                   Shape shape)
    : m_in(std::move(in))
    , m_fileName(std::move(fileName))
    , m_shape(shape)
    , m_array(*m_in)
    , m_lines(*m_in)
    , m_csv(*m_in)
{}

StructuredReader::Element StructuredReader::at(const Element &e,
                                               std::initializer_list<const char *> path)
{
    if (!e)
        return std::nullopt;
    dom::element cur = *e;
    for (const char *k : path) {
        dom::element next;
        if (!cur.is_object() || cur.get_object().at_key(k).get(next) || next.is_null())
            return std::nullopt;
        cur = next;
    }
    return cur;
}

std::string_view StructuredReader::str(const Element &e)
{
    std::string_view s;
    return e && e->is_string() && !e->get_string().get(s) ? s : std::string_view();
}

int64_t StructuredReader::integer(const Element &e, int64_t fallback)
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

std::optional<int64_t> StructuredReader::time(const Row &row, std::string_view key,
                                              std::string *why)
{
    if (auto n = row.number(key))
        return epochNumberToMs(*n);
    auto t = row.text(key);
    if (!t || t->empty())
        return std::nullopt;
    if (auto ms = parseTimestamp(*t, why))
        return ms;
    // Database exports often write UTC times without a zone.
    std::string naive(*t);
    naive += 'Z';
    if (auto ms = parseTimestamp(naive, nullptr))
        return ms;
    return std::nullopt;
}

std::optional<std::string_view> StructuredReader::cell(std::string_view key) const
{
    for (size_t i = 0; i < m_header.size(); ++i)
        if (m_header[i] == key)
            return m_fields[i];
    return std::nullopt;
}

std::optional<std::string_view> StructuredReader::Row::text(std::string_view key) const
{
    if (m_object) {
        dom::element e;
        if (m_object->get_object().at_key(key).get(e) || !e.is_string())
            return std::nullopt;
        return str(e);
    }
    auto c = m_reader->cell(key);
    if (!c || c->empty())
        return std::nullopt;
    return c;
}

std::optional<double> StructuredReader::Row::number(std::string_view key) const
{
    if (m_object) {
        dom::element e;
        if (m_object->get_object().at_key(key).get(e) || !e.is_number())
            return std::nullopt;
        return e.is_double() ? double(e.get_double()) : double(integer(e));
    }
    auto c = m_reader->cell(key);
    double d = 0;
    if (!c || c->empty())
        return std::nullopt;
    auto [p, ec] = std::from_chars(c->data(), c->data() + c->size(), d);
    if (ec != std::errc() || p != c->data() + c->size())
        return std::nullopt;
    return d;
}

bool StructuredReader::Row::count(std::string_view key, int64_t &out) const
{
    out = 0;
    if (auto n = number(key)) {
        if (*n < 0 || std::floor(*n) != *n)
            return false;
        out = int64_t(*n);
        return true;
    }
    const auto t = text(key);
    return !t || t->empty() || *t == "null";
}

StructuredReader::Element StructuredReader::Row::json(std::string_view key) const
{
    if (m_object) {
        dom::element e;
        if (m_object->get_object().at_key(key).get(e) || e.is_null())
            return std::nullopt;
        return e;
    }
    auto c = m_reader->cell(key);
    if (!c || c->empty() || *c == "null")
        return std::nullopt;
    // Each JSON cell of the row needs a parser of its own: elements point into it.
    const StructuredReader &r = *m_reader;
    if (r.m_cellsUsed == r.m_cellParsers.size()) {
        r.m_cellParsers.push_back(std::make_unique<dom::parser>());
        r.m_cellCopies.emplace_back();
    }
    std::string &copy = r.m_cellCopies[r.m_cellsUsed];
    dom::parser &parser = *r.m_cellParsers[r.m_cellsUsed++];
    copy.assign(*c);
    copy.append(SIMDJSON_PADDING, ' ');
    dom::element e;
    if (parser.parse(copy.data(), c->size(), false).get(e))
        return std::nullopt;
    return e;
}

RecordReader::Status StructuredReader::next(CallRecord &out)
{
    m_arena.clear();
    m_cellsUsed = 0;
    if (m_shape == Shape::Csv)
        return nextCsv(out);
    std::string_view object;
    if (m_shape == Shape::JsonArray) {
        const auto r = m_array.next(object);
        if (r == JsonArrayStream::Result::End)
            return Status::End;
        m_lineNo = m_array.line();
        m_location =
            "record " +
            std::to_string(m_array.index() + (r == JsonArrayStream::Result::Object ? 0 : 1)) +
            " (line " + std::to_string(m_lineNo) + ")";
        if (r != JsonArrayStream::Result::Object) {
            m_reason = m_array.error();
            return Status::Fatal;
        }
        return nextJson(out, object);
    }
    for (;;) {
        const auto r = m_lines.next(object);
        m_lineNo = m_lines.line();
        m_location = "line " + std::to_string(m_lineNo);
        if (r == LineReader::Result::End)
            return Status::End;
        if (r == LineReader::Result::TooLong) {
            m_reason = "line longer than 64 MiB";
            return Status::Fatal;
        }
        if (object.find_first_not_of(" \t") != std::string_view::npos)
            return nextJson(out, object);
    }
}

RecordReader::Status StructuredReader::nextJson(CallRecord &out, std::string_view object)
{
    m_raw = object;
    dom::element doc;
    if (auto err = m_parser.parse(object.data(), object.size(), false).get(doc))
        return reject(std::string("invalid JSON: ") + error_message(err));
    if (!doc.is_object())
        return reject("expected a JSON object");
    Row row;
    row.m_reader = this;
    row.m_object = doc;
    out.clear();
    return mapWithAttribution(row, out);
}

RecordReader::Status StructuredReader::mapWithAttribution(const Row &row, CallRecord &out)
{
    const Status status = map(row, out);
    if (status != Status::Record || !m_attribution)
        return status;
    AttributionMapping::apply(
        *m_attribution,
        [&](const AttributionMapping::Source &src) -> std::string_view {
            if (src.kind == "field")
                return row.text(src.key).value_or("");
            if (src.kind == "metadata") {
                Element e = row.json("metadata");
                size_t start = 0;
                while (e && start <= src.key.size()) {
                    const size_t dot = std::min(src.key.find('.', start), src.key.size());
                    const std::string part = src.key.substr(start, dot - start);
                    e = at(e, {part.c_str()});
                    start = dot + 1;
                }
                return str(e);
            }
            // tag: "prefix:value" in the record's tag list
            for (const char *list : {"request_tags", "traceTags", "tags"}) {
                const Element tags = row.json(list);
                if (!tags || !tags->is_array())
                    continue;
                for (dom::element t : tags->get_array()) {
                    const std::string_view s = str(t);
                    if (s.size() > src.key.size() && s.substr(0, src.key.size()) == src.key &&
                        s[src.key.size()] == ':')
                        return s.substr(src.key.size() + 1);
                }
            }
            return {};
        },
        out, m_arena);
    return Status::Record;
}

RecordReader::Status StructuredReader::nextCsv(CallRecord &out)
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
        if (r == CsvReader::Result::Malformed)
            return reject(m_csv.error());
        if (!(m_fields.size() == 1 && m_fields[0].empty()))
            break;
    }
    if (m_fields.size() != m_header.size())
        return reject("expected " + std::to_string(m_header.size()) +
                      " fields as in the header, found " + std::to_string(m_fields.size()) +
                      m_csv.spanNote());
    // JSON shapes are validated by simdjson; a CSV cell is raw bytes, and a
    // name that is not UTF-8 would break every JSON answer that shows it.
    if (!simdjson::validate_utf8(m_raw.data(), m_raw.size()))
        return reject("invalid UTF-8");
    Row row;
    row.m_reader = this;
    out.clear();
    return mapWithAttribution(row, out);
}

} // namespace tl
