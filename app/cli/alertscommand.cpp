// `tokenledger alerts`: what the live alerts raised and where they went.
#include "clicontext.h"
#include "core/timeutil.h"
#include "live/alertengine.h"
#include "store/workspace.h"

#include <nlohmann/json.hpp>

namespace tl::cli {

int runAlerts(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Lists the alerts that `collect` and `watch` raised, newest first: when, what, and "
        "whether it was delivered (or why not yet)."));
    p.addOption({QStringLiteral("db"), QStringLiteral("The workspace."), QStringLiteral("DB")});
    p.addOption({QStringLiteral("limit"), QStringLiteral("How many (default 50)."),
                 QStringLiteral("N"), QStringLiteral("50")});
    p.addOption({QStringLiteral("format"), QStringLiteral("table or json (default table)."),
                 QStringLiteral("FORMAT"), QStringLiteral("table")});
    int code = Ok;
    if (!parseArgs(p, QStringLiteral("alerts"), args, code))
        return code;
    if (!p.isSet(QStringLiteral("db"))) {
        printError(std::string("alerts: --db DB is required"));
        return UsageError;
    }
    bool ok = false;
    const int limit = p.value(QStringLiteral("limit")).toInt(&ok);
    const QString format = p.value(QStringLiteral("format"));
    if (!ok || limit < 1) {
        printError(std::string("alerts: --limit: expected a positive number"));
        return UsageError;
    }
    if (format != QLatin1String("table") && format != QLatin1String("json")) {
        printError(std::string("alerts: --format: expected table or json"));
        return UsageError;
    }
    auto ws = openWorkspace(p, false);
    if (!ws)
        return InputError;
    const auto alerts = live::AlertEngine::list(*ws, limit);
    if (format == QLatin1String("json")) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto &a : alerts) {
            nlohmann::json j = {{"id", a.id},
                                {"kind", a.kind},
                                {"raised", formatTimestamp(a.createdMs)},
                                {"data_time", formatTimestamp(a.dataTsMs)},
                                {"attempts", a.attempts},
                                {"alert", nlohmann::json::parse(a.payload, nullptr, false)}};
            j["sent"] = a.sentMs ? nlohmann::json(formatTimestamp(*a.sentMs)) : nlohmann::json();
            if (!a.lastError.empty())
                j["last_error"] = a.lastError;
            out.push_back(std::move(j));
        }
        printOut(nlohmann::json{{"alerts", out}}.dump(2) + "\n");
        return Ok;
    }
    if (alerts.empty()) {
        printOut("no alerts raised in " + Workspace::shortName(ws->path()) + "\n");
        return Ok;
    }
    for (const auto &a : alerts) {
        const auto j = nlohmann::json::parse(a.payload, nullptr, false);
        const std::string text =
            j.is_object() && j.contains("text") ? j["text"].get<std::string>() : a.payload;
        std::string state = a.sentMs ? "sent " + formatTimestamp(*a.sentMs)
                                     : "not sent yet (" + std::to_string(a.attempts) + " attempts" +
                                           (a.lastError.empty() ? "" : ": " + a.lastError) + ")";
        printOut(formatTimestamp(a.createdMs) + "  " + a.kind + "  " + state + "\n  " + text +
                 "\n");
    }
    return Ok;
}

} // namespace tl::cli
