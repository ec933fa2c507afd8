#include "jsonfile.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

namespace tl::sim {

namespace {

struct TooDeep
{
};
struct TooManyKeys
{
};
struct DuplicateKey
{
    std::string key;
};

template <class Json> std::optional<Json> parseLimited(std::string_view text, std::string *error)
{
    auto fail = [error](const std::string &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (text.size() > JsonFile::kMaxBytes)
        return fail("larger than " + std::to_string(JsonFile::kMaxBytes >> 20) +
                    " MiB: not a file this program writes");
    // Keys so far of each open object: an ordered object checks every new
    // key against the ones before it, so 200k keys took the parser minutes.
    std::vector<std::set<std::string>> keys;
    try {
        // The callback sees every value as it is built: refusing past the
        // limits here means no deep or huge value is ever built (copying a
        // deep one recursed the stack away).
        Json doc =
            Json::parse(text.begin(), text.end(),
                        [&keys](int depth, nlohmann::json::parse_event_t event, Json &parsed) {
                            using E = nlohmann::json::parse_event_t;
                            if (depth > JsonFile::kMaxDepth &&
                                (event == E::object_start || event == E::array_start))
                                throw TooDeep{};
                            if (event == E::object_start) {
                                keys.emplace_back();
                            } else if (event == E::object_end && !keys.empty()) {
                                keys.pop_back();
                            } else if (event == E::key && !keys.empty()) {
                                if (keys.back().size() >= JsonFile::kMaxKeys)
                                    throw TooManyKeys{};
                                // Defined, not library-dependent: a file that says a
                                // thing twice is refused (one parser keeps the first,
                                // another the last; a reviewer sees one of them).
                                std::string key = parsed.template get<std::string>();
                                if (!keys.back().insert(key).second)
                                    throw DuplicateKey{std::move(key)};
                            }
                            return true;
                        });
        return doc;
    } catch (const TooDeep &) {
        return fail("nested deeper than " + std::to_string(JsonFile::kMaxDepth) +
                    " levels: not a file this program writes");
    } catch (const DuplicateKey &d) {
        return fail("the key \"" + d.key + "\" appears twice in one object");
    } catch (const TooManyKeys &) {
        return fail("an object with more than " + std::to_string(JsonFile::kMaxKeys) +
                    " keys: not a file this program writes");
    } catch (const nlohmann::json::exception &e) {
        // "[json.exception.parse_error.101] parse error at line 3, column 5: …"
        const std::string what = e.what();
        const size_t bracket = what.find("] ");
        return fail("not valid JSON: " +
                    (bracket == std::string::npos ? what : what.substr(bracket + 2)));
    }
}

} // namespace

std::optional<nlohmann::ordered_json> JsonFile::parse(std::string_view text, std::string *error)
{
    return parseLimited<nlohmann::ordered_json>(text, error);
}

std::optional<nlohmann::json> JsonFile::parsePlain(std::string_view text, std::string *error)
{
    return parseLimited<nlohmann::json>(text, error);
}

std::optional<std::string> JsonFile::read(const std::string &path, std::string *error)
{
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > kMaxBytes) {
        if (error)
            *error = path + ": larger than " + std::to_string(kMaxBytes >> 20) +
                     " MiB: not a file this program writes";
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (error)
            *error = path + ": cannot be read";
        return std::nullopt;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::string JsonFile::writeAtomically(const std::string &path, const std::string &text)
{
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            return path + ": cannot be written";
        out << text;
        out.flush();
        if (!out) {
            std::remove(tmp.c_str());
            return path + ": writing failed (disk full?)";
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::remove(tmp.c_str());
        return path + ": " + ec.message();
    }
    return {};
}

} // namespace tl::sim
