// `init` and `copy`: the store itself, on either engine.
#include "clicontext.h"

#include "store/storecopy.h"
#include "store/workspace.h"

#include <QFileInfo>

#include <cstdio>
#include <unistd.h>

namespace tl::cli {

namespace {

const QString kDbHelp = QStringLiteral(
    "Workspace: an SQLite file, or a PostgreSQL server as "
    "postgresql://USER@HOST:PORT/DATABASE (the password from ~/.pgpass or PGPASSWORD).");

} // namespace

int runInit(const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("db"), kDbHelp, QStringLiteral("DB")});
    int code = Ok;
    if (!parseArgs(p, QStringLiteral("init"), args, code))
        return code;
    if (!p.isSet(QStringLiteral("db"))) {
        printError(QStringLiteral("init needs --db (see 'tokenledger init --help')"));
        return UsageError;
    }
    const std::string target = toStd(p.value(QStringLiteral("db")));
    std::string error;
    const bool existed =
        Workspace::open(target, Workspace::OpenMode::OpenExisting, &error) != nullptr;
    if (existed) {
        printOut(target + ": already a tokenledger workspace; nothing to do\n");
        return Ok;
    }
    auto ws = openWorkspace(p, true);
    if (!ws)
        return InputError;
    printOut(ws->path() + ": a new tokenledger workspace (empty; `tokenledger import` fills it)\n");
    return Ok;
}

int runCopy(const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("from"), QStringLiteral("The workspace to copy. ") + kDbHelp,
                 QStringLiteral("DB")});
    p.addOption({QStringLiteral("to"),
                 QStringLiteral("An empty (or new) workspace to copy into, either engine."),
                 QStringLiteral("DB")});
    int code = Ok;
    if (!parseArgs(p, QStringLiteral("copy"), args, code))
        return code;
    if (!p.isSet(QStringLiteral("from")) || !p.isSet(QStringLiteral("to"))) {
        printError(QStringLiteral("copy needs --from and --to (see 'tokenledger copy --help')"));
        return UsageError;
    }
    const std::string from = toStd(p.value(QStringLiteral("from")));
    const std::string to = toStd(p.value(QStringLiteral("to")));
    if (from == to) {
        printError(std::string("--from and --to name the same workspace"));
        return UsageError;
    }
    std::string error;
    auto src = Workspace::open(from, Workspace::OpenMode::OpenExisting, &error);
    if (!src) {
        printError(error);
        return InputError;
    }
    auto dst = Workspace::open(to, Workspace::OpenMode::CreateIfMissing, &error);
    if (!dst) {
        printError(error);
        return InputError;
    }
    const bool tty = isatty(fileno(stderr));
    const StoreCopy::Result r = StoreCopy::run(*src, *dst, [&](int64_t done, int64_t total) {
        if (tty)
            std::fprintf(stderr, "\rcopying: %lld of %lld rows", (long long)done, (long long)total);
        return true;
    });
    if (tty)
        std::fputs("\r\033[K", stderr);
    if (!r.ok) {
        printError(r.error);
        return InputError;
    }
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.2f", r.seconds);
    printOut("copied " + withThousands(r.calls) + " calls and " + withThousands(r.names) +
             " names from " + src->path() + " to " + dst->path() + " in " + secs + " s\n");
    return Ok;
}

} // namespace tl::cli
