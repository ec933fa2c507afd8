#include "frontier.h"

#include <algorithm>
#include <limits>

namespace tl::sim {

namespace {
constexpr double kDaysPerMonth = 365.25 / 12;

bool inScope(const std::vector<std::string> &names, const std::vector<std::string> &universe,
             uint32_t index)
{
    if (names.empty())
        return true;
    return index < universe.size() &&
           std::find(names.begin(), names.end(), universe[index]) != names.end();
}
} // namespace

FrontierResult Frontier::compute(const Engine &e, const Scenario &s, const Scope &scope, int steps)
{
    const Workload &w = e.workload();
    double in = 0, cached = 0, writes = 0, writes1h = 0, out = 0, tools = 0;
    // The scope's own outcomes per model: successes and tasks.
    std::vector<double> scopeSuccess(w.models().size(), 0), scopeTasks(w.models().size(), 0);
    for (const auto &g : w.groups()) {
        if (!inScope(scope.agent, w.agents(), g.agent) || !inScope(scope.team, w.teams(), g.team) ||
            !inScope(scope.feature, w.features(), g.feature))
            continue;
        in += g.inputTokens;
        cached += g.cachedInputTokens;
        writes += g.cacheWriteTokens;
        writes1h += g.cacheWrite1hTokens;
        out += g.outputTokens;
        tools += g.toolUsd;
        if (g.outcomesLogged && g.model < scopeTasks.size()) {
            scopeSuccess[g.model] += g.successTasks;
            scopeTasks[g.model] += g.tasks;
        }
    }
    const double perMonth = kDaysPerMonth / w.days();
    FrontierResult r;
    for (size_t mi = 0; mi < w.models().size(); ++mi) {
        const ModelInfo &m = w.models()[mi];
        if (!m.priced)
            continue;
        std::optional<double> q;
        auto source = FrontierModel::Source::Scope;
        if (auto it = s.levers.quality.find(m.name); it != s.levers.quality.end()) {
            q = it->second;
            source = FrontierModel::Source::Scenario;
        } else if (scopeTasks[mi] > 0) {
            q = scopeSuccess[mi] / scopeTasks[mi];
        } else if (m.observedQuality) {
            q = m.observedQuality;
            source = FrontierModel::Source::OtherScopes;
        }
        if (!q)
            continue;
        double f = 1 + s.levers.priceChangePct / 100;
        if (auto it = s.levers.priceChangeByProvider.find(m.provider);
            it != s.levers.priceChangeByProvider.end())
            f *= 1 + it->second / 100;
        if (auto it = s.levers.priceChangeByModel.find(m.name);
            it != s.levers.priceChangeByModel.end())
            f *= 1 + it->second / 100;
        const double cost = (m.listCost(in, cached, writes, writes1h, out) * f + tools) * perMonth;
        r.models.push_back({m.name, cost, *q, source});
    }
    if (r.models.empty())
        return r;
    double qMin = 1, qMax = 0;
    for (const auto &m : r.models) {
        qMin = std::min(qMin, m.successRate);
        qMax = std::max(qMax, m.successRate);
    }
    steps = std::max(2, steps);
    for (int i = 0; i < steps; ++i) {
        const double t = qMin + (qMax - qMin) * i / (steps - 1);
        FrontierPoint best;
        best.targetSuccessRate = t;
        best.monthlyCostUsd = std::numeric_limits<double>::infinity();
        for (size_t a = 0; a < r.models.size(); ++a) {
            const auto &A = r.models[a];
            if (A.successRate >= t - 1e-12 && A.monthlyCostUsd < best.monthlyCostUsd) {
                best.monthlyCostUsd = A.monthlyCostUsd;
                best.mix = {{A.model, 1.0}};
            }
            for (size_t b = 0; b < r.models.size(); ++b) {
                const auto &B = r.models[b];
                if (!(A.successRate < t && B.successRate > t))
                    continue;
                const double wB = (t - A.successRate) / (B.successRate - A.successRate);
                const double cost = (1 - wB) * A.monthlyCostUsd + wB * B.monthlyCostUsd;
                if (cost < best.monthlyCostUsd) {
                    best.monthlyCostUsd = cost;
                    best.mix = {{A.model, 1 - wB}, {B.model, wB}};
                }
            }
        }
        for (const auto &[model, share] : best.mix)
            for (const auto &fm : r.models)
                if (fm.model == model && share > 0 &&
                    fm.source == FrontierModel::Source::OtherScopes)
                    best.borrowed = true;
        r.points.push_back(std::move(best));
    }
    return r;
}

} // namespace tl::sim
