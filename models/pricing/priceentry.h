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

struct PriceEntry
{
    std::string provider;
    std::string model;
    std::vector<std::string> aliases;
    int64_t effectiveFromMs = std::numeric_limits<int64_t>::min(); // min = always
    int64_t inputPpt = kNoPrice;
    int64_t outputPpt = kNoPrice;
    int64_t cachedInputPpt = kNoPrice; // falls back to input when absent
    int64_t cacheWritePpt = kNoPrice;  // falls back to input when absent
    int64_t batchInputPpt = kNoPrice;  // falls back to input when absent
    int64_t batchOutputPpt = kNoPrice; // falls back to output when absent
    std::string source;

    bool hasEffectiveFrom() const { return effectiveFromMs != std::numeric_limits<int64_t>::min(); }
};

int64_t perMtokToPpt(double usdPerMtok);
double pptToPerMtok(int64_t ppt);

// Cost in nano-dollars of one record under `e`, rounded once at the end.
// Uncached input, cached input and cache writes are each billed once at their
// own price; reasoning is inside output. A batch call uses the batch prices,
// and its cache parts are scaled by the same ratio as input.
int64_t costNusd(const PriceEntry &e, int64_t input, int64_t cached, int64_t cacheWrite,
                 int64_t output, bool batch);

} // namespace tl
