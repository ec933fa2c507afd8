#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace tl {

// Prices are kept as pico-dollars per token: USD per million tokens x 1e6.
// That is exact for every published price (0.01875 $/Mtok = 18750 p$/token)
// and leaves room for 1e9-token records without overflow.
inline constexpr int64_t kNoPrice = -1;

// A set of token prices that replaces the standard one for some calls (a
// long-context tier, a service tier). A part it lacks is the standard part
// scaled by the set's input (or output) ratio.
struct TierPrices
{
    int64_t inputPpt = kNoPrice;
    int64_t outputPpt = kNoPrice;
    int64_t cachedInputPpt = kNoPrice;
    int64_t cacheWritePpt = kNoPrice;
    int64_t cacheWrite1hPpt = kNoPrice;

    bool present() const { return inputPpt >= 0 || outputPpt >= 0; }
};

// The OpenAI and Anthropic service tiers besides the standard one (batch is
// its own flag: it has its own prices and is in every log already).
enum class ServiceTier : int { Standard = 0, Priority = 1, Flex = 2 };

struct PriceEntry
{
    std::string provider;
    std::string model;
    std::vector<std::string> aliases;
    int64_t effectiveFromMs = std::numeric_limits<int64_t>::min(); // min = always
    int64_t inputPpt = kNoPrice;
    int64_t outputPpt = kNoPrice;
    int64_t cachedInputPpt = kNoPrice;  // falls back to input when absent
    int64_t cacheWritePpt = kNoPrice;   // falls back to input when absent
    int64_t cacheWrite1hPpt = kNoPrice; // see cacheWrite1hPrice()
    int64_t batchInputPpt = kNoPrice;   // falls back to input when absent
    int64_t batchOutputPpt = kNoPrice;  // falls back to output when absent
    // Long context: once a request's prompt passes the threshold, the whole
    // request is billed at these prices (0: the model has no such tier).
    int64_t longContextThreshold = 0;
    TierPrices longContext;
    TierPrices priority; // absent: priority calls at standard prices
    TierPrices flex;     // absent: flex calls at batch prices (OpenAI's flex = batch rate)
    // Charges that are not tokens, in nano-dollars per tool call.
    int64_t webSearchNusd = kNoPrice;
    int64_t fileSearchNusd = kNoPrice;
    std::string source;

    bool hasEffectiveFrom() const { return effectiveFromMs != std::numeric_limits<int64_t>::min(); }
    // The 1-hour cache-write price: the catalog's, else 2x input for an
    // Anthropic model (Anthropic's published multiplier; `defaulted` says
    // so), else the 5-minute price.
    int64_t cacheWrite1hPrice(bool *defaulted = nullptr) const;
};

int64_t perMtokToPpt(double usdPerMtok);
// What an entry prices beyond its token prices, in one line for lists and
// tables: ">200k 6/22.5 · priority 3.5/14 · flex 1/4 · web search $10/1k ·
// file search $2.5/1k" (input/output USD per Mtok); empty when nothing.
std::string tierSummary(const PriceEntry &e);
double pptToPerMtok(int64_t ppt);

// What a call used, as the cost rule needs it. cached, cacheWrite are parts
// of input; cacheWrite1h is a part of cacheWrite. requests matters for the
// long-context threshold of aggregated records (the prompt per request).
struct Usage
{
    int64_t input = 0, cached = 0, cacheWrite = 0, cacheWrite1h = 0, output = 0;
    int64_t requests = 1;
    int64_t webSearches = 0, fileSearches = 0;
    bool batch = false;
    ServiceTier tier = ServiceTier::Standard;
    int longContext = -1; // -1: by the threshold; 0/1: as the source reported
};

// The price set a call was billed at: a reconciliation line of its own.
enum class PriceLine : int { Standard, Batch, LongContext, Priority, Flex, Count };
const char *priceLineName(PriceLine l);

struct CostParts
{
    int64_t tokensNusd = 0; // every token part at the price set of `line`
    int64_t toolsNusd = 0;  // web and file search calls
    int64_t webSearchNusd = 0;
    int64_t fileSearchNusd = 0;
    PriceLine line = PriceLine::Standard;
    int64_t total() const { return tokensNusd + toolsNusd; }
};

// The cost rule, the one place it is written. Uncached input, cached input,
// 5-minute and 1-hour cache writes are each billed once at their own price;
// reasoning is inside output; the price set follows long context, service
// tier and batch; tool calls are added at their own price. Rounded once.
CostParts costParts(const PriceEntry &e, const Usage &u);
inline int64_t costNusd(const PriceEntry &e, const Usage &u)
{
    return costParts(e, u).total();
}

} // namespace tl
