#include "jsonobjectreader.h"

#include <cmath>
#include <sstream>

namespace tl::sim {

namespace {
const JsonObjectReader::Json &emptyObject()
{
    static const JsonObjectReader::Json e = JsonObjectReader::Json::object();
    return e;
}
const JsonObjectReader::Json &emptyArray()
{
    static const JsonObjectReader::Json e = JsonObjectReader::Json::array();
    return e;
}

std::string formatNumber(double v)
{
    std::ostringstream s;
    s << v;
    return s.str();
}
} // namespace

std::string describeJson(const nlohmann::ordered_json &v)
{
    if (v.is_null())
        return "null";
    if (v.is_string())
        return "the string " + v.dump();
    if (v.is_boolean())
        return v.dump();
    if (v.is_number())
        return v.dump();
    if (v.is_array())
        return "an array";
    return "an object";
}

JsonObjectReader::JsonObjectReader(const Json &value, std::string path)
    : m_value(value)
    , m_path(std::move(path))
{
    if (!m_value.is_object())
        throw JsonPathError(m_path, "expected an object, got " + describeJson(m_value));
    // An ordered object finds a key by scanning: tens of thousands of keys
    // made reading a crafted file quadratic (minutes). No file of ours needs
    // more than a few hundred.
    if (m_value.size() > kMaxKeys)
        throw JsonPathError(m_path, "more than " + std::to_string(kMaxKeys) +
                                        " keys: not a file this program writes");
}

std::string JsonObjectReader::pathOf(const std::string &key) const
{
    return m_path + "." + key;
}

bool JsonObjectReader::has(const std::string &key) const
{
    return m_value.contains(key);
}

const JsonObjectReader::Json *JsonObjectReader::field(const std::string &key)
{
    m_read.insert(key);
    auto it = m_value.find(key);
    return it == m_value.end() ? nullptr : &*it;
}

void JsonObjectReader::fail(const std::string &key, const std::string &reason) const
{
    throw JsonPathError(pathOf(key), reason);
}

std::string JsonObjectReader::string(const std::string &key, bool required)
{
    const Json *v = field(key);
    if (!v) {
        if (required)
            fail(key, "missing; expected a string");
        return {};
    }
    if (!v->is_string())
        fail(key, "expected a string, got " + describeJson(*v));
    return v->get<std::string>();
}

bool JsonObjectReader::boolean(const std::string &key, bool fallback)
{
    const Json *v = field(key);
    if (!v)
        return fallback;
    if (!v->is_boolean())
        fail(key, "expected true or false, got " + describeJson(*v));
    return v->get<bool>();
}

double JsonObjectReader::number(const std::string &key, double min, double max, double fallback)
{
    const Json *v = field(key);
    if (!v)
        return fallback;
    if (!v->is_number())
        fail(key, "expected a number, got " + describeJson(*v));
    const double d = v->get<double>();
    if (!std::isfinite(d) || d < min || d > max)
        fail(key, "expected a number from " + formatNumber(min) + " to " + formatNumber(max) +
                      ", got " + v->dump());
    return d;
}

int JsonObjectReader::integer(const std::string &key, int min, int max, int fallback)
{
    const Json *v = field(key);
    if (!v)
        return fallback;
    if (!v->is_number_integer())
        fail(key, "expected a whole number, got " + describeJson(*v));
    const int64_t i = v->get<int64_t>();
    if (i < min || i > max)
        fail(key, "expected a whole number from " + std::to_string(min) + " to " +
                      std::to_string(max) + ", got " + v->dump());
    return int(i);
}

std::optional<double> JsonObjectReader::nullableNumber(const std::string &key, double min,
                                                       double max, std::optional<double> absent)
{
    const Json *v = field(key);
    if (!v)
        return absent;
    if (v->is_null())
        return std::nullopt;
    return number(key, min, max, 0);
}

std::vector<std::string> JsonObjectReader::stringList(const std::string &key)
{
    const Json *v = field(key);
    if (!v)
        return {};
    if (v->is_string())
        return {v->get<std::string>()};
    if (!v->is_array())
        fail(key, "expected a list of names, got " + describeJson(*v));
    if (v->size() > kMaxItems)
        fail(key, "more than " + std::to_string(kMaxItems) + " names");
    std::vector<std::string> out;
    for (size_t i = 0; i < v->size(); ++i) {
        const Json &e = (*v)[i];
        if (!e.is_string())
            throw JsonPathError(pathOf(key) + "[" + std::to_string(i) + "]",
                                "expected a name (string), got " + describeJson(e));
        out.push_back(e.get<std::string>());
    }
    return out;
}

const JsonObjectReader::Json &JsonObjectReader::object(const std::string &key)
{
    const Json *v = field(key);
    if (!v)
        return emptyObject();
    if (!v->is_object())
        fail(key, "expected an object, got " + describeJson(*v));
    return *v;
}

const JsonObjectReader::Json &JsonObjectReader::array(const std::string &key)
{
    const Json *v = field(key);
    if (!v)
        return emptyArray();
    if (!v->is_array())
        fail(key, "expected a list, got " + describeJson(*v));
    return *v;
}

JsonObjectReader::Json JsonObjectReader::finish() const
{
    Json unknown = Json::object();
    for (auto it = m_value.begin(); it != m_value.end(); ++it)
        if (!m_read.count(it.key()))
            unknown[it.key()] = it.value();
    return unknown;
}

} // namespace tl::sim
