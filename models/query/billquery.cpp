#include "billquery.h"

#include "core/timeutil.h"
#include "store/workspace.h"
#include "summaryquery.h"

#include "core/dimension.h"
#include "store/callusage.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

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

std::string BillQuery::lineOfBillItem(const std::string &item)
{
    std::string l = item;
    std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    auto has = [&l](const char *s) { return l.find(s) != std::string::npos; };
    if (has("web_search") || has("web search"))
        return "web search";
    if (has("file_search") || has("file search"))
        return "file search";
    // Anthropic: cost_type "tokens"; OpenAI: "model, input|output|cached input|batch …".
    const bool tokens = l.rfind("tokens:", 0) == 0 || item.find(',') != std::string::npos;
    if (!tokens)
        return "other"; // code execution, fine-tuning, a cost type we do not price
    if (has("200k-") || has("long context") || has("long_context"))
        return priceLineName(PriceLine::LongContext);
    if (has("batch"))
        return priceLineName(PriceLine::Batch);
    if (has("priority"))
        return priceLineName(PriceLine::Priority);
    if (has("flex"))
        return priceLineName(PriceLine::Flex);
    return priceLineName(PriceLine::Standard);
}

std::vector<BillLineByKind> BillQuery::byLine(Workspace &ws)
{
    std::map<std::pair<std::string, std::string>, BillLineByKind> lines;
    std::map<std::string, std::set<int64_t>> billDays; // provider -> days billed
    {
        Statement st(ws.db(), "SELECT source, day, COALESCE(line_item, ''), SUM(amount_nusd) "
                              "FROM reported_costs GROUP BY source, day, line_item");
        while (st.step()) {
            const std::string source(st.columnText(0));
            const std::string provider = source.substr(0, source.find('-'));
            const std::string line = lineOfBillItem(std::string(st.columnText(2)));
            BillLineByKind &l = lines[{provider, line}];
            l.provider = provider;
            l.line = line;
            l.billedNusd += st.columnInt(3);
            billDays[provider].insert(st.columnInt(1));
        }
    }
    std::unordered_map<int64_t, std::string> names; // dims id -> name (providers and models)
    {
        Statement st(ws.db(), "SELECT id, name FROM dims WHERE kind IN (?, ?)");
        st.bind(1, int64_t(Dimension::Provider));
        st.bind(2, int64_t(Dimension::Model));
        while (st.step())
            names.emplace(st.columnInt(0), std::string(st.columnText(1)));
    }
    const PriceCatalog &catalog = ws.catalog();
    std::unordered_map<int64_t, std::vector<const PriceEntry *>> entries;
    Statement st(ws.db(), std::string("SELECT day, provider_id, model_id, ts_ms, ") +
                              kUsageColumns + " FROM calls");
    while (st.step()) {
        auto name = [&names](int64_t id) {
            auto it = names.find(id);
            return it == names.end() ? std::string() : it->second;
        };
        const std::string provider = name(st.columnInt(1));
        auto days = billDays.find(provider);
        if (days == billDays.end() || !days->second.count(st.columnInt(0)))
            continue;
        const int64_t modelId = st.columnInt(2);
        auto e = entries.find(modelId);
        if (e == entries.end())
            e = entries.emplace(modelId, catalog.entriesFor(name(modelId))).first;
        const Usage u = usageAt(st, 4);
        auto line = [&](const std::string &l) -> BillLineByKind & {
            BillLineByKind &b = lines[{provider, l}];
            b.provider = provider;
            b.line = l;
            return b;
        };
        const PriceEntry *p = PriceCatalog::entryAt(e->second, st.columnInt(3));
        if (!p) {
            line("unpriced").unpricedRequests += u.requests;
            continue;
        }
        const CostParts parts = costParts(*p, u);
        line(priceLineName(parts.line)).computedNusd += parts.tokensNusd;
        if (parts.webSearchNusd || u.webSearches)
            line("web search").computedNusd += parts.webSearchNusd;
        if (parts.fileSearchNusd || u.fileSearches)
            line("file search").computedNusd += parts.fileSearchNusd;
    }
    std::vector<BillLineByKind> out;
    for (auto &[k, l] : lines)
        out.push_back(l);
    // Token lines in price-set order, then search, then what does not place.
    auto rank = [](const std::string &line) {
        static const char *const kOrder[] = {"standard",   "batch",       "long context",
                                             "priority",   "flex",        "web search",
                                             "file search", "other",      "unpriced"};
        for (size_t i = 0; i < std::size(kOrder); ++i)
            if (line == kOrder[i])
                return int(i);
        return int(std::size(kOrder));
    };
    std::stable_sort(out.begin(), out.end(), [&](const BillLineByKind &a, const BillLineByKind &b) {
        return std::make_pair(a.provider, rank(a.line)) < std::make_pair(b.provider, rank(b.line));
    });
    return out;
}

} // namespace tl
