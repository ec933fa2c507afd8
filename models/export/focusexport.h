#pragma once

#include "query/summaryquery.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tl {

class Workspace;

struct FocusExportResult
{
    int64_t rows = 0;
    int64_t calls = 0;         // in the dataset
    int64_t unpricedCalls = 0; // cost unknown: not in it (FOCUS costs cannot be null)
    int64_t billedNusd = 0;    // the sum of BilledCost: summary's cost for the same filter
};

// LLM spend as a FOCUS 1.2 cost and usage dataset (CSV): one row per day x
// provider x model x team x agent x token kind (uncached input, cached
// input, cache writes, output, web and file search calls; batch calls as
// kinds of their own). BilledCost = EffectiveCost is what was paid: each
// call's cost (reported, else the catalog's) split across its kinds in
// proportion to what the cost rule charges each; ListCost = ContractedCost
// is the same tokens at the catalog's list prices without the cache-read and
// batch discounts. Our dimensions go in Tags (JSON) and x_ columns.
class FocusExport
{
public:
    static const std::vector<std::string> &columns();
    static bool write(Workspace &ws, const CallFilter &filter, const std::string &path,
                      FocusExportResult *result, std::string *error);
};

} // namespace tl
