#include "cohortcompare.h"

#include "statistics.h"

#include "core/callrecord.h"
#include "core/timeutil.h"
#include "montecarlo.h"
#include "query/filtersql.h"
#include "splitmix.h"
#include "store/workspace.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace tl {

namespace {

using Json = nlohmann::ordered_json;

struct Task
{
    double cost = 0;
    bool outcome = false;
    bool success = false;
};

std::string trim(std::string s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.pop_back();
    size_t i = 0;
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
        ++i;
    return s.substr(i);
}

bool tagMatches(std::string_view tagsJson,
                const std::vector<std::pair<std::string, std::string>> &tags)
{
    if (tags.empty())
        return true;
    if (tagsJson.empty())
        return false;
    const Json t = Json::parse(tagsJson, nullptr, false);
    if (!t.is_object())
        return false;
    for (const auto &[key, value] : tags) {
        const auto it = t.find(key);
        if (it == t.end())
            return false;
        const std::string v = it->is_string() ? it->get<std::string>() : it->dump();
        if (v != value)
            return false;
    }
    return true;
}

std::vector<Task> loadTasks(Workspace &ws, const CallFilter &base, const Cohort &c, ArmResult &arm)
{
    CallFilter f = base;
    for (const auto &[dim, names] : c.include)
        f.include[dim] = names;
    if (c.days) {
        f.fromDay = c.days->first;
        f.toDay = c.days->second;
    }
    const FilterSql where = FilterSql::build(ws, f, FilterSql::Table::Calls);
    Transaction snapshot(ws.db(), Transaction::Read);
    Statement st(ws.db(),
                 "SELECT task_id, COALESCE(reported_nusd, computed_nusd), outcome, requests, " +
                     std::string(c.tags.empty() ? "NULL" : "tags") + " FROM calls" + where.where,
                 Statement::Scan);
    for (size_t i = 0; i < where.binds.size(); ++i)
        st.bind(int(i + 1), where.binds[i]);
    std::unordered_map<int64_t, size_t> index;
    std::vector<Task> tasks;
    while (st.step()) {
        if (!c.tags.empty() && (st.columnIsNull(4) || !tagMatches(st.columnText(4), c.tags)))
            continue;
        arm.calls += st.columnInt(3);
        const int64_t taskId = st.columnInt(0);
        size_t at = tasks.size();
        if (taskId != 0) {
            auto [it, added] = index.try_emplace(taskId, tasks.size());
            at = it->second;
            if (added)
                tasks.emplace_back();
        } else {
            tasks.emplace_back();
        }
        Task &t = tasks[at];
        if (st.columnIsNull(1))
            arm.unpricedCalls += st.columnInt(3);
        else
            t.cost += double(st.columnInt(1)) * 1e-9;
        const int outcome = int(st.columnInt(2));
        if (outcome == int(Outcome::Success))
            t.outcome = t.success = true;
        else if (outcome != int(Outcome::None))
            t.outcome = true;
    }
    return tasks;
}

// Totals of a (resampled) set of tasks.
struct Totals
{
    double cost = 0, outcomeCost = 0;
    double tasks = 0, outcomes = 0, successes = 0;
    std::optional<double> costPerSuccess() const
    {
        return successes > 0 ? std::optional<double>(outcomeCost / successes) : std::nullopt;
    }
    double costPerTask() const { return tasks > 0 ? cost / tasks : 0; }
    void add(const Task &t)
    {
        cost += t.cost;
        tasks += 1;
        if (t.outcome) {
            outcomeCost += t.cost;
            outcomes += 1;
            successes += t.success;
        }
    }
};

Totals totals(const std::vector<Task> &tasks)
{
    Totals s;
    for (const auto &t : tasks)
        s.add(t);
    return s;
}

Totals resample(const std::vector<Task> &tasks, sim::SplitMix64 &rng)
{
    Totals s;
    if (tasks.empty())
        return s;
    for (size_t i = 0; i < tasks.size(); ++i)
        s.add(tasks[size_t(rng.below(tasks.size()))]);
    return s;
}

Interval percentileInterval(std::vector<double> v)
{
    if (v.empty())
        return {};
    std::sort(v.begin(), v.end());
    return {sim::MonteCarlo::percentile(v, 0.025), sim::MonteCarlo::percentile(v, 0.975)};
}

std::string pct(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", std::abs(v) * 100);
    return buf;
}

std::string pValueText(double p)
{
    char buf[32];
    if (p < 0.001)
        return "p < 0.001";
    std::snprintf(buf, sizeof buf, "p = %.2g", p);
    return buf;
}

std::string changeWords(double v) // "38% less" / "12% more"
{
    return pct(v) + (v < 0 ? " less" : " more");
}

std::string verdictOf(const CompareResult &r)
{
    std::string out;
    const bool outcomes = r.a.successRate && r.b.successRate;
    if (r.a.tasks == 0 || r.b.tasks == 0)
        return std::string("Arm ") + (r.a.tasks == 0 ? "A" : "B") +
               " has no calls: nothing to compare.";
    if (outcomes && r.costPerSuccessPct) {
        const double d = *r.costPerSuccessPct;
        const bool real = r.costPerSuccessPctCi.lo > 0 || r.costPerSuccessPctCi.hi < 0;
        if (real)
            out = "B costs " + changeWords(d) + " per successful task (95% CI " +
                  changeWords(r.costPerSuccessPctCi.lo) + " to " +
                  changeWords(r.costPerSuccessPctCi.hi) + ")";
        else
            out = "B's cost per successful task is " + changeWords(d) +
                  ", a difference this sample cannot tell apart from chance (95% CI " +
                  changeWords(r.costPerSuccessPctCi.lo) + " to " +
                  changeWords(r.costPerSuccessPctCi.hi) + ")";
    } else if (r.costPerTaskPct) {
        const double d = *r.costPerTaskPct;
        const bool real = r.costPerTaskPctCi.lo > 0 || r.costPerTaskPctCi.hi < 0;
        out = std::string(outcomes ? ""
                                   : "Without outcomes in both arms only cost per task "
                                     "compares: ") +
              "B costs " + changeWords(d) + " per task" +
              (real ? "" : ", a difference this sample cannot tell apart from chance") +
              " (95% CI " + changeWords(r.costPerTaskPctCi.lo) + " to " +
              changeWords(r.costPerTaskPctCi.hi) + ")";
    }
    if (outcomes && r.pValue) {
        char rates[64];
        std::snprintf(rates, sizeof rates, "success %.0f%% (B) vs %.0f%% (A)",
                      *r.b.successRate * 100, *r.a.successRate * 100);
        out += std::string("; ") + rates +
               (*r.pValue < 0.05 ? ", a real difference (" + pValueText(*r.pValue) + ")"
                                 : ", a difference this sample cannot tell apart from chance (" +
                                       pValueText(*r.pValue) + ")");
    }
    return out + ".";
}

} // namespace

