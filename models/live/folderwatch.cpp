#include "folderwatch.h"

#include "import/importpaths.h"
#include "store/workspace.h"

#include <algorithm>
#include <filesystem>

namespace tl::live {

namespace fs = std::filesystem;

namespace {

bool temporaryName(const std::string &path)
{
    const std::string name = fs::path(path).filename().string();
    auto endsWith = [&](std::string_view s) {
        return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
    };
    return name.empty() || name[0] == '.' || endsWith(".tmp") || endsWith(".part") ||
           endsWith("~") || endsWith(".partial") || endsWith(".crdownload");
}

} // namespace

std::vector<FolderWatch::File> FolderWatch::ready(Workspace &ws, int64_t nowMs)
{
    std::vector<File> out;
    Statement seenBefore(
        ws.db(), "SELECT 1 FROM watched_files WHERE path = ? AND size = ? AND mtime_ms = ?");
    for (const std::string &path : expandImportPaths(m_folders)) {
        if (temporaryName(path))
            continue;
        std::error_code ec;
        const auto size = fs::file_size(path, ec);
        if (ec)
            continue; // gone (renamed or removed) since the listing
        const auto mtime = fs::last_write_time(path, ec);
        if (ec)
            continue;
        const int64_t mtimeMs =
            std::chrono::duration_cast<std::chrono::milliseconds>(mtime.time_since_epoch()).count();
        Seen &s = m_seen[path];
        if (s.size != int64_t(size) || s.mtimeMs != mtimeMs || s.sinceMs == 0) {
            s = {int64_t(size), mtimeMs, nowMs};
            if (m_settleMs > 0)
                continue; // changed (or new) since the last look: wait for it to settle
        }
        if (nowMs - s.sinceMs < m_settleMs)
            continue;
        seenBefore.bind(1, path);
        seenBefore.bind(2, int64_t(size));
        seenBefore.bind(3, mtimeMs);
        const bool known = seenBefore.step();
        seenBefore.reset();
        if (!known)
            out.push_back({path, int64_t(size), mtimeMs});
    }
    std::sort(out.begin(), out.end(), [](const File &a, const File &b) {
        return a.mtimeMs != b.mtimeMs ? a.mtimeMs < b.mtimeMs : a.path < b.path;
    });
    return out;
}

void FolderWatch::record(Workspace &ws, const File &f, const std::string &state,
                         const std::string &message, int64_t nowMs)
{
    Transaction tx(ws.db());
    Statement st(ws.db(), "INSERT INTO watched_files(path, size, mtime_ms, state, at_ms, message) "
                          "VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(path, size, mtime_ms) DO UPDATE "
                          "SET state = excluded.state, at_ms = excluded.at_ms, message = "
                          "excluded.message");
    st.bind(1, f.path);
    st.bind(2, f.size);
    st.bind(3, f.mtimeMs);
    st.bind(4, state);
    st.bind(5, nowMs);
    if (message.empty())
        st.bindNull(6);
    else
        st.bind(6, message);
    st.step();
    tx.commit();
}

} // namespace tl::live
