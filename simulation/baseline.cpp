#include "baseline.h"

#include <algorithm>
#include <vector>

namespace tl::sim {

int Baseline::modelIndex(const std::string &name) const
{
    for (size_t i = 0; i < models.size(); ++i)
        if (models[i].name == name)
            return int(i);
    return -1;
}

int64_t Baseline::daysWithData() const
{
    if (toDay < fromDay)
        return 0;
    std::vector<bool> seen(size_t(toDay - fromDay + 1), false);
    int64_t n = 0;
    for (const auto &c : cells) {
        const int64_t i = int64_t(c.day) - fromDay;
        if (i >= 0 && i < int64_t(seen.size()) && !seen[size_t(i)]) {
            seen[size_t(i)] = true;
            ++n;
        }
    }
    return n;
}

double ModelInfo::listCost(double input, double cached, double writes, double writes1h,
                           double output) const
{
    const double uncached = std::max(0.0, input - cached - writes);
    const double oneHour = std::min(writes1h, writes);
    return uncached * this->input + cached * cachedInput + (writes - oneHour) * cacheWrite +
           oneHour * cacheWrite1h + output * this->output;
}

int64_t Baseline::costNusd() const
{
    int64_t sum = 0;
    for (const auto &c : cells)
        sum += c.costNusd;
    return sum;
}

} // namespace tl::sim
