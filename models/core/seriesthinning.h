#pragma once

#include <cstddef>
#include <vector>

namespace tl {

// Which points of a series to draw when it has more points than the plot has
// pixels: the series is cut into `buckets` runs and each run keeps its first
// point, its minimum and its maximum (in x order), plus the very last point.
// A spike survives thinning (a plain stride would drop it), and a chart of
// 1M points costs what a chart of ~2× its width costs.
// Returns ascending indexes into `y`; all of them when y.size() ≤ 3 × buckets.
std::vector<size_t> thinIndexes(const std::vector<double> &y, size_t buckets);

} // namespace tl
