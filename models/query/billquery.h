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

// One provider's bill against the computed cost, by the line a bill
// prices apart: tokens at each price set (standard, batch, long context,
// priority, flex), web search, file search, what neither side can place
// (other), and the calls the catalog cannot price (unpriced).
struct BillLineByKind
{
    std::string provider;
    std::string line;
    int64_t billedNusd = 0;
    int64_t computedNusd = 0;
    int64_t unpricedRequests = 0; // the "unpriced" line: requests with no catalog price
};

class BillQuery
{
public:
    // The line of a bill's line item as the cost-report importer stored it
    // ("tokens:output_tokens:batch:0-200k", "web_search:", "gpt-4o, batch").
    static std::string lineOfBillItem(const std::string &lineItem);
    // Over the days each provider sent a bill for; the calls of those days
    // priced again through the cost rule, part by part.
    static std::vector<BillLineByKind> byLine(Workspace &ws);
    static bool hasBills(Workspace &ws);
    static std::vector<BillLine> run(Workspace &ws,
                                     const std::string &by); // day | model | provider
};

} // namespace tl