std::optional<Cohort> Cohort::parse(const std::string &text, std::string *error)
{
    Cohort c;
    c.text = text;
    const auto fail = [&](const std::string &why) -> std::optional<Cohort> {
        if (error)
            *error = "'" + text + "': " + why;
        return std::nullopt;
    };
    size_t start = 0;
    while (start <= text.size()) {
        const size_t comma = text.find(',', start);
        const std::string part = trim(
            text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        start = comma == std::string::npos ? text.size() + 1 : comma + 1;
        if (part.empty())
            return fail("expected DIM=VALUE, tag:KEY=VALUE or period:FROM..TO, got an empty part");
        if (part.rfind("period:", 0) == 0) {
            const std::string range = part.substr(7);
            const size_t dots = range.find("..");
            const auto from =
                dots == std::string::npos ? std::nullopt : parseDate(range.substr(0, dots));
            const auto to =
                dots == std::string::npos ? std::nullopt : parseDate(range.substr(dots + 2));
            if (!from || !to || *to < *from)
                return fail("expected period:YYYY-MM-DD..YYYY-MM-DD, from before to");
            c.days = std::pair{*from, *to};
            continue;
        }
        const size_t eq = part.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == part.size())
            return fail("expected DIM=VALUE, tag:KEY=VALUE or period:FROM..TO in '" + part + "'");
        const std::string key = part.substr(0, eq), value = part.substr(eq + 1);
        if (key.rfind("tag:", 0) == 0) {
            if (key.size() == 4)
                return fail("tag: needs a key (tag:KEY=VALUE)");
            c.tags.emplace_back(key.substr(4), value);
            continue;
        }
        const auto dim = dimensionFromName(key);
        if (!dim)
            return fail("unknown dimension '" + key +
                        "' (team, feature, agent, model, provider, user, task, status)");
        c.include[*dim].push_back(value);
    }
    if (c.include.empty() && c.tags.empty() && !c.days)
        return fail("selects every call");
    return c;
}

