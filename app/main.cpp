#include "cli/clicontext.h"
#include "guilauncher.h"

#include <QCoreApplication>
#include <QFile>

#include <cstring>
#include <exception>
#include <string>

namespace {

const char kUsage[] =
    "usage: tokenledger [open FILE]   (a workspace, scenario, budgets or mapping file)\n"
    "       tokenledger generate --out FILE [--format csv|jsonl|otel|litellm] [--agents N] [--days "
    "D] [--start "
    "YYYY-MM-DD]\n"
    "                            [--seed S] [--calls-per-day N]\n"
    "       tokenledger import --db DB [--format auto|FORMAT] [--prices FILE] [--mapping FILE] "
    "[--strict]\n"
    "                          [--rejects FILE] FILE|FOLDER...\n"
    "       tokenledger summary --db DB [--from DATE] [--to DATE] [--filter DIM=VALUE ...] [--by "
    "DIM[,DIM...]]\n"
    "                           [--granularity hour|day|week|month] [--format table|csv|json]\n"
    "       tokenledger prices list|import FILE|export FILE --db DB\n"
    "       tokenledger reconcile --db DB [--by model|provider|day|line] [--format "
    "table|csv|json]\n"
    "       tokenledger report --db DB [--from DATE] [--to DATE] [--filter DIM=VALUE ...]\n"
    "                          [--pdf OUT.pdf] [--csv-dir DIR] [--paper a4|letter] [--sections "
    "LIST]\n"
    "       tokenledger simulate --db DB --scenario FILE [--format table|json] [--samples N] "
    "[--seed S]\n"
    "       tokenledger budgets import FILE|export FILE|export-litellm FILE|list|check --db DB\n"
    "                           [--at TIME] [--format table|json]\n"
    "       tokenledger budgets adjust --db DB --budget NAME --amount USD --reason TEXT [--by "
    "WHO]\n"
    "                           [--at TIME]\n"
    "       tokenledger budgets allocate --db DB --pool NAME [--apply] [--format table|json]\n"
    "       tokenledger anomalies --db DB [--from DATE] [--to DATE] [--granularity hour|day] [--by "
    "DIMS]\n"
    "                             [--sensitivity Z] [--min-excess USD] [--format table|json]\n"
    "       tokenledger opportunities --db DB [--from DATE] [--to DATE] [--filter DIM=VALUE ...]\n"
    "                             [--tolerance POINTS] [--batchable DIM=NAME ...] [--min-saving "
    "USD]\n"
    "                             [--format table|json] [--save-scenarios DIR]\n"
    "       tokenledger portfolio --db DB [--from DATE] [--to DATE] [--horizon MONTHS] [--min-roi "
    "X]\n"
    "                         [--format table|json]\n"
    "       tokenledger compare --db DB --a FILTER --b FILTER [--from DATE] [--to DATE] [--seed "
    "S]\n"
    "                       [--format table|json]   (FILTER: DIM=VALUE[,DIM=VALUE], "
    "tag:KEY=VALUE,\n"
    "                                                period:YYYY-MM-DD..YYYY-MM-DD)\n"
    "       tokenledger shot --db DB --out FILE.png [--view "
    "overview|explore|requests|simulator|budgets|anomalies|decide]\n"
    "                        [--scenario FILE] [--tab N] [--size WxH]\n"
    "       tokenledger collect --db DB [--listen HOST:PORT] [--token-file FILE] [--notify URL "
    "...]\n"
    "                           [--notify-command CMD] [--alert-windows MINUTES] [--mapping FILE]\n"
    "       tokenledger watch --db DB [--settle SECONDS] [--once] [--notify URL ...] DIR...\n"
    "       tokenledger alerts --db DB [--limit N] [--format table|json]\n"
    "       tokenledger init --db DB\n"
    "       tokenledger docs [--man FILE] [--bash-completion FILE]\n"
    "       tokenledger copy --from DB --to DB\n"
    "       tokenledger export --db DB --focus OUT.csv [--from DATE] [--to DATE] [--filter "
    "DIM=VALUE ...]\n"
    "\n"
    "DB is an SQLite file, or a PostgreSQL server: postgresql://USER@HOST:PORT/DATABASE\n"
    "(the password from ~/.pgpass or PGPASSWORD, never in the URI).\n";

int run(int argc, char **argv)
{
    using namespace tl::cli;
    const char *command = argc > 1 ? argv[1] : "";
    // `tokenledger FILE` (a file manager's double-click): the app on it.
    const bool aFile = argc == 2 && command[0] != '-' && std::strchr(command, '.') &&
                       QFile::exists(QString::fromLocal8Bit(command));
    if (argc == 1 || std::strcmp(command, "open") == 0 || aFile)
        return tl::app::runGui(argc, argv);
    if (std::strcmp(command, "shot") == 0)
        return tl::app::runShot(argc, argv);
    if (std::strcmp(command, "report") == 0)
        return runReport(argc, argv);
    if (std::strcmp(command, "--help") == 0 || std::strcmp(command, "-h") == 0 ||
        std::strcmp(command, "help") == 0) {
        printOut(kUsage);
        return Ok;
    }
    if (std::strcmp(command, "--version") == 0) {
        printOut("tokenledger " TOKENLEDGER_VERSION "\n");
        return Ok;
    }
    // Headless commands need no display: a QCoreApplication, never a window.
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tokenledger"));
    QStringList args = QCoreApplication::arguments().mid(2);
    if (std::strcmp(command, "generate") == 0)
        return runGenerate(args);
    if (std::strcmp(command, "import") == 0)
        return runImport(args);
    if (std::strcmp(command, "summary") == 0)
        return runSummary(args);
    if (std::strcmp(command, "prices") == 0)
        return runPrices(args);
    if (std::strcmp(command, "reconcile") == 0)
        return runReconcile(args);
    if (std::strcmp(command, "simulate") == 0)
        return runSimulate(args);
    if (std::strcmp(command, "budgets") == 0)
        return runBudgets(args);
    if (std::strcmp(command, "anomalies") == 0)
        return runAnomalies(args);
    if (std::strcmp(command, "opportunities") == 0)
        return runOpportunities(args);
    if (std::strcmp(command, "portfolio") == 0)
        return runPortfolio(args);
    if (std::strcmp(command, "compare") == 0)
        return runCompare(args);
    if (std::strcmp(command, "collect") == 0)
        return runCollect(args);
    if (std::strcmp(command, "docs") == 0)
        return runDocs(args);
    if (std::strcmp(command, "watch") == 0)
        return runWatch(args);
    if (std::strcmp(command, "alerts") == 0)
        return runAlerts(args);
    if (std::strcmp(command, "init") == 0)
        return runInit(args);
    if (std::strcmp(command, "copy") == 0)
        return runCopy(args);
    if (std::strcmp(command, "export") == 0)
        return runExport(args);
    printError(std::string("unknown command '") + command + "'");
    std::fputs(kUsage, stderr);
    return UsageError;
}

} // namespace

int main(int argc, char **argv)
{
    // Every known failure has its own message and exit code; this is the net
    // under them: a bug must end in one line and exit 2, not an abort.
    try {
        return run(argc, argv);
    } catch (const std::exception &e) {
        tl::cli::printError(std::string("internal error: ") + e.what() +
                            " (please report it; writes are transactional, nothing was half-done)");
        return tl::cli::InputError;
    }
}
