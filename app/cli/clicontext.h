#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include "store/workspace.h"

#include <memory>
#include <string>

namespace tl {
struct CallFilter;
struct FileImportResult;
class AttributionMapping;
} // namespace tl

namespace tl::cli {

// Exit codes are a contract with users' scripts.
enum ExitCode { Ok = 0, UsageError = 1, InputError = 2, BudgetBreach = 3 };

// One line to stderr: "tokenledger: <message>".
void printError(const QString &message);
void printError(const std::string &message);
void printOut(const std::string &text);

// Parses `args` (without the program and subcommand names) for a subcommand.
// On a usage error prints it and returns false with exitCode set.
bool parseArgs(QCommandLineParser &parser, const QString &command, const QStringList &args,
               int &exitCode);
std::string toStd(const QString &s);
std::string withThousands(int64_t v);
// `s` padded with spaces to `width` characters (UTF-8 counted as characters), right-aligned
// by default.
std::string padTo(std::string s, size_t width, bool right = true);

// --from, --to (inclusive YYYY-MM-DD) and repeatable --filter DIM=VALUE
// into a CallFilter; prints the usage error and returns false when one is off.
// The parser must have those options (addFilterOptions).
void addFilterOptions(QCommandLineParser &parser);
bool readFilter(const QCommandLineParser &parser, const std::string &command, CallFilter &filter);

// --mapping FILE when given (import, watch, collect): false, having said why, when it cannot be
// read.
bool readMapping(const QCommandLineParser &parser, std::shared_ptr<const AttributionMapping> &out);

// Opens the workspace named by --db, or prints why not (nullptr).
std::unique_ptr<Workspace> openWorkspace(const QCommandLineParser &parser, bool create);

// "FILE: FORMAT, N imported, … in S s (R rows/s)\n", as `import` prints it.
std::string describeImport(const FileImportResult &r);

int runGenerate(const QStringList &args);
int runCollect(const QStringList &args);
int runWatch(const QStringList &args);
int runAlerts(const QStringList &args);
int runImport(const QStringList &args);
int runSummary(const QStringList &args);
int runPrices(const QStringList &args);
int runReconcile(const QStringList &args);
int runSimulate(const QStringList &args);
int runBudgets(const QStringList &args);
int runAnomalies(const QStringList &args);
int runOpportunities(const QStringList &args);
int runPortfolio(const QStringList &args);
int runCompare(const QStringList &args);
int runDocs(const QStringList &args);
int runInit(const QStringList &args);
int runCopy(const QStringList &args);
int runExport(const QStringList &args);
// Needs fonts, so it makes its own (offscreen) QGuiApplication.
int runReport(int argc, char **argv);

} // namespace tl::cli
