#include "budgetstore.h"

#include "budgets/budgetfile.h"
#include "store/workspace.h"

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
    return l.ok ? l.budgets : std::vector<Budget>{};
}

void BudgetStore::save(Workspace &ws, const std::vector<Budget> &budgets)
{
    ws.setMetaValue(kKey, BudgetFile::serialize(budgets));
}

} // namespace tl
