#include "nativejsonlreader.h"

#include "nativefields.h"

namespace tl {

using namespace simdjson;

namespace {

// The value's JSON text as written (objects and arrays whole, scalars as
// their token), for keeping unknown fields as tags.
bool rawJson(ondemand::value &v, std::string_view &out)
{
    ondemand::json_type t;
    if (v.type().get(t))
        return false;
    if (t == ondemand::json_type::object) {
        ondemand::object o;
        return !v.get_object().get(o) && !o.raw_json().get(out);
    }
    if (t == ondemand::json_type::array) {
        ondemand::array a;
        return !v.get_array().get(a) && !a.raw_json().get(out);
    }
    out = v.raw_json_token();
    while (!out.empty() &&
           (out.back() == ' ' || out.back() == '\t' || out.back() == '\r' || out.back() == '\n'))
        out.remove_suffix(1);
    return true;
}

} // namespace

NativeJsonlReader::NativeJsonlReader(std::unique_ptr<ChunkReader> in, std::string fileName)
    : m_in(std::move(in))
    , m_lines(*m_in)
    , m_fileName(std::move(fileName))
{}

bool NativeJsonlReader::sniff(std::string_view head)
{
    if (head.substr(0, 3) == "\xEF\xBB\xBF")
        head.remove_prefix(3);
    size_t i = head.find_first_not_of(" \t\r\n");
    if (i == std::string_view::npos || head[i] != '{')
        return false;
    std::string_view first = head.substr(i, head.find('\n', i) - i);
    return first.find("\"model\"") != std::string_view::npos &&
           first.find("\"ts\"") != std::string_view::npos;
}

RecordReader::Status NativeJsonlReader::next(CallRecord &out)
{
    for (;;) {
        auto r = m_lines.next(m_line);
        if (r == LineReader::Result::End) {
            if (m_in->readError()) {
                m_reason = "read error";
                return Status::Fatal;
            }
            return Status::End;
        }
        if (r == LineReader::Result::TooLong) {
            m_reason = "line longer than 64 MiB";
            return Status::Fatal;
        }
        if (m_line.find_first_not_of(" \t") == std::string_view::npos)
            continue;
        return parseLine(out);
    }
}

RecordReader::Status NativeJsonlReader::parseLine(CallRecord &out)
{
    out.clear();
    auto reject = [this](std::string why) {
        m_reason = std::move(why);
        return Status::Rejected;
    };
    padded_string_view input(m_line.data(), m_line.size(), m_line.size() + ChunkReader::kPadding);
    ondemand::document doc;
    if (auto err = m_parser.iterate(input).get(doc))
        return reject(std::string("invalid JSON: ") + error_message(err));
    ondemand::object obj;
    if (auto err = doc.get_object().get(obj))
        return reject(err == INCORRECT_TYPE ? "expected a JSON object"
                                            : std::string("invalid JSON: ") + error_message(err));
    {
        // On-Demand reads lazily: check up front that the object is the whole line.
        std::string_view objectText;
        if (auto err = obj.raw_json().get(objectText))
            return reject(std::string("invalid JSON: ") + error_message(err));
        const size_t end = size_t(objectText.data() - m_line.data()) + objectText.size();
        if (m_line.find_first_not_of(" \t\r", end) != std::string_view::npos)
            return reject("invalid JSON: trailing content after the object");
        if (auto err = obj.reset().error())
            return reject(std::string("invalid JSON: ") + error_message(err));
    }

    bool hasTs = false, hasModel = false, hasIn = false, hasOut = false;
    uint64_t seen = 0; // our fields met so far: one given twice is refused
    std::string tagsRaw;
    for (auto fieldResult : obj) {
        ondemand::field field;
        if (auto err = std::move(fieldResult).get(field))
            return reject(std::string("invalid JSON: ") + error_message(err));
        std::string_view key;
        if (auto err = field.unescaped_key().get(key))
            return reject(std::string("invalid JSON: ") + error_message(err));
        ondemand::value value = field.value();
        auto nf = nativeFieldFromName(key);
        if (!nf) {
            std::string_view raw;
            if (!rawJson(value, raw))
                return reject("invalid JSON in field '" + std::string(key) + "'");
            // key is a view into the parser's string buffer: copy before the next unescape.
            appendRawTag(out.tagsJson, std::string(key), raw);
            continue;
        }
        const uint64_t bit = uint64_t(1) << unsigned(*nf);
        if (seen & bit)
            return reject("$." + std::string(key) +
                          ": given twice (which one counts would be a guess)");
        seen |= bit;
        ondemand::json_type type;
        if (auto err = value.type().get(type))
            return reject(std::string("invalid JSON: ") + error_message(err));
        auto path = [&key] { return "$." + std::string(key); };
        if (type == ondemand::json_type::null)
            continue;
        if (*nf == NativeField::Tags) {
            if (type != ondemand::json_type::object)
                return reject(path() + ": expected an object of tags");
            ondemand::object tags = value.get_object();
            for (auto t : tags) {
                std::string_view k;
                if (t.unescaped_key().get(k))
                    return reject(path() + ": invalid key");
                std::string keyCopy(k);
                ondemand::value tv = t.value();
                std::string_view sv;
                ondemand::json_type tt;
                if (tv.type().get(tt))
                    return reject(path() + "." + keyCopy + ": invalid JSON");
                if (tt == ondemand::json_type::string) {
                    if (tv.get_string().get(sv))
                        return reject(path() + "." + keyCopy + ": invalid string");
                    appendTag(out.tagsJson, keyCopy, sv);
                } else {
                    if (!rawJson(tv, sv))
                        return reject(path() + "." + keyCopy + ": invalid JSON");
                    appendRawTag(out.tagsJson, keyCopy, sv);
                }
            }
            continue;
        }
        switch (type) {
        case ondemand::json_type::string: {
            std::string_view s;
            if (value.get_string().get(s))
                return reject(path() + ": invalid string");
            if (!applyNativeText(*nf, s, out, m_reason))
                return Status::Rejected;
            break;
        }
        case ondemand::json_type::number: {
            ondemand::number_type nt;
            if (value.get_number_type().get(nt))
                return reject(path() + ": invalid number");
            int64_t iv = 0;
            double dv = 0;
            bool isInt = false;
            if (nt == ondemand::number_type::signed_integer) {
                isInt = !value.get_int64().get(iv);
                dv = double(iv);
            } else if (nt == ondemand::number_type::unsigned_integer) {
                return reject(path() + ": number out of range");
            } else if (value.get_double().get(dv)) {
                return reject(path() + ": invalid number");
            }
            if (!applyNativeNumber(*nf, dv, iv, isInt, out, m_reason))
                return Status::Rejected;
            break;
        }
        case ondemand::json_type::boolean: {
            bool b = false;
            if (value.get_bool().get(b) || *nf != NativeField::Batch)
                return reject(std::string(nativeFieldName(*nf)) + ": expected " +
                              (*nf == NativeField::Batch ? "true or false" : "a string or number"));
            out.batch = b;
            break;
        }
        default:
            return reject(path() + ": expected a string or number, found an " +
                          (type == ondemand::json_type::array ? "array" : "object"));
        }
        switch (*nf) {
        case NativeField::Ts:
            hasTs = true;
            break;
        case NativeField::Model:
            hasModel = true;
            break;
        case NativeField::InputTokens:
            hasIn = true;
            break;
        case NativeField::OutputTokens:
            hasOut = true;
            break;
        default:
            break;
        }
    }
    finishTags(out.tagsJson);
    if (!hasTs)
        return reject("missing required field 'ts'");
    if (!hasModel)
        return reject("missing required field 'model'");
    if (!hasIn)
        return reject("missing required field 'input_tokens'");
    if (!hasOut)
        return reject("missing required field 'output_tokens'");
    return Status::Record;
}

} // namespace tl
