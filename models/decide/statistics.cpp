#include "statistics.h"

#include <algorithm>
#include <cmath>

namespace tl::stats {

std::pair<double, double> wilson(double s, double n, double z)
{
    if (n <= 0)
        return {0, 1};
    const double p = s / n;
    const double z2 = z * z;
    const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

std::pair<double, double> proportionDifference(double s1, double n1, double s2, double n2, double z)
{
    const double p1 = n1 > 0 ? s1 / n1 : 0, p2 = n2 > 0 ? s2 / n2 : 0;
    const auto [l1, u1] = wilson(s1, n1, z);
    const auto [l2, u2] = wilson(s2, n2, z);
    const double d = p2 - p1;
    return {d - std::sqrt((p2 - l2) * (p2 - l2) + (u1 - p1) * (u1 - p1)),
            d + std::sqrt((u2 - p2) * (u2 - p2) + (p1 - l1) * (p1 - l1))};
}

double normalCdf(double x)
{
    return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

double twoProportionPValue(double s1, double n1, double s2, double n2)
{
    if (n1 <= 0 || n2 <= 0)
        return 1;
    const double pooled = (s1 + s2) / (n1 + n2);
    const double se = std::sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
    if (se <= 0)
        return 1;
    const double zs = std::abs(s2 / n2 - s1 / n1) / se;
    return std::min(1.0, 2 * (1 - normalCdf(zs)));
}

} // namespace tl::stats
