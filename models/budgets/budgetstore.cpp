#include "budgetstore.h"

#include "budgets/budgetfile.h"
#include "store/workspace.h"

#include <stdexcept>

namespace tl {

namespace {
constexpr const char *kKey = "budgets";
}

namespace {
BudgetLoad stored(Workspace &ws)
{
    const std::string json = ws.metaValue(kKey);
    if (json.empty()) {
        BudgetLoad none;
        none.ok = true;
        return none;
    }
    BudgetLoad l = BudgetFile::parse(json);
    // Never "no budgets" for budgets that cannot be read: `budgets check`
    // would pass and the views would show none.
    if (!l.ok)
        throw std::runtime_error(ws.path() + ": the workspace's budgets cannot be read (" +
                                 l.error + "); import a budgets file to replace them");
    return l;
}
} // namespace

std::vector<Budget> BudgetStore::load(Workspace &ws)
{
    return stored(ws).budgets;
}

std::vector<BudgetPool> BudgetStore::loadPools(Workspace &ws)
{
    return stored(ws).pools;
}

void BudgetStore::save(Workspace &ws, const std::vector<Budget> &budgets,
                       const std::vector<BudgetPool> *pools)
{
    std::vector<BudgetPool> kept;
    if (!pools) {
        // Unreadable stored budgets are being replaced: their pools go with them.
        try {
            kept = loadPools(ws);
        } catch (const std::runtime_error &) {
        }
    }
    const std::string json = BudgetFile::serialize(budgets, pools ? *pools : kept);
    // What is stored must read back: refuse before writing, not after.
    const BudgetLoad check = BudgetFile::parse(json);
    if (!check.ok || check.budgets.size() != budgets.size())
        throw std::runtime_error("these budgets would not read back (" + check.error +
                                 "); nothing was changed");
    ws.setMetaValue(kKey, json);
}

} // namespace tl
