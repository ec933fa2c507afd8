#include "baseline.h"

namespace tl::sim {

int Baseline::modelIndex(const std::string &name) const
{
    for (size_t i = 0; i < models.size(); ++i)
        if (models[i].name == name)
            return int(i);
    return -1;
}

int64_t Baseline::costNusd() const
{
    int64_t sum = 0;
    for (const auto &c : cells)
        sum += c.costNusd;
    return sum;
}

} // namespace tl::sim
