#include "sqlitedb.h"

#include <utility>

namespace tl {

SqliteDb::SqliteDb(const std::string &path, int flags)
{
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
{}

SqliteDb &SqliteDb::operator=(SqliteDb &&other) noexcept
{
    if (this != &other) {
        if (m_db)
            sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
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

int64_t SqliteDb::queryInt(const std::string &sql, int64_t fallback)
{
    Statement st(*this, sql);
    if (st.step() && !st.columnIsNull(0))
        return st.columnInt(0);
    return fallback;
}

void SqliteDb::fail(const std::string &context) const
{
    throw SqliteError(sqlite3_errcode(m_db), context + ": " + sqlite3_errmsg(m_db));
}

Statement::Statement(SqliteDb &db, std::string_view sql)
    : m_db(&db)
{
    int rc = sqlite3_prepare_v3(db.handle(), sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                &m_stmt, nullptr);
    if (rc != SQLITE_OK)
        db.fail("prepare '" + std::string(sql.substr(0, 60)) + "'");
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement &&other) noexcept
    : m_db(other.m_db)
    , m_stmt(std::exchange(other.m_stmt, nullptr))
{}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = std::exchange(other.m_stmt, nullptr);
    }
    return *this;
}

void Statement::bind(int index, std::string_view text)
{
    check(sqlite3_bind_text(m_stmt, index, text.data(), int(text.size()), SQLITE_TRANSIENT));
}

void Statement::bindBlob(int index, const void *data, int size)
{
    check(sqlite3_bind_blob(m_stmt, index, data, size, SQLITE_TRANSIENT));
}

bool Statement::step()
{
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    std::string msg = sqlite3_errmsg(m_db->handle());
    sqlite3_reset(m_stmt);
    throw SqliteError(rc, msg);
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
}

std::string_view Statement::columnText(int col) const
{
    auto p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, col));
    return p ? std::string_view(p, size_t(sqlite3_column_bytes(m_stmt, col))) : std::string_view();
}

std::string_view Statement::columnBlob(int col) const
{
    auto p = static_cast<const char *>(sqlite3_column_blob(m_stmt, col));
    return p ? std::string_view(p, size_t(sqlite3_column_bytes(m_stmt, col))) : std::string_view();
}

void Statement::check(int rc)
{
    if (rc != SQLITE_OK)
        m_db->fail("bind");
}

Transaction::Transaction(SqliteDb &db, bool immediate)
    : m_db(db)
{
    m_db.exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::Transaction(SqliteDb &db, const std::function<bool()> &stillWaiting)
    : m_db(db)
{
    for (;;) {
        try {
            m_db.exec("BEGIN IMMEDIATE");
            return;
        } catch (const SqliteError &e) {
            if ((e.code() & 0xff) != SQLITE_BUSY || !stillWaiting || !stillWaiting())
                throw;
        }
    }
}

Transaction::~Transaction()
{
    if (m_open)
        rollback();
}

void Transaction::commit()
{
    m_db.exec("COMMIT");
    m_open = false;
}

void Transaction::rollback()
{
    if (!m_open)
        return;
    m_open = false;
    sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

} // namespace tl
