// `tokenledger watch`: imports every log file that appears in folders.
#include "clicontext.h"
#include "import/attributionmapping.h"
#include "import/importer.h"
#include "live/folderwatch.h"
#include "live/spancollector.h"
#include "livealerts.h"
#include "store/workspace.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>

namespace tl::cli {

namespace {

std::atomic<bool> g_stop{false};

void onStopSignal(int)
{
    g_stop = true;
}

int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

int runWatch(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Imports every log file that appears in the folders (any supported format, detected by "
        "content), once each, in arrival order. A file is imported once its size has held still "
        "for --settle seconds (or when it is renamed into place); a file that cannot be imported "
        "is reported and never retried. What was imported is remembered in the workspace across "
        "restarts. SIGTERM or Ctrl+C stops after the file in progress."));
    p.addOption({QStringLiteral("db"), QStringLiteral("The workspace (created when missing)."),
                 QStringLiteral("DB")});
    p.addOption({QStringLiteral("mapping"),
                 QStringLiteral("Attribution mapping file (as for import)."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("settle"),
                 QStringLiteral("Seconds a file's size must hold still (default 2)."),
                 QStringLiteral("SECONDS"), QStringLiteral("2")});
    p.addOption({QStringLiteral("once"),
                 QStringLiteral("Import what is ready now, then exit (for cron).")});
    addAlertOptions(p);
    p.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("Folders to watch."),
                            QStringLiteral("DIR..."));
    int code = Ok;
    if (!parseArgs(p, QStringLiteral("watch"), args, code))
        return code;
    if (!p.isSet(QStringLiteral("db")) || p.positionalArguments().isEmpty()) {
        printError(std::string("watch: --db DB and at least one DIR are required"));
        return UsageError;
    }
    std::vector<std::string> folders;
    for (const QString &d : p.positionalArguments()) {
        if (!std::filesystem::is_directory(toStd(d))) {
            printError("watch: " + toStd(d) + ": not a folder");
            return InputError;
        }
        folders.push_back(toStd(d));
    }
    bool ok = false;
    const double settle = p.value(QStringLiteral("settle")).toDouble(&ok);
    if (!ok || settle < 0 || settle > 3600) {
        printError(std::string("watch: --settle: expected seconds from 0 to 3600"));
        return UsageError;
    }
    std::string error;
    std::shared_ptr<const AttributionMapping> mapping;
    if (!readMapping(p, mapping))
        return InputError;
    if (!checkAlertOptions(p, &error)) {
        printError("watch: " + error);
        return UsageError;
    }
    auto ws = openWorkspace(p, true);
    if (!ws)
        return InputError;
    std::unique_ptr<LiveAlerts> alerts = makeLiveAlerts(p, ws->path(), &error);
    std::signal(SIGTERM, onStopSignal);
    std::signal(SIGINT, onStopSignal);
    live::FolderWatch watch(folders, int64_t(settle * 1000));
    const bool once = p.isSet(QStringLiteral("once"));
    if (!once) {
        printOut("watch: watching " + std::to_string(folders.size()) +
                 (folders.size() == 1 ? " folder" : " folders") + "; writing to " +
                 Workspace::shortName(ws->path()) + "\n");
        std::fflush(stdout);
    }
    int exit = Ok;
    Importer importer(*ws);
    // --once still lets a file settle: one look, a wait, a second look.
    bool secondLook = false;
    while (!g_stop) {
        std::vector<live::FolderWatch::File> files;
        try {
            files = watch.ready(*ws, nowMs());
        } catch (const std::exception &e) {
            printError(std::string("watch: ") + e.what());
            exit = InputError;
            break;
        }
        for (const auto &f : files) {
            if (g_stop)
                break;
            ImportOptions opt;
            opt.mapping = mapping;
            opt.onWait = [] { return !g_stop.load(); };
            FileImportResult r = importer.importFile(f.path, opt);
            try {
                if (r.ok) {
                    live::FolderWatch::record(*ws, f, "imported", {}, nowMs());
                    printOut(describeImport(r));
                    live::CommitInfo info;
                    info.imported = r.imported;
                    alerts->afterCommit(info);
                } else if (!r.cancelled) {
                    // Set aside: never retried until the file changes.
                    live::FolderWatch::record(*ws, f, "failed", r.error, nowMs());
                    printError(r.error + " (set aside: not retried unless the file changes)");
                    exit = InputError;
                }
            } catch (const std::exception &e) {
                printError(std::string("watch: ") + e.what());
                exit = InputError;
            }
            std::fflush(stdout);
        }
        if (once && (secondLook || settle == 0))
            break;
        secondLook = true;
        const auto wake = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(once ? int64_t(settle * 1000) + 50 : 1000);
        while (!g_stop && std::chrono::steady_clock::now() < wake)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    alerts->finish();
    return exit;
}

} // namespace tl::cli
