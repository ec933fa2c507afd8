#pragma once

#include "budgets/budget.h"

#include <string>
#include <vector>

namespace tl {

class Workspace;

// The workspace's budgets, kept in its meta table as a budgets file (one
// document: edits replace it whole, inside the caller's transaction if any).
class BudgetStore
{
public:
    // Throws std::runtime_error (naming the workspace) when the stored
    // budgets cannot be read: they are never silently none.
    static std::vector<Budget> load(Workspace &ws);
    // Throws, changing nothing, when the budgets would not read back.
    // `pools`: nullptr keeps the stored ones.
    static void save(Workspace &ws, const std::vector<Budget> &budgets,
                     const std::vector<BudgetPool> *pools = nullptr);
    static std::vector<BudgetPool> loadPools(Workspace &ws);
};

} // namespace tl
