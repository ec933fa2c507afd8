#include "pricecatalog.h"

#include "core/timeutil.h"

#include "core/builtinresources.h"

#include <QFile>

#include "jsonfile.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

using nlohmann::json;

namespace tl {

namespace {

struct ParseError
{
    std::string message;
};

int64_t priceField(const json &obj, const char *key, const std::string &path, double scale)
{
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null())
        return kNoPrice;
    if (!it->is_number())
        throw ParseError{path + "." + key + ": expected a number"};
    double v = it->get<double>() * scale;
    if (v < 0)
        throw ParseError{path + "." + key + ": a price cannot be negative"};
    // $100,000 per million tokens is 1,000x the dearest model: past it a
    // price is a mistake (and token x price must fit the cost rule's range).
    if (!(v <= 100000))
        throw ParseError{path + "." + key + ": expected at most $100,000 per million tokens"};
    return perMtokToPpt(v);
}

std::string stringField(const json &obj, const char *key, const std::string &path, bool required)
{
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
        if (required)
            throw ParseError{path + "." + key + ": missing (expected a string)"};
        return {};
    }
    if (!it->is_string())
        throw ParseError{path + "." + key + ": expected a string"};
    return it->get<std::string>();
}

void applyBatchDiscount(PriceEntry &e, const json &obj, const std::string &path)
{
    auto it = obj.find("batch_discount");
    if (it == obj.end() || it->is_null())
        return;
    if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 1)
        throw ParseError{path + ".batch_discount: expected a fraction between 0 and 1"};
    double keep = 1.0 - it->get<double>();
    if (e.batchInputPpt < 0 && e.inputPpt >= 0)
        e.batchInputPpt = int64_t(std::llround(double(e.inputPpt) * keep));
    if (e.batchOutputPpt < 0 && e.outputPpt >= 0)
        e.batchOutputPpt = int64_t(std::llround(double(e.outputPpt) * keep));
}

// USD per call (scale 1e9) or per 1,000 calls (scale 1e6) -> n$ per call.
int64_t perCallField(const json &obj, const char *key, const std::string &path, double scale)
{
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null())
        return kNoPrice;
    if (!it->is_number() || it->get<double>() < 0)
        throw ParseError{path + "." + key + ": expected a non-negative number"};
    const double nusd = it->get<double>() * scale;
    if (!(nusd <= 1e12)) // $1,000 a call
        throw ParseError{path + "." + key + ": expected at most $1,000 a call"};
    return int64_t(std::llround(nusd));
}

// {"input_per_mtok": …, "output_per_mtok": …, "cached_input_per_mtok": …,
//  "cache_write_per_mtok": …, "cache_write_1h_per_mtok": …}
TierPrices parseOurTier(const json &m, const char *key, const std::string &path)
{
    TierPrices t;
    auto it = m.find(key);
    if (it == m.end() || it->is_null())
        return t;
    const std::string p = path + "." + key;
    if (!it->is_object())
        throw ParseError{p + ": expected an object of prices"};
    t.inputPpt = priceField(*it, "input_per_mtok", p, 1.0);
    t.outputPpt = priceField(*it, "output_per_mtok", p, 1.0);
    t.cachedInputPpt = priceField(*it, "cached_input_per_mtok", p, 1.0);
    t.cacheWritePpt = priceField(*it, "cache_write_per_mtok", p, 1.0);
    t.cacheWrite1hPpt = priceField(*it, "cache_write_1h_per_mtok", p, 1.0);
    if (!t.present())
        throw ParseError{p + ": needs input_per_mtok or output_per_mtok"};
    return t;
}

// LiteLLM spells a tier as a suffix on each key: input_cost_per_token_priority,
// cache_read_input_token_cost_above_200k_tokens, …
TierPrices parseLiteLlmTier(const json &v, const std::string &suffix, const std::string &path)
{
    TierPrices t;
    auto get = [&](const std::string &key) { return priceField(v, key.c_str(), path, 1e6); };
    t.inputPpt = get("input_cost_per_token" + suffix);
    t.outputPpt = get("output_cost_per_token" + suffix);
    t.cachedInputPpt = get("cache_read_input_token_cost" + suffix);
    t.cacheWritePpt = get("cache_creation_input_token_cost" + suffix);
    t.cacheWrite1hPpt = get("cache_creation_input_token_cost_above_1hr" + suffix);
    return t;
}

