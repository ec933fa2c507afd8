#pragma once

#include "query/summaryquery.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tl {

// One step of the Explore drill-down: the children of a node, i.e. the
// calls under the filter and the node's path grouped by the next level,
// with the same figures for the previous equal period.
struct DrillRow
{
    std::string name;
    Measures m;
    Measures previous; // zero when there is no previous period
    // Infrastructure cost (imported cloud bills) under this row: nullopt
    // when no bill was imported or the level is not one a bill carries.
    std::optional<int64_t> infraNusd;
};

using DrillPath = std::vector<std::pair<Dimension, std::string>>;

class DrillQuery
{
public:
    // The filter narrowed to a node's path.
    static CallFilter narrow(const CallFilter &filter, const DrillPath &path);
    static std::vector<DrillRow> children(Workspace &ws, const CallFilter &filter,
                                          const DrillPath &path, Dimension next);
};

} // namespace tl
