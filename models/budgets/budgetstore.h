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
    static std::vector<Budget> load(Workspace &ws);
    static void save(Workspace &ws, const std::vector<Budget> &budgets);
};

} // namespace tl
