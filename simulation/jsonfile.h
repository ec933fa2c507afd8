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
    // Limits that keep a hostile file (a colleague's scenario, a crafted
    // catalog) from taking the program's stack, memory or minutes: nesting
    // deeper than any of our formats, and files far larger than any real one
    // (LiteLLM's whole price map is under 2 MB).
    static constexpr int kMaxDepth = 64;
    static constexpr size_t kMaxBytes = size_t(64) << 20;
    // Keys of one object. LiteLLM's price map, the largest file we read, has
    // about 3,000 models at its top level; nothing else comes close.
    static constexpr size_t kMaxKeys = 20000;

    // Parses `text`; on failure nullopt and "not valid JSON: parse error at
    // line 3, column 5: …" in *error. Every JSON-library error is caught (a
    // number out of range such as 1e309 among them), and nesting past
    // kMaxDepth is refused while parsing, before a deep value exists.
    static std::optional<nlohmann::ordered_json> parse(std::string_view text, std::string *error);
    // The same for an unordered document (catalogs, mappings).
    static std::optional<nlohmann::json> parsePlain(std::string_view text, std::string *error);
    // The whole file, or nullopt when it cannot be read or passes kMaxBytes
    // (then *error says so).
    static std::optional<std::string> read(const std::string &path, std::string *error = nullptr);
    // Writes a temporary file beside `path` and renames it over, so a crash
    // never leaves half a file. Returns an error message, or empty.
    static std::string writeAtomically(const std::string &path, const std::string &text);
    // A document as text, never throwing: bytes that are not UTF-8 (a name
    // from a foreign log) become U+FFFD instead of aborting the program.
    template <class Json> static std::string text(const Json &doc, int indent = -1)
    {
        return doc.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
    }
};

} // namespace tl::sim
