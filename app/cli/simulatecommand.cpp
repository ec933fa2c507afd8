#include "clicontext.h"

#include "jsonfile.h"

#include "baseline/baselinequery.h"
#include "core/timeutil.h"
#include "engine.h"
#include "montecarlo.h"
#include "resultjson.h"
#include "scenariofile.h"
#include "sensitivity.h"

#include <cmath>
#include <cstdio>

namespace tl::cli {

namespace {

std::string usd(double v)
{
    const bool negative = v < 0;
    const auto cents = int64_t(std::llround(std::abs(v) * 100));
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%02lld", static_cast<long long>(cents % 100));
    return std::string(negative ? "-$" : "$") + withThousands(cents / 100) + frac;
}

std::string fixed(double v, int decimals)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

// Up to four decimals, trailing zeros dropped: "-20", "0.6", "0.0001".
std::string shortNumber(double v)
{
    std::string s = fixed(v, 4);
    while (s.find('.') != std::string::npos && (s.back() == '0' || s.back() == '.'))
        s.pop_back();
    return s == "-0" ? "0" : s;
}

std::string percent(const std::optional<double> &v)
{
    return v ? fixed(*v * 100, 1) + "%" : "n/a";
}

std::string renderTable(const sim::Scenario &s, const CallFilter &filter,
                        const sim::SimulationResult &r, const std::vector<sim::TornadoBar> &tornado,
                        const std::optional<sim::MonteCarloResult> &mc)
{
    std::string out = "Scenario \"" + s.name + "\" against its baseline, " +
                      formatDate(*filter.fromDay) + " to " + formatDate(*filter.toDay) + "\n\n";
    out += padTo("", 20, false) + padTo("baseline", 16) + padTo("scenario", 16) +
           padTo("change", 16) + "\n";
    const auto row = [&](const char *label, double b, double sc, bool money) {
        const auto show = [&](double v) { return money ? usd(v) : withThousands(std::llround(v)); };
        std::string change = show(sc - b);
        if (std::abs(b) > 1e-12)
            change += " (" + fixed((sc - b) / std::abs(b) * 100, 1) + "%)";
        out += padTo(label, 20, false) + padTo(show(b), 16) + padTo(show(sc), 16) +
               padTo(change, 24) + "\n";
    };
    row("LLM", r.baseline.llmUsd, r.scenario.llmUsd, true);
    row("Infrastructure", r.baseline.infraUsd, r.scenario.infraUsd, true);
    row("Other", r.baseline.otherUsd(), r.scenario.otherUsd(), true);
    row("Total cost", r.baseline.totalUsd(), r.scenario.totalUsd(), true);
    row("Successful tasks", r.baseline.successfulTasks, r.scenario.successfulTasks, false);
    row("Value", r.baseline.valueUsd, r.scenario.valueUsd, true);
    out += padTo("ROI", 20, false) + padTo(percent(r.baseline.roi()), 16) +
           padTo(percent(r.scenario.roi()), 16) + "\n";
    out += padTo("Mean latency (ms)", 20, false) + padTo(fixed(r.baseline.meanLatencyMs, 0), 16) +
           padTo(fixed(r.scenario.meanLatencyMs, 0), 16) + "\n";
    if (r.scenario.batchedShare > 0)
        out += "Batching: " + fixed(r.scenario.batchedShare * 100, 1) +
               "% of calls batched, wait " + fixed(r.scenario.batchWaitMeanS, 1) + " s mean, " +
               fixed(r.scenario.batchWaitP95S, 1) + " s p95\n";
    out += "\nOver " + std::to_string(r.monthly.size()) + " months: baseline " +
           usd(r.horizonBaselineCostUsd) + ", scenario " + usd(r.horizonScenarioCostUsd) +
           " (ROI " + percent(r.horizonBaselineRoi) + " -> " + percent(r.horizonScenarioRoi) + ")";
    if (s.levers.investmentUsd > 0)
        out += ", payback " + (r.paybackMonth ? "in month " + std::to_string(*r.paybackMonth)
                                              : std::string("not within the horizon"));
    out += "\n\n" + padTo("month", 6, false) + padTo("baseline", 16) + padTo("scenario", 16) +
           padTo("scenario ROI", 14) + "\n";
    for (const auto &m : r.monthly)
        out += padTo(std::to_string(m.month), 6, false) + padTo(usd(m.baseline.totalUsd()), 16) +
               padTo(usd(m.scenario.totalUsd()), 16) + padTo(percent(m.scenario.roi()), 14) + "\n";
    out += "\nSensitivity of the average month's cost\n";
    for (const auto &b : tornado)
        out += padTo(b.label, 30, false) +
               padTo(shortNumber(b.low) + " .. " + shortNumber(b.high) + " " + b.unit, 22) +
               padTo(usd(b.atLow.costUsd), 16) + padTo(usd(b.atHigh.costUsd), 16) + "\n";
    if (mc)
        out += "\nMonte Carlo, " + withThousands(mc->samples) + " samples (seed " +
               std::to_string(mc->seed) + "): monthly cost P10 " + usd(mc->monthlyCostUsd.p10) +
               ", P50 " + usd(mc->monthlyCostUsd.p50) + ", P90 " + usd(mc->monthlyCostUsd.p90) +
               "; ROI P10 " + percent(mc->roi.p10) + ", P50 " + percent(mc->roi.p50) + ", P90 " +
               percent(mc->roi.p90) + "\n";
    for (const auto &w : r.warnings)
        out += "note: " + w + "\n";
    return out;
}

} // namespace

int runSimulate(const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("db"), QStringLiteral("Workspace file."), QStringLiteral("DB")});
    p.addOption({QStringLiteral("scenario"), QStringLiteral("Scenario file (JSON)."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("format"), QStringLiteral("table (default) or json."),
                 QStringLiteral("F"), QStringLiteral("table")});
    p.addOption({QStringLiteral("samples"),
                 QStringLiteral("Monte Carlo samples when the scenario has ranges (default "
                                "10000; 0: none)."),
                 QStringLiteral("N"), QStringLiteral("10000")});
    p.addOption({QStringLiteral("seed"), QStringLiteral("Monte Carlo seed (default 1)."),
                 QStringLiteral("S"), QStringLiteral("1")});
    int code = Ok;
    if (!parseArgs(p, QStringLiteral("simulate"), args, code))
        return code;
    if (!p.isSet(QStringLiteral("db")) || !p.isSet(QStringLiteral("scenario"))) {
        printError(std::string("simulate: --db DB and --scenario FILE are required"));
        return UsageError;
    }
    const std::string format = toStd(p.value(QStringLiteral("format")));
    if (format != "table" && format != "json") {
        printError("simulate: --format expects table or json, not '" + format + "'");
        return UsageError;
    }
    bool okSamples = false, okSeed = false;
    const int samples = p.value(QStringLiteral("samples")).toInt(&okSamples);
    const qulonglong seed = p.value(QStringLiteral("seed")).toULongLong(&okSeed);
    if (!okSamples || samples < 0 || !okSeed) {
        printError(std::string("simulate: --samples and --seed expect whole numbers"));
        return UsageError;
    }
    const sim::ScenarioLoad loaded =
        sim::ScenarioFile::load(toStd(p.value(QStringLiteral("scenario"))));
    if (!loaded.scenario) {
        printError(loaded.error);
        return InputError;
    }
    const sim::Scenario &scenario = *loaded.scenario;
    auto ws = openWorkspace(p, false);
    if (!ws)
        return InputError;
    std::vector<std::string> notes = loaded.warnings;
    const CallFilter filter = BaselineQuery::filterFor(*ws, scenario.baseline, &notes);
    const auto baseline = BaselineQuery::load(*ws, filter);
    const auto errors = sim::ScenarioFile::validate(scenario, *baseline);
    if (!errors.empty()) {
        for (const auto &e : errors)
            printError(toStd(p.value(QStringLiteral("scenario"))) + ": " + e);
        return InputError;
    }
    for (const auto &n : notes)
        std::fprintf(stderr, "tokenledger: note: %s\n", n.c_str());
    if (baseline->cells.empty())
        std::fprintf(stderr, "tokenledger: note: no calls match the scenario's period and "
                             "filter; every figure is zero\n");

    const sim::Engine engine(*baseline);
    const sim::Workload &w = engine.workload();
    if (w.daysWithoutData() > 0) {
        const std::string gap = std::to_string(w.daysWithoutData()) + " of the period's " +
                                std::to_string(int64_t(w.spanDays())) +
                                " days have no calls; monthly figures rest on the " +
                                std::to_string(int64_t(w.days())) + " days with data";
        std::fprintf(stderr, "tokenledger: note: %s\n", gap.c_str());
        notes.push_back(gap);
    }
    const sim::SimulationResult result = engine.run(scenario);
    const auto tornado = sim::Sensitivity::tornado(engine, scenario);
    std::optional<sim::MonteCarloResult> mc;
    if (!scenario.ranges.empty() && samples > 0)
        mc = sim::MonteCarlo::run(engine, scenario, samples, seed);
    if (format == "json") {
        auto doc = sim::ResultJson::build(result, engine.workload(), tornado, mc);
        nlohmann::ordered_json period = {{"from", formatDate(*filter.fromDay)},
                                         {"to", formatDate(*filter.toDay)},
                                         {"days", int64_t(w.spanDays())},
                                         {"days_with_data", int64_t(w.days())},
                                         {"filter", scenario.baseline.filter}};
        doc["period"] = period;
        doc["scenario_name"] = scenario.name;
        doc["notes"] = notes;
        printOut(sim::JsonFile::text(doc, 2) + "\n");
    } else {
        printOut(renderTable(scenario, filter, result, tornado, mc));
    }
    return Ok;
}

} // namespace tl::cli
