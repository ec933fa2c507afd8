#pragma once

// A small hand-made workload whose every figure can be worked out on paper:
// two priced models (big, small), one the catalog has no price for, two
// agents in two teams, four days.

#include "baseline.h"

#include <cmath>

namespace simfixture {

using namespace tl::sim;

inline ModelInfo model(const char *name, const char *provider, double inPerM, double outPerM,
                       double quality, double latencyMs)
{
    ModelInfo m;
    m.name = name;
    m.provider = provider;
    m.priced = inPerM > 0;
    m.input = inPerM * 1e-6;
    m.cachedInput = m.input / 10;
    m.cacheWrite = m.input * 1.25;
    m.output = outPerM * 1e-6;
    m.batchInput = m.input / 2;
    m.batchOutput = m.output / 2;
    m.observedQuality = quality;
    m.observedLatencyMs = latencyMs;
    return m;
}

inline double listCost(const ModelInfo &m, double in, double cached, double writes, double out)
{
    return (in - cached - writes) * m.input + cached * m.cachedInput + writes * m.cacheWrite +
           out * m.output;
}

inline BaselineCell cell(int day, uint32_t agent, uint32_t model, double requests, int64_t costNusd)
{
    BaselineCell c;
    c.day = day;
    c.agent = agent;
    c.team = agent; // agent 0 in team 0 (support), agent 1 in team 1 (sales)
    c.feature = 0;
    c.model = model;
    c.requests = requests;
    c.inputTokens = requests * 2000;
    c.cachedInputTokens = requests * 400;
    c.cacheWriteTokens = requests * 100;
    c.outputTokens = requests * 300;
    c.costNusd = costNusd;
    c.tasks = requests / 2;
    c.successTasks = c.tasks * (model == 0 ? 0.96 : 0.9);
    c.valueUsd = c.successTasks * 0.5;
    c.latencyMsSum = requests * (model == 0 ? 2000 : 800);
    c.latencyCount = requests;
    return c;
}

inline Baseline baseline()
{
    Baseline b;
    b.fromDay = 20400;
    b.toDay = 20403; // four days
    b.workspaceId = "fixture";
    b.agents = {"triage", "writer"};
    b.teams = {"support", "sales"};
    b.features = {"chat"};
    b.models = {model("big", "openai", 2.5, 10, 0.96, 2000),
                model("small", "openai", 0.15, 0.6, 0.9, 800),
                model("claude", "anthropic", 3, 15, 0.97, 1500),
                model("homegrown", "self", 0, 0, 0.8, 300)};
    for (int d = 0; d < 4; ++d) {
        // Recorded costs differ from list prices on purpose: the baseline is
        // what was paid, the scenario re-prices only what it moves.
        b.cells.push_back(cell(20400 + d, 0, 0, 1000, 9'000'000'000 + d));
        b.cells.push_back(cell(20400 + d, 0, 1, 3000, 1'234'567'891));
        b.cells.push_back(cell(20400 + d, 1, 0, 500, 4'000'000'007));
        b.cells.push_back(cell(20400 + d, 1, 3, 200, 77'000'000));
    }
    // triage: 0.5 calls/s around the clock; writer: 0.1 calls/s by day only.
    std::array<double, 24> triage{}, writer{};
    triage.fill(0.5);
    for (int h = 8; h < 20; ++h)
        writer[size_t(h)] = 0.1;
    b.agentCallsPerSecond = {triage, writer};
    b.promptRepeatRate = 0.3;
    return b;
}

// Sums of the fixture's cells for one agent (or -1: all) and model.
struct Tokens
{
    double requests = 0, in = 0, cached = 0, writes = 0, out = 0, costUsd = 0;
};
inline Tokens tokens(const Baseline &b, int agent, uint32_t model)
{
    Tokens t;
    for (const auto &c : b.cells)
        if ((agent < 0 || c.agent == uint32_t(agent)) && c.model == model) {
            t.requests += c.requests;
            t.in += c.inputTokens;
            t.cached += c.cachedInputTokens;
            t.writes += c.cacheWriteTokens;
            t.out += c.outputTokens;
            t.costUsd += double(c.costNusd) * 1e-9;
        }
    return t;
}

inline bool near(double a, double b, double tolerance = 1e-9)
{
    return std::abs(a - b) <= tolerance * std::max(1.0, std::max(std::abs(a), std::abs(b)));
}

} // namespace simfixture
