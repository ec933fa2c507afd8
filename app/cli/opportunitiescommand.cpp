#include "clicontext.h"

#include "jsonfile.h"
#include "scenariofile.h"

#include "core/timeutil.h"
#include "decide/opportunityfinder.h"
#include "store/filekind.h"

#include <QDateTime>
#include <QDir>

#include <cmath>
#include <cstdio>

namespace tl::cli {

namespace {

// "01-model_switch-support-chat.tlscenario": sorted as listed, safe on every file system.
std::string fileNameFor(size_t rank, const Opportunity &op)
{
    char prefix[24];
    std::snprintf(prefix, sizeof prefix, "%02zu-", rank);
    std::string name = prefix + op.kind + "-";
    for (char c : op.name)
        name += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    return name + kScenarioExtension;
}

std::string signedPoints(const std::optional<double> &change)
{
    if (!change)
        return "n/a";
    return formatPoints(*change);
}

} // namespace

bool readBatchable(const QCommandLineParser &p,
                   std::vector<std::pair<std::string, std::string>> &out)
{
    for (const QString &rule : p.values(QStringLiteral("batchable"))) {
        const qsizetype eq = rule.indexOf(QLatin1Char('='));
        const QString dim = rule.left(eq);
        if (eq <= 0 || (dim != QLatin1String("agent") && dim != QLatin1String("feature") &&
                        dim != QLatin1String("team"))) {
            printError("--batchable expects agent=NAME, feature=NAME or team=NAME, not '" +
                       toStd(rule) + "'");
            return false;
        }
        out.emplace_back(toStd(dim), toStd(rule.mid(eq + 1)));
    }
    return true;
}

void addOpportunityOptions(QCommandLineParser &p)
{
    p.addOption({QStringLiteral("tolerance"),
                 QStringLiteral("Success-rate points a cheaper model may lose (default 2): the "
                                "95% interval of the difference must stay above minus this."),
                 QStringLiteral("POINTS"), QStringLiteral("2")});
    p.addOption({QStringLiteral("batchable"),
                 QStringLiteral("A scope whose calls may wait for batch prices: agent=NAME, "
                                "feature=NAME or team=NAME (repeatable)."),
                 QStringLiteral("DIM=NAME")});
    p.addOption({QStringLiteral("min-saving"),
                 QStringLiteral("Smallest monthly saving in USD worth listing (default 1)."),
                 QStringLiteral("USD"), QStringLiteral("1")});
}

bool readOpportunityOptions(const QCommandLineParser &p, const char *command, OpportunityOptions &o)
{
    bool okTolerance = false, okSaving = false;
    o.qualityTolerance = p.value(QStringLiteral("tolerance")).toDouble(&okTolerance) / 100;
    o.minSavingUsd = p.value(QStringLiteral("min-saving")).toDouble(&okSaving);
    if (!okTolerance || o.qualityTolerance < 0 || o.qualityTolerance > 1 || !okSaving ||
        o.minSavingUsd < 0) {
        printError(std::string(command) +
                   ": --tolerance expects points from 0 to 100 and --min-saving a positive "
                   "amount");
        return false;
    }
    o.created =
        toStd(QDateTime::currentDateTimeUtc().toString(Qt::ISODate)); // e.g. 2026-11-30T18:00:00Z
    return readBatchable(p, o.batchable);
}

nlohmann::ordered_json periodJson(const DecisionInputs &in)
{
    nlohmann::ordered_json filter = nlohmann::ordered_json::object();
    for (const auto &[dim, names] : in.spec.filter)
        filter[dim] = names;
    return {{"from", in.spec.from},
            {"to", in.spec.to},
            {"days", in.baseline.toDay - in.baseline.fromDay + 1},
            {"days_with_data", in.baseline.daysWithData()},
            {"filter", filter}};
}

int runOpportunities(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Finds what to do about the spend in the logs — cheaper models that "
                       "already do the job, repeated prompts, batchable agents, grown prompts, "
                       "retries — each priced by the what-if engine on the real calls."));
    p.addOption({QStringLiteral("db"), QStringLiteral("Workspace file."), QStringLiteral("DB")});
    addFilterOptions(p);
    addOpportunityOptions(p);
    p.addOption({QStringLiteral("format"), QStringLiteral("table (default) or json."),
                 QStringLiteral("F"), QStringLiteral("table")});
    p.addOption({QStringLiteral("save-scenarios"),
                 QStringLiteral("Writes each opportunity as a scenario file into DIR."),
                 QStringLiteral("DIR")});
    int code = Ok;
    if (!parseArgs(p, QStringLiteral("opportunities"), args, code))
        return code;
    if (!p.isSet(QStringLiteral("db"))) {
        printError(std::string("opportunities: --db DB is required"));
        return UsageError;
    }
    const std::string format = toStd(p.value(QStringLiteral("format")));
    if (format != "table" && format != "json") {
        printError("opportunities: --format expects table or json, not '" + format + "'");
        return UsageError;
    }
    CallFilter filter;
    OpportunityOptions options;
    if (!readFilter(p, "opportunities", filter) ||
        !readOpportunityOptions(p, "opportunities", options))
        return UsageError;
    auto ws = openWorkspace(p, false);
    if (!ws)
        return InputError;
    const auto in = DecisionInputs::load(*ws, filter);
    const std::vector<Opportunity> found = OpportunityFinder::find(*in, options);
    for (const auto &n : in->notes)
        std::fprintf(stderr, "tokenledger: note: %s\n", n.c_str());

    if (p.isSet(QStringLiteral("save-scenarios"))) {
        const QString dir = p.value(QStringLiteral("save-scenarios"));
        if (!QDir().mkpath(dir)) {
            printError("opportunities: cannot create " + toStd(dir));
            return InputError;
        }
        for (size_t i = 0; i < found.size(); ++i) {
            const std::string path =
                toStd(QDir(dir).filePath(QString::fromStdString(fileNameFor(i + 1, found[i]))));
            if (const std::string error = sim::ScenarioFile::save(path, found[i].scenario);
                !error.empty()) {
                printError(error);
                return InputError;
            }
        }
    }

    if (format == "json") {
        nlohmann::ordered_json doc;
        doc["period"] = periodJson(*in);
        doc["opportunities"] = nlohmann::ordered_json::array();
        for (const auto &op : found)
            doc["opportunities"].push_back(OpportunityFinder::toJson(op));
        doc["notes"] = in->notes;
        printOut(sim::JsonFile::text(doc, 2) + "\n");
        return Ok;
    }
    std::string out = "Opportunities, " + in->spec.from + " to " + in->spec.to +
                      ", largest monthly saving first\n\n";
    if (found.empty())
        out += "None found: no cheaper model matches a current one's success on enough "
               "outcomes, no repeated prompts, no batchable agent, no grown prompts, no costly "
               "retries.\n";
    else
        out += padTo("#", 3) + "  " + padTo("kind", 15, false) + padTo("scope", 34, false) +
               padTo("saving/month", 14) + padTo("of cost", 9) + padTo("success", 11) + "\n";
    for (size_t i = 0; i < found.size(); ++i) {
        const Opportunity &op = found[i];
        const double share = op.monthlyCostUsd > 0 ? op.monthlySavingUsd / op.monthlyCostUsd : 0;
        char pct[16];
        std::snprintf(pct, sizeof pct, "%.0f%%", share * 100);
        out += padTo(std::to_string(i + 1), 3) + "  " + padTo(op.kind, 15, false) +
               padTo(op.dimension + " " + op.name, 34, false) +
               padTo(formatDollars(op.monthlySavingUsd), 14) + padTo(pct, 9) +
               padTo(signedPoints(op.successChange), 11) + "\n";
        out += "     " + op.summary + "\n";
    }
    if (found.size() > 1)
        out += "\nSavings are each against today's spend; several act on the same calls, so "
               "they do not add up.\n";
    printOut(out);
    return Ok;
}

} // namespace tl::cli
