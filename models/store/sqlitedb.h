#pragma once

#include "database.h"

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace tl {

// SQLite's errors as StoreErrors: the extended result code is code().
class SqliteError : public StoreError
{
public:
    SqliteError(int code, const std::string &what)
        : StoreError(kindOf(code), code, what + hint(code))
    {}

private:
    static Kind kindOf(int code)
    {
        switch (code & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return Kind::Busy;
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            return Kind::Damaged;
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_AUTH:
            return Kind::Permission;
        default:
            return Kind::Other;
        }
    }
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
};

// One sqlite3 connection: the embedded engine, a workspace file of one's own.
class SqliteDb : public Database
{
public:
    SqliteDb() = default;
    // NOMUTEX: a connection belongs to one thread (our rule), so SQLite's
    // per-call mutex is pure cost (12% of a bulk import's CPU here).
    explicit SqliteDb(const std::string &path,
                      int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
    ~SqliteDb() override;
    SqliteDb(SqliteDb &&other) noexcept;
    SqliteDb &operator=(SqliteDb &&other) noexcept;
    SqliteDb(const SqliteDb &) = delete;
    SqliteDb &operator=(const SqliteDb &) = delete;

    Engine engine() const override { return Engine::Sqlite; }
    std::string describe() const override { return m_path; }
    void exec(const std::string &sql) override;
    std::unique_ptr<StatementImpl> prepare(std::string_view sql, bool scan = false) override;
    void beginWrite(const std::function<bool()> &stillWaiting) override;
    void beginRead() override;
    std::string shareSnapshot() override;
    void beginReadAt(const std::string &snapshot) override;
    bool inTransaction() const override;
    void commit() override;
    void rollbackQuietly() noexcept override;
    const char *tableOrderHint() const override { return " NOT INDEXED"; }
    std::string indexHint(const char *index) const override
    {
        return std::string(" INDEXED BY ").append(index);
    }
    bool sumsInClient() const override { return true; }

    sqlite3 *handle() const { return m_db; }
    bool isOpen() const { return m_db != nullptr; }
    std::string errorMessage() const { return m_db ? sqlite3_errmsg(m_db) : "database not open"; }
    [[noreturn]] void fail(const std::string &context) const;

private:
    sqlite3 *m_db = nullptr;
    std::string m_path;
};

} // namespace tl
