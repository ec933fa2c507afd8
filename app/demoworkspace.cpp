#include "demoworkspace.h"

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

std::string ensureDemoWorkspace(std::string *error)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    const QString db = dir + QStringLiteral("/demo.db");
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
    if (!FleetGenerator(o).write(csv.toStdString(), &stats, error))
        return {};
    auto ws = Workspace::open(db.toStdString(), Workspace::OpenMode::CreateIfMissing, error);
    if (!ws)
        return {};
    FileImportResult r = Importer(*ws).importFile(csv.toStdString());
    QFile::remove(csv);
    if (!r.ok) {
        if (error)
            *error = r.error;
        return {};
    }
    return db.toStdString();
}

} // namespace tl::app
