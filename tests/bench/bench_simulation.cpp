// What-if engine timings on a year x 300 agents x 8 models baseline (~876k
// daily cells), the size issue 5 names. Pure engine: no database, one core.
//   tl_bench_simulation [--days 365 --agents 300 --models 8 --reps 200 --samples 10000]
// The obvious alternative, timed beside it: evaluating straight over the
// daily cells (re-collapsing them on every recompute).
#include "engine.h"
#include "montecarlo.h"
#include "sensitivity.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

using namespace tl::sim;

namespace {

double millis(const std::function<void()> &f)
{
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
        .count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

Baseline makeBaseline(int days, int agents, int models)
{
    Baseline b;
    b.fromDay = 20089; // 2025-01-01
    b.toDay = b.fromDay + days - 1;
    for (int t = 0; t < 12; ++t)
        b.teams.push_back("team-" + std::to_string(t));
    for (int f = 0; f < 20; ++f)
        b.features.push_back("feature-" + std::to_string(f));
    for (int a = 0; a < agents; ++a)
        b.agents.push_back("agent-" + std::to_string(a));
    const double prices[][2] = {{2.5, 10}, {0.15, 0.6}, {3, 15}, {1, 5},
                                {0.4, 1.6}, {2, 8},     {0.1, 0.4}, {1.25, 10}};
    for (int m = 0; m < 40; ++m) {
        ModelInfo info;
        info.name = "model-" + std::to_string(m);
        info.provider = "provider-" + std::to_string(m % 3);
        info.priced = true;
        info.input = prices[m % 8][0] * 1e-6;
        info.output = prices[m % 8][1] * 1e-6;
        info.cachedInput = info.input / 10;
        info.cacheWrite = info.input * 1.25;
        info.batchInput = info.input / 2;
        info.batchOutput = info.output / 2;
        info.observedQuality = 0.85 + 0.01 * (m % 8);
        info.observedLatencyMs = 500 + 100 * (m % 8);
        b.models.push_back(info);
    }
    uint64_t x = 42;
    const auto next = [&] { return (x = x * 6364136223846793005ULL + 1442695040888963407ULL) >> 33; };
    b.cells.reserve(size_t(days) * size_t(agents) * size_t(models));
    for (int d = 0; d < days; ++d)
        for (int a = 0; a < agents; ++a)
            for (int m = 0; m < models; ++m) {
                BaselineCell c;
                c.day = int32_t(b.fromDay + d);
                c.agent = uint32_t(a);
                c.team = uint32_t(a % 12);
                c.feature = uint32_t(a % 20);
                c.model = uint32_t((a + m) % 40);
                c.requests = double(10 + next() % 200);
                c.inputTokens = c.requests * double(500 + next() % 3000);
                c.cachedInputTokens = c.inputTokens * 0.2;
                c.cacheWriteTokens = c.inputTokens * 0.02;
                c.outputTokens = c.requests * double(100 + next() % 600);
                c.costNusd = int64_t(c.inputTokens * 1000 + c.outputTokens * 4000);
                c.tasks = c.requests / 3;
                c.successTasks = c.tasks * 0.9;
                c.valueUsd = c.successTasks * 0.4;
                c.latencyMsSum = c.requests * 900;
                c.latencyCount = c.requests;
                b.cells.push_back(c);
            }
    b.agentCallsPerSecond.resize(size_t(agents));
    for (int a = 0; a < agents; ++a)
        for (int h = 0; h < 24; ++h)
            b.agentCallsPerSecond[size_t(a)][size_t(h)] = 0.01 * (1 + (a + h) % 7);
    b.promptRepeatRate = 0.18;
    return b;
}

Scenario makeScenario()
{
    Scenario s;
    ModelMove m{"model-0", "model-1", 0.6, {}, 0.9};
    m.scope.team = {"team-1", "team-2", "team-3"};
    s.levers.modelMix.push_back(m);
    s.levers.modelMix.push_back({"model-2", "model-6", 0.4, {}, 1.0});
    s.levers.quality = {{"model-1", 0.88}, {"model-0", 0.95}};
    s.levers.cacheHitRate = 0.15;
    s.levers.cacheCostPerLookupUsd = 0.00001;
    s.levers.cachedInputShare = 0.4;
    s.levers.batchEligibleShare = 0.3;
    s.levers.batchWindowS = 10;
    s.levers.infraMonthlyUsd = 20000;
    s.levers.spotShare = 0.3;
    s.levers.priceChangePct = -5;
    s.levers.monthlyGrowthPct = 3;
    s.levers.oversightShare = 0.05;
    s.levers.costPerReviewUsd = 2;
    s.ranges = {{"prices.change_pct", {-20, 20}},
                {"response_cache.hit_rate", {0, 0.6}},
                {"batching.eligible_share", {0, 0.5}},
                {"model_mix[0].share", {0.2, 1.0}}};
    return s;
}

} // namespace

int main(int argc, char **argv)
{
    int days = 365, agents = 300, models = 8, reps = 200, samples = 10000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const int v = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--days"))
            days = v;
        else if (!std::strcmp(argv[i], "--agents"))
            agents = v;
        else if (!std::strcmp(argv[i], "--models"))
            models = v;
        else if (!std::strcmp(argv[i], "--reps"))
            reps = v;
        else if (!std::strcmp(argv[i], "--samples"))
            samples = v;
    }
    const Baseline b = makeBaseline(days, agents, models);
    std::printf("baseline: %zu cells (%d days x %d agents x %d models)\n", b.cells.size(), days,
                agents, models);
    std::unique_ptr<Engine> engine;
    const double prepare = millis([&] { engine = std::make_unique<Engine>(b); });
    std::printf("load (collapse to %zu groups): %.1f ms, once per baseline\n",
                engine->workload().groups().size(), prepare);

