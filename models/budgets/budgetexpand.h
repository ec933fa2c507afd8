#pragma once

#include "budgets/budget.h"

#include <optional>
#include <string>
#include <vector>

namespace tl {

class Workspace;

// A budgets file's "each" lines made concrete: one budget per member of the
// dimension seen within the scope over the last 90 days of data, named
// "NAME · member". Budgets without "each" pass through. `notes` says what
// each line became.
std::vector<Budget> expandEach(Workspace &ws, const std::vector<Budget> &budgets,
                               std::vector<std::string> *notes);

// One agent's share of a pool.
struct PoolShare
{
    std::string agent;
    std::optional<double> roi;
    int64_t needNusd = 0;      // its spend per pool period lately
    int64_t allocatedNusd = 0; // within [min, max]
    std::string why;
};

struct PoolAllocation
{
    BudgetPool pool;
    std::string basis;             // "ROI and spend of 2026-10-01 to 2026-10-30"
    std::vector<PoolShare> shares; // by ROI, highest first
    int64_t unallocatedNusd = 0;
    std::string error; // the pool cannot give every member its minimum, or has no members
};

// Shares a pool among the agents of its scope: every agent its minimum;
// then, highest ROI first, what it spent lately plus 25% headroom, up to
// the maximum; what is left goes, highest ROI first, up to the maximum.
// Agents without outcomes (ROI unknown) come after every agent with one.
PoolAllocation allocatePool(Workspace &ws, const BudgetPool &pool);

// The budgets with the pool's previous allocation replaced by this one
// (one soft budget per agent, "POOL · agent", its period and scope).
std::vector<Budget> applyAllocation(const std::vector<Budget> &budgets, const PoolAllocation &a);

} // namespace tl
