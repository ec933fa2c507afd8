#pragma once

#include <utility>

namespace tl::stats {

// Wilson score interval of a proportion (95% with z = 1.96).
std::pair<double, double> wilson(double successes, double n, double z = 1.96);

// Newcombe's hybrid score interval of p2 - p1 (method 10): sound at small
// samples and near 0 or 1, where the normal approximation is not.
std::pair<double, double> proportionDifference(double s1, double n1, double s2, double n2,
                                               double z = 1.96);

// Two-sided p-value of a two-proportion z-test (pooled); 1 when either
// sample is empty or the pooled rate is 0 or 1.
double twoProportionPValue(double s1, double n1, double s2, double n2);

// The standard normal distribution function.
double normalCdf(double x);

} // namespace tl::stats
