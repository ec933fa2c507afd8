#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <functional>
#include <string>
#include <string_view>

namespace tl {

// Thrown by the wrapper when SQLite reports an error. Callers at the edges
// (importer, CLI, GUI) turn it into a value or a message; nothing below them
// shows UI.
class SqliteError : public std::runtime_error
{
public:
    SqliteError(int code, const std::string &what)
        : std::runtime_error(what + hint(code))
        , m_code(code)
    {}
    int code() const { return m_code; }

private:
    // "database is locked" tells a user nothing they can act on.
    static std::string hint(int code)
    {
        if ((code & 0xff) == SQLITE_BUSY)
            return " (another program is writing to this workspace, an import perhaps: try "
                   "again when it has finished)";
        if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
            return " (the workspace file is damaged: keep a copy of it before anything else, "
                   "and re-import the logs into a new workspace)";
        return {};
    }
    int m_code;
};

class Statement;

// Owns one sqlite3 connection. One connection per thread, as SQLite's
// threading model and Qt's both ask.
class SqliteDb
{
public:
    SqliteDb() = default;
    // NOMUTEX: a connection belongs to one thread (our rule), so SQLite's
    // per-call mutex is pure cost (12% of a bulk import's CPU here).
    explicit SqliteDb(const std::string &path,
                      int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
    ~SqliteDb();
    SqliteDb(SqliteDb &&other) noexcept;
    SqliteDb &operator=(SqliteDb &&other) noexcept;
    SqliteDb(const SqliteDb &) = delete;
    SqliteDb &operator=(const SqliteDb &) = delete;

    sqlite3 *handle() const { return m_db; }
    bool isOpen() const { return m_db != nullptr; }
    void exec(const std::string &sql);
    int64_t queryInt(const std::string &sql, int64_t fallback = 0);
    int64_t lastInsertRowId() const { return sqlite3_last_insert_rowid(m_db); }
    int changes() const { return sqlite3_changes(m_db); }
    std::string errorMessage() const { return m_db ? sqlite3_errmsg(m_db) : "database not open"; }
    [[noreturn]] void fail(const std::string &context) const;

private:
    sqlite3 *m_db = nullptr;
};

// A prepared statement; reset() after each step() cycle is done by the
// caller so that bound values can be reused where that is cheaper.
class Statement
{
public:
    Statement() = default;
    Statement(SqliteDb &db, std::string_view sql);
    ~Statement();
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    void bind(int index, int64_t value) { check(sqlite3_bind_int64(m_stmt, index, value)); }
    void bind(int index, double value) { check(sqlite3_bind_double(m_stmt, index, value)); }
    void bind(int index, std::string_view text);
    // The text must stay valid until step(): saves a copy per value on bulk paths.
    void bindStatic(int index, std::string_view text)
    {
        check(sqlite3_bind_text(m_stmt, index, text.data(), int(text.size()), SQLITE_STATIC));
    }
    void bindBlob(int index, const void *data, int size);
    void bindNull(int index) { check(sqlite3_bind_null(m_stmt, index)); }

    // true when a row is ready, false when done.
    bool step();
    void reset();
    void clearBindings() { sqlite3_clear_bindings(m_stmt); }

    int64_t columnInt(int col) const { return sqlite3_column_int64(m_stmt, col); }
    double columnDouble(int col) const { return sqlite3_column_double(m_stmt, col); }
    bool columnIsNull(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
    std::string_view columnText(int col) const;
    std::string_view columnBlob(int col) const;
    int columnCount() const { return sqlite3_column_count(m_stmt); }
    bool isPrepared() const { return m_stmt != nullptr; }
    std::string columnName(int col) const { return sqlite3_column_name(m_stmt, col); }

private:
    void check(int rc);
    SqliteDb *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
};

// RAII transaction: rolls back unless commit() was reached, so every early
// return and exception leaves the workspace as it was.
class Transaction
{
public:
    explicit Transaction(SqliteDb &db, bool immediate = true);
    // A writer that waits its turn: while another connection writes, calls
    // stillWaiting() every few seconds (the busy timeout) and tries again;
    // stillWaiting() returning false gives up (SqliteError SQLITE_BUSY).
    Transaction(SqliteDb &db, const std::function<bool()> &stillWaiting);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;
    void commit();
    void rollback();

private:
    SqliteDb &m_db;
    bool m_open = true;
};

} // namespace tl
