#pragma once

#include "core/dimension.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tl {

// How a period's spend is charged to cost centres: every centre (a name of
// one dimension) pays its own calls; what no centre owns — calls without a
// name in the dimension, and costs declared shared (a platform team's
// router agent) — is split among the centres by one rule.
struct ChargebackRule
{
    enum class Split { Proportional, Even, Fixed };
    Dimension by = Dimension::Team;
    std::vector<std::pair<Dimension, std::string>> shared; // "agent=router"
    Split split = Split::Proportional;
    std::map<std::string, double> fixedShares; // centre -> share, summing to 1

    // From the command line's words: `by` a dimension name, `shared`
    // DIM=VALUE each, `allocate` "proportional", "even" or
    // "NAME=SHARE,NAME=SHARE" (shares or percentages summing to 1 or 100).
    static std::optional<ChargebackRule> parse(const std::string &by,
                                               const std::vector<std::string> &shared,
                                               const std::string &allocate, std::string *error);
    // One sentence for the report: what was pooled and how it was split.
    std::string describe() const;
};

} // namespace tl
