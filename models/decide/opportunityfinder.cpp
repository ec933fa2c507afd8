#include "opportunityfinder.h"

#include "statistics.h"

#include "engine.h"
#include "scenariofile.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace tl {

namespace {

using Json = nlohmann::ordered_json;

constexpr double kDaysPerMonth = 365.25 / 12;

std::string percentText(double share, int decimals = 0)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f%%", decimals, share * 100);
    return buf;
}

double round4(double v)
{
    return std::round(v * 1e4) / 1e4;
}

struct Priced
{
    double saving = 0;  // per month, average over the horizon
    double costNow = 0; // per month
    std::optional<double> successBefore, successAfter;
};

Priced price(const sim::Baseline &b, const sim::Scenario &s)
{
    const sim::Engine engine(b);
    const sim::SimulationResult r = engine.run(s);
    Priced p;
    const double months = double(std::max<size_t>(1, r.monthly.size()));
    p.saving = (r.horizonBaselineCostUsd - r.horizonScenarioCostUsd) / months;
    p.costNow = r.horizonBaselineCostUsd / months;
    if (r.baseline.tasks > 0 && engine.workload().groups().size() > 0) {
        bool logged = false;
        for (const auto &g : engine.workload().groups())
            logged = logged || g.outcomesLogged;
        if (logged) {
            p.successBefore = r.baseline.successfulTasks / r.baseline.tasks;
            p.successAfter = r.scenario.successfulTasks / std::max(1e-12, r.scenario.tasks);
        }
    }
    return p;
}

class Finder
{
public:
    Finder(const DecisionInputs &in, const OpportunityOptions &o)
        : m_in(in)
        , m_o(o)
        , m_daysWithData(std::max<int64_t>(1, in.baseline.daysWithData()))
    {}

    std::vector<Opportunity> run()
    {
        modelSwitches();
        for (const auto &[agent, stats] : m_in.agents) {
            responseCache(agent, stats);
            promptCache(agent, stats);
            batching(agent, stats);
            promptSize(agent, stats);
            retries(agent, stats);
        }
        std::stable_sort(m_out.begin(), m_out.end(),
                         [](const Opportunity &a, const Opportunity &b) {
                             return a.monthlySavingUsd > b.monthlySavingUsd;
                         });
        return std::move(m_out);
    }

private:
    sim::Scenario scenarioFor(const std::string &dimension, const std::string &name,
                              const std::string &title, const std::string &notes) const
    {
        sim::Scenario s;
        s.name = title;
        s.author = "tokenledger opportunities";
        s.notes = notes;
        s.created = m_o.created;
        s.baseline = m_in.spec;
        s.baseline.filter[dimension] = {name};
        s.horizonMonths = m_o.horizonMonths;
        return s;
    }

    // Prices the scenario on its scope's baseline; keeps it when it saves enough.
    void add(Opportunity op, const std::optional<double> &repeatRate = std::nullopt)
    {
        const sim::Baseline b =
            OpportunityFinder::scopeBaseline(m_in, op.dimension, op.name, repeatRate);
        const Priced p = price(b, op.scenario);
        if (p.saving < m_o.minSavingUsd)
            return;
        op.monthlySavingUsd = p.saving;
        op.monthlyCostUsd = p.costNow;
        if (p.successBefore && p.successAfter)
            op.successChange = *p.successAfter - *p.successBefore;
        op.summary += " Saves " + formatDollars(p.saving) + " a month (" +
                      percentText(p.costNow > 0 ? p.saving / p.costNow : 0) + " of " +
                      formatDollars(p.costNow) + ").";
        op.scenario.notes = op.summary;
        m_out.push_back(std::move(op));
    }

