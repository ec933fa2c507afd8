#pragma once

#include <string>
#include <vector>

namespace tl {

// The files an import of `paths` reads: a file as given; a folder walked
// (sub-folders too) for its log files (.jsonl, .json, .csv), in path order —
// Claude Code keeps one file per session under ~/.claude/projects, Codex
// one per session under ~/.codex/sessions/YYYY/MM/DD, so a user imports the
// whole folder at once. Hidden entries are left out; a folder without log
// files yields nothing for it (`empty` lists such folders).
std::vector<std::string> expandImportPaths(const std::vector<std::string> &paths,
                                           std::vector<std::string> *empty = nullptr);

} // namespace tl
