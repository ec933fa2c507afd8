#include "priceentry.h"

#include <cmath>

namespace tl {

int64_t perMtokToPpt(double usdPerMtok)
{
    return int64_t(std::llround(usdPerMtok * 1e6));
}

double pptToPerMtok(int64_t ppt)
{
    return double(ppt) / 1e6;
}

int64_t costNusd(const PriceEntry &e, int64_t input, int64_t cached, int64_t cacheWrite,
                 int64_t output, bool batch)
{
    const int64_t in = e.inputPpt;
    const int64_t out = e.outputPpt;
    int64_t cachedP = e.cachedInputPpt >= 0 ? e.cachedInputPpt : in;
    int64_t writeP = e.cacheWritePpt >= 0 ? e.cacheWritePpt : in;
    int64_t inP = in;
    int64_t outP = out;
    if (batch) {
        inP = e.batchInputPpt >= 0 ? e.batchInputPpt : in;
        outP = e.batchOutputPpt >= 0 ? e.batchOutputPpt : out;
        if (in > 0 && inP != in) {
            cachedP = cachedP * inP / in;
            writeP = writeP * inP / in;
        }
    }
    const int64_t uncached = input - cached - cacheWrite;
    // __int128 because 1e9 tokens x 75e6 p$ is close to int64's range once summed.
    __int128 pico = __int128(uncached) * inP + __int128(cached) * cachedP +
                    __int128(cacheWrite) * writeP + __int128(output) * outP;
    // p$ -> n$, half away from zero.
    __int128 n = (pico >= 0 ? pico + 500 : pico - 500) / 1000;
    return int64_t(n);
}

} // namespace tl
