#include "budgetstore.h"

#include "budgets/budgetfile.h"
#include "store/workspace.h"

#include <stdexcept>

namespace tl {

namespace {
constexpr const char *kKey = "budgets";
}

std::vector<Budget> BudgetStore::load(Workspace &ws)
{
    const std::string json = ws.metaValue(kKey);
    if (json.empty())
        return {};
    BudgetLoad l = BudgetFile::parse(json);
    // Never "no budgets" for budgets that cannot be read: `budgets check`
    // would pass and the views would show none.
    if (!l.ok)
        throw std::runtime_error(ws.path() + ": the workspace's budgets cannot be read (" +
                                 l.error + "); import a budgets file to replace them");
    return l.budgets;
}

void BudgetStore::save(Workspace &ws, const std::vector<Budget> &budgets)
{
    const std::string json = BudgetFile::serialize(budgets);
    // What is stored must read back: refuse before writing, not after.
    const BudgetLoad check = BudgetFile::parse(json);
    if (!check.ok || check.budgets.size() != budgets.size())
        throw std::runtime_error("these budgets would not read back (" + check.error +
                                 "); nothing was changed");
    ws.setMetaValue(kKey, json);
}

} // namespace tl