CompareResult CohortCompare::run(Workspace &ws, const CallFilter &base, const Cohort &ca,
                                 const Cohort &cb, uint64_t seed, int resamples)
{
    CompareResult r;
    r.seed = seed;
    r.resamples = resamples;
    r.a.filter = ca.text;
    r.b.filter = cb.text;
    const std::vector<Task> ta = loadTasks(ws, base, ca, r.a);
    const std::vector<Task> tb = loadTasks(ws, base, cb, r.b);
    for (auto [arm, tasks] : {std::pair{&r.a, &ta}, std::pair{&r.b, &tb}}) {
        const Totals t = totals(*tasks);
        arm->tasks = int64_t(t.tasks);
        arm->tasksWithOutcome = int64_t(t.outcomes);
        arm->successes = int64_t(t.successes);
        arm->costUsd = t.cost;
        arm->costPerTaskUsd = t.costPerTask();
        if (t.outcomes > 0) {
            arm->successRate = t.successes / t.outcomes;
            const auto [lo, hi] = stats::wilson(t.successes, t.outcomes);
            arm->successRateCi = {lo, hi};
        }
        arm->costPerSuccessUsd = t.costPerSuccess();
        arm->taskCostsUsd.reserve(tasks->size());
        for (const auto &task : *tasks)
            arm->taskCostsUsd.push_back(task.cost);
    }
    // The bootstrap: both arms resampled over tasks, the same draws for
    // every figure, so a seed reproduces them all.
    sim::SplitMix64 rng{seed};
    std::vector<double> cpsA, cpsB, cptA, cptB, cpsPct, cptPct;
    for (int i = 0; i < resamples && !ta.empty() && !tb.empty(); ++i) {
        const Totals a = resample(ta, rng), b = resample(tb, rng);
        cptA.push_back(a.costPerTask());
        cptB.push_back(b.costPerTask());
        if (a.costPerTask() > 0)
            cptPct.push_back(b.costPerTask() / a.costPerTask() - 1);
        const auto sa = a.costPerSuccess(), sb = b.costPerSuccess();
        if (sa)
            cpsA.push_back(*sa);
        if (sb)
            cpsB.push_back(*sb);
        if (sa && sb && *sa > 0)
            cpsPct.push_back(*sb / *sa - 1);
    }
    r.a.costPerTaskCi = percentileInterval(cptA);
    r.b.costPerTaskCi = percentileInterval(cptB);
    r.a.costPerSuccessCi = percentileInterval(cpsA);
    r.b.costPerSuccessCi = percentileInterval(cpsB);
    if (r.a.costPerTaskUsd > 0 && !tb.empty()) {
        r.costPerTaskPct = r.b.costPerTaskUsd / r.a.costPerTaskUsd - 1;
        r.costPerTaskPctCi = percentileInterval(cptPct);
    }
    if (r.a.costPerSuccessUsd && r.b.costPerSuccessUsd && *r.a.costPerSuccessUsd > 0) {
        r.costPerSuccessPct = *r.b.costPerSuccessUsd / *r.a.costPerSuccessUsd - 1;
        r.costPerSuccessPctCi = percentileInterval(cpsPct);
        // Two-sided: how often the resampled difference lands on the other
        // side of zero.
        double below = 0, above = 0;
        for (double d : cpsPct)
            (d <= 0 ? below : above) += 1;
        if (!cpsPct.empty())
            r.costPerSuccessPValue =
                std::min(1.0, 2 * std::min(below, above) / double(cpsPct.size()));
    }
    if (r.a.successRate && r.b.successRate) {
        r.successRateDiff = *r.b.successRate - *r.a.successRate;
        const auto [lo, hi] =
            stats::proportionDifference(double(r.a.successes), double(r.a.tasksWithOutcome),
                                        double(r.b.successes), double(r.b.tasksWithOutcome));
        r.successRateDiffCi = {lo, hi};
        r.pValue = stats::twoProportionPValue(double(r.a.successes), double(r.a.tasksWithOutcome),
                                              double(r.b.successes), double(r.b.tasksWithOutcome));
    }
    r.verdict = verdictOf(r);
    return r;
}

