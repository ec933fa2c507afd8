#include "scenariofile.h"

#include "baseline.h"
#include "jsonfile.h"
#include "jsonobjectreader.h"
#include "leverspec.h"

#include <set>
#include <sstream>

#ifndef TOKENLEDGER_VERSION
#define TOKENLEDGER_VERSION "dev"
#endif

namespace tl::sim {

namespace {

using Json = nlohmann::ordered_json;

const std::set<std::string> kFilterDimensions = {"team",  "feature",  "agent",
                                                 "model", "provider", "user"};

bool isDate(const std::string &s)
{
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (s[i] < '0' || s[i] > '9')
            return false;
    const int month = std::stoi(s.substr(5, 2));
    const int day = std::stoi(s.substr(8, 2));
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// Collects what a reader did not know, under its path, as a warning.
struct Unknowns
{
    Scenario &s;
    std::vector<std::string> &warnings;
    void collect(const JsonObjectReader &r)
    {
        Json extra = r.finish();
        if (extra.empty())
            return;
        for (auto it = extra.begin(); it != extra.end(); ++it)
            warnings.push_back(r.pathOf(it.key()) + ": unknown key, kept as is");
        s.unknownKeys[r.path()] = std::move(extra);
    }
};

// Reads every fixed lever of one group object ("batching") into `levers`.
void readLeverGroup(JsonObjectReader &r, const std::string &group, Levers &levers)
{
    for (const auto &spec : LeverRegistry::fixed()) {
        if (spec.path.rfind(group + ".", 0) != 0)
            continue;
        const std::string key = spec.path.substr(group.size() + 1);
        const auto current = spec.get(levers);
        if (spec.integer) {
            spec.set(levers,
                     r.integer(key, int(spec.min), int(spec.max), int(current.value_or(0))));
        } else if (spec.nullable) {
            spec.set(levers, r.nullableNumber(key, spec.min, spec.max, current));
        } else {
            spec.set(levers, r.number(key, spec.min, spec.max, current.value_or(0)));
        }
    }
}

std::map<std::string, double> readPercentMap(JsonObjectReader &parent, const std::string &key,
                                             double min, double max, Unknowns &)
{
    std::map<std::string, double> out;
    const Json &obj = parent.object(key);
    JsonObjectReader r(obj, parent.pathOf(key));
    for (auto it = obj.begin(); it != obj.end(); ++it)
        out[it.key()] = r.number(it.key(), min, max, 0);
    return out;
}

Scope readScope(JsonObjectReader &parent, Unknowns &unknowns)
{
    JsonObjectReader r(parent.object("scope"), parent.pathOf("scope"));
    Scope s;
    s.agent = r.stringList("agent");
    s.feature = r.stringList("feature");
    s.team = r.stringList("team");
    unknowns.collect(r);
    return s;
}

void readLevers(JsonObjectReader &top, Scenario &s, Unknowns &unknowns)
{
    JsonObjectReader r(top.object("levers"), top.pathOf("levers"));
    Levers &l = s.levers;
    const Json &mix = r.array("model_mix");
    // Each move is a pass over the workload on every recompute: a few dozen
    // are a plan, thousands a crafted file (4,000 took 25 s to simulate).
    constexpr size_t kMaxMoves = 200;
    if (mix.size() > kMaxMoves)
        throw JsonPathError(r.pathOf("model_mix"),
                            "more than " + std::to_string(kMaxMoves) + " model moves");
    for (size_t i = 0; i < mix.size(); ++i) {
        JsonObjectReader m(mix[i], r.pathOf("model_mix") + "[" + std::to_string(i) + "]");
        ModelMove move;
        move.from = m.string("from", true);
        move.to = m.string("to", true);
        if (move.from == move.to)
            throw JsonPathError(m.pathOf("to"), "moves calls to the model they come from");
        move.share = m.number("share", 0, 1, 0);
        move.scope = readScope(m, unknowns);
        move.outputTokenRatio = m.number("output_token_ratio", 0.01, 10, 1);
        unknowns.collect(m);
        l.modelMix.push_back(std::move(move));
    }
    const Json &opt = r.array("prompt_optimization");
    if (opt.size() > kMaxMoves)
        throw JsonPathError(r.pathOf("prompt_optimization"),
                            "more than " + std::to_string(kMaxMoves) + " entries");
    for (size_t i = 0; i < opt.size(); ++i) {
        JsonObjectReader o(opt[i], r.pathOf("prompt_optimization") + "[" + std::to_string(i) + "]");
        PromptOptimization p;
        p.scope = readScope(o, unknowns);
        p.inputReductionPct = o.number("input_reduction_pct", 0, 100, 0);
        p.outputReductionPct = o.number("output_reduction_pct", 0, 100, 0);
        p.callReductionPct = o.number("call_reduction_pct", 0, 100, 0);
        unknowns.collect(o);
        l.promptOptimization.push_back(p);
    }
    l.quality = readPercentMap(r, "quality", 0, 1, unknowns);
    {
        JsonObjectReader e(r.object("escalation"), r.pathOf("escalation"));
        l.escalationEnabled = e.boolean("enabled", false);
        l.escalationTo = e.string("to");
        if (l.escalationEnabled && l.escalationTo.empty())
            throw JsonPathError(e.pathOf("to"), "escalation is enabled but names no model");
        unknowns.collect(e);
    }
    for (const char *group :
         {"response_cache", "semantic_cache", "prompt_cache", "batching", "infra"}) {
        JsonObjectReader g(r.object(group), r.pathOf(group));
        readLeverGroup(g, group, l);
        unknowns.collect(g);
    }
    if (l.spotShare + l.reservedShare > 1 + 1e-12)
        throw JsonPathError(r.pathOf("infra"), "spot_share + reserved_share is " +
                                                   std::to_string(l.spotShare + l.reservedShare) +
                                                   "; they must not add up to more than 1");
    {
        JsonObjectReader p(r.object("prices"), r.pathOf("prices"));
        readLeverGroup(p, "prices", l);
        l.priceChangeByProvider = readPercentMap(p, "by_provider", -100, 1000, unknowns);
        l.priceChangeByModel = readPercentMap(p, "by_model", -100, 1000, unknowns);
        unknowns.collect(p);
    }
    for (const char *group : {"volume", "value"}) {
        JsonObjectReader g(r.object(group), r.pathOf(group));
        readLeverGroup(g, group, l);
        unknowns.collect(g);
    }
    unknowns.collect(r);
}

void readRanges(JsonObjectReader &top, Scenario &s)
{
    const Json &obj = top.object("ranges");
    const std::string base = top.pathOf("ranges");
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        const std::string path = base + "." + it.key();
        const auto spec = LeverRegistry::find(s.levers, it.key());
        if (!spec)
            throw JsonPathError(path, "not a lever of this scenario");
        const Json &v = it.value();
        if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number())
            throw JsonPathError(path, "expected [low, high], got " + describeJson(v));
        const double lo = v[0].get<double>();
        const double hi = v[1].get<double>();
        if (lo > hi || lo < spec->min || hi > spec->max) {
            std::ostringstream why;
            why << "expected low <= high within " << spec->min << " to " << spec->max << ", got "
                << v.dump();
            throw JsonPathError(path, why.str());
        }
        s.ranges[it.key()] = {lo, hi};
    }
}

Scenario readScenario(const Json &doc, std::vector<std::string> &warnings)
{
    Scenario s;
    Unknowns unknowns{s, warnings};
    JsonObjectReader top(doc, "$");
    if (!top.has("format"))
        throw JsonPathError("$.format",
                            std::string("missing; expected \"") + ScenarioFile::kFormat + "\"");
    const std::string format = top.string("format");
    if (format != ScenarioFile::kFormat)
        throw JsonPathError("$.format", std::string("expected \"") + ScenarioFile::kFormat +
                                            "\", got \"" + format + "\"");
    if (!top.has("version"))
        throw JsonPathError("$.version", "missing; expected 1");
    const int version = top.integer("version", 1, 1 << 30, 1);
    if (version > ScenarioFile::kVersion)
        throw JsonPathError("$.version", "version " + std::to_string(version) +
                                             " was written by a newer tokenledger; this one "
                                             "reads version " +
                                             std::to_string(ScenarioFile::kVersion));
    top.string("generator");
    s.name = top.string("name");
    s.author = top.string("author");
    s.notes = top.string("notes");
    s.created = top.string("created");
    {
        JsonObjectReader b(top.object("baseline"), "$.baseline");
        s.baseline.from = b.string("from");
        s.baseline.to = b.string("to");
        for (const auto *key : {"from", "to"}) {
            const std::string &v = std::string(key) == "from" ? s.baseline.from : s.baseline.to;
            if (!v.empty() && !isDate(v))
                throw JsonPathError(b.pathOf(key), "expected a date YYYY-MM-DD, got \"" + v + "\"");
        }
        if (!s.baseline.from.empty() && !s.baseline.to.empty() && s.baseline.from > s.baseline.to)
            throw JsonPathError(b.pathOf("to"),
                                "ends before the period starts (" + s.baseline.from + ")");
        const Json &filter = b.object("filter");
        JsonObjectReader f(filter, b.pathOf("filter"));
        for (auto it = filter.begin(); it != filter.end(); ++it) {
            if (!kFilterDimensions.count(it.key()))
                throw JsonPathError(f.pathOf(it.key()),
                                    "unknown dimension; expected team, feature, agent, model, "
                                    "provider or user");
            s.baseline.filter[it.key()] = f.stringList(it.key());
        }
        s.baseline.workspace = b.string("workspace");
        unknowns.collect(b);
    }
    s.horizonMonths = top.integer("horizon_months", 1, 120, 12);
    readLevers(top, s, unknowns);
    readRanges(top, s);
    unknowns.collect(top);
    return s;
}

// Appends the unknown keys kept for `path` after the known ones.
void appendUnknown(Json &obj, const Scenario &s, const std::string &path)
{
    auto it = s.unknownKeys.find(path);
    if (it == s.unknownKeys.end())
        return;
    for (auto k = it->second.begin(); k != it->second.end(); ++k)
        if (!obj.contains(k.key()))
            obj[k.key()] = k.value();
}

Json optionalJson(const std::optional<double> &v)
{
    return v ? Json(*v) : Json(nullptr);
}

Json leverGroupJson(const Scenario &s, const std::string &group, const std::string &path)
{
    Json g = Json::object();
    for (const auto &spec : LeverRegistry::fixed()) {
        if (spec.path.rfind(group + ".", 0) != 0)
            continue;
        const auto v = spec.get(s.levers);
        const std::string key = spec.path.substr(group.size() + 1);
        if (spec.integer)
            g[key] = int(v.value_or(0));
        else
            g[key] = optionalJson(v);
    }
    appendUnknown(g, s, path);
    return g;
}

Json mapJson(const std::map<std::string, double> &m)
{
    Json o = Json::object();
    for (const auto &[k, v] : m)
        o[k] = v;
    return o;
}

Json namesJson(const std::vector<std::string> &v)
{
    Json a = Json::array();
    for (const auto &n : v)
        a.push_back(n);
    return a;
}

Json scopeJson(const Scope &sc, const Scenario &s, const std::string &path)
{
    Json scope = Json::object();
    if (!sc.agent.empty())
        scope["agent"] = namesJson(sc.agent);
    if (!sc.feature.empty())
        scope["feature"] = namesJson(sc.feature);
    if (!sc.team.empty())
        scope["team"] = namesJson(sc.team);
    appendUnknown(scope, s, path);
    return scope;
}

} // namespace

