#include "sqlitedb.h"

#include <utility>

namespace tl {

SqliteDb::SqliteDb(const std::string &path, int flags)
    : m_path(path)
{
    // Before SQLite's first use: no memory statistics, which take a global
    // mutex on every allocation (7% of a bulk import's CPU here). Refused,
    // harmlessly, if something in the process initialised SQLite first.
    static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)configured;
    int rc = sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close(m_db);
        m_db = nullptr;
        throw SqliteError(rc, path + ": " + msg);
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, 5000);
    // A workspace can come from a colleague: no statement of ours may be
    // turned into writing the file's internals, no function in its schema
    // may run unless it is harmless, and no extension may load.
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, nullptr);
}

SqliteDb::~SqliteDb()
{
    if (m_db)
        sqlite3_close_v2(m_db);
}

SqliteDb::SqliteDb(SqliteDb &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
    , m_path(std::move(other.m_path))
{}

SqliteDb &SqliteDb::operator=(SqliteDb &&other) noexcept
{
    if (this != &other) {
        if (m_db)
            sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
    }
    return *this;
}

void SqliteDb::exec(const std::string &sql)
{
    char *err = nullptr;
    int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw SqliteError(rc, msg);
    }
}

void SqliteDb::fail(const std::string &context) const
{
    throw SqliteError(sqlite3_extended_errcode(m_db), context + ": " + sqlite3_errmsg(m_db));
}

namespace {

class SqliteStatement : public StatementImpl
{
public:
    SqliteStatement(SqliteDb &db, std::string_view sql)
        : m_db(&db)
    {
        int rc = sqlite3_prepare_v3(db.handle(), sql.data(), int(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr);
        if (rc != SQLITE_OK)
            db.fail("prepare '" + std::string(sql.substr(0, 60)) + "'");
    }
    ~SqliteStatement() override { sqlite3_finalize(m_stmt); }

    void bind(int index, int64_t value) override
    {
        check(sqlite3_bind_int64(m_stmt, index, value));
    }
    void bind(int index, double value) override
    {
        check(sqlite3_bind_double(m_stmt, index, value));
    }
    void bindText(int index, std::string_view text, bool stable) override
    {
        check(sqlite3_bind_text(m_stmt, index, text.data(), int(text.size()),
                                stable ? SQLITE_STATIC : SQLITE_TRANSIENT));
    }
    void bindBlob(int index, const void *data, int size) override
    {
        check(sqlite3_bind_blob(m_stmt, index, data, size, SQLITE_TRANSIENT));
    }
    void bindNull(int index) override { check(sqlite3_bind_null(m_stmt, index)); }

    bool step() override
    {
        int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW)
            return true;
        if (rc == SQLITE_DONE)
            return false;
        std::string msg = sqlite3_errmsg(m_db->handle());
        rc = sqlite3_extended_errcode(m_db->handle());
        sqlite3_reset(m_stmt);
        throw SqliteError(rc, msg);
    }
    void reset() override { sqlite3_reset(m_stmt); }
    void clearBindings() override { sqlite3_clear_bindings(m_stmt); }

    int64_t columnInt(int col) const override { return sqlite3_column_int64(m_stmt, col); }
    double columnDouble(int col) const override { return sqlite3_column_double(m_stmt, col); }
    bool columnIsNull(int col) const override
    {
        return sqlite3_column_type(m_stmt, col) == SQLITE_NULL;
    }
    std::string_view columnText(int col) const override
    {
        auto p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, col));
        return p ? std::string_view(p, size_t(sqlite3_column_bytes(m_stmt, col)))
                 : std::string_view();
    }
    std::string_view columnBlob(int col) const override
    {
        auto p = static_cast<const char *>(sqlite3_column_blob(m_stmt, col));
        return p ? std::string_view(p, size_t(sqlite3_column_bytes(m_stmt, col)))
                 : std::string_view();
    }
    int columnCount() const override { return sqlite3_column_count(m_stmt); }
    std::string columnName(int col) const override { return sqlite3_column_name(m_stmt, col); }

private:
    void check(int rc)
    {
        if (rc != SQLITE_OK)
            m_db->fail("bind");
    }
    SqliteDb *m_db;
    sqlite3_stmt *m_stmt = nullptr;
};

} // namespace

std::unique_ptr<StatementImpl> SqliteDb::prepare(std::string_view sql, bool)
{
    return std::make_unique<SqliteStatement>(*this, sql);
}

void SqliteDb::beginWrite(const std::function<bool()> &stillWaiting)
{
    // BEGIN IMMEDIATE takes the write lock now, so that a writer waits at
    // the start (busy timeout, then stillWaiting) rather than failing
    // half-way through its file.
    for (;;) {
        try {
            exec("BEGIN IMMEDIATE");
            return;
        } catch (const SqliteError &e) {
            if ((e.code() & 0xff) != SQLITE_BUSY || !stillWaiting || !stillWaiting())
                throw;
        }
    }
}

void SqliteDb::beginRead()
{
    exec("BEGIN");
}

std::string SqliteDb::shareSnapshot()
{
    // SQLite's sqlite3_snapshot_open is not in Debian's build (no
    // SQLITE_ENABLE_SNAPSHOT): a second connection cannot be held to this
    // one's snapshot, so work that must agree stays on one connection.
    return {};
}

void SqliteDb::beginReadAt(const std::string &snapshot)
{
    throw StoreError(StoreError::Kind::Other, 0,
                     m_path + ": a file's snapshot cannot be shared (" + snapshot + ")");
}

bool SqliteDb::inTransaction() const
{
    return sqlite3_get_autocommit(m_db) == 0;
}

void SqliteDb::commit()
{
    exec("COMMIT");
}

void SqliteDb::rollbackQuietly() noexcept
{
    sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
}

} // namespace tl
