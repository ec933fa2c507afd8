#include "clicontext.h"

#include "export/focusexport.h"
#include "query/summaryquery.h"

#include <cstdio>

namespace tl::cli {

// `tokenledger export --focus OUT.csv`: the period's LLM spend as a FOCUS
// 1.2 dataset, for the finance team's cost platform beside the cloud bills.
int runExport(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Writes the period's LLM spend as a FinOps FOCUS 1.2 cost and usage dataset (CSV): one "
        "row per day, provider, model, team, agent and token kind; BilledCost sums to "
        "summary's cost."));
    p.addOption({QStringLiteral("db"), QStringLiteral("Workspace file."), QStringLiteral("DB")});
    addFilterOptions(p);
    p.addOption({QStringLiteral("focus"), QStringLiteral("The FOCUS CSV to write."),
                 QStringLiteral("OUT.csv")});
    int code = Ok;
    if (!parseArgs(p, QStringLiteral("export"), args, code))
        return code;
    if (!p.isSet(QStringLiteral("db")) || !p.isSet(QStringLiteral("focus"))) {
        printError(std::string("export: usage: export --db DB --focus OUT.csv [--from DATE] "
                               "[--to DATE] [--filter DIM=VALUE ...]"));
        return UsageError;
    }
    CallFilter filter;
    if (!readFilter(p, "export", filter))
        return UsageError;
    auto ws = openWorkspace(p, false);
    if (!ws)
        return InputError;
    FocusExportResult r;
    std::string error;
    const std::string out = toStd(p.value(QStringLiteral("focus")));
    if (!FocusExport::write(*ws, filter, out, &r, &error)) {
        printError(error);
        return InputError;
    }
    if (r.unpricedCalls)
        std::fprintf(stderr,
                     "tokenledger: note: %s unpriced calls are not in the dataset (their cost "
                     "is unknown; FOCUS costs cannot be empty)\n",
                     groupThousands(std::to_string(r.unpricedCalls)).c_str());
    printOut("wrote " + out + ": " + groupThousands(std::to_string(r.rows)) + " FOCUS rows, " +
             groupThousands(std::to_string(r.calls)) + " calls, BilledCost " +
             formatUsd(r.billedNusd) + "\n");
    return Ok;
}

} // namespace tl::cli