ScenarioLoad ScenarioFile::parse(std::string_view text)
{
    ScenarioLoad out;
    const auto doc = JsonFile::parse(text, &out.error);
    if (!doc)
        return out;
    try {
        out.scenario = readScenario(*doc, out.warnings);
    } catch (const JsonPathError &e) {
        out.error = e.what();
        out.warnings.clear();
    } catch (const nlohmann::json::exception &e) {
        out.error = std::string("$: ") + e.what();
        out.warnings.clear();
    }
    return out;
}

ScenarioLoad ScenarioFile::load(const std::string &path)
{
    std::string why;
    const auto text = JsonFile::read(path, &why);
    if (!text) {
        ScenarioLoad out;
        out.error = why;
        return out;
    }
    ScenarioLoad out = parse(*text);
    if (!out.error.empty())
        out.error = path + ": " + out.error;
    return out;
}

std::string ScenarioFile::serialize(const Scenario &s)
{
    Json doc = Json::object();
    doc["format"] = kFormat;
    doc["version"] = kVersion;
    doc["generator"] = std::string("tokenledger ") + TOKENLEDGER_VERSION;
    doc["name"] = s.name;
    doc["author"] = s.author;
    doc["notes"] = s.notes;
    doc["created"] = s.created;
    Json baseline = Json::object();
    baseline["from"] = s.baseline.from;
    baseline["to"] = s.baseline.to;
    Json filter = Json::object();
    for (const auto &[dim, names] : s.baseline.filter)
        filter[dim] = namesJson(names);
    baseline["filter"] = filter;
    baseline["workspace"] = s.baseline.workspace;
    appendUnknown(baseline, s, "$.baseline");
    doc["baseline"] = baseline;
    doc["horizon_months"] = s.horizonMonths;

    const Levers &l = s.levers;
    Json levers = Json::object();
    Json mix = Json::array();
    for (size_t i = 0; i < l.modelMix.size(); ++i) {
        const auto &m = l.modelMix[i];
        const std::string path = "$.levers.model_mix[" + std::to_string(i) + "]";
        Json move = Json::object();
        move["from"] = m.from;
        move["to"] = m.to;
        move["share"] = m.share;
        move["scope"] = scopeJson(m.scope, s, path + ".scope");
        move["output_token_ratio"] = m.outputTokenRatio;
        appendUnknown(move, s, path);
        mix.push_back(move);
    }
    levers["model_mix"] = mix;
    Json optimization = Json::array();
    for (size_t i = 0; i < l.promptOptimization.size(); ++i) {
        const auto &o = l.promptOptimization[i];
        const std::string path = "$.levers.prompt_optimization[" + std::to_string(i) + "]";
        Json entry = Json::object();
        entry["scope"] = scopeJson(o.scope, s, path + ".scope");
        entry["input_reduction_pct"] = o.inputReductionPct;
        entry["output_reduction_pct"] = o.outputReductionPct;
        entry["call_reduction_pct"] = o.callReductionPct;
        appendUnknown(entry, s, path);
        optimization.push_back(entry);
    }
    levers["prompt_optimization"] = optimization;
    levers["quality"] = mapJson(l.quality);
    Json escalation = Json::object();
    escalation["enabled"] = l.escalationEnabled;
    escalation["to"] = l.escalationTo;
    appendUnknown(escalation, s, "$.levers.escalation");
    levers["escalation"] = escalation;
    for (const char *group :
         {"response_cache", "semantic_cache", "prompt_cache", "batching", "infra"})
        levers[group] = leverGroupJson(s, group, std::string("$.levers.") + group);
    Json prices = Json::object();
    prices["change_pct"] = l.priceChangePct;
    prices["by_provider"] = mapJson(l.priceChangeByProvider);
    prices["by_model"] = mapJson(l.priceChangeByModel);
    appendUnknown(prices, s, "$.levers.prices");
    levers["prices"] = prices;
    for (const char *group : {"volume", "value"})
        levers[group] = leverGroupJson(s, group, std::string("$.levers.") + group);
    appendUnknown(levers, s, "$.levers");
    doc["levers"] = levers;

    Json ranges = Json::object();
    for (const auto &[path, range] : s.ranges)
        ranges[path] = Json::array({range.first, range.second});
    doc["ranges"] = ranges;
    appendUnknown(doc, s, "$");
    return JsonFile::text(doc, 2) + "\n";
}

