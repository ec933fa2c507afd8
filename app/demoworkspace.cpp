#include "demoworkspace.h"

#include "budgets/budgetfile.h"
#include "budgets/budgetstore.h"
#include "core/timeutil.h"
#include "generate/fleetgenerator.h"
#include "import/importer.h"
#include "store/workspace.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

#include <chrono>
#include <cstdio>

namespace tl::app {

std::string demoWorkspacePath()
{
    return (QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
            QStringLiteral("/demo.db"))
        .toStdString();
}

std::string ensureDemoWorkspace(std::string *error, const std::function<bool(double)> &progress)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    const QString db = QString::fromStdString(demoWorkspacePath());
    if (QFile::exists(db))
        return db.toStdString();
    std::fprintf(stdout, "tokenledger: creating the demo workspace %s …\n", qPrintable(db));
    std::fflush(stdout);
    const QString csv = dir + QStringLiteral("/demo-fleet.csv");
    FleetOptions o;
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    o.startDay = dayOf(now) - o.days;
    FleetStats stats;
    auto cleanUp = [&] {
        QFile::remove(csv);
        QFile::remove(csv + QStringLiteral(".truth.json"));
    };
    // Generation is the first third of the work, the import the rest.
    auto generating = [&](double f) { return !progress || progress(f / 3); };
    if (!FleetGenerator(o).write(csv.toStdString(), &stats, error, generating)) {
        cleanUp();
        return {};
    }
    FileImportResult r;
    {
        auto ws = Workspace::open(db.toStdString(), Workspace::OpenMode::CreateIfMissing, error);
        if (!ws) {
            cleanUp();
            return {};
        }
        ImportOptions opt;
        opt.progress = [&](const ImportProgress &p) {
            return !progress || progress(1.0 / 3 + 2.0 / 3 * double(p.bytesRead) /
                                                       double(std::max<int64_t>(1, p.bytesTotal)));
        };
        r = Importer(*ws).importFile(csv.toStdString(), opt);
        if (r.ok) {
            // A few budgets, so the Budgets view has something to show.
            QFile budgets(QStringLiteral(":/tokenledger/demo-budgets.json"));
            if (budgets.open(QIODevice::ReadOnly)) {
                const BudgetLoad l = BudgetFile::parse(budgets.readAll().toStdString());
                if (l.ok)
                    BudgetStore::save(*ws, l.budgets, &l.pools);
            }
        }
    }
    cleanUp();
    if (!r.ok) {
        // Cancelled or failed: no half-made demo is left to be opened next time.
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::remove(db + QString::fromLatin1(suffix));
        if (error)
            *error = r.error;
        return {};
    }
    return db.toStdString();
}

} // namespace tl::app
