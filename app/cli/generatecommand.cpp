#include "clicontext.h"

#include "core/timeutil.h"
#include "generate/fleetgenerator.h"

#include <chrono>

namespace tl::cli {

int runGenerate(const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("out"), QStringLiteral("File to write."), QStringLiteral("FILE")});
    p.addOption({QStringLiteral("format"),
                 QStringLiteral("csv, jsonl, otel (OTLP/JSON lines) or litellm (a /spend/logs "
                                "array); default: from the file name, else csv."),
                 QStringLiteral("FORMAT")});
    p.addOption({QStringLiteral("agents"), QStringLiteral("Number of agents (default 40)."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("days"), QStringLiteral("Number of days (default 30)."),
                 QStringLiteral("D")});
    p.addOption({QStringLiteral("start"),
                 QStringLiteral("First day, YYYY-MM-DD (default: D days before today)."),
                 QStringLiteral("DATE")});
    p.addOption(
        {QStringLiteral("seed"), QStringLiteral("Random seed (default 1)."), QStringLiteral("S")});
    p.addOption({QStringLiteral("calls-per-day"),
                 QStringLiteral("Fleet-wide calls on a weekday (default 20000)."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("spikes"),
                 QStringLiteral("Injected cost spikes (default ~1 per 10 agents a month)."),
                 QStringLiteral("N")});
    int code = Ok;
    if (!parseArgs(p, QStringLiteral("generate"), args, code))
        return code;
    if (!p.isSet(QStringLiteral("out"))) {
        printError(std::string("generate: --out FILE is required"));
        return UsageError;
    }
    FleetOptions o;
    const QString out = p.value(QStringLiteral("out"));
    o.format = p.isSet(QStringLiteral("format"))        ? toStd(p.value(QStringLiteral("format")))
               : out.endsWith(QStringLiteral(".jsonl")) ? "jsonl"
                                                        : "csv";
    auto intOpt = [&](const char *name, int64_t &target) {
        if (!p.isSet(QString::fromLatin1(name)))
            return true;
        bool ok = false;
        qlonglong v = p.value(QString::fromLatin1(name)).toLongLong(&ok);
        if (!ok || v < 0) {
            printError(std::string("generate: --") + name + " expects a non-negative whole number");
            return false;
        }
        target = v;
        return true;
    };
    int64_t agents = o.agents, days = o.days, seed = 1, spikes = -1;
    if (!intOpt("agents", agents) || !intOpt("days", days) || !intOpt("seed", seed) ||
        !intOpt("calls-per-day", o.callsPerDay) || !intOpt("spikes", spikes))
        return UsageError;
    o.agents = int(agents);
    o.days = int(days);
    o.seed = uint64_t(seed);
    o.spikes = int(spikes);
    if (p.isSet(QStringLiteral("start"))) {
        auto d = parseDate(toStd(p.value(QStringLiteral("start"))));
        if (!d) {
            printError(std::string("generate: --start expects YYYY-MM-DD"));
            return UsageError;
        }
        o.startDay = *d;
    } else {
        auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
        o.startDay = dayOf(now) - o.days;
    }
    FleetGenerator gen(o);
    FleetStats stats;
    std::string error;
    auto t0 = std::chrono::steady_clock::now();
    if (!gen.write(toStd(out), &stats, &error)) {
        printError(error);
        return o.agents < 1 || o.days < 1 ? UsageError : InputError;
    }
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    printOut(toStd(out) + ": " + withThousands(stats.records) + " calls, " +
             std::to_string(o.agents) + " agents, " + std::to_string(o.days) + " days from " +
             formatDate(o.startDay) + ", " + std::to_string(stats.spikes) + " injected spikes (" +
             toStd(out) + ".truth.json), " + std::to_string(int(s * 1000)) + " ms\n");
    return Ok;
}

} // namespace tl::cli
