#include "clicontext.h"

#include "jsonfile.h"

#include "decide/cohortcompare.h"

#include <cmath>
#include <cstdio>

namespace tl::cli {

namespace {

std::string rate(const std::optional<double> &v, const Interval &ci)
{
    if (!v)
        return "n/a";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f%% (%.1f-%.1f)", *v * 100, ci.lo * 100, ci.hi * 100);
    return buf;
}

// Per-task figures are cents and fractions of cents: four decimals.
std::string money(double v, const Interval &ci)
{
    const auto usd = [](double x) { return formatUsd(std::llround(x * 1e9), 4); };
    return usd(v) + " (" + usd(ci.lo) + "-" + usd(ci.hi) + ")";
}

} // namespace

int runCompare(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "A/B and before/after on the real calls: each arm's cost per task, success rate and cost "
        "per successful task with 95% intervals (a seeded bootstrap over tasks), and whether the "
        "difference is real."));
    p.addOption({QStringLiteral("db"), QStringLiteral("Workspace file."), QStringLiteral("DB")});
    p.addOption({QStringLiteral("a"),
                 QStringLiteral("Arm A: DIM=VALUE[,DIM=VALUE], tag:KEY=VALUE or "
                                "period:YYYY-MM-DD..YYYY-MM-DD, joined by commas."),
                 QStringLiteral("FILTER")});
    p.addOption({QStringLiteral("b"), QStringLiteral("Arm B, as --a."), QStringLiteral("FILTER")});
    addFilterOptions(p);
    p.addOption({QStringLiteral("seed"), QStringLiteral("Bootstrap seed (default 1)."),
                 QStringLiteral("S"), QStringLiteral("1")});
    p.addOption({QStringLiteral("resamples"), QStringLiteral("Bootstrap resamples (default 2000)."),
                 QStringLiteral("N"), QStringLiteral("2000")});
    p.addOption({QStringLiteral("format"), QStringLiteral("table (default) or json."),
                 QStringLiteral("F"), QStringLiteral("table")});
    int code = Ok;
    if (!parseArgs(p, QStringLiteral("compare"), args, code))
        return code;
    if (!p.isSet(QStringLiteral("db")) || !p.isSet(QStringLiteral("a")) ||
        !p.isSet(QStringLiteral("b"))) {
        printError(std::string("compare: --db DB, --a FILTER and --b FILTER are required"));
        return UsageError;
    }
    const std::string format = toStd(p.value(QStringLiteral("format")));
    if (format != "table" && format != "json") {
        printError("compare: --format expects table or json, not '" + format + "'");
        return UsageError;
    }
    bool okSeed = false, okResamples = false;
    const qulonglong seed = p.value(QStringLiteral("seed")).toULongLong(&okSeed);
    const int resamples = p.value(QStringLiteral("resamples")).toInt(&okResamples);
    if (!okSeed || !okResamples || resamples < 100 || resamples > 100000) {
        printError(std::string("compare: --seed expects a whole number and --resamples 100 to "
                               "100000"));
        return UsageError;
    }
    std::string error;
    const auto a = Cohort::parse(toStd(p.value(QStringLiteral("a"))), &error);
    const auto b = a ? Cohort::parse(toStd(p.value(QStringLiteral("b"))), &error) : std::nullopt;
    if (!a || !b) {
        printError("compare: --" + std::string(a ? "b " : "a ") + error);
        return UsageError;
    }
    CallFilter base;
    if (!readFilter(p, "compare", base))
        return UsageError;
    auto ws = openWorkspace(p, false);
    if (!ws)
        return InputError;
    const CompareResult r = CohortCompare::run(*ws, base, *a, *b, seed, resamples);
    for (const ArmResult *arm : {&r.a, &r.b})
        if (arm->unpricedCalls > 0)
            std::fprintf(stderr,
                         "tokenledger: note: %s: %lld calls have no price and no logged cost; "
                         "their cost is unknown and left out\n",
                         arm->filter.c_str(), static_cast<long long>(arm->unpricedCalls));
    if (format == "json") {
        printOut(sim::JsonFile::text(CohortCompare::toJson(r), 2) + "\n");
        return Ok;
    }
    std::string out = "A: " + r.a.filter + "\nB: " + r.b.filter + "\n\n" + padTo("", 24, false) +
                      padTo("A", 30) + padTo("B", 30) + "\n";
    const auto row = [&](const std::string &label, const std::string &x, const std::string &y) {
        out += padTo(label, 24, false) + padTo(x, 30) + padTo(y, 30) + "\n";
    };
    row("calls", withThousands(r.a.calls), withThousands(r.b.calls));
    row("tasks", withThousands(r.a.tasks), withThousands(r.b.tasks));
    row("cost", formatDollars(r.a.costUsd), formatDollars(r.b.costUsd));
    row("cost per task", money(r.a.costPerTaskUsd, r.a.costPerTaskCi),
        money(r.b.costPerTaskUsd, r.b.costPerTaskCi));
    row("success rate", rate(r.a.successRate, r.a.successRateCi),
        rate(r.b.successRate, r.b.successRateCi));
    row("cost per success",
        r.a.costPerSuccessUsd ? money(*r.a.costPerSuccessUsd, r.a.costPerSuccessCi) : "n/a",
        r.b.costPerSuccessUsd ? money(*r.b.costPerSuccessUsd, r.b.costPerSuccessCi) : "n/a");
    out += "(95% intervals; bootstrap over tasks, " + withThousands(r.resamples) +
           " resamples, seed " + std::to_string(r.seed) + ")\n\n" + r.verdict + "\n";
    printOut(out);
    return Ok;
}

} // namespace tl::cli
