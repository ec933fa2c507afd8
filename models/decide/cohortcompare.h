#pragma once

#include "query/summaryquery.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tl {

class Workspace;

// One arm of a comparison: `DIM=VALUE[,DIM=VALUE]`, `tag:KEY=VALUE` or
// `period:YYYY-MM-DD..YYYY-MM-DD`, joined by commas.
struct Cohort
{
    std::string text;
    std::map<Dimension, std::vector<std::string>> include;
    std::vector<std::pair<std::string, std::string>> tags;
    std::optional<std::pair<int64_t, int64_t>> days;
    // nullopt with `error` saying what was expected.
    static std::optional<Cohort> parse(const std::string &text, std::string *error);
};

struct Interval
{
    double lo = 0, hi = 0;
};

struct ArmResult
{
    std::string filter;
    int64_t calls = 0;
    int64_t unpricedCalls = 0; // cost unknown: left out of the cost, never $0
    int64_t tasks = 0;         // task ids; a call without one is a task of its own
    int64_t tasksWithOutcome = 0;
    int64_t successes = 0;
    double costUsd = 0;
    double costPerTaskUsd = 0;
    Interval costPerTaskCi;
    std::optional<double> successRate;
    Interval successRateCi;
    std::optional<double> costPerSuccessUsd; // cost of tasks with an outcome / successes
    Interval costPerSuccessCi;
    std::vector<double> taskCostsUsd; // every task's cost, for the distribution
};

struct CompareResult
{
    ArmResult a, b;
    std::optional<double> costPerSuccessPct; // (B - A) / A
    Interval costPerSuccessPctCi;
    std::optional<double> costPerSuccessPValue;
    std::optional<double> costPerTaskPct;
    Interval costPerTaskPctCi;
    std::optional<double> successRateDiff; // B - A
    Interval successRateDiffCi;
    std::optional<double> pValue; // of the success rates' difference
    std::string verdict;
    uint64_t seed = 1;
    int resamples = 2000;
};

// A/B and before/after on the real calls: per arm the tasks' cost and
// outcomes, intervals by a seeded bootstrap over tasks (and Wilson /
// Newcombe for rates), and a verdict that calls a difference real only when
// its interval excludes none.
class CohortCompare
{
public:
    static CompareResult run(Workspace &ws, const CallFilter &base, const Cohort &a,
                             const Cohort &b, uint64_t seed = 1, int resamples = 2000);
    static nlohmann::ordered_json toJson(const CompareResult &r);
};

} // namespace tl
