#pragma once

#include "query/summaryquery.h"

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace tl {

class Workspace;

// Infrastructure cost (cloud bills imported from FOCUS, infra_costs) for a
// filter, beside the LLM cost of the calls. It carries day, team, feature
// and agent only: a filter or grouping on anything else (a model, a user)
// cannot say what part of a server it used, so the answer is "none"
// rather than a guess. Untagged cost is the "(none)" row of a grouping.
class InfraQuery
{
public:
    static bool hasAny(Workspace &ws);
    // True when the filter's names and the groups are all day/week/month,
    // team, feature or agent.
    static bool answers(const CallFilter &filter, const std::vector<GroupKey> &groups = {});
    // nullopt when !answers().
    static std::optional<int64_t> totalNusd(Workspace &ws, const CallFilter &filter);
    // Keyed like SummaryRow::keyValues (dimension ids, bucket start days).
    static std::optional<std::map<std::vector<int64_t>, int64_t>>
    byGroups(Workspace &ws, const CallFilter &filter, const std::vector<GroupKey> &groups);
    // The infrastructure cost of each row of a summary, in its row order;
    // keys with infrastructure cost and no calls (an untagged cluster, an
    // agent's server on a quiet day) are added to `r` as rows of their own
    // with zero measures, so that the rows add up to the total. nullopt
    // when the workspace holds no bill (unknown, not $0) or !answers().
    struct Column
    {
        std::vector<int64_t> rows;
        int64_t total = 0;
    };
    static std::optional<Column> attach(Workspace &ws, const CallFilter &filter, SummaryResult &r);
    // Per agent id, over the filter's days (the Simulator's observed
    // infrastructure cost).
    static std::map<int64_t, int64_t> byAgent(Workspace &ws, const CallFilter &filter);
};

} // namespace tl
