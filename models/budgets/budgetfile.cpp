#include "budgetfile.h"

#include "jsonfile.h"
#include "jsonobjectreader.h"

#include "core/timeutil.h"
#include "pricing/pricecatalog.h"

#include <cmath>
#include <set>

namespace tl {

namespace {

using Json = nlohmann::ordered_json;
using sim::JsonObjectReader;
using sim::JsonPathError;

const std::set<Dimension> kScopeDimensions = {Dimension::Team, Dimension::Feature, Dimension::Agent,
                                              Dimension::User, Dimension::Model};

Budget readBudget(const Json &v, const std::string &path, const PriceCatalog *catalog,
                  std::vector<std::string> &warnings)
{
    JsonObjectReader r(v, path);
    Budget b;
    b.name = r.string("name", true);
    if (b.name.empty())
        throw JsonPathError(r.pathOf("name"), "must not be empty");
    const Json &scope = r.object("scope");
    JsonObjectReader s(scope, r.pathOf("scope"));
    for (auto it = scope.begin(); it != scope.end(); ++it) {
        const auto dim = dimensionFromName(it.key());
        if (!dim || !kScopeDimensions.count(*dim))
            throw JsonPathError(s.pathOf(it.key()),
                                "unknown scope; expected team, feature, agent, user or model");
        b.scope[*dim] = s.string(it.key(), true);
    }
    const std::string period = r.string("period", true);
    const auto p = periodFromName(period);
    if (!p)
        throw JsonPathError(r.pathOf("period"),
                            "expected day, week, month or quarter, got \"" + period + "\"");
    b.period = *p;
    if (!r.has("amount_usd"))
        throw JsonPathError(r.pathOf("amount_usd"), "missing; expected a number of dollars");
    // Up to $1e9, the range budgetProblem() allows: 1e10 dollars in
    // nano-dollars does not fit 64 bits (it was stored as garbage, and the
    // next read of the workspace's budgets failed and showed none).
    const double amount = r.number("amount_usd", 0.000001, 1e9, 0);
    b.amountNusd = int64_t(std::llround(amount * 1e9));
    if (r.has("alerts")) {
        const Json &alerts = r.array("alerts");
        b.alerts.clear();
        for (size_t i = 0; i < alerts.size(); ++i) {
            const std::string at = r.pathOf("alerts") + "[" + std::to_string(i) + "]";
            if (!alerts[i].is_number())
                throw JsonPathError(at, "expected a share of the amount (0.8 = 80%), got " +
                                            sim::describeJson(alerts[i]));
            const double a = alerts[i].get<double>();
            if (a <= 0 || a > 10)
                throw JsonPathError(at, "expected a share above 0 and at most 10, got " +
                                            alerts[i].dump());
            if (!b.alerts.empty() && a <= b.alerts.back())
                throw JsonPathError(at, "alerts must rise: " + alerts[i].dump() + " after " +
                                            alerts[i - 1].dump());
            b.alerts.push_back(a);
        }
    }
    b.hard = r.boolean("hard", false);
    const std::string policy = r.has("on_breach") ? r.string("on_breach") : "alert";
    const auto pol = policyFromName(policy);
    if (!pol)
        throw JsonPathError(r.pathOf("on_breach"),
                            "expected alert, downgrade, cache or reject, got \"" + policy + "\"");
    b.onBreach = *pol;
    b.downgradeTo = r.string("downgrade_to");
    if (b.onBreach == BreachPolicy::Downgrade) {
        if (b.downgradeTo.empty())
            throw JsonPathError(r.pathOf("downgrade_to"),
                                "on_breach is downgrade but no model is named");
        if (catalog && catalog->resolve(b.downgradeTo).empty())
            throw JsonPathError(r.pathOf("downgrade_to"),
                                "model \"" + b.downgradeTo + "\" has no price in the catalog");
    }
    if (r.has("each")) {
        const std::string each = r.string("each", true);
        const auto dim = dimensionFromName(each);
        if (!dim || !kScopeDimensions.count(*dim) || *dim == Dimension::Model)
            throw JsonPathError(r.pathOf("each"),
                                "expected team, feature, agent or user, got \"" + each + "\"");
        if (b.scope.count(*dim))
            throw JsonPathError(r.pathOf("each"), "the scope already names one " + each);
        b.each = *dim;
    }
    b.pool = r.string("pool");
    const Json &adjustments = r.array("adjustments");
    for (size_t i = 0; i < adjustments.size(); ++i) {
        JsonObjectReader a(adjustments[i], r.pathOf("adjustments") + "[" + std::to_string(i) + "]");
        BudgetAdjustment adj;
        const std::string at = a.string("at", true);
        std::string why;
        const auto ts = parseTimestamp(at, &why);
        if (!ts)
            throw JsonPathError(a.pathOf("at"), "expected a time (2026-10-12T10:00:00Z): " + why);
        adj.atMs = *ts;
        if (!a.has("amount_usd"))
            throw JsonPathError(a.pathOf("amount_usd"), "missing; expected dollars (+ or -)");
        adj.amountNusd = int64_t(std::llround(a.number("amount_usd", -1e9, 1e9, 0) * 1e9));
        adj.reason = a.string("reason", true);
        if (adj.reason.empty())
            throw JsonPathError(a.pathOf("reason"), "must say why");
        adj.by = a.string("by");
        a.finish();
        b.adjustments.push_back(std::move(adj));
    }
    const Json extra = r.finish();
    for (auto it = extra.begin(); it != extra.end(); ++it)
        warnings.push_back(r.pathOf(it.key()) + ": unknown key, ignored");
    return b;
}

BudgetPool readPool(const Json &v, const std::string &path)
{
    JsonObjectReader r(v, path);
    BudgetPool p;
    p.name = r.string("name", true);
    if (p.name.empty())
        throw JsonPathError(r.pathOf("name"), "must not be empty");
    const Json &scope = r.object("scope");
    JsonObjectReader s(scope, r.pathOf("scope"));
    for (auto it = scope.begin(); it != scope.end(); ++it) {
        const auto dim = dimensionFromName(it.key());
        if (!dim || !kScopeDimensions.count(*dim) || *dim == Dimension::Agent)
            throw JsonPathError(s.pathOf(it.key()),
                                "unknown scope; expected team, feature, user or model (a pool is "
                                "shared by agents)");
        p.scope[*dim] = s.string(it.key(), true);
    }
    const std::string period = r.string("period", true);
    const auto per = periodFromName(period);
    if (!per)
        throw JsonPathError(r.pathOf("period"),
                            "expected day, week, month or quarter, got \"" + period + "\"");
    p.period = *per;
    if (!r.has("amount_usd"))
        throw JsonPathError(r.pathOf("amount_usd"), "missing; expected a number of dollars");
    p.amountNusd = int64_t(std::llround(r.number("amount_usd", 0.000001, 1e9, 0) * 1e9));
    p.minNusd = int64_t(std::llround(r.number("min_usd", 0, 1e9, 0) * 1e9));
    p.maxNusd = int64_t(std::llround(r.number("max_usd", 0, 1e9, 0) * 1e9));
    if (p.maxNusd > 0 && p.maxNusd < p.minNusd)
        throw JsonPathError(r.pathOf("max_usd"), "is below min_usd");
    const std::string each = r.string("each");
    if (!each.empty() && each != "agent")
        throw JsonPathError(r.pathOf("each"), "pools are shared by agents; expected \"agent\"");
    r.finish();
    return p;
}

} // namespace

BudgetLoad BudgetFile::parse(std::string_view text, const PriceCatalog *catalog)
{
    BudgetLoad out;
    const auto parsed = sim::JsonFile::parse(text, &out.error);
    if (!parsed)
        return out;
    const Json &doc = *parsed;
    try {
        JsonObjectReader top(doc, "$");
        const std::string format = top.string("format", true);
        if (format != kFormat)
            throw JsonPathError("$.format", std::string("expected \"") + kFormat + "\", got \"" +
                                                format + "\"");
        const int version = top.integer("version", 1, 1 << 30, 0);
        if (version == 0)
            throw JsonPathError("$.version", "missing; expected 1");
        if (version > kVersion)
            throw JsonPathError("$.version", "version " + std::to_string(version) +
                                                 " was written by a newer tokenledger; this "
                                                 "one reads version 1");
        top.string("generator");
        const Json &list = top.array("budgets");
        // Every budget is evaluated on every refresh of the view.
        if (list.size() > 1000)
            throw JsonPathError("$.budgets", "more than 1,000 budgets");
        std::set<std::string> names;
        for (size_t i = 0; i < list.size(); ++i) {
            const std::string path = "$.budgets[" + std::to_string(i) + "]";
            Budget b = readBudget(list[i], path, catalog, out.warnings);
            if (!names.insert(b.name).second)
                throw JsonPathError(path + ".name", "\"" + b.name + "\" is used twice");
            out.budgets.push_back(std::move(b));
        }
        const Json &pools = top.array("pools");
        std::set<std::string> poolNames;
        for (size_t i = 0; i < pools.size(); ++i) {
            const std::string path = "$.pools[" + std::to_string(i) + "]";
            BudgetPool p = readPool(pools[i], path);
            if (!poolNames.insert(p.name).second)
                throw JsonPathError(path + ".name", "\"" + p.name + "\" is used twice");
            out.pools.push_back(std::move(p));
        }
        const Json extra = top.finish();
        for (auto it = extra.begin(); it != extra.end(); ++it)
            out.warnings.push_back("$." + it.key() + ": unknown key, ignored");
        out.ok = true;
    } catch (const JsonPathError &e) {
        out.budgets.clear();
        out.warnings.clear();
        out.error = e.what();
    }
    return out;
}

BudgetLoad BudgetFile::load(const std::string &path, const PriceCatalog *catalog)
{
    std::string why;
    const auto text = sim::JsonFile::read(path, &why);
    if (!text) {
        BudgetLoad out;
        out.error = why;
        return out;
    }
    BudgetLoad out = parse(*text, catalog);
    if (!out.ok)
        out.error = path + ": " + out.error;
    return out;
}

std::string BudgetFile::serialize(const std::vector<Budget> &budgets,
                                  const std::vector<BudgetPool> &pools)
{
    Json doc = Json::object();
    doc["format"] = kFormat;
    doc["version"] = kVersion;
    Json list = Json::array();
    for (const Budget &b : budgets) {
        Json j = Json::object();
        j["name"] = b.name;
        Json scope = Json::object();
        for (const auto &[dim, name] : b.scope)
            scope[std::string(dimensionName(dim))] = name;
        j["scope"] = scope;
        j["period"] = periodName(b.period);
        // Exact dollars from nano-dollars: 50000 stays 50000, 0.1 stays 0.1.
        j["amount_usd"] = double(b.amountNusd) / 1e9;
        j["alerts"] = b.alerts;
        j["hard"] = b.hard;
        j["on_breach"] = policyName(b.onBreach);
        if (!b.downgradeTo.empty())
            j["downgrade_to"] = b.downgradeTo;
        if (b.each)
            j["each"] = std::string(dimensionName(*b.each));
        if (!b.pool.empty())
            j["pool"] = b.pool;
        if (!b.adjustments.empty()) {
            Json adj = Json::array();
            for (const auto &a : b.adjustments) {
                Json x = Json::object();
                x["at"] = formatTimestamp(a.atMs);
                x["amount_usd"] = double(a.amountNusd) / 1e9;
                x["reason"] = a.reason;
                if (!a.by.empty())
                    x["by"] = a.by;
                adj.push_back(x);
            }
            j["adjustments"] = adj;
        }
        list.push_back(j);
    }
    doc["budgets"] = list;
    if (!pools.empty()) {
        Json pl = Json::array();
        for (const BudgetPool &p : pools) {
            Json j = Json::object();
            j["name"] = p.name;
            Json scope = Json::object();
            for (const auto &[dim, name] : p.scope)
                scope[std::string(dimensionName(dim))] = name;
            j["scope"] = scope;
            j["period"] = periodName(p.period);
            j["amount_usd"] = double(p.amountNusd) / 1e9;
            j["each"] = "agent";
            j["min_usd"] = double(p.minNusd) / 1e9;
            j["max_usd"] = double(p.maxNusd) / 1e9;
            pl.push_back(j);
        }
        doc["pools"] = pl;
    }
    return sim::JsonFile::text(doc, 2) + "\n";
}

std::string BudgetFile::save(const std::string &path, const std::vector<Budget> &budgets,
                             const std::vector<BudgetPool> &pools)
{
    return sim::JsonFile::writeAtomically(path, serialize(budgets, pools));
}

} // namespace tl
