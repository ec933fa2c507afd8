#pragma once

#include <cstdint>

namespace tl::sim {

// splitmix64: the one seeded generator of every analysis (Monte Carlo, the
// decision layer's bootstrap), so a seed gives the same figures everywhere.
struct SplitMix64
{
    uint64_t state = 0;
    uint64_t next()
    {
        uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) * 0x1.0p-53; } // [0, 1)
    uint64_t below(uint64_t n) { return next() % n; } // n far below 2^64: no bias to speak of
};

} // namespace tl::sim