nlohmann::ordered_json CohortCompare::toJson(const CompareResult &r)
{
    const auto opt = [](const std::optional<double> &v) { return v ? Json(*v) : Json(nullptr); };
    const auto ci = [](const Interval &i) { return Json::array({i.lo, i.hi}); };
    const auto arm = [&](const ArmResult &a) {
        return Json{{"filter", a.filter},
                    {"calls", a.calls},
                    {"unpriced_calls", a.unpricedCalls},
                    {"tasks", a.tasks},
                    {"tasks_with_outcome", a.tasksWithOutcome},
                    {"successes", a.successes},
                    {"cost_usd", a.costUsd},
                    {"cost_per_task_usd", a.costPerTaskUsd},
                    {"cost_per_task_ci95", ci(a.costPerTaskCi)},
                    {"success_rate", opt(a.successRate)},
                    {"success_rate_ci95", a.successRate ? ci(a.successRateCi) : Json(nullptr)},
                    {"cost_per_success_usd", opt(a.costPerSuccessUsd)},
                    {"cost_per_success_ci95",
                     a.costPerSuccessUsd ? ci(a.costPerSuccessCi) : Json(nullptr)}};
    };
    return Json{{"a", arm(r.a)},
                {"b", arm(r.b)},
                {"difference",
                 Json{{"cost_per_success_pct",
                       opt(r.costPerSuccessPct ? std::optional<double>(*r.costPerSuccessPct * 100)
                                               : std::nullopt)},
                      {"ci95", r.costPerSuccessPct ? Json::array({r.costPerSuccessPctCi.lo * 100,
                                                                  r.costPerSuccessPctCi.hi * 100})
                                                   : Json(nullptr)},
                      {"cost_per_success_p_value", opt(r.costPerSuccessPValue)},
                      {"cost_per_task_pct",
                       opt(r.costPerTaskPct ? std::optional<double>(*r.costPerTaskPct * 100)
                                            : std::nullopt)},
                      {"cost_per_task_ci95",
                       r.costPerTaskPct
                           ? Json::array({r.costPerTaskPctCi.lo * 100, r.costPerTaskPctCi.hi * 100})
                           : Json(nullptr)},
                      {"success_rate_diff", opt(r.successRateDiff)},
                      {"success_rate_diff_ci95",
                       r.successRateDiff ? ci(r.successRateDiffCi) : Json(nullptr)},
                      {"p_value", opt(r.pValue)}}},
                {"bootstrap", Json{{"resamples", r.resamples}, {"seed", r.seed}}},
                {"verdict", r.verdict}};
}

} // namespace tl