PriceEntry parseOurEntry(const json &m, const std::string &path)
{
    if (!m.is_object())
        throw ParseError{path + ": expected an object"};
    PriceEntry e;
    e.provider = stringField(m, "provider", path, false);
    e.model = stringField(m, "model", path, true);
    if (e.model.empty())
        throw ParseError{path + ".model: must not be empty"};
    if (auto a = m.find("aliases"); a != m.end() && !a->is_null()) {
        if (!a->is_array())
            throw ParseError{path + ".aliases: expected an array of strings"};
        for (size_t i = 0; i < a->size(); ++i) {
            if (!(*a)[i].is_string())
                throw ParseError{path + ".aliases[" + std::to_string(i) + "]: expected a string"};
            e.aliases.push_back((*a)[i].get<std::string>());
        }
    }
    std::string eff = stringField(m, "effective_from", path, false);
    if (!eff.empty()) {
        if (auto day = parseDate(eff))
            e.effectiveFromMs = *day * kMsPerDay;
        else if (auto ts = parseTimestamp(eff))
            e.effectiveFromMs = *ts;
        else
            throw ParseError{path + ".effective_from: expected YYYY-MM-DD or an ISO 8601 time"};
    }
    e.inputPpt = priceField(m, "input_per_mtok", path, 1.0);
    e.outputPpt = priceField(m, "output_per_mtok", path, 1.0);
    if (e.inputPpt < 0 || e.outputPpt < 0)
        throw ParseError{path + ": input_per_mtok and output_per_mtok are required"};
    e.cachedInputPpt = priceField(m, "cached_input_per_mtok", path, 1.0);
    e.cacheWritePpt = priceField(m, "cache_write_per_mtok", path, 1.0);
    e.cacheWrite1hPpt = priceField(m, "cache_write_1h_per_mtok", path, 1.0);
    e.batchInputPpt = priceField(m, "batch_input_per_mtok", path, 1.0);
    e.batchOutputPpt = priceField(m, "batch_output_per_mtok", path, 1.0);
    applyBatchDiscount(e, m, path);
    e.priority = parseOurTier(m, "priority", path);
    e.flex = parseOurTier(m, "flex", path);
    e.longContext = parseOurTier(m, "long_context", path);
    if (e.longContext.present()) {
        const json &lc = m.at("long_context");
        auto t = lc.find("above_tokens");
        if (t == lc.end() || !t->is_number_integer() || t->get<int64_t>() <= 0)
            throw ParseError{path +
                             ".long_context.above_tokens: expected the prompt size (tokens) "
                             "past which the tier applies"};
        e.longContextThreshold = t->get<int64_t>();
    }
    e.webSearchNusd = perCallField(m, "web_search_per_1k", path, 1e6);
    e.fileSearchNusd = perCallField(m, "file_search_per_1k", path, 1e6);
    e.source = stringField(m, "source", path, false);
    return e;
}

