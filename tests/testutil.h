#pragma once

#include "generate/fleetgenerator.h"
#include "import/importer.h"
#include "query/summaryquery.h"
#include "store/pgdb.h"
#include "store/sqlitedb.h"
#include "store/storecopy.h"
#include "store/workspace.h"

#include <map>
#include <unistd.h>

#include <QCryptographicHash>
#include <QFile>
#include <QString>
#include <QTemporaryDir>
#include <QTest>

#include <QStringList>

#include <memory>
#include <string>

namespace tltest {

inline std::string writeFile(const QTemporaryDir &dir, const QString &name,
                             const QByteArray &content)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write(content);
    return path.toStdString();
}

// Which engine this run of a suite tests. The store- and query-level suites
// run twice (tests/CMakeLists.txt): on SQLite files, and with
// TL_TEST_ENGINE=postgresql on the throwaway cluster that
// tests/pg/cluster.sh starts — the same test code, where every new
// workspace is a new database on that server.
inline bool serverRun()
{
    return qgetenv("TL_TEST_ENGINE") == "postgresql";
}

// The cluster's administrator URI; a run without PostgreSQL installed
// stops here as skipped (ctest's SKIP_RETURN_CODE 77), saying why.
inline std::string serverAdminUri()
{
    const QString dir = qEnvironmentVariable("TL_TEST_PG_DIR");
    QFile uri(dir + QStringLiteral("/uri"));
    if (!uri.open(QIODevice::ReadOnly)) {
        QFile skip(dir + QStringLiteral("/skip"));
        if (skip.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "SKIP: %s", skip.readAll().constData());
            std::exit(77);
        }
        qFatal("no test cluster in %s (TL_TEST_PG_DIR): tests/pg/cluster.sh start it",
               qPrintable(dir));
    }
    return uri.readAll().trimmed().toStdString();
}

// A new empty database on the test cluster; its URI.
inline std::string newServerDatabase()
{
    static int count = 0;
    const std::string admin = serverAdminUri();
    const std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(++count);
    tl::PgDb db(admin);
    // C collation: names sort as SQLite sorts them (bytewise).
    db.exec("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' "
            "LC_CTYPE 'C'");
    return admin.substr(0, admin.rfind('/') + 1) + name;
}

// Where a test's workspace `name` in `dir` lives in this run: the file, or
// a database of its own on the test server (the same one for the same
// dir and name, so that reopening finds it).
inline std::string workspaceTarget(const QTemporaryDir &dir, const QString &name)
{
    if (!serverRun())
        return dir.filePath(name).toStdString();
    static std::map<QString, std::string> made;
    std::string &uri = made[dir.filePath(name)];
    if (uri.empty())
        uri = newServerDatabase();
    return uri;
}

// A copy of a workspace a test may change: the file copied, or on the
// server a new database filled by `copy` (StoreCopy). Its file or URI.
inline std::string privateCopy(const std::string &from, const QTemporaryDir &dir,
                               const QString &name)
{
    if (!tl::isServerTarget(from)) {
        if (!QFile::copy(QString::fromStdString(from), dir.filePath(name)))
            qFatal("cannot copy %s", from.c_str());
        return dir.filePath(name).toStdString();
    }
    const std::string to = workspaceTarget(dir, name);
    std::string error;
    auto src = tl::Workspace::open(from, tl::Workspace::OpenMode::OpenExisting, &error);
    auto dst = src ? tl::Workspace::open(to, tl::Workspace::OpenMode::CreateIfMissing, &error)
                   : nullptr;
    if (!dst)
        qFatal("%s", error.c_str());
    const auto r = tl::StoreCopy::run(*src, *dst);
    if (!r.ok)
        qFatal("%s", r.error.c_str());
    return to;
}

// A digest of every row of every table, in a stable order: "the database
// is exactly as it was" compares these. `target` is a file or a URI.
inline QByteArray contentDigest(const std::string &target)
{
    std::unique_ptr<tl::Database> owned;
    if (tl::isServerTarget(target))
        owned = std::make_unique<tl::PgDb>(target);
    else
        owned = std::make_unique<tl::SqliteDb>(target, SQLITE_OPEN_READONLY);
    tl::Database &db = *owned;
    QCryptographicHash hash(QCryptographicHash::Sha256);
    tl::Statement tables(db, db.engine() == tl::Engine::Sqlite
                                 ? "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY "
                                   "name"
                                 : "SELECT tablename FROM pg_tables WHERE schemaname = "
                                   "current_schema() ORDER BY tablename");
    std::vector<std::string> names;
    while (tables.step())
        names.emplace_back(tables.columnText(0));
    for (const auto &t : names) {
        hash.addData(QByteArray::fromStdString(t));
        const int width = tl::Statement(db, "SELECT * FROM " + t).columnCount();
        tl::Statement rows(db, "SELECT * FROM " + t + (width > 1 ? " ORDER BY 1, 2" : " ORDER BY 1"));
        while (rows.step())
            for (int c = 0; c < rows.columnCount(); ++c) {
                auto v = rows.columnText(c);
                hash.addData(QByteArrayView(v.data(), qsizetype(v.size())));
                hash.addData(QByteArrayView("\x1f", 1));
            }
    }
    return hash.result().toHex();
}

