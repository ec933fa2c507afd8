#include "engine.h"

#include <algorithm>
#include <cmath>

namespace tl::sim {

namespace {

constexpr double kDaysPerMonth = 365.25 / 12;

// List cost of tokens at a model's standard prices (USD).

// Which agents / teams / features a move's scope lets through.
std::vector<char> allowed(const std::vector<std::string> &names,
                          const std::vector<std::string> &universe)
{
    std::vector<char> ok(universe.size(), names.empty() ? 1 : 0);
    for (const auto &n : names)
        for (size_t i = 0; i < universe.size(); ++i)
            if (universe[i] == n)
                ok[i] = 1;
    return ok;
}

struct ResolvedOptimization
{
    double input = 1, output = 1, calls = 1; // factors
    std::vector<char> agents, teams, features;
};

struct ResolvedMove
{
    int from = -1;
    int to = -1;
    double share = 0;
    double outputRatio = 1;
    std::vector<char> agents, teams, features;
};

// The group with fewer tokens and calls. Its recorded cost follows the list
// price of the tokens removed (so a negotiated discount in the recorded cost
// stays); a model without a price keeps its cost per call (its split between
// input and output is unknown). Tasks, successes and value stay.
const WorkloadGroup &optimize(const WorkloadGroup &g, const std::vector<ResolvedOptimization> &opts,
                              const std::vector<ModelInfo> &models, WorkloadGroup &out)
{
    double fi = 1, fo = 1, fc = 1;
    for (const auto &o : opts)
        if (o.agents[g.agent] && o.teams[g.team] && o.features[g.feature]) {
            fi *= o.input;
            fo *= o.output;
            fc *= o.calls;
        }
    if (fi == 1 && fo == 1 && fc == 1)
        return g;
    out = g;
    const ModelInfo &m = models[g.model];
    const double list = m.priced
                            ? m.listCost(g.inputTokens, g.cachedInputTokens, g.cacheWriteTokens,
                                         g.cacheWrite1hTokens, g.outputTokens)
                            : 0;
    const double fewer =
        list > 0 ? m.listCost(g.inputTokens * fi, g.cachedInputTokens * fi, g.cacheWriteTokens * fi,
                              g.cacheWrite1hTokens * fi, g.outputTokens * fo) /
                       list
                 : 1;
    out.costUsd = fc * ((g.costUsd - g.toolUsd) * fewer + g.toolUsd);
    out.toolUsd = fc * g.toolUsd;
    out.inputTokens = g.inputTokens * fi * fc;
    out.cachedInputTokens = g.cachedInputTokens * fi * fc;
    out.cacheWriteTokens = g.cacheWriteTokens * fi * fc;
    out.cacheWrite1hTokens = g.cacheWrite1hTokens * fi * fc;
    out.outputTokens = g.outputTokens * fo * fc;
    out.requests = g.requests * fc;
    out.latencyMsSum = g.latencyMsSum * fc;
    out.latencyCount = g.latencyCount * fc;
    return out;
}

} // namespace

struct Engine::Side
{
    // Over the baseline period, before the volume change.
    double llm = 0;
    std::vector<double> llmByModel;
    double lookups = 0;
    double oversight = 0;
    double requests = 0;
    double tasks = 0;
    double successes = 0;
    double value = 0;
    double latencyMsWeighted = 0; // Σ calls x mean latency
    double latencyCalls = 0;
    double batchedCalls = 0;
    double batchWaitSum = 0; // Σ batched calls x mean wait (s)
    double batchingSavings = 0;
    double cacheSavings = 0;
    double p95 = 0;
    // Per month.
    double infra = 0;
    double cacheFixed = 0;
    double fixed = 0;
    bool sharesCapped = false;
};

Engine::Engine(const Baseline &baseline)
    : m_workload(baseline)
{}

Levers Engine::baselineLevers(const Levers &s)
{
    Levers b;
    b.quality = s.quality;
    b.infraMonthlyUsd = s.infraMonthlyUsd;
    b.valuePerSuccessUsd = s.valuePerSuccessUsd;
    return b;
}

std::vector<BatchingModel::AgentEffect> Engine::batchingEffects(double windowS, int maxBatch) const
{
    std::lock_guard lock(m_cacheMutex);
    if (windowS != m_cachedWindow || maxBatch != m_cachedMaxBatch) {
        const auto &rates = m_workload.agentCallsPerSecond();
        m_cachedEffects.assign(m_workload.agents().size(), {});
        for (size_t a = 0; a < rates.size() && a < m_cachedEffects.size(); ++a)
            m_cachedEffects[a] = BatchingModel::agentEffect(rates[a], windowS, maxBatch);
        m_cachedWindow = windowS;
        m_cachedMaxBatch = maxBatch;
    }
    return m_cachedEffects;
}

Engine::Side Engine::computeSide(const Levers &l, EvaluateOptions options) const
{
    const Workload &w = m_workload;
    const auto &models = w.models();
    const size_t nModels = models.size();
    Side side;
    side.llmByModel.assign(nModels, 0);

    std::vector<double> priceFactor(nModels, 1.0), discount(nModels, 0.0), latency(nModels, -1);
    std::vector<std::optional<double>> quality(nModels);
    for (size_t m = 0; m < nModels; ++m) {
        const ModelInfo &info = models[m];
        double f = 1 + l.priceChangePct / 100;
        if (auto it = l.priceChangeByProvider.find(info.provider);
            it != l.priceChangeByProvider.end())
            f *= 1 + it->second / 100;
        if (auto it = l.priceChangeByModel.find(info.name); it != l.priceChangeByModel.end())
            f *= 1 + it->second / 100;
        priceFactor[m] = f;
        if (l.batchDiscount)
            discount[m] = *l.batchDiscount;
        else if (info.priced && info.input > 0)
            discount[m] = std::clamp(1 - info.batchInput / info.input, 0.0, 1.0);
        quality[m] = info.observedQuality;
        if (auto it = l.quality.find(info.name); it != l.quality.end())
            quality[m] = it->second;
        if (info.observedLatencyMs)
            latency[m] = *info.observedLatencyMs;
    }

    std::vector<ResolvedMove> moves;
    for (const auto &m : l.modelMix) {
        ResolvedMove r;
        r.from = w.modelIndex(m.from);
        r.to = w.modelIndex(m.to);
        if (r.from < 0 || r.to < 0 || m.share <= 0)
            continue; // ScenarioFile::validate refuses unknown models before this
        r.share = m.share;
        r.outputRatio = m.outputTokenRatio;
        r.agents = allowed(m.scope.agent, w.agents());
        r.teams = allowed(m.scope.team, w.teams());
        r.features = allowed(m.scope.feature, w.features());
        moves.push_back(std::move(r));
    }
    const int escalateTo = l.escalationEnabled ? w.modelIndex(l.escalationTo) : -1;
    std::vector<ResolvedOptimization> optimizations;
    for (const auto &o : l.promptOptimization) {
        ResolvedOptimization r;
        r.input = 1 - o.inputReductionPct / 100;
        r.output = 1 - o.outputReductionPct / 100;
        r.calls = 1 - o.callReductionPct / 100;
        r.agents = allowed(o.scope.agent, w.agents());
        r.teams = allowed(o.scope.team, w.teams());
        r.features = allowed(o.scope.feature, w.features());
        optimizations.push_back(std::move(r));
    }

    const double hit =
        std::clamp(l.cacheHitRate.value_or(w.promptRepeatRate().value_or(0)), 0.0, 1.0);
    // The semantic cache answers what the exact one misses, up to its own
    // total hit rate: `semantic` of the exact misses.
    const double semanticTotal = std::clamp(l.semanticHitRate, 0.0, 1.0);
    const double semantic =
        semanticTotal > hit && hit < 1 ? (semanticTotal - hit) / (1 - hit) : 0.0;
    const double missed = (1 - hit) * (1 - semantic); // calls that still reach a model
    const double readsPerWrite =
        std::max(1.0, l.cacheReadsPerWrite.value_or(w.observedReadsPerWrite()));
    const double eligible = l.batchEligibleShare;
    std::vector<BatchingModel::AgentEffect> effects;
    if (eligible > 0)
        effects = batchingEffects(l.batchWindowS, l.batchMaxSize);

    // A part of a group's calls, now served by model m: its LLM cost at list
    // (or recorded) price before caching and batching.
    const auto promptDelta = [&](int m, double input, double cached) {
        const ModelInfo &info = models[size_t(m)];
        if (!l.cachedInputShare || !info.priced)
            return 0.0;
        const double delta = *l.cachedInputShare * input - cached;
        return priceFactor[size_t(m)] *
               (delta * (info.cachedInput - info.input) +
                std::max(0.0, delta) / readsPerWrite * (info.cacheWrite - info.input));
    };

    std::vector<double> agentEligibleCalls;
    if (eligible > 0 && options.latencyPercentile)
        agentEligibleCalls.assign(w.agents().size(), 0);

    for (const WorkloadGroup &original : w.groups()) {
        WorkloadGroup optimized;
        const WorkloadGroup &g =
            optimizations.empty() ? original : optimize(original, optimizations, models, optimized);
        const double batched =
            eligible > 0 && g.agent < effects.size() ? eligible * effects[g.agent].batchedShare : 0;
        const double wait =
            eligible > 0 && g.agent < effects.size() ? effects[g.agent].meanWaitS : 0;
        const double groupLatency =
            g.latencyCount > 0 ? g.latencyMsSum / g.latencyCount : std::max(0.0, latency[g.model]);
        const auto addPart = [&](int m, double cost, double calls, double latencyMs) {
            const double batchFactor = 1 - batched * discount[size_t(m)];
            const double llm = cost * batchFactor * missed;
            side.llmByModel[size_t(m)] += llm;
            side.llm += llm;
            side.batchingSavings += cost * (1 - batchFactor) * missed;
            side.cacheSavings += cost * batchFactor * (1 - missed);
            const double made = calls * missed;
            side.requests += made;
            side.batchedCalls += made * batched;
            side.batchWaitSum += made * batched * wait;
            side.latencyCalls += calls;
            // Hits answer from the cache (counted as 0 ms); batched calls wait.
            side.latencyMsWeighted += made * (latencyMs + batched * wait * 1000);
        };

        double moved = 0;
        double successes = 0;
        const double groupQuality = g.tasks > 0 ? g.successTasks / g.tasks : 0;
        for (const auto &mv : moves) {
            if (mv.from != int(g.model) || !mv.agents[g.agent] || !mv.teams[g.team] ||
                !mv.features[g.feature])
                continue;
            double share = mv.share;
            if (moved + share > 1) {
                share = std::max(0.0, 1 - moved);
                side.sharesCapped = true;
            }
            if (share <= 0)
                continue;
            moved += share;
            const ModelInfo &to = models[size_t(mv.to)];
            const double in = share * g.inputTokens, cached = share * g.cachedInputTokens,
                         writes = share * g.cacheWriteTokens, out = share * g.outputTokens,
                         writes1h = share * g.cacheWrite1hTokens;
            const double toLatency =
                latency[size_t(mv.to)] >= 0 ? latency[size_t(mv.to)] : groupLatency;
            // Search tool calls move with the call at their recorded charge:
            // the searches are the task's, whatever model asks for them.
            addPart(mv.to,
                    to.listCost(in, cached, writes, writes1h, out * mv.outputRatio) *
                            priceFactor[size_t(mv.to)] +
                        promptDelta(mv.to, in, cached) + share * g.toolUsd,
                    share * g.requests, toLatency);
            // Success of the moved share, relative to the model it left.
            const auto qFrom = quality[g.model];
            double qTo = quality[size_t(mv.to)].value_or(qFrom.value_or(groupQuality));
            if (escalateTo >= 0 && escalateTo != mv.to) {
                const double failed = 1 - qTo;
                const ModelInfo &strong = models[size_t(escalateTo)];
                const double qStrong = quality[size_t(escalateTo)].value_or(1.0);
                addPart(escalateTo,
                        failed * (strong.listCost(in, cached, writes, writes1h, out) *
                                      priceFactor[size_t(escalateTo)] +
                                  promptDelta(escalateTo, in, cached)),
                        failed * share * g.requests,
                        latency[size_t(escalateTo)] >= 0 ? latency[size_t(escalateTo)]
                                                         : groupLatency);
                qTo = qTo + failed * qStrong;
            }
            if (qFrom && *qFrom > 0 && g.successTasks > 0)
                successes += share * g.successTasks * qTo / *qFrom;
            else
                successes += share * g.tasks * qTo;
        }
        const double stay = 1 - moved;
        if (stay > 0)
            addPart(int(g.model),
                    stay * g.costUsd * priceFactor[g.model] +
                        promptDelta(int(g.model), stay * g.inputTokens, stay * g.cachedInputTokens),
                    stay * g.requests, groupLatency);
        successes += stay * g.successTasks;
        if (!agentEligibleCalls.empty())
            agentEligibleCalls[g.agent] += g.requests * missed * eligible;

        const double valuePerSuccess =
            l.valuePerSuccessUsd
                ? *l.valuePerSuccessUsd
                : (g.successTasks > 0 ? g.valueUsd / g.successTasks : w.valuePerSuccessUsd());
        // A wrong semantic hit loses its task.
        successes *= 1 - (1 - hit) * semantic * std::clamp(l.semanticWrongRate, 0.0, 1.0);
        side.successes += successes;
        side.tasks += g.tasks;
        side.value += successes * valuePerSuccess;
        side.lookups +=
            g.requests * (l.cacheCostPerLookupUsd +
                          (semanticTotal > 0 ? (1 - hit) * l.semanticCostPerLookupUsd : 0.0));
        side.oversight += l.oversightShare * g.tasks * l.costPerReviewUsd;
    }
    if (!agentEligibleCalls.empty())
        side.p95 = BatchingModel::p95WaitS(w.agentCallsPerSecond(), agentEligibleCalls,
                                           l.batchWindowS, l.batchMaxSize);

    const double onDemand = std::max(0.0, 1 - l.spotShare - l.reservedShare);
    side.infra = l.infraMonthlyUsd.value_or(w.observedInfraMonthlyUsd()) *
                 (onDemand + l.spotShare * (1 - l.spotDiscount) * (1 + l.interruptionRate) +
                  l.reservedShare * (1 - l.reservedDiscount)) *
                 (1 + l.criticalShare * (l.redundancyFactor - 1));
    side.cacheFixed = l.cacheMonthlyFixedUsd;
    side.fixed = l.fixedMonthlyUsd;
    return side;
}

Outcome Engine::compose(const Side &s, double k, double months)
{
    Outcome o;
    o.llmUsd = s.llm * k;
    o.llmByModelUsd = s.llmByModel;
    for (double &v : o.llmByModelUsd)
        v *= k;
    o.cacheUsd = s.lookups * k + s.cacheFixed * months;
    o.infraUsd = s.infra * months;
    o.oversightUsd = s.oversight * k;
    o.fixedUsd = s.fixed * months;
    o.batchingSavingsUsd = s.batchingSavings * k;
    o.cacheSavingsUsd = s.cacheSavings * k;
    o.requests = s.requests * k;
    o.tasks = s.tasks * k;
    o.successfulTasks = s.successes * k;
    o.valueUsd = s.value * k;
    o.meanLatencyMs = s.latencyCalls > 0 ? s.latencyMsWeighted / s.latencyCalls : 0;
    o.batchedShare = s.requests > 0 ? s.batchedCalls / s.requests : 0;
    o.batchWaitMeanS = s.batchedCalls > 0 ? s.batchWaitSum / s.batchedCalls : 0;
    o.batchWaitP95S = s.p95;
    return o;
}

Outcome Engine::evaluate(const Levers &l, double volumeScale, double months,
                         EvaluateOptions options) const
{
    return compose(computeSide(l, options), volumeScale, months);
}

SimulationResult Engine::run(const Scenario &s) const
{
    SimulationResult r;
    const Levers &l = s.levers;
    const Side base = computeSide(baselineLevers(l), {});
    const Side scen = computeSide(l, {});
    const double days = m_workload.days();
    const double periodMonths = days / kDaysPerMonth;
    const double volume = std::max(0.0, 1 + l.volumeChangePct / 100);
    const double growth = 1 + l.monthlyGrowthPct / 100;
    r.baseline = compose(base, 1, periodMonths);
    r.scenario = compose(scen, volume, periodMonths);

    double cumulativeGain = 0;
    for (int m = 1; m <= s.horizonMonths; ++m) {
        MonthPoint p;
        p.month = m;
        // Growth is a forecast, not a decision: both sides grow, so the
        // comparison (and the payback) shows only what the scenario changes.
        const double grown = std::pow(growth, m - 1);
        p.baseline = compose(base, grown / periodMonths, 1);
        p.scenario = compose(scen, volume * grown / periodMonths, 1);
        r.horizonBaselineCostUsd += p.baseline.totalUsd();
        r.horizonScenarioCostUsd += p.scenario.totalUsd();
        r.horizonBaselineValueUsd += p.baseline.valueUsd;
        r.horizonScenarioValueUsd += p.scenario.valueUsd;
        cumulativeGain += (p.scenario.valueUsd - p.scenario.totalUsd()) -
                          (p.baseline.valueUsd - p.baseline.totalUsd());
        if (!r.paybackMonth && cumulativeGain >= l.investmentUsd && cumulativeGain > 0)
            r.paybackMonth = m;
        r.monthly.push_back(std::move(p));
    }
    r.horizonScenarioCostUsd += l.investmentUsd;
    const auto roi = [](double value, double cost) -> std::optional<double> {
        if (cost <= 0)
            return std::nullopt;
        return (value - cost) / cost;
    };
    r.horizonBaselineRoi = roi(r.horizonBaselineValueUsd, r.horizonBaselineCostUsd);
    r.horizonScenarioRoi = roi(r.horizonScenarioValueUsd, r.horizonScenarioCostUsd);

    if (scen.sharesCapped)
        r.warnings.push_back("model_mix moves more than all of a model's calls somewhere; the "
                             "later moves were cut to what was left");
    if (l.semanticHitRate > 0 &&
        l.semanticHitRate <=
            std::clamp(l.cacheHitRate.value_or(m_workload.promptRepeatRate().value_or(0)), 0.0,
                       1.0))
        r.warnings.push_back("the semantic cache's hit rate is not above the exact cache's: it "
                             "answers nothing the response cache does not, and its lookups cost");
    if (!l.cacheHitRate)
        r.warnings.push_back(
            m_workload.promptRepeatRate()
                ? "response-cache hit rate taken from the logs' prompt repeat rate"
                : "response-cache hit rate is \"from the logs\" but no call logged a "
                  "prompt_hash; 0 used");
    return r;
}

} // namespace tl::sim
