#pragma once

#include <string>

namespace tl {

// What a file given to `tokenledger open` (or double-clicked) is, by its
// content first — a workspace's SQLite header and application_id, a JSON
// document's "format" — and by its extension only when the content says
// nothing. The same rules as packaging/tokenledger-mime.xml.
enum class FileKind { Workspace, Scenario, Budgets, Mapping, Unknown };

FileKind detectFileKind(const std::string &path);
const char *fileKindName(FileKind k); // "workspace", "scenario", …

// The extension each kind is saved with, with its dot.
inline constexpr const char *kWorkspaceExtension = ".tlw";
inline constexpr const char *kScenarioExtension = ".tlscenario";
inline constexpr const char *kBudgetsExtension = ".tlbudgets";
inline constexpr const char *kMappingExtension = ".tlmapping";

} // namespace tl