    Scenario s = makeScenario();
    double sink = 0;
    std::vector<double> warm, sliding, direct;
    for (int i = 0; i < reps; ++i) {
        // A slider drag: one lever moves a little each step.
        s.levers.priceChangePct = -5 + (i % 10);
        warm.push_back(millis([&] { sink += engine->run(s).scenario.totalUsd(); }));
        // The batching window slider: the per-agent arrival model is recomputed too.
        s.levers.batchWindowS = 5 + (i % 50);
        sliding.push_back(millis([&] { sink += engine->run(s).scenario.totalUsd(); }));
    }
    for (int i = 0; i < std::max(3, reps / 20); ++i)
        direct.push_back(millis([&] { sink += Engine(b).run(s).scenario.totalUsd(); }));
    const double recompute = median(warm), window = median(sliding), naive = median(direct);
    std::printf("full recompute (baseline + scenario + %d-month projection): median %.3f ms "
                "(goal <= 1 ms)\n",
                s.horizonMonths, recompute);
    std::printf("  moving the batching window: median %.3f ms\n", window);
    std::printf("  straight over the daily cells: median %.1f ms -> grouped is %.0fx faster\n",
                naive, naive / recompute);

    std::vector<double> tornado;
    size_t bars = 0;
    for (int i = 0; i < std::max(3, reps / 10); ++i)
        tornado.push_back(millis([&] { bars = Sensitivity::tornado(*engine, s).size(); }));
    std::printf("tornado (%zu levers, low and high each): median %.2f ms (goal <= 20 ms)\n", bars,
                median(tornado));

    MonteCarloResult mc;
    const double monteCarlo = millis([&] { mc = MonteCarlo::run(*engine, s, samples, 1); });
    std::printf("Monte Carlo (%d samples, %zu ranged levers, one core): %.0f ms (goal <= 1000 "
                "ms); monthly cost P10/P50/P90 %.0f / %.0f / %.0f\n",
                mc.samples, s.ranges.size(), monteCarlo, mc.monthlyCostUsd.p10,
                mc.monthlyCostUsd.p50, mc.monthlyCostUsd.p90);
    return sink > 0 ? 0 : 1;
}