    // A cheaper model already used on the same feature, with outcomes enough
    // to say it does the job as well (within the tolerance): its rates come
    // from this feature's calls only.
    void modelSwitches()
    {
        const sim::Baseline &b = m_in.baseline;
        struct Tally
        {
            double tasks = 0, successes = 0, calls = 0, costNusd = 0;
        };
        std::map<uint32_t, std::map<uint32_t, Tally>> byFeature; // feature -> model -> tally
        for (const auto &c : b.cells) {
            Tally &t = byFeature[c.feature][c.model];
            t.tasks += c.tasks;
            t.successes += c.successTasks;
            t.calls += c.requests;
            t.costNusd += double(c.costNusd);
        }
        for (const auto &[feature, models] : byFeature) {
            const std::string &featureName = b.features[feature];
            const sim::Baseline scope =
                OpportunityFinder::scopeBaseline(m_in, "feature", featureName, std::nullopt);
            for (const auto &[from, a] : models) {
                if (a.tasks < m_o.minTasks || a.calls <= 0)
                    continue;
                std::optional<Opportunity> best;
                for (const auto &[to, c] : models) {
                    if (to == from || c.tasks < m_o.minTasks || !b.models[to].priced)
                        continue;
                    const auto [lo, hi] =
                        stats::proportionDifference(a.successes, a.tasks, c.successes, c.tasks);
                    if (lo < -m_o.qualityTolerance)
                        continue; // cannot tell it is as good
                    const std::string &fromName = b.models[from].name, &toName = b.models[to].name;
                    Opportunity op;
                    op.kind = "model_switch";
                    op.dimension = "feature";
                    op.name = featureName;
                    const double qa = a.successes / a.tasks, qc = c.successes / c.tasks;
                    op.summary = "Feature " + featureName + " already uses " + toName + " with " +
                                 percentText(qc, 1) + " success over " +
                                 std::to_string(int64_t(c.tasks)) + " tasks, against " +
                                 percentText(qa, 1) + " over " + std::to_string(int64_t(a.tasks)) +
                                 " on " + fromName + ": move " + fromName + "'s calls there.";
                    op.scenario = scenarioFor(
                        "feature", featureName,
                        "Move " + featureName + " from " + fromName + " to " + toName, "");
                    sim::ModelMove move;
                    move.from = fromName;
                    move.to = toName;
                    move.share = 1;
                    move.scope.feature = {featureName};
                    op.scenario.levers.modelMix.push_back(move);
                    // This feature's own rates, so the scenario says what the
                    // evidence says wherever it is simulated.
                    op.scenario.levers.quality[fromName] = qa;
                    op.scenario.levers.quality[toName] = qc;
                    const auto side = [](const std::string &model, const Tally &t) {
                        return Json{{"model", model},
                                    {"calls", int64_t(t.calls)},
                                    {"tasks", int64_t(t.tasks)},
                                    {"successes", int64_t(t.successes)},
                                    {"success_rate", round4(t.successes / t.tasks)},
                                    {"cost_per_call_usd", t.costNusd * 1e-9 / t.calls}};
                    };
                    op.evidence = Json{{"feature", featureName},
                                       {"from", side(fromName, a)},
                                       {"to", side(toName, c)},
                                       {"success_diff_ci95", {round4(lo), round4(hi)}},
                                       {"tolerance", m_o.qualityTolerance}};
                    const Priced p = price(scope, op.scenario);
                    if (p.saving < m_o.minSavingUsd || (best && p.saving <= best->monthlySavingUsd))
                        continue;
                    op.monthlySavingUsd = p.saving;
                    best = std::move(op);
                }
                if (best)
                    add(std::move(*best));
            }
        }
    }

    void responseCache(const std::string &agent, const AgentCallStats &s)
    {
        const auto rate = s.repeatRate();
        if (!rate || *rate < 0.05 || s.repeats < 50)
            return;
        Opportunity op;
        op.kind = "response_cache";
        op.dimension = "agent";
        op.name = agent;
        op.summary = agent + " sent " + std::to_string(s.repeats) + " of its " +
                     std::to_string(s.hashedCalls) + " hashed prompts (" + percentText(*rate, 1) +
                     ") again within 24 hours: a response cache answers those.";
        op.scenario = scenarioFor("agent", agent, "Cache " + agent + "'s responses", "");
        op.scenario.levers.cacheHitRate = *rate;
        op.evidence = Json{{"hashed_calls", s.hashedCalls},
                           {"repeats", s.repeats},
                           {"repeat_rate", round4(*rate)},
                           {"ttl_hours", 24}};
        add(std::move(op), rate);
    }

    // Where prompts repeat but their input is not read from the provider's
    // cache: the repeated calls' uncached input could be.
    void promptCache(const std::string &agent, const AgentCallStats &s)
    {
        const auto rate = s.repeatRate();
        if (!rate || *rate < 0.05 || s.repeats < 50 || s.inputTokens <= 0)
            return;
        const double cached = double(s.cachedInputTokens) / double(s.inputTokens);
        const double target = cached + *rate * (1 - cached);
        if (target - cached < 0.05)
            return;
        Opportunity op;
        op.kind = "prompt_cache";
        op.dimension = "agent";
        op.name = agent;
        op.summary = agent + " repeats " + percentText(*rate, 1) + " of its prompts but reads " +
                     percentText(cached, 1) +
                     " of its input from the provider's cache; caching "
                     "the repeated prompts brings that to " +
                     percentText(target, 1) +
                     " (a response cache would serve the same repeats: the two do not add up).";
        op.scenario = scenarioFor("agent", agent, "Prompt caching for " + agent, "");
        op.scenario.levers.cachedInputShare = round4(target);
        op.evidence = Json{{"repeat_rate", round4(*rate)},
                           {"cached_input_share", round4(cached)},
                           {"proposed_cached_input_share", round4(target)},
                           {"input_tokens", s.inputTokens}};
        add(std::move(op), rate);
    }

