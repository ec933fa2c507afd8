#include "billquery.h"

#include "core/timeutil.h"
#include "store/workspace.h"
#include "summaryquery.h"

#include <map>

namespace tl {

bool BillQuery::hasBills(Workspace &ws)
{
    return ws.db().queryInt("SELECT EXISTS(SELECT 1 FROM reported_costs)") != 0;
}

std::vector<BillLine> BillQuery::run(Workspace &ws, const std::string &by)
{
    const PriceCatalog &catalog = ws.catalog();
    auto canonical = [&](const std::string &model) {
        std::string c = catalog.resolve(model);
        return c.empty() ? model : c;
    };
    std::map<std::pair<std::string, std::string>, BillLine> lines;
    Statement st(ws.db(),
                 "SELECT source, day, COALESCE(model, ''), SUM(amount_nusd) FROM reported_costs "
                 "GROUP BY source, day, model");
    while (st.step()) {
        const std::string source(st.columnText(0));
        const std::string provider = source.substr(0, source.find('-')); // openai-costs -> openai
        std::string key = by == "day"     ? formatDate(st.columnInt(1))
                          : by == "model" ? canonical(std::string(st.columnText(2)))
                                          : provider;
        if (key.empty())
            key = "(none)"; // e.g. web search: billed, but no model
        BillLine &l = lines[{provider, key}];
        l.provider = provider;
        l.key = key;
        l.billedNusd += st.columnInt(3);
    }
    // The computed side, for the providers that sent bills.
    std::vector<GroupKey> groups = {*GroupKey::fromName("provider")};
    if (by != "provider")
        groups.push_back(*GroupKey::fromName(by));
    const SummaryResult r = SummaryQuery::run(ws, {}, groups);
    for (const SummaryRow &row : r.rows) {
        const std::string &provider = row.keys[0];
        const std::string key = by == "provider" ? provider
                                : by == "model"  ? canonical(row.keys[1])
                                                 : row.keys[1];
        auto it = lines.find({provider, key});
        if (it == lines.end()) {
            bool providerBilled = false;
            for (const auto &[k, l] : lines)
                providerBilled |= k.first == provider;
            if (!providerBilled)
                continue;
            it = lines.emplace(std::make_pair(provider, key), BillLine{provider, key, 0, 0}).first;
        }
        it->second.computedNusd += row.m[MComputedNusd];
    }
    std::vector<BillLine> out;
    for (auto &[k, l] : lines)
        out.push_back(l);
    return out;
}

} // namespace tl
