#include "priceentry.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace tl {

int64_t perMtokToPpt(double usdPerMtok)
{
    return int64_t(std::llround(usdPerMtok * 1e6));
}

double pptToPerMtok(int64_t ppt)
{
    return double(ppt) / 1e6;
}

int64_t PriceEntry::cacheWrite1hPrice(bool *defaulted) const
{
    if (defaulted)
        *defaulted = false;
    if (cacheWrite1hPpt >= 0)
        return cacheWrite1hPpt;
    const bool anthropic = provider == "anthropic" || model.rfind("claude", 0) == 0;
    if (anthropic && inputPpt >= 0) {
        if (defaulted)
            *defaulted = true;
        return 2 * inputPpt;
    }
    return cacheWritePpt >= 0 ? cacheWritePpt : inputPpt;
}

namespace {

std::string number(double v)
{
    char b[32];
    std::snprintf(b, sizeof b, "%g", v);
    return b;
}

std::string inOut(const TierPrices &t)
{
    return (t.inputPpt >= 0 ? number(pptToPerMtok(t.inputPpt)) : std::string("-")) + "/" +
           (t.outputPpt >= 0 ? number(pptToPerMtok(t.outputPpt)) : std::string("-"));
}

} // namespace

std::string tierSummary(const PriceEntry &e)
{
    std::string s;
    auto add = [&s](const std::string &part) {
        if (!s.empty())
            s += " · ";
        s += part;
    };
    if (e.longContext.present())
        add(">" + std::to_string(e.longContextThreshold / 1000) + "k " + inOut(e.longContext));
    if (e.priority.present())
        add("priority " + inOut(e.priority));
    if (e.flex.present())
        add("flex " + inOut(e.flex));
    if (e.webSearchNusd >= 0)
        add("web search $" + number(double(e.webSearchNusd) / 1e6) + "/1k");
    if (e.fileSearchNusd >= 0)
        add("file search $" + number(double(e.fileSearchNusd) / 1e6) + "/1k");
    return s;
}

const char *priceLineName(PriceLine l)
{
    switch (l) {
    case PriceLine::Standard:
        return "standard";
    case PriceLine::Batch:
        return "batch";
    case PriceLine::LongContext:
        return "long context";
    case PriceLine::Priority:
        return "priority";
    case PriceLine::Flex:
        return "flex";
    case PriceLine::Count:
        break;
    }
    return "standard";
}

namespace {

// The per-token prices one call pays.
struct Rates
{
    int64_t input, output, cached, write, write1h;
};

int64_t scaled(int64_t part, int64_t num, int64_t den)
{
    return den > 0 ? int64_t(__int128(part) * num / den) : part;
}

Rates standardRates(const PriceEntry &e)
{
    Rates r;
    r.input = e.inputPpt;
    r.output = e.outputPpt;
    r.cached = e.cachedInputPpt >= 0 ? e.cachedInputPpt : e.inputPpt;
    r.write = e.cacheWritePpt >= 0 ? e.cacheWritePpt : e.inputPpt;
    r.write1h = e.cacheWrite1hPrice();
    return r;
}

// A tier's set over the standard one: its own parts where it has them, the
// standard parts scaled by its input/output ratio where it has not.
Rates tierRates(const Rates &base, const TierPrices &t)
{
    Rates r;
    r.input = t.inputPpt >= 0 ? t.inputPpt : base.input;
    r.output = t.outputPpt >= 0 ? t.outputPpt : scaled(base.output, r.input, base.input);
    r.cached = t.cachedInputPpt >= 0 ? t.cachedInputPpt : scaled(base.cached, r.input, base.input);
    r.write = t.cacheWritePpt >= 0 ? t.cacheWritePpt : scaled(base.write, r.input, base.input);
    r.write1h =
        t.cacheWrite1hPpt >= 0 ? t.cacheWrite1hPpt : scaled(base.write1h, r.input, base.input);
    return r;
}

Rates batchRates(const PriceEntry &e, const Rates &base, const Rates &standard)
{
    Rates r = base;
    const int64_t bin = e.batchInputPpt >= 0 ? e.batchInputPpt : standard.input;
    const int64_t bout = e.batchOutputPpt >= 0 ? e.batchOutputPpt : standard.output;
    // Batch is a discount on whatever set applies (Anthropic bills long
    // context in a batch at half the long-context prices).
    r.input = scaled(base.input, bin, standard.input);
    r.output = scaled(base.output, bout, standard.output);
    r.cached = scaled(base.cached, bin, standard.input);
    r.write = scaled(base.write, bin, standard.input);
    r.write1h = scaled(base.write1h, bin, standard.input);
    return r;
}

} // namespace

CostParts costParts(const PriceEntry &e, const Usage &u)
{
    CostParts parts;
    const Rates standard = standardRates(e);
    Rates rates = standard;
    bool batch = u.batch;
    const int64_t perRequest = u.requests > 1 ? u.input / u.requests : u.input;
    const bool longContext = e.longContext.present() &&
                             (u.longContext == 1 ||
                              (u.longContext < 0 && e.longContextThreshold > 0 &&
                               perRequest > e.longContextThreshold));
    if (u.tier == ServiceTier::Priority) {
        // Without priority prices the call is priced at standard ones, but
        // stays on the priority line: a bill's priority line then shows the
        // difference where it arises.
        if (e.priority.present())
            rates = tierRates(standard, e.priority);
        parts.line = PriceLine::Priority;
    } else if (u.tier == ServiceTier::Flex) {
        parts.line = PriceLine::Flex;
        if (e.flex.present())
            rates = tierRates(standard, e.flex);
        else
            batch = true;
    }
    if (longContext && parts.line == PriceLine::Standard) {
        rates = tierRates(standard, e.longContext);
        parts.line = PriceLine::LongContext;
    }
    if (batch) {
        rates = batchRates(e, rates, standard);
        if (parts.line == PriceLine::Standard)
            parts.line = PriceLine::Batch;
    }
    const int64_t write1h = std::min(u.cacheWrite1h, u.cacheWrite);
    const int64_t write5m = u.cacheWrite - write1h;
    const int64_t uncached = u.input - u.cached - u.cacheWrite;
    // __int128 because 1e9 tokens x 75e6 p$ is close to int64's range once summed.
    const __int128 pico = __int128(uncached) * rates.input + __int128(u.cached) * rates.cached +
                          __int128(write5m) * rates.write + __int128(write1h) * rates.write1h +
                          __int128(u.output) * rates.output;
    // p$ -> n$, half away from zero. Past int64 (1e12 tokens at an absurd
    // price) it saturates, and the importer refuses such a record's file.
    const __int128 nano = (pico >= 0 ? pico + 500 : pico - 500) / 1000;
    parts.tokensNusd = nano > __int128(std::numeric_limits<int64_t>::max() / 2)
                           ? std::numeric_limits<int64_t>::max() / 2
                           : int64_t(nano);
    // Both factors are bounded (1e9 calls, $1,000 a call): the product fits.
    if (u.webSearches > 0 && e.webSearchNusd > 0)
        parts.webSearchNusd = u.webSearches * e.webSearchNusd;
    if (u.fileSearches > 0 && e.fileSearchNusd > 0)
        parts.fileSearchNusd = u.fileSearches * e.fileSearchNusd;
    parts.toolsNusd = parts.webSearchNusd + parts.fileSearchNusd;
    return parts;
}

} // namespace tl