    void batching(const std::string &agent, const AgentCallStats &s)
    {
        if (s.calls <= 0)
            return;
        const double batchShare = double(s.batchCalls) / double(s.calls);
        if (batchShare > 0.95)
            return;
        std::string why;
        for (const auto &[dim, name] : m_o.batchable)
            if ((dim == "agent" && name == agent) || (dim == "feature" && name == s.feature) ||
                (dim == "team" && name == s.team))
                why = "you marked " + dim + " " + name + " as not latency-bound";
        if (why.empty() && batchShare >= 0.2)
            why =
                "it already sends " + percentText(batchShare) + " of its calls through a batch API";
        double flatness = 0;
        if (why.empty()) {
            const int a = agentIndex(agent);
            if (a >= 0 && size_t(a) < m_in.baseline.agentCallsPerSecond.size()) {
                const auto &rates = m_in.baseline.agentCallsPerSecond[size_t(a)];
                const double seconds = double(m_daysWithData) * 3600.0;
                const auto [lo, hi] = std::minmax_element(rates.begin(), rates.end());
                // Calls that follow people have a day and a night; a pipeline
                // runs around the clock. 200 calls an hour keep the Poisson
                // noise of the ratio under 1.4.
                if (*lo * seconds >= 200 && *hi <= 1.5 * *lo) {
                    flatness = *hi / *lo;
                    char buf[96];
                    std::snprintf(buf, sizeof buf,
                                  "its calls arrive around the clock (busiest hour %.2fx the "
                                  "quietest): no one is waiting on them",
                                  flatness);
                    why = buf;
                }
            }
        }
        if (why.empty())
            return;
        Opportunity op;
        op.kind = "batching";
        op.dimension = "agent";
        op.name = agent;
        op.summary = agent + " could use batch prices: " + why + ".";
        op.scenario = scenarioFor("agent", agent, "Batch " + agent + "'s calls", "");
        op.scenario.levers.batchEligibleShare = round4(1 - batchShare);
        op.scenario.levers.batchWindowS = 3600;
        op.scenario.levers.batchMaxSize = 10000;
        op.evidence = Json{{"reason", why},
                           {"batch_share", round4(batchShare)},
                           {"eligible_share", round4(1 - batchShare)},
                           {"window_s", 3600}};
        if (flatness > 0)
            op.evidence["busiest_to_quietest_hour"] = round4(flatness);
        add(std::move(op), s.repeatRate());
    }

    void promptSize(const std::string &agent, const AgentCallStats &s)
    {
        double reduction = 0;
        Json evidence = Json::object();
        std::string why;
        if (s.calls >= 200 && s.previousCalls >= 200 && s.previousInputTokens > 0) {
            const double now = double(s.inputTokens) / double(s.calls);
            const double before = double(s.previousInputTokens) / double(s.previousCalls);
            evidence["input_tokens_per_call"] = std::llround(now);
            evidence["previous_input_tokens_per_call"] = std::llround(before);
            if (now >= 1.25 * before) {
                reduction = 1 - before / now;
                why = "its prompts grew from " + std::to_string(std::llround(before)) + " to " +
                      std::to_string(std::llround(now)) +
                      " input tokens a call against the period before";
            }
        }
        if (const auto median = featureMedian(s.feature); median && s.successCalls >= 50) {
            const double own = double(s.successInputTokens) / double(s.successCalls);
            evidence["input_tokens_per_successful_call"] = std::llround(own);
            evidence["feature_median_per_successful_call"] = std::llround(*median);
            if (own >= 2 * *median && 1 - *median / own > reduction) {
                reduction = 1 - *median / own;
                why = "its successful calls take " + std::to_string(std::llround(own)) +
                      " input tokens, " + percentText(own / *median - 1) + " above the median of " +
                      s.feature + "'s agents (" + std::to_string(std::llround(*median)) + ")";
            }
        }
        if (reduction <= 0)
            return;
        Opportunity op;
        op.kind = "prompt_size";
        op.dimension = "agent";
        op.name = agent;
        op.summary =
            agent + "'s prompts could be " + percentText(reduction) + " shorter: " + why + ".";
        op.scenario = scenarioFor("agent", agent, "Shorter prompts for " + agent, "");
        sim::PromptOptimization o;
        o.scope.agent = {agent};
        o.inputReductionPct = round4(reduction * 100);
        op.scenario.levers.promptOptimization.push_back(o);
        evidence["input_reduction_pct"] = o.inputReductionPct;
        op.evidence = evidence;
        add(std::move(op), s.repeatRate());
    }

