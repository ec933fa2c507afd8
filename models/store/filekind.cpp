#include "filekind.h"

#include "budgets/budgetfile.h"
#include "import/attributionmapping.h"
#include "scenariofile.h"
#include "store/schema.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <string_view>

namespace tl {

namespace {

bool endsWith(const std::string &s, std::string_view tail)
{
    return s.size() >= tail.size() &&
           std::equal(tail.rbegin(), tail.rend(), s.rbegin(), [](char a, char b) {
               return a == std::tolower(static_cast<unsigned char>(b));
           });
}

// The value of the document's top-level "format", from its first bytes:
// every tokenledger file writes it first, and a shared file may be large.
std::string formatOf(const std::string &head)
{
    const size_t key = head.find("\"format\"");
    if (key == std::string::npos)
        return {};
    size_t i = head.find(':', key + 8);
    if (i == std::string::npos)
        return {};
    i = head.find('"', i + 1);
    if (i == std::string::npos)
        return {};
    const size_t end = head.find('"', i + 1);
    return end == std::string::npos ? std::string() : head.substr(i + 1, end - i - 1);
}

} // namespace

FileKind detectFileKind(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::string head(4096, '\0');
    if (in) {
        in.read(head.data(), std::streamsize(head.size()));
        head.resize(size_t(in.gcount()));
        if (head.size() >= 72 && head.compare(0, 16, std::string("SQLite format 3\0", 16)) == 0) {
            // The application_id at offset 68, big-endian: ours, or a new
            // (still empty) SQLite file, which tokenledger makes a workspace.
            const auto byte = [&](size_t i) { return uint32_t(uint8_t(head[i])); };
            const uint32_t id = byte(68) << 24 | byte(69) << 16 | byte(70) << 8 | byte(71);
            return id == uint32_t(Schema::kApplicationId) || id == 0 ? FileKind::Workspace
                                                                     : FileKind::Unknown;
        }
        const size_t first = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
        if (first != std::string::npos && head[first] == '{') {
            const std::string format = formatOf(head);
            if (format == sim::ScenarioFile::kFormat)
                return FileKind::Scenario;
            if (format == BudgetFile::kFormat)
                return FileKind::Budgets;
            if (format == AttributionMapping::kFormat)
                return FileKind::Mapping;
            if (!format.empty())
                return FileKind::Unknown; // another tool's document
        }
    }
    if (endsWith(path, kWorkspaceExtension))
        return FileKind::Workspace;
    if (endsWith(path, kScenarioExtension))
        return FileKind::Scenario;
    if (endsWith(path, kBudgetsExtension))
        return FileKind::Budgets;
    if (endsWith(path, kMappingExtension))
        return FileKind::Mapping;
    return FileKind::Unknown;
}

const char *fileKindName(FileKind k)
{
    switch (k) {
    case FileKind::Workspace:
        return "workspace";
    case FileKind::Scenario:
        return "scenario";
    case FileKind::Budgets:
        return "budgets";
    case FileKind::Mapping:
        return "mapping";
    case FileKind::Unknown:
        break;
    }
    return "unknown";
}

} // namespace tl
