#include "importpaths.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace tl {

namespace fs = std::filesystem;

namespace {

bool isLogFile(const fs::path &p)
{
    const std::string ext = p.extension().string();
    return ext == ".jsonl" || ext == ".json" || ext == ".csv" || ext == ".ndjson";
}

bool isHidden(const fs::path &p)
{
    const std::string name = p.filename().string();
    return !name.empty() && name[0] == '.';
}

} // namespace

std::vector<std::string> expandImportPaths(const std::vector<std::string> &paths,
                                           std::vector<std::string> *empty)
{
    std::vector<std::string> out;
    for (const std::string &path : paths) {
        std::error_code ec;
        if (!fs::is_directory(path, ec)) {
            out.push_back(path); // a file, or a path the importer reports as unreadable
            continue;
        }
        std::vector<std::string> found;
        fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied,
                                            ec),
            end;
        for (; !ec && it != end; it.increment(ec)) {
            if (isHidden(it->path())) {
                if (it->is_directory(ec))
                    it.disable_recursion_pending();
                continue;
            }
            if (it->is_regular_file(ec) && isLogFile(it->path()))
                found.push_back(it->path().string());
        }
        std::sort(found.begin(), found.end());
        if (found.empty() && empty)
            empty->push_back(path);
        out.insert(out.end(), found.begin(), found.end());
    }
    return out;
}

} // namespace tl
