#include "clicontext.h"

#include "jsonfile.h"

#include "anomaly/anomalyquery.h"
#include "core/timeutil.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace tl::cli {

namespace {

nlohmann::ordered_json sharesJson(const std::vector<CauseShare> &v)
{
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    for (const auto &c : v)
        a.push_back({{"name", c.name},
                     {"actual_usd", c.actualUsd},
                     {"expected_usd", c.expectedUsd},
                     {"excess_usd", c.excessUsd()},
                     {"share", c.share}});
    return a;
}

} // namespace

int runAnomalies(const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("db"), QStringLiteral("Workspace file."), QStringLiteral("DB")});
    addFilterOptions(p);
    p.addOption({QStringLiteral("granularity"), QStringLiteral("hour (default) or day."),
                 QStringLiteral("G"), QStringLiteral("hour")});
    p.addOption({QStringLiteral("by"),
                 QStringLiteral("Entities: agent,feature,team,model (default), user too."),
                 QStringLiteral("DIMS"), QStringLiteral("agent,feature,team,model")});
    p.addOption({QStringLiteral("sensitivity"),
                 QStringLiteral("Robust z-score to alarm at (default 6; lower finds more)."),
                 QStringLiteral("Z"), QStringLiteral("6")});
    p.addOption({QStringLiteral("min-excess"),
                 QStringLiteral("Smallest excess in USD per bucket worth an alarm (default 2 an "
                                "hour, 20 a day)."),
                 QStringLiteral("USD")});
    p.addOption({QStringLiteral("format"), QStringLiteral("table (default) or json."),
                 QStringLiteral("F"), QStringLiteral("table")});
    int code = Ok;
    if (!parseArgs(p, QStringLiteral("anomalies"), args, code))
        return code;
    if (!p.isSet(QStringLiteral("db"))) {
        printError(std::string("anomalies: --db DB is required"));
        return UsageError;
    }
    AnomalyRequest r;
    if (!readFilter(p, "anomalies", r.filter))
        return UsageError;
    const QString g = p.value(QStringLiteral("granularity"));
    if (g != QLatin1String("hour") && g != QLatin1String("day")) {
        printError("anomalies: --granularity expects hour or day, not '" + toStd(g) + "'");
        return UsageError;
    }
    r.bucketHours = g == QLatin1String("day") ? 24 : 1;
    r.options.bucketHours = r.bucketHours;
    r.options.minExcessUsd = r.bucketHours == 24 ? 20 : 2;
    bool ok = true;
    r.options.sensitivity = p.value(QStringLiteral("sensitivity")).toDouble(&ok);
    if (!ok || r.options.sensitivity <= 0) {
        printError(std::string("anomalies: --sensitivity expects a positive number"));
        return UsageError;
    }
    if (p.isSet(QStringLiteral("min-excess"))) {
        r.options.minExcessUsd = p.value(QStringLiteral("min-excess")).toDouble(&ok);
        if (!ok || r.options.minExcessUsd < 0) {
            printError(std::string("anomalies: --min-excess expects dollars"));
            return UsageError;
        }
    }
    r.kinds.clear();
    for (const QString &k :
         p.value(QStringLiteral("by")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const auto d = dimensionFromName(toStd(k.trimmed()));
        if (!d || (*d != Dimension::Agent && *d != Dimension::Feature && *d != Dimension::Team &&
                   *d != Dimension::Model && *d != Dimension::User)) {
            printError("anomalies: --by takes agent, feature, team, model, user; not '" + toStd(k) +
                       "'");
            return UsageError;
        }
        r.kinds.push_back(*d);
    }
    const std::string format = toStd(p.value(QStringLiteral("format")));
    if (format != "table" && format != "json") {
        printError("anomalies: --format expects table or json, not '" + format + "'");
        return UsageError;
    }
    auto ws = openWorkspace(p, false);
    if (!ws)
        return InputError;
    const std::vector<Anomaly> found = AnomalyQuery::run(*ws, r);
    if (format == "json") {
        nlohmann::ordered_json doc = nlohmann::ordered_json::array();
        for (const auto &a : found)
            doc.push_back({{"kind", std::string(dimensionName(a.kind))},
                           {"entity", a.entity},
                           {"start", formatTimestamp(a.startMs)},
                           {"end", formatTimestamp(a.endMs)},
                           {"baseline_usd", a.expectedUsd},
                           {"actual_usd", a.actualUsd},
                           {"excess_usd", a.excessUsd()},
                           {"score", a.score},
                           {"calls_ratio", a.callsRatio},
                           {"tokens_per_call_ratio", a.tokensPerCallRatio},
                           {"volume_effect_usd", a.volumeEffectUsd},
                           {"cost_per_call_effect_usd", a.intensityEffectUsd},
                           {"by_agent_model", sharesJson(a.byAgentModel)},
                           {"by_user", sharesJson(a.byUser)},
                           {"by_task", sharesJson(a.byTask)},
                           {"cause", a.cause}});
        printOut(sim::JsonFile::text(doc, 2) + "\n");
        return Ok;
    }
    std::string out;
    char line[1024];
    for (const auto &a : found) {
        std::snprintf(line, sizeof line,
                      "%s %-8s %-26s %s .. %s  baseline %10.2f  actual %10.2f  "
                      "excess %10.2f  z %5.1f\n    %s\n",
                      "*", std::string(dimensionName(a.kind)).c_str(), a.entity.c_str(),
                      formatTimestamp(a.startMs).substr(0, 16).c_str(),
                      formatTimestamp(a.endMs).substr(11, 5).c_str(), a.expectedUsd, a.actualUsd,
                      a.excessUsd(), a.score, a.cause.c_str());
        out += line;
    }
    out += std::to_string(found.size()) + " anomalies\n";
    printOut(out);
    return Ok;
}

} // namespace tl::cli
