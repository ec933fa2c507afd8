#include "jsonfile.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace tl::sim {

std::optional<nlohmann::ordered_json> JsonFile::parse(std::string_view text, std::string *error)
{
    try {
        return nlohmann::ordered_json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::parse_error &e) {
        // "[json.exception.parse_error.101] parse error at line 3, column 5: …"
        const std::string what = e.what();
        const size_t bracket = what.find("] ");
        if (error)
            *error = "not valid JSON: " +
                     (bracket == std::string::npos ? what : what.substr(bracket + 2));
        return std::nullopt;
    }
}

std::optional<std::string> JsonFile::read(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
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