// LiteLLM's map: {"gpt-4o": {"input_cost_per_token": 2.5e-06, ...}, ...},
// USD per token. Keys may carry a provider prefix ("gemini/gemini-2.0-flash").
void parseLiteLlm(const json &doc, PriceCatalog &out)
{
    std::unordered_map<std::string, size_t> byModel;
    std::vector<PriceEntry> entries;
    for (auto it = doc.begin(); it != doc.end(); ++it) {
        const std::string &key = it.key();
        const json &v = it.value();
        if (key == "sample_spec" || !v.is_object())
            continue;
        const std::string path = "[\"" + key + "\"]";
        int64_t in = priceField(v, "input_cost_per_token", path, 1e6);
        int64_t outP = priceField(v, "output_cost_per_token", path, 1e6);
        if (in < 0 && outP < 0)
            continue; // image, audio or per-second models: not token-priced
        PriceEntry e;
        e.provider = stringField(v, "litellm_provider", path, false);
        e.model = key;
        if (!e.provider.empty() && key.rfind(e.provider + "/", 0) == 0) {
            e.model = key.substr(e.provider.size() + 1);
            e.aliases.push_back(key);
        }
        e.inputPpt = std::max<int64_t>(in, 0);
        e.outputPpt = std::max<int64_t>(outP, 0);
        e.cachedInputPpt = priceField(v, "cache_read_input_token_cost", path, 1e6);
        e.cacheWritePpt = priceField(v, "cache_creation_input_token_cost", path, 1e6);
        e.batchInputPpt = priceField(v, "input_cost_per_token_batches", path, 1e6);
        e.batchOutputPpt = priceField(v, "output_cost_per_token_batches", path, 1e6);
        e.cacheWrite1hPpt = priceField(v, "cache_creation_input_token_cost_above_1hr", path, 1e6);
        e.priority = parseLiteLlmTier(v, "_priority", path);
        e.flex = parseLiteLlmTier(v, "_flex", path);
        for (int64_t k : {128, 200, 272}) {
            const std::string suffix = "_above_" + std::to_string(k) + "k_tokens";
            TierPrices t = parseLiteLlmTier(v, suffix, path);
            if (t.present() && !e.longContext.present()) {
                e.longContext = t;
                e.longContextThreshold = k * 1000;
            }
        }
        // LiteLLM prices a search by its context size; medium is the default.
        if (auto q = v.find("search_context_cost_per_query"); q != v.end() && q->is_object())
            e.webSearchNusd = perCallField(*q, "search_context_size_medium",
                                           path + ".search_context_cost_per_query", 1e9);
        e.source = "litellm";
        auto found = byModel.find(e.model);
        if (found != byModel.end()) {
            // The unprefixed key is the canonical one; later spellings are aliases.
            entries[found->second].aliases.push_back(key);
            continue;
        }
        byModel.emplace(e.model, entries.size());
        entries.push_back(std::move(e));
    }
    for (auto &e : entries)
        out.addEntry(std::move(e));
}

void putPrice(json &o, const char *key, int64_t ppt)
{
    if (ppt >= 0)
        o[key] = pptToPerMtok(ppt);
}

// The token prices of a set, under the keys parseOurTier() and parseOurEntry() read.
void putPrices(json &o, const TierPrices &t)
{
    putPrice(o, "input_per_mtok", t.inputPpt);
    putPrice(o, "output_per_mtok", t.outputPpt);
    putPrice(o, "cached_input_per_mtok", t.cachedInputPpt);
    putPrice(o, "cache_write_per_mtok", t.cacheWritePpt);
    putPrice(o, "cache_write_1h_per_mtok", t.cacheWrite1hPpt);
}

bool isDateSuffix(std::string_view s)
{
    auto allDigits = [](std::string_view d) {
        return !d.empty() &&
               std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (s.size() == 8 && allDigits(s))
        return true; // 20250929
    if (s.size() == 10 && allDigits(s.substr(0, 4)) && s[4] == '-' && allDigits(s.substr(5, 2)) &&
        s[7] == '-' && allDigits(s.substr(8, 2)))
        return true; // 2024-08-06
    return false;
}

} // namespace

void PriceCatalog::addEntry(PriceEntry e)
{
    m_entries.push_back(std::move(e));
    reindex();
}

void PriceCatalog::reindex()
{
    m_index.clear();
    for (size_t i = 0; i < m_entries.size(); ++i) {
        m_index[m_entries[i].model].push_back(i);
        for (const auto &a : m_entries[i].aliases)
            if (a != m_entries[i].model)
                m_index[a].push_back(i);
    }
    for (auto &[name, idx] : m_index) {
        std::sort(idx.begin(), idx.end(), [this](size_t a, size_t b) {
            return m_entries[a].effectiveFromMs < m_entries[b].effectiveFromMs;
        });
        idx.erase(std::unique(idx.begin(), idx.end()), idx.end());
    }
}

