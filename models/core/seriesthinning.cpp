#include "seriesthinning.h"

#include <algorithm>

namespace tl {

std::vector<size_t> thinIndexes(const std::vector<double> &y, size_t buckets)
{
    std::vector<size_t> out;
    const size_t n = y.size();
    if (buckets == 0 || n <= 3 * buckets) {
        out.resize(n);
        for (size_t i = 0; i < n; ++i)
            out[i] = i;
        return out;
    }
    out.reserve(3 * buckets + 1);
    for (size_t b = 0; b < buckets; ++b) {
        const size_t lo = b * n / buckets, hi = (b + 1) * n / buckets;
        if (lo >= hi)
            continue;
        size_t mn = lo, mx = lo;
        for (size_t i = lo + 1; i < hi; ++i) {
            if (y[i] < y[mn])
                mn = i;
            if (y[i] > y[mx])
                mx = i;
        }
        size_t keep[3] = {lo, std::min(mn, mx), std::max(mn, mx)};
        for (size_t k : keep)
            if (out.empty() || out.back() < k)
                out.push_back(k);
    }
    if (out.back() != n - 1)
        out.push_back(n - 1);
    return out;
}

} // namespace tl
