#include "clicontext.h"

#include "core/timeutil.h"
#include "pricing/pricecatalog.h"
#include "store/workspace.h"

#include <QFile>
#include <QSaveFile>

#include <cstdio>

namespace tl::cli {

namespace {

std::string perMtok(int64_t ppt)
{
    if (ppt < 0)
        return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", pptToPerMtok(ppt));
    return buf;
}

// "6 (default)" when the 1-hour price is Anthropic's 2x input rule, not the catalog's.
std::string oneHour(const PriceEntry &e)
{
    bool defaulted = false;
    const int64_t p = e.cacheWrite1hPrice(&defaulted);
    if (e.cacheWrite1hPpt < 0 && !defaulted)
        return "-";
    return perMtok(p) + (defaulted ? " (default)" : "");
}

} // namespace

int runPrices(const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("db"), QStringLiteral("Workspace file."), QStringLiteral("DB")});
    p.addPositionalArgument(QStringLiteral("action"),
                            QStringLiteral("list | import FILE | export FILE"));
    int code = Ok;
    if (!parseArgs(p, QStringLiteral("prices"), args, code))
        return code;
    const QStringList pos = p.positionalArguments();
    const QString action = pos.value(0);
    const bool needsFile = action == QStringLiteral("import") || action == QStringLiteral("export");
    if (!p.isSet(QStringLiteral("db")) || (action != QStringLiteral("list") && !needsFile) ||
        (needsFile && pos.size() != 2)) {
        printError(std::string("prices: usage: prices list|import FILE|export FILE --db DB"));
        return UsageError;
    }
    auto ws = openWorkspace(p, action == QStringLiteral("import"));
    if (!ws)
        return InputError;
    if (action == QStringLiteral("list")) {
        std::string out =
            "provider\tmodel\teffective_from\tinput\toutput\tcached_input\tcache_"
            "write\tcache_write_1h\tbatch_input\tbatch_output\ttiers_and_search\t(USD per "
            "million tokens)\n";
        for (const auto &e : ws->catalog().entries()) {
            out +=
                e.provider + "\t" + e.model + "\t" +
                (e.hasEffectiveFrom() ? formatDate(dayOf(e.effectiveFromMs)) : std::string("-")) +
                "\t" + perMtok(e.inputPpt) + "\t" + perMtok(e.outputPpt) + "\t" +
                perMtok(e.cachedInputPpt) + "\t" + perMtok(e.cacheWritePpt) + "\t" + oneHour(e) +
                "\t" + perMtok(e.batchInputPpt) + "\t" + perMtok(e.batchOutputPpt) + "\t" +
                (tierSummary(e).empty() ? std::string("-") : tierSummary(e)) + "\n";
        }
        printOut(out);
        return Ok;
    }
    const QString file = pos.at(1);
    if (action == QStringLiteral("export")) {
        QSaveFile f(file);
        const std::string json = ws->catalog().toJson();
        if (!f.open(QIODevice::WriteOnly) ||
            f.write(json.data(), qint64(json.size())) != qint64(json.size()) || !f.commit()) {
            printError(toStd(file) + ": cannot be written");
            return InputError;
        }
        printOut("exported " + std::to_string(ws->catalog().entries().size()) +
                 " price entries to " + toStd(file) + "\n");
        return Ok;
    }
    std::string error;
    size_t entries = 0;
    if (!ws->replaceCatalogFromFile(toStd(file), {}, &error, &entries)) {
        // A parse error names the file already; a store error (a full disk)
        // names neither: say which import failed, and that nothing changed.
        if (error.rfind(toStd(file), 0) != 0)
            error = toStd(file) + ": not imported into " + ws->path() + ": " + error +
                    " (prices and costs unchanged)";
        printError(error);
        return InputError;
    }
    printOut("imported " + std::to_string(entries) + " price entries from " + toStd(file) +
             "; stored costs recomputed\n");
    return Ok;
}

} // namespace tl::cli