    void retries(const std::string &agent, const AgentCallStats &s)
    {
        const int a = agentIndex(agent);
        int64_t costNusd = 0;
        for (const auto &c : m_in.baseline.cells)
            if (int(c.agent) == a)
                costNusd += c.costNusd;
        if (s.retriedFailures < 20 || costNusd <= 0 ||
            double(s.retriedFailureNusd) < 0.01 * double(costNusd))
            return;
        const double share = double(s.retriedFailureNusd) / double(costNusd);
        Opportunity op;
        op.kind = "retries";
        op.dimension = "agent";
        op.name = agent;
        op.summary = agent + " paid " + formatUsd(s.retriedFailureNusd) + " (" +
                     percentText(share, 1) + " of its cost) for " +
                     std::to_string(s.retriedFailures) + " failed calls that were then retried; " +
                     std::to_string(s.tasksOverFiveCalls) + " of its " + std::to_string(s.tasks) +
                     " tasks took more than five calls.";
        op.scenario = scenarioFor("agent", agent, "Fewer failed calls for " + agent, "");
        sim::PromptOptimization o;
        o.scope.agent = {agent};
        // The calls removed carry the failures' share of the cost: failed
        // calls are cheaper than the average (no output).
        o.callReductionPct = round4(share * 100);
        op.scenario.levers.promptOptimization.push_back(o);
        op.evidence = Json{{"retried_failed_calls", s.retriedFailures},
                           {"retried_failed_cost_usd", double(s.retriedFailureNusd) * 1e-9},
                           {"calls", s.calls},
                           {"tasks", s.tasks},
                           {"calls_per_task",
                            s.tasks > 0 ? round4(double(s.callsInTasks) / double(s.tasks)) : 0.0},
                           {"tasks_over_five_calls", s.tasksOverFiveCalls},
                           {"call_reduction_pct", o.callReductionPct}};
        add(std::move(op), s.repeatRate());
    }

    int agentIndex(const std::string &agent) const
    {
        const auto &names = m_in.baseline.agents;
        const auto it = std::find(names.begin(), names.end(), agent);
        return it == names.end() ? -1 : int(it - names.begin());
    }

    // The median input per successful call of a feature's agents (three or
    // more with 50 successes each), else nullopt.
    std::optional<double> featureMedian(const std::string &feature)
    {
        if (auto it = m_medians.find(feature); it != m_medians.end())
            return it->second;
        std::vector<double> sizes;
        for (const auto &[name, s] : m_in.agents)
            if (s.feature == feature && s.successCalls >= 50)
                sizes.push_back(double(s.successInputTokens) / double(s.successCalls));
        std::optional<double> median;
        if (sizes.size() >= 3) {
            std::sort(sizes.begin(), sizes.end());
            const size_t n = sizes.size();
            median = n % 2 ? sizes[n / 2] : (sizes[n / 2 - 1] + sizes[n / 2]) / 2;
        }
        m_medians[feature] = median;
        return median;
    }

    const DecisionInputs &m_in;
    const OpportunityOptions &m_o;
    // Counted once: a pass over the period's cells per agent was 2% of a
    // 10M-call report.
    const int64_t m_daysWithData;
    std::vector<Opportunity> m_out;
    std::map<std::string, std::optional<double>> m_medians;
};

} // namespace

sim::Baseline OpportunityFinder::scopeBaseline(const DecisionInputs &in,
                                               const std::string &dimension,
                                               const std::string &name,
                                               std::optional<double> repeatRate)
{
    sim::Scope scope;
    if (dimension == "agent")
        scope.agent = {name};
    else if (dimension == "feature")
        scope.feature = {name};
    else if (dimension == "team")
        scope.team = {name};
    return in.baseline.restrictedTo(scope, repeatRate);
}

std::vector<Opportunity> OpportunityFinder::find(const DecisionInputs &in,
                                                 const OpportunityOptions &o)
{
    return Finder(in, o).run();
}

nlohmann::ordered_json OpportunityFinder::toJson(const Opportunity &op)
{
    Json j;
    j["kind"] = op.kind;
    j["scope"] = Json{{op.dimension, op.name}};
    j["monthly_saving_usd"] = op.monthlySavingUsd;
    j["monthly_cost_usd"] = op.monthlyCostUsd;
    j["success_change"] = op.successChange ? Json(round4(*op.successChange)) : Json(nullptr);
    j["summary"] = op.summary;
    j["evidence"] = op.evidence;
    j["scenario"] = Json::parse(sim::ScenarioFile::serialize(op.scenario));
    return j;
}

} // namespace tl
