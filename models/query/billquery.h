#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tl {

class Workspace;

// The providers' bills (reported_costs, from their cost reports) against
// the catalog's cost of the calls of the same provider, grouped by day,
// model (both sides resolved to the catalog's model names) or provider.
struct BillLine
{
    std::string provider;
    std::string key; // day, model or provider
    int64_t billedNusd = 0;
    int64_t computedNusd = 0;
};

class BillQuery
{
public:
    static bool hasBills(Workspace &ws);
    static std::vector<BillLine> run(Workspace &ws,
                                     const std::string &by); // day | model | provider
};

} // namespace tl