std::optional<PriceCatalog> PriceCatalog::fromJson(std::string_view text, std::string *error)
{
    auto parsed = sim::JsonFile::parsePlain(text, error);
    if (!parsed)
        return std::nullopt;
    json &doc = *parsed;
    if (!doc.is_object()) {
        if (error)
            *error = "$: expected a JSON object";
        return std::nullopt;
    }
    PriceCatalog cat;
    try {
        auto models = doc.find("models");
        if (models != doc.end() && models->is_array()) {
            if (auto f = doc.find("format"); f != doc.end() && *f != "tokenledger-prices")
                throw ParseError{"format: expected \"tokenledger-prices\""};
            if (auto v = doc.find("version");
                v != doc.end() && (!v->is_number_integer() || v->get<int>() > 1))
                throw ParseError{
                    "version: this program reads catalog version 1; the file is newer"};
            for (size_t i = 0; i < models->size(); ++i)
                cat.m_entries.push_back(
                    parseOurEntry((*models)[i], "models[" + std::to_string(i) + "]"));
            cat.reindex();
        } else {
            parseLiteLlm(doc, cat);
            if (cat.m_entries.empty())
                throw ParseError{
                    "$: neither a tokenledger catalog (\"models\" array) nor a LiteLLM price map "
                    "(objects with input_cost_per_token)"};
        }
    } catch (const ParseError &e) {
        if (error)
            *error = e.message;
        return std::nullopt;
    }
    return cat;
}

std::optional<PriceCatalog> PriceCatalog::fromFile(const std::string &path, std::string *error)
{
    const auto text = sim::JsonFile::read(path, error);
    if (!text)
        return std::nullopt;
    std::string why;
    auto cat = fromJson(*text, &why);
    if (!cat && error)
        *error = path + ": " + why;
    return cat;
}

