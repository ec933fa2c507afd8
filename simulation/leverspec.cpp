#include "leverspec.h"

#include <algorithm>
#include <cstdlib>

namespace tl::sim {

namespace {

// The accessor of each fixed lever, by path. Dynamic ones (model_mix[i].…,
// quality.M, prices.by_model.M, prices.by_provider.P) are parsed from the path.
std::optional<double> *optionalField(Levers &l, const std::string &p)
{
    if (p == "response_cache.hit_rate")
        return &l.cacheHitRate;
    if (p == "prompt_cache.cached_input_share")
        return &l.cachedInputShare;
    if (p == "prompt_cache.reads_per_write")
        return &l.cacheReadsPerWrite;
    if (p == "batching.discount")
        return &l.batchDiscount;
    if (p == "infra.monthly_compute_usd")
        return &l.infraMonthlyUsd;
    if (p == "value.per_successful_task_usd")
        return &l.valuePerSuccessUsd;
    return nullptr;
}

double *plainField(Levers &l, const std::string &p)
{
    static const std::pair<const char *, double Levers::*> fields[] = {
        {"response_cache.cost_per_lookup_usd", &Levers::cacheCostPerLookupUsd},
        {"response_cache.monthly_fixed_usd", &Levers::cacheMonthlyFixedUsd},
        {"semantic_cache.hit_rate", &Levers::semanticHitRate},
        {"semantic_cache.cost_per_lookup_usd", &Levers::semanticCostPerLookupUsd},
        {"semantic_cache.wrong_answer_rate", &Levers::semanticWrongRate},
        {"batching.eligible_share", &Levers::batchEligibleShare},
        {"batching.window_s", &Levers::batchWindowS},
        {"infra.spot_share", &Levers::spotShare},
        {"infra.reserved_share", &Levers::reservedShare},
        {"infra.spot_discount", &Levers::spotDiscount},
        {"infra.reserved_discount", &Levers::reservedDiscount},
        {"infra.interruption_rate", &Levers::interruptionRate},
        {"infra.critical_share", &Levers::criticalShare},
        {"infra.redundancy_factor", &Levers::redundancyFactor},
        {"prices.change_pct", &Levers::priceChangePct},
        {"volume.change_pct", &Levers::volumeChangePct},
        {"volume.monthly_growth_pct", &Levers::monthlyGrowthPct},
        {"value.oversight_share", &Levers::oversightShare},
        {"value.cost_per_review_usd", &Levers::costPerReviewUsd},
        {"value.fixed_monthly_usd", &Levers::fixedMonthlyUsd},
        {"value.investment_usd", &Levers::investmentUsd},
    };
    for (const auto &[name, member] : fields)
        if (p == name)
            return &(l.*member);
    return nullptr;
}

// "model_mix[3].share" -> 3 and "share"; -1 when the path is not a move's.
int moveIndex(const std::string &p, std::string *field)
{
    constexpr std::string_view prefix = "model_mix[";
    if (p.rfind(prefix, 0) != 0)
        return -1;
    const size_t close = p.find("].", prefix.size());
    if (close == std::string::npos)
        return -1;
    *field = p.substr(close + 2);
    return std::atoi(p.c_str() + prefix.size());
}

double *dynamicField(Levers &l, const std::string &p)
{
    std::string field;
    const int i = moveIndex(p, &field);
    if (i >= 0 && size_t(i) < l.modelMix.size()) {
        if (field == "share")
            return &l.modelMix[size_t(i)].share;
        if (field == "output_token_ratio")
            return &l.modelMix[size_t(i)].outputTokenRatio;
        return nullptr;
    }
    const auto tail = [&](std::string_view prefix) -> std::optional<std::string> {
        if (p.rfind(prefix, 0) == 0 && p.size() > prefix.size())
            return p.substr(prefix.size());
        return std::nullopt;
    };
    if (auto m = tail("quality."))
        return &l.quality[*m];
    if (auto m = tail("prices.by_model."))
        return &l.priceChangeByModel[*m];
    if (auto m = tail("prices.by_provider."))
        return &l.priceChangeByProvider[*m];
    return nullptr;
}

// A model name without its dated-snapshot suffix, for labels
// ("claude-sonnet-4-5-20250929" -> "claude-sonnet-4-5").
std::string shortModel(const std::string &m)
{
    const auto digits = [&](size_t from, size_t n) {
        for (size_t i = from; i < from + n; ++i)
            if (i >= m.size() || m[i] < '0' || m[i] > '9')
                return false;
        return true;
    };
    if (m.size() > 9 && m[m.size() - 9] == '-' && digits(m.size() - 8, 8))
        return m.substr(0, m.size() - 9);
    if (m.size() > 11 && m[m.size() - 11] == '-' && digits(m.size() - 10, 4) &&
        m[m.size() - 6] == '-' && m[m.size() - 3] == '-')
        return m.substr(0, m.size() - 11);
    return m;
}

LeverSpec spec(std::string path, std::string group, std::string label, std::string unit, double min,
               double max, double lo, double hi, bool nullable = false, bool integer = false)
{
    return LeverSpec{
        std::move(path), std::move(group), std::move(label), std::move(unit), min, max, lo, hi,
        nullable,        integer};
}

} // namespace

namespace {

// "prompt_optimization.input_reduction_pct" -> the field of the entry
// without a scope (the baseline's whole workload); nullptr for other paths.
double PromptOptimization::*optimizationField(const std::string &path)
{
    if (path == "prompt_optimization.input_reduction_pct")
        return &PromptOptimization::inputReductionPct;
    if (path == "prompt_optimization.output_reduction_pct")
        return &PromptOptimization::outputReductionPct;
    if (path == "prompt_optimization.call_reduction_pct")
        return &PromptOptimization::callReductionPct;
    return nullptr;
}

} // namespace

std::optional<double> LeverSpec::get(const Levers &l) const
{
    if (auto field = optimizationField(path)) {
        for (const auto &o : l.promptOptimization)
            if (o.scope.isEmpty())
                return o.*field;
        return 0.0;
    }
    auto &m = const_cast<Levers &>(l);
    if (auto *o = optionalField(m, path))
        return *o;
    if (path == "batching.max_batch")
        return double(l.batchMaxSize);
    if (auto *d = plainField(m, path))
        return *d;
    // Reading a dynamic lever must not insert a map entry.
    std::string field;
    if (moveIndex(path, &field) >= 0) {
        if (auto *d = dynamicField(m, path))
            return *d;
        return std::nullopt;
    }
    for (const auto &[prefix, map] :
         {std::pair{std::string("quality."), &l.quality},
          std::pair{std::string("prices.by_model."), &l.priceChangeByModel},
          std::pair{std::string("prices.by_provider."), &l.priceChangeByProvider}}) {
        if (path.rfind(prefix, 0) == 0) {
            auto it = map->find(path.substr(prefix.size()));
            if (it == map->end())
                return std::nullopt;
            return it->second;
        }
    }
    return std::nullopt;
}

void LeverSpec::set(Levers &l, std::optional<double> v) const
{
    if (auto field = optimizationField(path)) {
        auto it = std::find_if(l.promptOptimization.begin(), l.promptOptimization.end(),
                               [](const PromptOptimization &o) { return o.scope.isEmpty(); });
        if (it == l.promptOptimization.end()) {
            if (v.value_or(0) == 0)
                return;
            it = l.promptOptimization.insert(l.promptOptimization.begin(), PromptOptimization{});
        }
        (*it).*field = v.value_or(0);
        // Back to nothing: no entry, so a neutral scenario stays equal to the default.
        if (it->inputReductionPct == 0 && it->outputReductionPct == 0 && it->callReductionPct == 0)
            l.promptOptimization.erase(it);
        return;
    }
    if (auto *o = optionalField(l, path)) {
        *o = v;
        return;
    }
    if (!v)
        return;
    if (path == "batching.max_batch") {
        l.batchMaxSize = int(*v + 0.5);
        return;
    }
    if (auto *d = plainField(l, path)) {
        *d = *v;
        return;
    }
    if (auto *d = dynamicField(l, path))
        *d = *v;
}

const std::vector<LeverSpec> &LeverRegistry::fixed()
{
    static const std::vector<LeverSpec> levers = {
        spec("response_cache.hit_rate", "Caching", "Response cache hit rate", "share", 0, 1, 0, 0.5,
             true),
        spec("response_cache.cost_per_lookup_usd", "Caching", "Cost per cache lookup", "USD", 0, 1,
             0, 0.0001),
        spec("response_cache.monthly_fixed_usd", "Caching", "Cache fixed cost / month", "USD", 0,
             1e9, 0, 1000),
        spec("semantic_cache.hit_rate", "Caching", "Semantic cache hit rate (all hits)", "share", 0,
             1, 0, 0.5),
        spec("semantic_cache.cost_per_lookup_usd", "Caching", "Embedding lookup per call", "USD", 0,
             1, 0, 0.0002),
        spec("semantic_cache.wrong_answer_rate", "Caching", "Semantic hits that are wrong", "share",
             0, 1, 0, 0.1),
        spec("prompt_optimization.input_reduction_pct", "Prompts", "Input tokens cut", "%", 0, 100,
             0, 40),
        spec("prompt_optimization.output_reduction_pct", "Prompts", "Output tokens cut", "%", 0,
             100, 0, 30),
        spec("prompt_optimization.call_reduction_pct", "Prompts", "Calls avoided (retries)", "%", 0,
             100, 0, 10),
        spec("prompt_cache.cached_input_share", "Caching", "Prompt-cached input share", "share", 0,
             1, 0, 0.8, true),
        spec("prompt_cache.reads_per_write", "Caching", "Cache reads per write", "x", 1, 1e6, 2, 20,
             true),
        spec("batching.eligible_share", "Batching", "Batch-eligible share", "share", 0, 1, 0, 0.5),
        spec("batching.window_s", "Batching", "Batching window", "s", 0, 86400, 0, 60),
        spec("batching.max_batch", "Batching", "Maximum batch size", "calls", 1, 100000, 10, 1000,
             false, true),
        spec("batching.discount", "Batching", "Batch discount", "share", 0, 1, 0.25, 0.5, true),
        spec("infra.monthly_compute_usd", "Infrastructure", "Compute / month", "USD", 0, 1e10, 0,
             10000, true),
        spec("infra.spot_share", "Infrastructure", "Spot share", "share", 0, 1, 0, 0.5),
        spec("infra.reserved_share", "Infrastructure", "Reserved share", "share", 0, 1, 0, 0.5),
        spec("infra.spot_discount", "Infrastructure", "Spot discount", "share", 0, 1, 0.4, 0.8),
        spec("infra.reserved_discount", "Infrastructure", "Reserved discount", "share", 0, 1, 0.2,
             0.5),
        spec("infra.interruption_rate", "Infrastructure", "Spot interruption rework", "share", 0, 1,
             0, 0.2),
        spec("infra.critical_share", "Infrastructure", "Critical agents' share", "share", 0, 1, 0,
             0.5),
        spec("infra.redundancy_factor", "Infrastructure", "Redundancy for critical", "x", 1, 10, 1,
             2),
        spec("prices.change_pct", "Prices and volume", "Price change", "%", -100, 1000, -20, 20),
        spec("volume.change_pct", "Prices and volume", "Volume change", "%", -100, 1000, -20, 20),
        spec("volume.monthly_growth_pct", "Prices and volume", "Monthly growth", "%", -100, 100, 0,
             5),
        spec("value.per_successful_task_usd", "Value and ROI", "Value per successful task", "USD",
             0, 1e9, 0, 10, true),
        spec("value.oversight_share", "Value and ROI", "Tasks reviewed by a human", "share", 0, 1,
             0, 0.2),
        spec("value.cost_per_review_usd", "Value and ROI", "Cost per review", "USD", 0, 1e6, 0, 5),
        spec("value.fixed_monthly_usd", "Value and ROI", "Fixed cost / month", "USD", 0, 1e10, 0,
             1000),
        spec("value.investment_usd", "Value and ROI", "One-time investment", "USD", 0, 1e12, 0,
             10000),
    };
    return levers;
}

std::vector<LeverSpec> LeverRegistry::forScenario(const Levers &l)
{
    std::vector<LeverSpec> out = fixed();
    for (size_t i = 0; i < l.modelMix.size(); ++i) {
        const auto &m = l.modelMix[i];
        const std::string base = "model_mix[" + std::to_string(i) + "].";
        const std::string what = shortModel(m.from) + " → " + shortModel(m.to);
        out.push_back(spec(base + "share", "Model mix", what + " share", "share", 0, 1, 0, 1));
        out.push_back(spec(base + "output_token_ratio", "Model mix", what + " output tokens", "x",
                           0.01, 10, 0.8, 1.2));
    }
    for (const auto &[model, q] : l.quality)
        out.push_back(spec("quality." + model, "Model mix", shortModel(model) + " success rate",
                           "share", 0, 1, std::max(0.0, q - 0.05), std::min(1.0, q + 0.05)));
    for (const auto &[p, v] : l.priceChangeByProvider)
        out.push_back(spec("prices.by_provider." + p, "Prices and volume", p + " price change", "%",
                           -100, 1000, v - 20, v + 20));
    for (const auto &[m, v] : l.priceChangeByModel)
        out.push_back(spec("prices.by_model." + m, "Prices and volume",
                           shortModel(m) + " price change", "%", -100, 1000, v - 20, v + 20));
    return out;
}

std::optional<LeverSpec> LeverRegistry::find(const Levers &l, const std::string &path)
{
    for (auto &s : forScenario(l))
        if (s.path == path)
            return s;
    return std::nullopt;
}

} // namespace tl::sim
