#include "workspace.h"

#include "callusage.h"
#include "core/measures.h"
#include "dayfactstable.h"
#include "pgdb.h"
#include "pgschema.h"
#include "rollupgrains.h"
#include "schema.h"
#include "sqlitedb.h"

#include <QByteArray>
#include <QSysInfo>

#include <filesystem>
#include <optional>

#include <unistd.h>
#include <unordered_map>

namespace tl {

namespace {

constexpr const char *kCatalogKey = "price_catalog";
// Which machine and user last checked the file's integrity.
constexpr const char *kCheckedOnKey = "integrity_checked_on";

} // namespace

Workspace::Workspace(std::string path, std::unique_ptr<Database> db)
    : m_path(std::move(path))
    , m_db(std::move(db))
    , m_dims(*m_db)
{}

void Workspace::rememberServerPassword(const std::string &uri, const std::string &password)
{
    PgDb::rememberPassword(uri, password);
}

std::string Workspace::shortName(const std::string &target)
{
    if (!isServerTarget(target))
        return std::filesystem::path(target).filename().string();
    // postgresql://user@host:port/db?options -> "db on host:port"
    std::string rest = target.substr(target.find("://") + 3);
    rest = rest.substr(0, rest.find('?'));
    if (const size_t at = rest.find('@'); at != std::string::npos)
        rest = rest.substr(at + 1);
    const size_t slash = rest.find('/');
    const std::string host = rest.substr(0, slash);
    const std::string db = slash == std::string::npos ? std::string() : rest.substr(slash + 1);
    return (db.empty() ? std::string("ledger") : db) + " on " + (host.empty() ? "localhost" : host);
}

std::unique_ptr<Workspace> Workspace::open(const std::string &target, OpenMode mode,
                                           std::string *error, Failure *kind)
{
    if (kind)
        *kind = Failure::None;
    if (isServerTarget(target))
        return openServer(target, mode, error, kind);
    auto ws = openFile(target, mode, error);
    if (!ws && kind)
        *kind = mode == OpenMode::OpenExisting && !std::filesystem::exists(target)
                    ? Failure::Missing
                    : Failure::Other;
    return ws;
}

std::unique_ptr<Workspace> Workspace::openServer(const std::string &uri, OpenMode mode,
                                                 std::string *error, Failure *kind)
{
    auto fail = [&](const std::string &why,
                    Failure k = Failure::Other) -> std::unique_ptr<Workspace> {
        if (error)
            *error = why;
        if (kind)
            *kind = k;
        return nullptr;
    };
    try {
        auto db = std::make_unique<PgDb>(uri);
        const std::string name = db->describe();
        std::string why;
        switch (PgSchema::state(*db, &why)) {
        case PgSchema::State::Foreign:
            return fail(name + ": not a tokenledger ledger (" + why + "); nothing was changed");
        case PgSchema::State::Newer:
            return fail(name + ": " + why);
        case PgSchema::State::Empty:
            if (mode == OpenMode::OpenExisting)
                return fail(name + ": no tokenledger ledger in this database yet (an import, "
                                   "or `tokenledger init --db URI`, creates it)",
                            Failure::Missing);
            [[fallthrough]];
        case PgSchema::State::Older: {
            // Under the writers' lock, and looked at again there: two first
            // imports at once create the schema once.
            Transaction tx(*db);
            if (PgSchema::prepare(*db, &why) != PgSchema::State::Current)
                return fail(name + ": " + why);
            tx.commit();
            break;
        }
        case PgSchema::State::Current:
            break;
        }
        std::unique_ptr<Workspace> ws(new Workspace(uri, std::move(db)));
        if (!ws->loadCatalog(error))
            return fail(error ? *error : std::string());
        return ws;
    } catch (const StoreError &e) {
        return fail(e.what(),
                    e.kind() == StoreError::Kind::Password ? Failure::Password : Failure::Other);
    }
}

std::unique_ptr<Workspace> Workspace::openReader()
{
    if (!isServer())
        return nullptr;
    // Not caught: a failed export has ended this connection's transaction,
    // and the caller must not go on reading in it.
    const std::string snapshot = m_db->shareSnapshot();
    if (snapshot.empty())
        return nullptr;
    try {
        auto db = std::make_unique<PgDb>(m_path);
        db->beginReadAt(snapshot);
        std::unique_ptr<Workspace> ws(new Workspace(m_path, std::move(db)));
        // The catalog this workspace prices with, not read again: the two
        // connections' work is one piece.
        ws->m_catalog = m_catalog;
        return ws;
    } catch (const StoreError &) {
        return nullptr;
    }
}

std::unique_ptr<Workspace> Workspace::openFile(const std::string &path, OpenMode mode,
                                               std::string *error)
{
    auto fail = [&](const std::string &why) -> std::unique_ptr<Workspace> {
        if (error)
            *error = why;
        return nullptr;
    };
    const bool exists = std::filesystem::exists(path);
    if (!exists && mode == OpenMode::OpenExisting)
        return fail(path + ": no such workspace");
    try {
        if (exists) {
            // Look before touching: a read-only connection cannot change a
            // file that turns out not to be ours.
            // A rollback journal left by a crash of an older release is hot:
            // a read-only connection cannot replay it and would read the
            // file as garbage. A read-write one replays it first (SQLite's
            // own recovery), so the probe uses one then.
            const bool hotJournal = std::filesystem::exists(path + "-journal");
            SqliteDb probe(path, hotJournal ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY);
            int appId = 0, version = 0;
            bool empty = false;
            try {
                appId = Schema::applicationId(probe);
                version = Schema::version(probe);
                empty = Schema::isEmptyFile(probe);
            } catch (const SqliteError &e) {
                if ((e.code() & 0xff) == SQLITE_BUSY)
                    return fail(path + ": " + e.what());
                return fail(path + ": not a tokenledger workspace (not an SQLite database)");
            }
            if (!empty && appId != Schema::kApplicationId)
                return fail(
                    path + ": not a tokenledger workspace (an SQLite database of another program)");
            if (version > Schema::kCurrentVersion)
                return fail(path + ": written by a newer tokenledger (workspace schema v" +
                            std::to_string(version) + "; this program reads up to v" +
                            std::to_string(Schema::kCurrentVersion) + ")");
            // Triggers, views and expressions run with the file's reader:
            // a crafted workspace could loop forever or rewrite what it
            // imports. tokenledger creates none, so none is accepted.
            if (const std::string foreign = Schema::foreignObject(probe); !foreign.empty())
                return fail(path + ": refused: its schema holds a " + foreign +
                            " that tokenledger does not create (a crafted or altered file); "
                            "nothing was read or run");
        }
        SqliteDb db(path);
        // Only takes on a new file. 16 KiB pages imported a million calls 9%
        // faster than 4 KiB (fewer page splits) and read rollups no slower.
        if (Schema::version(db) == 0 && Schema::isEmptyFile(db))
            db.exec("PRAGMA page_size = 16384");
        db.exec("PRAGMA journal_mode = WAL");
        db.exec("PRAGMA synchronous = NORMAL");
        db.exec("PRAGMA foreign_keys = OFF");
        db.exec("PRAGMA cache_size = -65536"); // 64 MiB
        // Lets CREATE INDEX (after a bulk import) sort on both cores.
        db.exec("PRAGMA threads = 2");
        db.exec("PRAGMA temp_store = MEMORY");
        if (Schema::version(db) < Schema::kCurrentVersion) {
            Transaction tx(db);
            Schema::migrate(db);
            tx.commit();
        }
        std::unique_ptr<Workspace> ws(
            new Workspace(path, std::make_unique<SqliteDb>(std::move(db))));
        std::string why;
        if (!ws->checkIntegrityOnce(!exists, &why))
            return fail(why);
        if (!ws->loadCatalog(error))
            return nullptr;
        return ws;
    } catch (const SqliteError &e) {
        if (e.code() == SQLITE_CORRUPT || (e.code() & 0xff) == SQLITE_CORRUPT ||
            (e.code() & 0xff) == SQLITE_NOTADB)
            return fail(path + ": the file is damaged (" + e.what() +
                        "); keep a copy of it before anything else, and re-import the logs "
                        "into a new workspace");
        return fail(path + ": " + e.what());
    }
}

std::string Workspace::metaValue(const std::string &key) const
{
    Statement st(*m_db, "SELECT value FROM meta WHERE key = ?");
    st.bind(1, key);
    return st.step() ? std::string(st.columnText(0)) : std::string();
}

void Workspace::setMetaValue(const std::string &key, const std::string &value)
{
    Statement st(*m_db, "INSERT INTO meta(key, value) VALUES(?, ?) "
                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    st.bind(1, key);
    st.bind(2, value);
    st.step();
}

bool Workspace::loadCatalog(std::string *error)
{
    std::string json = metaValue(kCatalogKey);
    if (!json.empty()) {
        std::string why;
        if (auto cat = PriceCatalog::fromJson(json, &why)) {
            m_catalog = std::move(*cat);
            return true;
        }
        // Never replace a catalog that cannot be read: it may be the team's
        // own prices, and every stored cost was priced with it.
        if (error)
            *error = m_path + ": the workspace's price catalog cannot be read (" + why +
                     "); the file may be damaged: keep a copy of it";
        return false;
    }
    // A new workspace starts from the built-in catalog; storing it makes the
    // costs reproducible when a later program ships other prices.
    m_catalog = PriceCatalog::builtIn();
    setMetaValue(kCatalogKey, m_catalog.toJson());
    return true;
}

bool Workspace::checkIntegrityOnce(bool created, std::string *error)
{
    // A file that was not last checked on this machine (a colleague's, a
    // copy off a backup) gets a quick check before anything trusts it: a
    // damaged page must be an error naming the file, not different totals.
    const std::string machine =
        QSysInfo::machineUniqueId().toHex().toStdString() + "/" + std::to_string(::getuid());
    if (isServer())
        return true; // the server keeps its own pages
    if (metaValue(kCheckedOnKey) == machine)
        return true;
    if (created) {
        setMetaValue(kCheckedOnKey, machine);
        return true;
    }
    Statement st(*m_db, "PRAGMA quick_check");
    std::string result;
    while (st.step()) {
        if (!result.empty())
            result += "; ";
        result += std::string(st.columnText(0));
        if (result.size() > 400)
            break;
    }
    if (result != "ok") {
        if (error)
            *error = m_path + ": the file is damaged (integrity check: " + result +
                     "); keep a copy of it before anything else, and re-import the logs into a "
                     "new workspace";
        return false;
    }
    try {
        setMetaValue(kCheckedOnKey, machine);
    } catch (const StoreError &) {
        // Read-only, or another writer holds the file: checked again next time.
    }
    return true;
}

bool Workspace::replaceCatalog(const PriceCatalog &catalog, const Progress &progress,
                               std::string *error)
{
    try {
        Transaction tx(*m_db);
        const int64_t total = m_db->queryInt("SELECT COUNT(*) FROM calls");
        std::unordered_map<int64_t, std::string> modelNames;
        {
            Statement names(*m_db, "SELECT id, name FROM dims WHERE kind = ?");
            names.bind(1, int64_t(Dimension::Model));
            while (names.step())
                modelNames.emplace(names.columnInt(0), std::string(names.columnText(1)));
        }
        Statement sel(*m_db,
                      std::string("SELECT id, ts_ms, model_id, ") + kUsageColumns + " FROM calls",
                      Statement::Scan);
        // A file takes an UPDATE a call; a server, where that is a round trip
        // a call, takes the new costs by COPY and one UPDATE … FROM a chunk.
        const bool staged = isServer();
        Statement upd;
        if (!staged)
            upd =
                Statement(*m_db, "UPDATE calls SET computed_nusd = ?, tool_nusd = ? WHERE id = ?");
        std::string rows;
        auto sendRows = [&] {
            if (rows.empty())
                return;
            static_cast<PgDb &>(*m_db).stage(
                "stage_costs", "(id BIGINT, computed_nusd BIGINT, tool_nusd BIGINT)", rows);
            m_db->exec("UPDATE calls SET computed_nusd = s.computed_nusd, tool_nusd = s.tool_nusd "
                       "FROM stage_costs s WHERE calls.id = s.id");
            rows.clear();
        };
        int64_t done = 0;
        while (sel.step()) {
            const PriceEntry *e = catalog.priceAt(modelNames[sel.columnInt(2)], sel.columnInt(1));
            std::optional<CostParts> parts;
            if (e)
                parts = costParts(*e, usageAt(sel, 3));
            if (staged) {
                // NULL tool cost: no search charge, as the import stores it.
                rows += std::to_string(sel.columnInt(0)) + '\t' +
                        (parts ? std::to_string(parts->total()) : std::string("\\N")) + '\t' +
                        (parts && parts->toolsNusd ? std::to_string(parts->toolsNusd)
                                                   : std::string("\\N")) +
                        '\n';
                if (rows.size() >= (8u << 20))
                    sendRows();
            } else {
                if (parts) {
                    upd.bind(1, parts->total());
                    if (parts->toolsNusd)
                        upd.bind(2, parts->toolsNusd);
                    else
                        upd.bindNull(2); // as the import stores it
                } else {
                    upd.bindNull(1);
                    upd.bindNull(2);
                }
                upd.bind(3, sel.columnInt(0));
                upd.step();
                upd.reset();
            }
            if (++done % 65536 == 0 && progress && !progress(done, total)) {
                if (error)
                    *error = "cancelled; prices and costs unchanged";
                return false;
            }
        }
        sendRows();
        rebuildRollups();
        setMetaValue(kCatalogKey, catalog.toJson());
        tx.commit();
        m_catalog = catalog;
        if (progress)
            progress(total, total);
        return true;
    } catch (const StoreError &e) {
        if (error)
            *error = e.what();
        return false;
    }
}

bool Workspace::replaceCatalogFromFile(const std::string &path, const Progress &progress,
                                       std::string *error, size_t *entries)
{
    auto cat = PriceCatalog::fromFile(path, error);
    if (!cat)
        return false;
    if (entries)
        *entries = cat->entries().size();
    return replaceCatalog(*cat, progress, error);
}

void Workspace::rebuildRollups()
{
    for (const RollupGrain &g : kRollupGrains) {
        m_db->exec(std::string("DELETE FROM ") + g.table);
        Schema::fillRollup(*m_db, g);
    }
    m_db->exec(std::string("DELETE FROM ") + DayFactsTable::kTable);
    m_db->exec(std::string("DELETE FROM ") + DayFactsTable::kTasksTable);
    DayFactsTable::markAllDirty(*m_db);
    DayFactsTable::refresh(*m_db);
}

} // namespace tl