PriceCatalog PriceCatalog::builtIn()
{
    ensureBuiltinResources();
    QFile f(QStringLiteral(":/tokenledger/prices.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QByteArray bytes = f.readAll();
    std::string error;
    auto cat = fromJson(std::string_view(bytes.constData(), size_t(bytes.size())), &error);
    return cat ? *cat : PriceCatalog();
}

std::string PriceCatalog::toJson() const
{
    json models = json::array();
    for (const auto &e : m_entries) {
        json m;
        m["provider"] = e.provider;
        m["model"] = e.model;
        if (!e.aliases.empty())
            m["aliases"] = e.aliases;
        if (e.hasEffectiveFrom())
            m["effective_from"] = e.effectiveFromMs % kMsPerDay == 0
                                      ? formatDate(dayOf(e.effectiveFromMs))
                                      : formatTimestamp(e.effectiveFromMs);
        putPrices(m, TierPrices{e.inputPpt, e.outputPpt, e.cachedInputPpt, e.cacheWritePpt,
                                e.cacheWrite1hPpt});
        putPrice(m, "batch_input_per_mtok", e.batchInputPpt);
        putPrice(m, "batch_output_per_mtok", e.batchOutputPpt);
        auto tier = [&](const char *key, const TierPrices &t, int64_t above) {
            if (!t.present())
                return;
            json o;
            if (above > 0)
                o["above_tokens"] = above;
            putPrices(o, t);
            m[key] = std::move(o);
        };
        tier("long_context", e.longContext, e.longContextThreshold);
        tier("priority", e.priority, 0);
        tier("flex", e.flex, 0);
        if (e.webSearchNusd >= 0)
            m["web_search_per_1k"] = double(e.webSearchNusd) / 1e6;
        if (e.fileSearchNusd >= 0)
            m["file_search_per_1k"] = double(e.fileSearchNusd) / 1e6;
        if (!e.source.empty())
            m["source"] = e.source;
        models.push_back(std::move(m));
    }
    json doc = {{"format", "tokenledger-prices"}, {"version", 1}, {"models", std::move(models)}};
    return sim::JsonFile::text(doc, 2) + "\n";
}

const std::vector<size_t> *PriceCatalog::lookup(std::string_view name) const
{
    auto it = m_index.find(std::string(name));
    return it == m_index.end() ? nullptr : &it->second;
}

std::string PriceCatalog::resolve(std::string_view model) const
{
    const PriceEntry *e = priceAt(model, std::numeric_limits<int64_t>::max());
    return e ? e->model : std::string();
}

const std::vector<size_t> *PriceCatalog::findIndexes(std::string_view model) const
{
    if (const auto *idx = lookup(model))
        return idx;
    // The names providers write for a catalog model, peeled one convention
    // at a time: "openai/gpt-4o" (OpenRouter, LiteLLM), Bedrock's
    // "us.anthropic.claude-3-5-sonnet-20241022-v2:0" (inference-profile
    // region, vendor, version), Vertex's "claude-3-5-sonnet@20240620", dated
    // snapshots ("-2024-08-06", "-20250929") and OpenAI's four-digit ones
    // ("gpt-3.5-turbo-0125", "gpt-4-0613").
    std::string_view m = model;
    if (auto slash = m.rfind('/'); slash != std::string_view::npos) {
        m = m.substr(slash + 1);
        if (const auto *idx = lookup(m))
            return idx;
    }
    const auto digits = [](std::string_view d) {
        return !d.empty() &&
               std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    for (std::string_view region : {"us.", "eu.", "apac.", "global.", "us-gov."})
        if (m.substr(0, region.size()) == region)
            m = m.substr(region.size());
    for (std::string_view vendor :
         {"anthropic.", "meta.", "amazon.", "mistral.", "cohere.", "ai21.", "deepseek.", "openai."})
        if (m.substr(0, vendor.size()) == vendor) {
            m = m.substr(vendor.size());
            // "-v2:0", "-v1": Bedrock's model version.
            if (auto v = m.rfind("-v"); v != std::string_view::npos) {
                std::string_view rest = m.substr(v + 2);
                const auto colon = rest.find(':');
                if (digits(rest.substr(0, colon)) &&
                    (colon == std::string_view::npos || digits(rest.substr(colon + 1))))
                    m = m.substr(0, v);
            }
            break;
        }
    if (m != model)
        if (const auto *idx = lookup(m))
            return idx;
    // Dated snapshot: strip "-YYYY-MM-DD", "-YYYYMMDD", "@YYYYMMDD", or
    // OpenAI's "-MMDD".
    auto cut = m.find_last_of("-@");
    if (cut == std::string_view::npos || cut + 1 >= m.size())
        return nullptr;
    std::string_view suffix = m.substr(cut + 1);
    std::string_view base = m.substr(0, cut);
    if (suffix.size() == 2 && base.size() > 8) { // "-2024-08-06" splits at its last '-'
        size_t cut2 = base.size() - 8;
        if (base[cut2] == '-' && isDateSuffix(m.substr(cut2 + 1)))
            return lookup(m.substr(0, cut2));
        return nullptr;
    }
    if (isDateSuffix(suffix) || (suffix.size() == 4 && digits(suffix) && m[cut] == '-'))
        return lookup(base);
    return nullptr;
}

std::vector<const PriceEntry *> PriceCatalog::entriesFor(std::string_view model) const
{
    std::vector<const PriceEntry *> out;
    if (const auto *idx = findIndexes(model))
        for (size_t i : *idx)
            out.push_back(&m_entries[i]);
    return out;
}

const PriceEntry *PriceCatalog::priceAt(std::string_view model, int64_t tsMs) const
{
    return entryAt(entriesFor(model), tsMs);
}

const PriceEntry *PriceCatalog::entryAt(const std::vector<const PriceEntry *> &sorted, int64_t tsMs)
{
    const PriceEntry *best = nullptr;
    for (const PriceEntry *e : sorted) {
        if (e->effectiveFromMs > tsMs)
            break;
        best = e;
    }
    return best;
}

} // namespace tl