std::string ScenarioFile::save(const std::string &path, const Scenario &s)
{
    return JsonFile::writeAtomically(path, serialize(s));
}

std::vector<std::string> ScenarioFile::validate(const Scenario &s, const Baseline &b)
{
    return validate(s, b.models);
}

std::vector<std::string> ScenarioFile::validate(const Scenario &s,
                                                const std::vector<ModelInfo> &models)
{
    std::vector<std::string> errors;
    const auto index = [&](const std::string &name) {
        for (size_t i = 0; i < models.size(); ++i)
            if (models[i].name == name)
                return int(i);
        return -1;
    };
    const auto known = [&](const std::string &path, const std::string &model, bool needPrice) {
        const int i = index(model);
        if (i < 0)
            errors.push_back(path + ": unknown model \"" + model +
                             "\" (neither in the price catalog nor in the logs)");
        else if (needPrice && !models[size_t(i)].priced)
            errors.push_back(path + ": model \"" + model +
                             "\" has no price in the catalog, so calls cannot move to it");
    };
    for (size_t i = 0; i < s.levers.modelMix.size(); ++i) {
        const std::string path = "$.levers.model_mix[" + std::to_string(i) + "]";
        known(path + ".from", s.levers.modelMix[i].from, false);
        known(path + ".to", s.levers.modelMix[i].to, true);
    }
    for (const auto &[model, q] : s.levers.quality)
        known("$.levers.quality." + model, model, false);
    if (s.levers.escalationEnabled)
        known("$.levers.escalation.to", s.levers.escalationTo, true);
    for (const auto &[model, pct] : s.levers.priceChangeByModel)
        known("$.levers.prices.by_model." + model, model, false);
    std::set<std::string> providers;
    for (const auto &m : models)
        providers.insert(m.provider);
    for (const auto &[provider, pct] : s.levers.priceChangeByProvider)
        if (!providers.count(provider))
            errors.push_back("$.levers.prices.by_provider." + provider + ": unknown provider \"" +
                             provider + "\"");
    return errors;
}

} // namespace tl::sim
