#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace tl {

class AttributionMapping;
class Workspace;

struct FocusImportResult
{
    bool ok = false;
    std::string error;
    int64_t rows = 0;      // charge rows read and kept
    int64_t added = 0;     // day amounts new to the workspace
    int64_t unchanged = 0; // already there (an overlapping bill)
    int64_t restated = 0;  // already there with another amount: replaced
    int64_t rejected = 0;
    int64_t attributedNusd = 0;   // of this file, to an agent, team or feature
    int64_t unattributedNusd = 0; // no tag the mapping knows
};

// Cloud bills in FOCUS (AWS Data Exports, Azure cost exports, Google Cloud's
// FOCUS view; versions 1.0 to 1.2) as infrastructure cost: each row's
// EffectiveCost spread over the days of its charge period (by hours), and
// attributed to agent, team and feature through its Tags — the keys
// "agent", "team" and "feature" (or with AWS's "user:" prefix) unless the
// mapping file's "focus" section says otherwise. Untagged cost stays
// unattributed. Kept apart from calls (infra_costs), one transaction per
// file; a day amount is keyed on the row's identity (period, account,
// resource, SKU, charge, tags and its occurrence in the file), so
// re-importing an overlapping bill adds nothing and a restated amount
// replaces the old one.
class FocusImporter
{
public:
    static bool sniff(std::string_view head);
    static bool isFocusFile(const std::string &path);

    explicit FocusImporter(Workspace &ws, const AttributionMapping *mapping = nullptr)
        : m_ws(ws)
        , m_mapping(mapping)
    {}
    // `onReject(line, reason)` for each row left out; `strict`: any
    // rejected row keeps nothing of the file.
    FocusImportResult
    importFile(const std::string &path,
               const std::function<void(int64_t, const std::string &)> &onReject = {},
               bool strict = false);

private:
    Workspace &m_ws;
    const AttributionMapping *m_mapping;
};

} // namespace tl