// The SQLite connection of a file workspace, for tests of the file's internals.
inline tl::SqliteDb &sqlite(tl::Workspace &ws)
{
    if (ws.db().engine() != tl::Engine::Sqlite)
        qFatal("an SQLite file's internals asked of a server workspace");
    return static_cast<tl::SqliteDb &>(ws.db());
}

// A new workspace file in `dir` (tests stop on failure).
inline std::unique_ptr<tl::Workspace> openWorkspace(const QTemporaryDir &dir,
                                                    const QString &name = QStringLiteral("ws.db"))
{
    std::string error;
    auto ws = tl::Workspace::open(workspaceTarget(dir, name),
                                  tl::Workspace::OpenMode::CreateIfMissing, &error);
    if (!ws)
        qFatal("%s", error.c_str());
    return ws;
}

// An existing workspace (tests stop on failure).
inline std::unique_ptr<tl::Workspace> openExisting(const std::string &path)
{
    std::string error;
    auto ws = tl::Workspace::open(path, tl::Workspace::OpenMode::OpenExisting, &error);
    if (!ws)
        qFatal("%s", error.c_str());
    return ws;
}

// The three calls every per-format fixture holds (see tests/fixtures/otel/README.md):
// 5,200 input tokens of which 3,024 cached and 500 cache writes, 480 output, one error.
inline void verifyThreeCalls(tl::Workspace &ws, int64_t costNusd)
{
    const tl::Measures t = tl::SummaryQuery::run(ws, {}, {}).totals;
    QCOMPARE(t[tl::MRequests], 3);
    QCOMPARE(t[tl::MInputTokens], 5200);
    QCOMPARE(t[tl::MCachedInputTokens], 3024);
    QCOMPARE(t[tl::MCacheWriteTokens], 500);
    QCOMPARE(t[tl::MOutputTokens], 480);
    QCOMPARE(t[tl::MCostNusd], costNusd);
    QCOMPARE(t[tl::MErrorRequests], 1);
}

// Imports `path` and collects every rejection through the onReject callback.
struct CollectedImport
{
    tl::FileImportResult result;
    std::vector<tl::Rejection> seen;
};
inline CollectedImport importCollecting(tl::Workspace &ws, const std::string &path,
                                        const std::string &format = "auto")
{
    CollectedImport c;
    tl::ImportOptions opt;
    opt.format = format;
    opt.onReject = [&c](const tl::Rejection &r) { c.seen.push_back(r); };
    c.result = tl::Importer(ws).importFile(path, opt);
    return c;
}

// The names a dimension takes in a workspace, sorted.
inline QStringList names(tl::Workspace &ws, const char *dim)
{
    QStringList out;
    for (const auto &row : tl::SummaryQuery::run(ws, {}, {*tl::GroupKey::fromName(dim)}).rows)
        out << QString::fromStdString(row.keys[0]);
    out.sort();
    return out;
}

// A workspace holding a generated fleet (CSV written and imported), for
// tests of everything that reads calls. Returns its path.
inline std::string generatedWorkspace(const QTemporaryDir &dir, int agents = 12, int days = 14,
                                      int64_t callsPerDay = 1500,
                                      int64_t startDay = 20'400 /* 2025-11-08 */)
{
    tl::FleetOptions o;
    o.agents = agents;
    o.days = days;
    o.callsPerDay = callsPerDay;
    o.startDay = startDay;
    o.spikes = 1;
    const std::string csv = dir.filePath(QStringLiteral("fleet.csv")).toStdString();
    std::string error;
    if (!tl::FleetGenerator(o).write(csv, nullptr, &error))
        qFatal("%s", error.c_str());
    auto ws = openWorkspace(dir, QStringLiteral("fleet.tlw"));
    tl::Importer importer(*ws);
    const auto r = importer.importFile(csv);
    if (!r.ok)
        qFatal("%s", r.error.c_str());
    return ws->path();
}

// A CSV file as RFC 4180 says: quoted cells may hold commas, doubled
// quotes and newlines. Rows of cells, the header first.
inline QList<QStringList> readCsv(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(f.readAll());
    QList<QStringList> rows;
    QStringList row;
    QString cell;
    bool quoted = false;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < text.size() && text[i + 1] == QLatin1Char('"'))
                cell += c, ++i;
            else if (c == QLatin1Char('"'))
                quoted = false;
            else
                cell += c;
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            row << cell;
            cell.clear();
        } else if (c == QLatin1Char('\n')) {
            rows << (row << cell);
            row.clear();
            cell.clear();
        } else if (c != QLatin1Char('\r')) {
            cell += c;
        }
    }
    if (!cell.isEmpty() || !row.isEmpty())
        rows << (row << cell);
    return rows;
}

// A plain decimal dollar cell ("12.345", "-0.5") in nano-dollars, exactly.
inline int64_t nanos(const std::string &cell)
{
    const bool negative = !cell.empty() && cell[0] == '-';
    const std::string s = negative ? cell.substr(1) : cell;
    const size_t dot = s.find('.');
    int64_t v = std::stoll(s.substr(0, dot)) * 1'000'000'000;
    if (dot != std::string::npos) {
        std::string frac = s.substr(dot + 1);
        frac.resize(9, '0');
        v += std::stoll(frac);
    }
    return negative ? -v : v;
}

} // namespace tltest
