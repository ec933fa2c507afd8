#include "focusexport.h"

#include "export/csvwriter.h"

#include "baseline/baselinequery.h"
#include "core/timeutil.h"
#include "pricing/pricecatalog.h"
#include "query/filtersql.h"
#include "store/callusage.h"
#include "store/workspace.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <tuple>
#include <unordered_map>

namespace tl {

namespace {

// The kinds a call's cost splits into. An unpriceable split (a reported
// cost for a model the catalog does not know) is one "all tokens" row.
enum Kind { Input, Cached, CacheWrite, Output, WebSearch, FileSearch, All, KindCount };

const char *kindName(int k)
{
    static const char *names[] = {"input",      "cached input", "cache write", "output",
                                  "web search", "file search",  "all tokens"};
    return names[k];
}

bool isTool(int k)
{
    return k == WebSearch || k == FileSearch;
}

struct Cell
{
    int64_t quantity = 0, calls = 0, billed = 0, list = 0;
};

// day, provider, model, team, agent, kind, batch
using Key = std::tuple<int64_t, int64_t, int64_t, int64_t, int64_t, int, int>;

// The calls of one row (kind 0) that one price set bills alike.
struct PriceGroup
{
    Key key;
    const PriceEntry *entry = nullptr;
    int tier = 0;
    bool longContext = false;
    bool operator<(const PriceGroup &o) const
    {
        return std::tie(key, entry, tier, longContext) <
               std::tie(o.key, o.entry, o.tier, o.longContext);
    }
};

struct Group
{
    Usage usage{0, 0, 0, 0, 0, 0, 0, 0};
    int64_t billed = 0, calls = 0;
    std::array<int64_t, KindCount> callsWith{}; // per kind: calls with some of it
};

std::string iso(int64_t day)
{
    return formatDate(day) + "T00:00:00Z";
}

// The calendar month of a day: FOCUS's billing period.
std::pair<int64_t, int64_t> monthOf(int64_t day)
{
    const std::string d = formatDate(day);
    const int y = std::stoi(d.substr(0, 4)), m = std::stoi(d.substr(5, 2));
    char start[32], end[32];
    std::snprintf(start, sizeof start, "%04d-%02d-01", y, m);
    std::snprintf(end, sizeof end, "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
    return {*parseDate(start), *parseDate(end)};
}

// Splits `total` over `weights` to the nano-dollar (largest remainders).
void split(int64_t total, const std::array<int64_t, KindCount> &weights,
           std::array<int64_t, KindCount> &out)
{
    long double sum = 0;
    for (int64_t w : weights)
        sum += (long double)w;
    out.fill(0);
    std::array<std::pair<long double, int>, KindCount> rest{};
    int64_t given = 0;
    for (int k = 0; k < KindCount; ++k) {
        const long double exact = (long double)total * (long double)weights[size_t(k)] / sum;
        out[size_t(k)] = int64_t(std::floor(exact));
        given += out[size_t(k)];
        rest[size_t(k)] = {exact - (long double)out[size_t(k)], k};
    }
    std::sort(rest.begin(), rest.end(), [](const auto &a, const auto &b) { return a > b; });
    for (size_t i = 0; given < total; i = (i + 1) % rest.size(), ++given)
        if (weights[size_t(rest[i].second)] > 0)
            out[size_t(rest[i].second)] += 1;
        else
            --given;
}

// A plain decimal (no exponent), up to 15 places: a price per token.
std::string plainDecimal(double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.15f", v);
    std::string s = buf;
    while (s.back() == '0')
        s.pop_back();
    if (s.back() == '.')
        s.pop_back();
    return s;
}

} // namespace

const std::vector<std::string> &FocusExport::columns()
{
    static const std::vector<std::string> c = {"BillingAccountId",
                                               "BillingAccountName",
                                               "BillingAccountType",
                                               "SubAccountId",
                                               "SubAccountName",
                                               "SubAccountType",
                                               "InvoiceId",
                                               "InvoiceIssuerName",
                                               "ProviderName",
                                               "PublisherName",
                                               "BillingCurrency",
                                               "PricingCurrency",
                                               "BillingPeriodStart",
                                               "BillingPeriodEnd",
                                               "ChargePeriodStart",
                                               "ChargePeriodEnd",
                                               "ChargeCategory",
                                               "ChargeClass",
                                               "ChargeDescription",
                                               "ChargeFrequency",
                                               "PricingCategory",
                                               "ServiceCategory",
                                               "ServiceSubcategory",
                                               "ServiceName",
                                               "SkuId",
                                               "SkuPriceId",
                                               "SkuMeter",
                                               "SkuPriceDetails",
                                               "ResourceId",
                                               "ResourceName",
                                               "ResourceType",
                                               "RegionId",
                                               "RegionName",
                                               "AvailabilityZone",
                                               "ConsumedQuantity",
                                               "ConsumedUnit",
                                               "PricingQuantity",
                                               "PricingUnit",
                                               "ListUnitPrice",
                                               "ContractedUnitPrice",
                                               "ListCost",
                                               "ContractedCost",
                                               "BilledCost",
                                               "EffectiveCost",
                                               "CommitmentDiscountId",
                                               "CommitmentDiscountName",
                                               "CommitmentDiscountType",
                                               "CommitmentDiscountCategory",
                                               "CommitmentDiscountStatus",
                                               "CommitmentDiscountQuantity",
                                               "CommitmentDiscountUnit",
                                               "CapacityReservationId",
                                               "CapacityReservationStatus",
                                               "Tags",
                                               "x_Team",
                                               "x_Agent",
                                               "x_Model",
                                               "x_TokenKind",
                                               "x_Batch",
                                               "x_Calls"};
    return c;
}

bool FocusExport::write(Workspace &ws, const CallFilter &filter, const std::string &path,
                        FocusExportResult *result, std::string *error)
{
    FocusExportResult r;
    const FilterSql where = FilterSql::build(ws, filter, FilterSql::Table::Calls);
    Statement st(ws.db(), std::string("SELECT day, provider_id, model_id, team_id, agent_id, "
                                      "COALESCE(reported_nusd, computed_nusd), ts_ms, ") +
                              kUsageColumns + " FROM calls" + where.where);
    for (size_t i = 0; i < where.binds.size(); ++i)
        st.bind(int(i + 1), where.binds[i]);
    std::unordered_map<int64_t, std::vector<const PriceEntry *>> entries;
    std::map<Key, Cell> cells;
    std::map<PriceGroup, Group> groups;
    while (st.step()) {
        if (st.columnIsNull(5)) {
            ++r.unpricedCalls;
            continue;
        }
        const int64_t day = st.columnInt(0), model = st.columnInt(2), cost = st.columnInt(5);
        const Usage u = usageAt(st, 7);
        auto it = entries.find(model);
        if (it == entries.end())
            it = entries
                     .emplace(model,
                              ws.catalog().entriesFor(ws.dims().nameOf(Dimension::Model, model)))
                     .first;
        const PriceEntry *e = PriceCatalog::entryAt(it->second, st.columnInt(6));
        ++r.calls;
        r.billedNusd += cost;
        const int batch = u.batch ? 1 : 0;
        if (!e) {
            // A reported cost the catalog cannot split: one row of all tokens.
            Cell &c = cells[Key{day, st.columnInt(1), model, st.columnInt(3), st.columnInt(4), All,
                                batch}];
            c.quantity += u.input + u.output;
            c.billed += cost;
            c.list += cost;
            c.calls += 1;
            continue;
        }
        // The cost rule is linear in tokens within one price set: the calls of
        // a row that share an entry, a tier and a line are split together
        // (one costParts a call to learn its line, not fourteen).
        const bool longContext = costParts(*e, u).line == PriceLine::LongContext;
        Group &g = groups[PriceGroup{
            Key{day, st.columnInt(1), model, st.columnInt(3), st.columnInt(4), 0, batch}, e,
            int(u.tier), longContext}];
        g.usage.input += u.input;
        g.usage.cached += u.cached;
        g.usage.cacheWrite += u.cacheWrite;
        g.usage.cacheWrite1h += u.cacheWrite1h;
        g.usage.output += u.output;
        g.usage.webSearches += u.webSearches;
        g.usage.fileSearches += u.fileSearches;
        g.usage.requests += u.requests;
        g.billed += cost;
        g.calls += 1;
        const int64_t has[] = {u.input - u.cached - u.cacheWrite,
                               u.cached,
                               u.cacheWrite,
                               u.output,
                               u.webSearches,
                               u.fileSearches};
        for (int k = 0; k < All; ++k)
            g.callsWith[size_t(k)] += has[k] > 0;
    }
    for (const auto &[gk, g] : groups) {
        const PriceEntry &e = *gk.entry;
        const Usage &u = g.usage;
        Usage base;
        base.requests = u.requests;
        base.batch = std::get<6>(gk.key) != 0;
        base.tier = ServiceTier(gk.tier);
        base.longContext = gk.longContext ? 1 : 0;
        std::array<Usage, KindCount> parts;
        parts.fill(base);
        parts[Input].input = u.input - u.cached - u.cacheWrite;
        parts[Cached].input = parts[Cached].cached = u.cached;
        parts[CacheWrite].input = parts[CacheWrite].cacheWrite = u.cacheWrite;
        parts[CacheWrite].cacheWrite1h = u.cacheWrite1h;
        parts[Output].output = u.output;
        parts[WebSearch].webSearches = u.webSearches;
        parts[FileSearch].fileSearches = u.fileSearches;
        std::array<int64_t, KindCount> quantity = {
            parts[Input].input, u.cached, u.cacheWrite, u.output, u.webSearches, u.fileSearches, 0};
        std::array<int64_t, KindCount> actual{}, list{}, billed{};
        int64_t actualSum = 0;
        for (int k = 0; k < All; ++k) {
            // Each kind alone at the price set its calls were billed at.
            actual[size_t(k)] = costParts(e, parts[size_t(k)]).total();
            actualSum += actual[size_t(k)];
            // List: no batch discount, and cache reads at the input price.
            Usage atList = parts[size_t(k)];
            atList.batch = false;
            atList.cached = 0;
            list[size_t(k)] = costParts(e, atList).total();
        }
        std::array<int64_t, KindCount> calls = g.callsWith;
        if (actualSum > 0) {
            split(g.billed, actual, billed);
        } else {
            // Priced at zero but billed (a reported cost): one row of all tokens.
            quantity.fill(0);
            list.fill(0);
            quantity[All] = u.input + u.output;
            billed[All] = g.billed;
            list[All] = g.billed;
            calls.fill(0);
            calls[All] = g.calls;
        }
        for (int k = 0; k < KindCount; ++k) {
            if (!quantity[size_t(k)] && !billed[size_t(k)])
                continue;
            Key key = gk.key;
            std::get<5>(key) = k;
            Cell &c = cells[key];
            c.quantity += quantity[size_t(k)];
            c.billed += billed[size_t(k)];
            c.list += list[size_t(k)];
            c.calls += calls[size_t(k)];
        }
    }

    const std::string account = BaselineQuery::workspaceId(ws);
    const std::string accountName = std::filesystem::path(ws.path()).filename().string();
    const std::string tmp = path + ".part";
    std::ofstream out(tmp, std::ios::binary);
    if (!out) {
        *error = path + ": cannot be written";
        return false;
    }
    out << CsvWriter::row(columns());
    const auto name = [&](Dimension d, int64_t id) {
        return id ? ws.dims().nameOf(d, id) : std::string(kNoneName);
    };
    for (const auto &[key, c] : cells) {
        const auto &[day, provider, model, team, agent, kind, batch] = key;
        const std::string providerName = name(Dimension::Provider, provider);
        const std::string modelName = name(Dimension::Model, model);
        const std::string teamName = name(Dimension::Team, team);
        const std::string agentName = name(Dimension::Agent, agent);
        const auto [monthStart, monthEnd] = monthOf(day);
        std::string kindText = batch ? "batch " : "";
        kindText += kindName(kind);
        const std::string unit = isTool(kind) ? "Requests" : "Tokens";
        const std::string unitPrice =
            c.quantity > 0 ? plainDecimal(double(c.list) * 1e-9 / double(c.quantity)) : "";
        // Tags: a JSON object of our names (nlohmann escapes what must be).
        const std::string tags =
            nlohmann::ordered_json{{"team", teamName}, {"agent", agentName}}.dump();
        out << CsvWriter::row(
            {account,
             accountName,
             "Workspace",
             teamName,
             teamName,
             "Team",
             "",
             providerName,
             providerName,
             providerName,
             "USD",
             "USD",
             iso(monthStart),
             iso(monthEnd),
             iso(day),
             iso(day + 1),
             "Usage",
             "",
             modelName + " " + kindText + " for agent " + agentName,
             "Usage-Based",
             "Standard",
             "AI and Machine Learning",
             "Generative AI",
             providerName + " API",
             modelName,
             modelName + ":" + kindText,
             kindText,
             "",
             agentName,
             agentName,
             "Agent",
             "",
             "",
             "",
             std::to_string(c.quantity),
             unit,
             std::to_string(c.quantity),
             unit,
             unitPrice,
             unitPrice,
             nanoToDecimal(c.list),
             nanoToDecimal(c.list),
             nanoToDecimal(c.billed),
             nanoToDecimal(c.billed),
             "",
             "",
             "",
             "",
             "",
             "",
             "",
             "",
             "",
             tags,
             teamName,
             agentName,
             modelName,
             kindText,
             batch ? "true" : "false",
             std::to_string(c.calls)},
            {false, false, false, false, false, false, false, false, false, false, false, false,
             false, false, false, false, false, false, false, false, false, false, false, false,
             false, false, false, false, false, false, false, false, false, false, true,  false,
             true,  false, true,  true,  true,  true,  true,  true,  false, false, false, false,
             false, false, false, false, false, false, false, false, false, false, false, true});
        ++r.rows;
    }
    out.flush();
    if (!out) {
        *error = path + ": cannot be written";
        std::filesystem::remove(tmp);
        return false;
    }
    out.close();
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        *error = path + ": cannot be written: " + ec.message();
        return false;
    }
    if (result)
        *result = r;
    return true;
}

} // namespace tl
