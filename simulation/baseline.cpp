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

Baseline Baseline::restrictedTo(const Scope &scope, std::optional<double> repeatRate) const
{
    // Which indexes the scope keeps, once: names compared per cell were
    // most of the time (the report scopes every agent over a month's cells).
    const auto allowed = [](const std::vector<std::string> &names,
                            const std::vector<std::string> &all) {
        std::vector<char> keep(all.size(), names.empty());
        for (size_t i = 0; i < all.size() && !names.empty(); ++i)
            keep[i] = std::find(names.begin(), names.end(), all[i]) != names.end();
        return keep;
    };
    const std::vector<char> agentKept = allowed(scope.agent, agents),
                            teamKept = allowed(scope.team, teams),
                            featureKept = allowed(scope.feature, features);
    const auto kept = [](const std::vector<char> &keep, uint32_t i) {
        return i < keep.size() && keep[i];
    };
    Baseline out;
    out.fromDay = fromDay;
    out.toDay = toDay;
    out.workspaceId = workspaceId;
    out.agents = agents;
    out.teams = teams;
    out.features = features;
    out.models = models;
    out.promptRepeatRate = repeatRate;
    out.hasInfra = hasInfra;
    out.agentInfraNusd.assign(agentInfraNusd.size(), 0);
    // The scope's agents keep their servers; the rest only an unscoped copy.
    std::vector<bool> inScope(agents.size(), false);
    // The days with data, the whole's and the scope's, counted in the same
    // pass (a pass each per scope was 4% of a 10M-call report).
    const size_t span = toDay >= fromDay ? size_t(toDay - fromDay + 1) : 0;
    std::vector<char> dayOf(span, 0); // 1: the whole has data, 2: the scope too
    for (const auto &c : cells) {
        const int64_t d = int64_t(c.day) - fromDay;
        const bool dayInSpan = d >= 0 && d < int64_t(span);
        if (dayInSpan)
            dayOf[size_t(d)] |= 1;
        if (kept(agentKept, c.agent) && kept(teamKept, c.team) && kept(featureKept, c.feature)) {
            out.cells.push_back(c);
            if (c.agent < inScope.size())
                inScope[c.agent] = true;
            if (dayInSpan)
                dayOf[size_t(d)] |= 2;
        }
    }
    int64_t fullDays = 0, ownDays = 0;
    for (char f : dayOf) {
        fullDays += (f & 1) != 0;
        ownDays += (f & 2) != 0;
    }
    for (size_t a = 0; a < agentInfraNusd.size(); ++a)
        if (scope.isEmpty() || (a < inScope.size() && inScope[a]))
            out.agentInfraNusd[a] = agentInfraNusd[a];
    out.otherInfraNusd = scope.isEmpty() ? otherInfraNusd : 0;
    out.observeModels();
    // Rates are calls per second of the days with data: over fewer days,
    // the same calls arrive faster.
    fullDays = std::max<int64_t>(1, fullDays);
    ownDays = std::max<int64_t>(1, ownDays);
    out.agentCallsPerSecond = agentCallsPerSecond;
    for (size_t a = 0; a < out.agentCallsPerSecond.size(); ++a) {
        const bool keep = kept(agentKept, uint32_t(a));
        for (double &r : out.agentCallsPerSecond[a])
            r = keep ? r * double(fullDays) / double(ownDays) : 0;
    }
    return out;
}

double Baseline::observedInfraMonthlyUsd() const
{
    if (!hasInfra)
        return 0;
    int64_t total = otherInfraNusd;
    for (int64_t v : agentInfraNusd)
        total += v;
    return double(total) * 1e-9 / days() * (365.25 / 12);
}

void Baseline::observeModels()
{
    struct Observed
    {
        double tasks = 0, successes = 0, latency = 0, latencyCount = 0;
    };
    std::vector<Observed> observed(models.size());
    for (const auto &c : cells) {
        if (c.model >= observed.size())
            continue;
        Observed &o = observed[c.model];
        o.tasks += c.tasks;
        o.successes += c.successTasks;
        o.latency += c.latencyMsSum;
        o.latencyCount += c.latencyCount;
    }
    for (size_t i = 0; i < models.size(); ++i) {
        ModelInfo &m = models[i];
        m.observedQuality.reset();
        m.observedLatencyMs.reset();
        if (observed[i].tasks > 0)
            m.observedQuality = observed[i].successes / observed[i].tasks;
        if (observed[i].latencyCount > 0)
            m.observedLatencyMs = observed[i].latency / observed[i].latencyCount;
    }
}

int64_t Baseline::costNusd() const
{
    int64_t sum = 0;
    for (const auto &c : cells)
        sum += c.costNusd;
    return sum;
}

} // namespace tl::sim
