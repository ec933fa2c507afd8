#pragma once

#include "budgets/budget.h"

#include <string>
#include <string_view>
#include <vector>

namespace tl {

class PriceCatalog;

struct BudgetLoad
{
    bool ok = false;
    std::vector<Budget> budgets;
    std::vector<BudgetPool> pools;
    std::string error; // "$.budgets[2].amount_usd: expected a number from …"
    std::vector<std::string> warnings;
};

// {"format":"tokenledger-budgets","version":1,"budgets":[…]} — the file a
// team shares and the form the workspace stores them in.
class BudgetFile
{
public:
    static constexpr const char *kFormat = "tokenledger-budgets";
    static constexpr int kVersion = 1;

    // `catalog` (optional) refuses a downgrade model it cannot price.
    static BudgetLoad parse(std::string_view text, const PriceCatalog *catalog = nullptr);
    static BudgetLoad load(const std::string &path, const PriceCatalog *catalog = nullptr);
    static std::string serialize(const std::vector<Budget> &budgets,
                                 const std::vector<BudgetPool> &pools = {});
    static std::string save(const std::string &path, const std::vector<Budget> &budgets,
                            const std::vector<BudgetPool> &pools = {});
};

} // namespace tl
