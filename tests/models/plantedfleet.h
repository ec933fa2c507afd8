#pragma once

// Fleets whose truth is planted: each agent's models, success rates,
// repeats, batch use, prompt sizes and retries are set here, so a test
// knows exactly which opportunities, verdicts and differences exist — and
// that a fleet with none planted has none. Deterministic: rates are hit
// exactly (a low-discrepancy sequence), not drawn.

#include "core/timeutil.h"

#include <QByteArray>

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace planted {

struct AgentPlan
{
    std::string agent, feature, team = "core";
    // model, share of the agent's calls, success rate on it
    std::vector<std::tuple<std::string, double, double>> models = {{"gpt-4o", 1.0, 0.9}};
    int callsPerDay = 100;
    bool aroundTheClock = false; // else 08:00-19:59 UTC, as people work
    double repeatShare = 0;      // calls that resend the previous prompt minutes later
    double batchShare = 0;
    int inputBefore = 2000, inputNow = 2000; // tokens per call, first and second 30 days
    double retryShare = 0;                   // tasks whose first call fails and is retried
    bool outcomes = true;
    double valuePerSuccess = 1.0;
    int output = 300;
    std::string tag;     // "arm=a"
    double seed = 0;     // another realisation of the same plan (0..1)
    bool jitter = false; // input and output vary call to call (x0.5-1.5)
};

// Fraction part of k times the golden ratio: evenly spread over [0, 1).
inline double spread(int64_t k, double offset = 0)
{
    const double x = double(k) * 0.6180339887498949 + offset;
    return x - std::floor(x);
}

// 60 days from 2026-09-01: the "previous" 30 and the current 30.
inline QByteArray csv(const std::vector<AgentPlan> &plans, int days = 60)
{
    const int64_t firstDay = *tl::parseDate("2026-09-01");
    std::string out = "ts,request_id,provider,model,input_tokens,output_tokens,cached_input_"
                      "tokens,cache_write_tokens,reasoning_tokens,latency_ms,status,agent,task_"
                      "id,feature,user,team,outcome,value_usd,prompt_hash,batch,tags\n";
    int64_t id = 0;
    for (const auto &p : plans) {
        std::vector<int64_t> perModel(p.models.size(), 0);
        int64_t k = 0, lastFresh = 0;
        for (int d = 0; d < days; ++d) {
            for (int c = 0; c < p.callsPerDay; ++c, ++k) {
                const int hours = p.aroundTheClock ? 24 : 12;
                const int firstHour = p.aroundTheClock ? 0 : 8;
                const int64_t ts =
                    (firstDay + d) * tl::kMsPerDay +
                    int64_t(firstHour * 3600000.0 + (c + 0.5) / p.callsPerDay * hours * 3600000.0);
                // Model by share, in an even pattern.
                size_t m = 0;
                double pick = spread(k, 0.3), acc = 0;
                for (size_t i = 0; i < p.models.size(); ++i) {
                    acc += std::get<1>(p.models[i]);
                    if (pick < acc) {
                        m = i;
                        break;
                    }
                }
                const auto &[model, share, success] = p.models[m];
                const bool ok = spread(perModel[m]++, 0.1 + p.seed) < success;
                const double size = p.jitter ? 0.5 + spread(k * 7 + 3, p.seed) : 1.0;
                const int input = int((d < 30 ? p.inputBefore : p.inputNow) * size);
                const bool repeat = k > 0 && spread(k, 0.7) < p.repeatShare;
                if (!repeat)
                    lastFresh = k;
                const std::string hash = "h-" + p.agent + "-" + std::to_string(lastFresh);
                const bool batch = spread(k, 0.5) < p.batchShare;
                const std::string task = p.agent + "-t" + std::to_string(k);
                const auto row = [&](int64_t at, const char *status, int outTokens,
                                     const std::string &outcome, const std::string &value) {
                    out += tl::formatTimestamp(at) + ",r" + std::to_string(++id) + ",openai," +
                           model + "," + std::to_string(input) + "," + std::to_string(outTokens) +
                           ",0,0,0,900," + status + "," + p.agent + "," + task + "," + p.feature +
                           ",u1," + p.team + "," + outcome + "," + value + "," + hash + "," +
                           (batch ? "true" : "false") + "," + p.tag + "\n";
                };
                if (spread(k, 0.9) < p.retryShare)
                    row(ts - 2000, "error", 0, "", "");
                const std::string outcome = !p.outcomes ? "" : ok ? "success" : "failure";
                const std::string value = !p.outcomes ? ""
                                          : ok        ? std::to_string(p.valuePerSuccess)
                                                      : "0";
                row(ts, "ok", int(p.output * size), outcome, value);
            }
        }
    }
    return QByteArray::fromStdString(out);
}

} // namespace planted
