#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tl {

class Workspace;

struct CostReportResult
{
    bool ok = false;
    std::string format;
    std::string error;
    int64_t lines = 0;      // cost lines stored
    int64_t duplicates = 0; // already there (an overlapping report window)
    int64_t rejected = 0;
    int64_t amountNusd = 0; // of the stored lines
};

// Providers' cost reports: what the bill says, per bucket and line item.
// - OpenAI organization costs: results {"amount":{"value":0.06,"currency":"usd"},
//   "line_item":"gpt-4o, input","project_id":…}, amounts in dollars;
// - Anthropic cost report: results {"amount":"123.45" (cents, as a string),
//   "model", "token_type", "workspace_id", …}.
// Stored in reported_costs (one transaction per file, deduped on source,
// bucket and line), for `reconcile` to set against the computed cost.
class CostReportImporter
{
public:
    static bool sniffOpenAi(std::string_view head);
    static bool sniffAnthropic(std::string_view head);
    // True when `head` looks like a cost report this class reads.
    static bool isCostReport(std::string_view head)
    {
        return sniffOpenAi(head) || sniffAnthropic(head);
    }
    // Reads the start of `path` to tell (false when it cannot be read).
    static bool isCostReportFile(const std::string &path);

    explicit CostReportImporter(Workspace &ws)
        : m_ws(ws)
    {}
    CostReportResult importFile(const std::string &path);

private:
    Workspace &m_ws;
};

} // namespace tl
