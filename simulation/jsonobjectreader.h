#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace tl::sim {

// A refusal with the JSON path of the offending value ("$.levers.batching.window_s").
class JsonPathError : public std::runtime_error
{
public:
    JsonPathError(std::string path, const std::string &reason)
        : std::runtime_error(path + ": " + reason)
        , m_path(std::move(path))
    {}
    const std::string &path() const { return m_path; }

private:
    std::string m_path;
};

// Reads one JSON object's fields with their path, refusing wrong types and
// out-of-range values, and keeps the keys nobody asked for (finish()).
class JsonObjectReader
{
public:
    using Json = nlohmann::ordered_json;
    static constexpr size_t kMaxKeys = 2000;   // keys of one object
    static constexpr size_t kMaxItems = 10000; // names in one list

    JsonObjectReader(const Json &value, std::string path);

    const std::string &path() const { return m_path; }
    std::string pathOf(const std::string &key) const;
    bool has(const std::string &key) const;

    std::string string(const std::string &key, bool required = false);
    bool boolean(const std::string &key, bool fallback);
    // A number within [min, max]; `fallback` when absent. Null is refused.
    double number(const std::string &key, double min, double max, double fallback);
    int integer(const std::string &key, int min, int max, int fallback);
    // Absent -> `absent`; null -> nullopt; else a number within [min, max].
    std::optional<double> nullableNumber(const std::string &key, double min, double max,
                                         std::optional<double> absent);
    std::vector<std::string> stringList(const std::string &key);
    // The object under key, or an empty object when absent.
    const Json &object(const std::string &key);
    const Json &array(const std::string &key);

    // Marks every read key; returns the others (kept, and reported by the caller).
    Json finish() const;

private:
    const Json *field(const std::string &key);
    [[noreturn]] void fail(const std::string &key, const std::string &reason) const;

    const Json &m_value;
    std::string m_path;
    std::set<std::string> m_read;
};

std::string describeJson(const nlohmann::ordered_json &v); // "a string \"x\"", "null", …

} // namespace tl::sim
