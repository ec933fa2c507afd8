#pragma once

#include "query/summaryquery.h"

#include <cstdint>
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
    // > 0: not a name but the sum of this many further rows, the cheapest,
    // left unnamed (see DrillQuery::kShownRows); always the last row.
    int64_t restCount = 0;
};

using DrillPath = std::vector<std::pair<Dimension, std::string>>;

class DrillQuery
{
public:
    // The filter narrowed to a node's path.
    static CallFilter narrow(const CallFilter &filter, const DrillPath &path);
    // The costliest `limit` children by name, and the rest summed in one
    // last row (restCount) when there are more.
    static std::vector<DrillRow> children(Workspace &ws, const CallFilter &filter,
                                          const DrillPath &path, Dimension next,
                                          size_t limit = SIZE_MAX);
    // What the Explore tree lists of a node's children until asked for all:
    // naming and showing a busy agent's 31k tasks took 0.1 s of its drill,
    // and no one reads past the first screens of a list in cost order.
    static constexpr size_t kShownRows = 500;
};

} // namespace tl
