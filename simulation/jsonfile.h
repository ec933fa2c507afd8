#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace tl::sim {

// The plumbing every shared JSON file (scenarios, budgets) needs.
class JsonFile
{
public:
    // Parses `text`; on failure nullopt and "not valid JSON: parse error at
    // line 3, column 5: …" in *error.
    static std::optional<nlohmann::ordered_json> parse(std::string_view text, std::string *error);
    // The whole file, or nullopt when it cannot be read.
    static std::optional<std::string> read(const std::string &path);
    // Writes a temporary file beside `path` and renames it over, so a crash
    // never leaves half a file. Returns an error message, or empty.
    static std::string writeAtomically(const std::string &path, const std::string &text);
};

} // namespace tl::sim
