#include "clicontext.h"

#include "import/importpaths.h"

#include "export/csvwriter.h"
#include "import/attributionmapping.h"
#include "import/costreportimporter.h"
#include "import/focusimporter.h"
#include "import/importer.h"
#include "import/litellmdatabase.h"
#include "pricing/pricecatalog.h"
#include "query/summaryquery.h"
#include "store/workspace.h"

#include <cstdio>
#include <fstream>
#include <memory>

namespace tl::cli {

std::string describeImport(const FileImportResult &r)
{
    std::string s = r.file + ": " + r.format + ", " + withThousands(r.imported) + " imported, " +
                    withThousands(r.duplicates) + " duplicates, " + withThousands(r.rejected) +
                    " rejected";
    if (r.skipped)
        s += ", " + withThousands(r.skipped) + " skipped";
    s += ", " + withThousands(r.unpriced) + " unpriced";
    if (!r.unpricedByModel.empty()) {
        s += " (";
        bool first = true;
        for (const auto &[model, n] : r.unpricedByModel) {
            s += (first ? "" : ", ") + model + ": " + withThousands(n);
            first = false;
        }
        s += ")";
    }
    const int64_t rows = r.imported + r.duplicates + r.rejected;
    char timing[96];
    std::snprintf(timing, sizeof timing, " in %.2f s (%s rows/s)\n", r.seconds,
                  withThousands(r.seconds > 0 ? int64_t(double(rows) / r.seconds) : 0).c_str());
    return s + timing;
}

int runImport(const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("db"), QStringLiteral("Workspace file (created if missing)."),
                 QStringLiteral("DB")});
    p.addOption({QStringLiteral("format"), QStringLiteral("auto (default) or a format name."),
                 QStringLiteral("FORMAT"), QStringLiteral("auto")});
    p.addOption({QStringLiteral("prices"),
                 QStringLiteral("Price catalog to use (ours or LiteLLM's JSON)."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("mapping"),
                 QStringLiteral("Attribution mapping (JSON): which source fields fill agent, task, "
                                "feature, user and team."),
                 QStringLiteral("FILE")});
    p.addOption(
        {QStringLiteral("strict"), QStringLiteral("Any rejected row refuses the whole file.")});
    p.addOption({QStringLiteral("rejects"), QStringLiteral("Write rejected rows to FILE as CSV."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("from-litellm"),
                 QStringLiteral("Read a LiteLLM proxy's database (its LiteLLM_SpendLogs table), "
                                "from where the last run stopped; read-only on it."),
                 QStringLiteral("URI")});
    p.addPositionalArgument(QStringLiteral("FILE"),
                            QStringLiteral("Log files to import; a folder is walked for its log "
                                           "files (e.g. ~/.claude/projects)."),
                            QStringLiteral("FILE..."));
    int code = Ok;
    if (!parseArgs(p, QStringLiteral("import"), args, code))
        return code;
    const bool fromLiteLlm = p.isSet(QStringLiteral("from-litellm"));
    if (!p.isSet(QStringLiteral("db")) || (p.positionalArguments().isEmpty() && !fromLiteLlm)) {
        printError(std::string(
            "import: --db DB and at least one FILE (or --from-litellm URI) are required"));
        return UsageError;
    }
    auto ws = openWorkspace(p, true);
    if (!ws)
        return InputError;
    std::string error;
    if (p.isSet(QStringLiteral("prices")) &&
        !ws->replaceCatalogFromFile(toStd(p.value(QStringLiteral("prices"))), {}, &error)) {
        printError(error);
        return InputError;
    }
    std::shared_ptr<const AttributionMapping> mapping;
    if (!readMapping(p, mapping))
        return InputError;
    if (fromLiteLlm) {
        ImportOptions opt;
        opt.mapping = mapping;
        opt.strict = p.isSet(QStringLiteral("strict"));
        int64_t shown = 0;
        opt.onReject = [&](const Rejection &r) {
            if (shown++ < 10)
                printError(r.file + ": " + r.location + ": " + r.reason);
        };
        const auto r =
            LiteLlmDatabase::importInto(*ws, toStd(p.value(QStringLiteral("from-litellm"))), opt);
        if (!r.ok) {
            printError(r.error + "; what earlier pages brought stays, and the next run goes on "
                                 "from there");
            return InputError;
        }
        char timing[64];
        std::snprintf(timing, sizeof timing, " in %.2f s\n", r.seconds);
        printOut(
            "litellm " + r.source + ": " + withThousands(r.rows) + " rows read, " +
            withThousands(r.imported) + " imported, " + withThousands(r.duplicates) +
            " duplicates, " + withThousands(r.rejected) + " rejected, " +
            withThousands(r.unpriced) + " unpriced" +
            (r.upTo.empty() ? std::string("; nothing new") : "; read up to " + r.upTo + " UTC") +
            timing);
        if (p.positionalArguments().isEmpty())
            return Ok;
    }
    std::unique_ptr<std::FILE, int (*)(std::FILE *)> rejects(nullptr, &std::fclose);
    if (p.isSet(QStringLiteral("rejects"))) {
        rejects.reset(std::fopen(toStd(p.value(QStringLiteral("rejects"))).c_str(), "wb"));
        if (!rejects) {
            printError(toStd(p.value(QStringLiteral("rejects"))) + ": cannot be written");
            return InputError;
        }
        std::fputs(CsvWriter::row({"file", "line", "location", "reason", "original"}).c_str(),
                   rejects.get());
    }
    Importer importer(*ws);
    std::vector<std::string> given, emptyFolders;
    for (const QString &f : p.positionalArguments())
        given.push_back(toStd(f));
    QStringList files;
    for (const std::string &f : expandImportPaths(given, &emptyFolders))
        files << QString::fromStdString(f);
    int exit = Ok;
    for (const std::string &folder : emptyFolders) {
        printError(folder + ": no log files (.jsonl, .json, .csv) in this folder");
        exit = InputError;
    }
    int64_t shownRejects = 0;
    for (int i = 0; i < files.size(); ++i) {
        ImportOptions opt;
        opt.format = toStd(p.value(QStringLiteral("format")));
        opt.strict = p.isSet(QStringLiteral("strict"));
        opt.mapping = mapping;
        opt.fileIndex = i;
        opt.fileCount = int(files.size());
        bool toldWaiting = false;
        opt.onWait = [&] {
            if (!toldWaiting)
                printError(toStd(files[i]) +
                           ": waiting for another import into this workspace to finish "
                           "(Ctrl+C stops; nothing of this file is written until its turn)");
            toldWaiting = true;
            return true;
        };
        opt.onReject = [&](const Rejection &r) {
            if (rejects)
                std::fputs(
                    CsvWriter::row({r.file, std::to_string(r.line), r.location, r.reason, r.raw},
                                   {false, true, false, false, false})
                        .c_str(),
                    rejects.get());
            if (shownRejects++ < 10)
                printError(r.file + ": " + r.location + ": " + r.reason);
        };
        const std::string file = toStd(files[i]);
        const std::string format = toStd(p.value(QStringLiteral("format")));
        if ((format == "auto" && FocusImporter::isFocusFile(file)) || format == "focus") {
            // A cloud bill: infrastructure cost, apart from calls.
            const FocusImportResult f =
                FocusImporter(*ws, mapping.get())
                    .importFile(
                        file,
                        [&](int64_t line, const std::string &why) {
                            if (rejects)
                                std::fputs(CsvWriter::row({file, std::to_string(line), "", why, ""},
                                                          {false, true, false, false, false})
                                               .c_str(),
                                           rejects.get());
                            if (shownRejects++ < 10)
                                printError(file + ": line " + std::to_string(line) + ": " + why);
                        },
                        p.isSet(QStringLiteral("strict")));
            if (!f.ok) {
                printError(f.error);
                exit = InputError;
                continue;
            }
            printOut(file + ": focus, " + withThousands(f.rows) +
                     " charges as infrastructure cost (" + formatUsd(f.attributedNusd) +
                     " to agents, teams or features, " + formatUsd(f.unattributedNusd) +
                     " unattributed), " + withThousands(f.added) + " day amounts added, " +
                     withThousands(f.unchanged) + " already there, " + withThousands(f.restated) +
                     " restated, " + withThousands(f.rejected) + " rejected\n");
            continue;
        }
        if ((format == "auto" && CostReportImporter::isCostReportFile(file)) ||
            format == "openai-costs" || format == "anthropic-costs") {
            // A bill, not calls: stored apart, for `reconcile`.
            CostReportResult c = CostReportImporter(*ws).importFile(file);
            if (!c.ok) {
                printError(c.error);
                exit = InputError;
                continue;
            }
            printOut(file + ": " + c.format + ", " + withThousands(c.lines) + " cost lines (" +
                     formatUsd(c.amountNusd) + "), " + withThousands(c.duplicates) +
                     " duplicates, " + withThousands(c.rejected) +
                     " rejected; see 'tokenledger reconcile'\n");
            continue;
        }
        FileImportResult r = importer.importFile(toStd(files[i]), opt);
        if (!r.ok) {
            printError(r.error);
            exit = InputError;
            continue;
        }
        printOut(describeImport(r));
    }
    if (shownRejects > 10)
        printError(withThousands(shownRejects - 10) + " more rejected rows not shown" +
                   (rejects ? std::string(" (all are in the --rejects file)")
                            : std::string(" (use --rejects FILE)")));
    return exit;
}

} // namespace tl::cli
