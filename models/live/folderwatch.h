#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tl {
class Workspace;
}

namespace tl::live {

// Which files in watched folders are ready to import, and which were seen
// before (the workspace's `watched_files`, so a restart neither re-imports
// nor retries one). A file is ready once its size and modification time
// held still for `settleMs` (a writer appending to it is waited for);
// names a writer uses before renaming into place (hidden, *.tmp, *.part,
// *~) are ignored until the rename.
class FolderWatch
{
public:
    struct File
    {
        std::string path;
        int64_t size = 0;
        int64_t mtimeMs = 0;
    };

    FolderWatch(std::vector<std::string> folders, int64_t settleMs)
        : m_folders(std::move(folders))
        , m_settleMs(settleMs)
    {}

    // The files that are ready and not yet seen, oldest first (arrival order).
    std::vector<File> ready(Workspace &ws, int64_t nowMs);
    // Records what became of a file: "imported" or "failed" with why.
    static void record(Workspace &ws, const File &f, const std::string &state,
                       const std::string &message, int64_t nowMs);

private:
    struct Seen
    {
        int64_t size, mtimeMs, sinceMs;
    };
    std::vector<std::string> m_folders;
    int64_t m_settleMs;
    std::map<std::string, Seen> m_seen; // path -> last size/mtime and since when
};

} // namespace tl::live
