#include "outcome.h"

namespace tl::sim {

std::optional<double> Outcome::roi() const
{
    const double cost = totalUsd();
    if (cost <= 0)
        return std::nullopt;
    return (valueUsd - cost) / cost;
}

} // namespace tl::sim
