#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tl {

// The two engines a workspace lives in: an SQLite file of one's own, or a
// team's PostgreSQL server. Everything above models/store talks to Database
// and Statement and never learns which; the engines hold every difference
// of dialect (see README, "One store, two engines").
enum class Engine { Sqlite, Postgres };

// What went wrong, in terms a caller can act on; the engine's own code and
// message ride along in what().
class StoreError : public std::runtime_error
{
public:
    enum class Kind {
        Other,
        Busy,       // another writer holds the store
        Damaged,    // a damaged or foreign file
        Permission, // the role may not do this (a read-only server role)
        Connection, // the server is unreachable, refused us, or went away
        Password,   // the server wants a password, or another one
        Overflow,   // a sum passed 64 bits
    };
    StoreError(Kind kind, int code, const std::string &what)
        : std::runtime_error(what)
        , m_kind(kind)
        , m_code(code)
    {}
    Kind kind() const { return m_kind; }
    // The engine's code (SQLite's extended result code; 0 for PostgreSQL,
    // whose SQLSTATE is in the message).
    int code() const { return m_code; }

private:
    Kind m_kind;
    int m_code;
};

// One engine's prepared statement. Parameters are written `?` in every
// statement of ours, numbered from 1 as they appear; each engine maps them
// to its own syntax.
class StatementImpl
{
public:
    virtual ~StatementImpl() = default;
    virtual void bind(int index, int64_t value) = 0;
    virtual void bind(int index, double value) = 0;
    virtual void bindText(int index, std::string_view text, bool stable) = 0;
    virtual void bindBlob(int index, const void *data, int size) = 0;
    virtual void bindNull(int index) = 0;
    virtual bool step() = 0;
    virtual void reset() = 0;
    virtual void clearBindings() = 0;
    virtual int64_t columnInt(int col) const = 0;
    virtual double columnDouble(int col) const = 0;
    virtual bool columnIsNull(int col) const = 0;
    virtual std::string_view columnText(int col) const = 0;
    virtual std::string_view columnBlob(int col) const = 0;
    virtual int columnCount() const = 0;
    virtual std::string columnName(int col) const = 0;
};

// One connection to a store. One connection per thread, as both engines'
// client libraries and Qt ask.
class Database
{
public:
    virtual ~Database() = default;
    virtual Engine engine() const = 0;
    // Where it is, for messages: the file, or the server without password.
    virtual std::string describe() const = 0;
    virtual void exec(const std::string &sql) = 0;
    // scan: the statement may return millions of rows, read once in order
    // (a server then sends them in chunks through a cursor when inside a
    // transaction, instead of one result held whole in memory).
    virtual std::unique_ptr<StatementImpl> prepare(std::string_view sql, bool scan = false) = 0;

    // Transactions (see Transaction). beginWrite waits its turn behind
    // another writer, asking stillWaiting() every few seconds whether to
    // go on; false gives up with StoreError::Kind::Busy.
    virtual void beginWrite(const std::function<bool()> &stillWaiting) = 0;
    virtual void beginRead() = 0;
    // An id by which another connection reads the snapshot of this one's
    // open read transaction (beginReadAt), so that work split over two
    // connections reads the same commits: a server's exported snapshot.
    // Empty where the engine cannot share one (SQLite: none of its
    // connections can read another's snapshot) or the role may not
    // (a server that revokes pg_export_snapshot). Throws StoreError when
    // the server fails it: the read transaction is over then.
    virtual std::string shareSnapshot() = 0;
    // Begins a read transaction at a snapshot another connection shared
    // (and still holds open). Throws StoreError when it cannot.
    virtual void beginReadAt(const std::string &snapshot) = 0;
    virtual void commit() = 0;
    // Whether a transaction is open on this connection.
    virtual bool inTransaction() const = 0;
    virtual void rollbackQuietly() noexcept = 0;

    int64_t queryInt(const std::string &sql, int64_t fallback = 0);

    // Dialect: what follows a table's name to read it in table order
    // rather than through an index (SQLite's NOT INDEXED; PostgreSQL's
    // planner needs no hint).
    virtual const char *tableOrderHint() const = 0;
    // What follows a table's name to read it through the named index
    // (SQLite's INDEXED BY, where the caller knows the data better than the
    // planner; PostgreSQL's planner decides from its statistics).
    virtual std::string indexHint(const char *index) const = 0;
    // Whether rows are summed cheaper here than by the engine's GROUP BY:
    // SQLite's SUM()s cost ~2 µs a rollup row, several times reading the
    // rows and adding them in a hash map; a server sums a month's 19k
    // rollup rows in 6 ms and takes 20 ms to send them as they are.
    virtual bool sumsInClient() const = 0;
};

// A prepared statement of either engine; reset() after each step() cycle is
// done by the caller so that bound values can be reused where that is cheaper.
class Statement
{
public:
    enum Mode { Rows, Scan };
    Statement() = default;
    Statement(Database &db, std::string_view sql, Mode mode = Rows)
        : m_impl(db.prepare(sql, mode == Scan))
    {}

    void bind(int index, int64_t value) { m_impl->bind(index, value); }
    void bind(int index, int value) { m_impl->bind(index, int64_t(value)); }
    void bind(int index, double value) { m_impl->bind(index, value); }
    void bind(int index, std::string_view text) { m_impl->bindText(index, text, false); }
    void bind(int index, const std::string &text) { m_impl->bindText(index, text, false); }
    void bind(int index, const char *text) { m_impl->bindText(index, text, false); }
    // The text must stay valid until step(): saves a copy per value on bulk paths.
    void bindStatic(int index, std::string_view text) { m_impl->bindText(index, text, true); }
    void bindBlob(int index, const void *data, int size) { m_impl->bindBlob(index, data, size); }
    void bindNull(int index) { m_impl->bindNull(index); }

    // true when a row is ready, false when done.
    bool step() { return m_impl->step(); }
    void reset() { m_impl->reset(); }
    void clearBindings() { m_impl->clearBindings(); }

    int64_t columnInt(int col) const { return m_impl->columnInt(col); }
    double columnDouble(int col) const { return m_impl->columnDouble(col); }
    bool columnIsNull(int col) const { return m_impl->columnIsNull(col); }
    std::string_view columnText(int col) const { return m_impl->columnText(col); }
    std::string_view columnBlob(int col) const { return m_impl->columnBlob(col); }
    int columnCount() const { return m_impl->columnCount(); }
    bool isPrepared() const { return m_impl != nullptr; }
    std::string columnName(int col) const { return m_impl->columnName(col); }

private:
    std::unique_ptr<StatementImpl> m_impl;
};

// RAII transaction: rolls back unless commit() was reached, so every early
// return and exception leaves the store as it was.
class Transaction
{
public:
    // A Read inside an open transaction joins it (its snapshot serves):
    // commit and rollback are then the outer one's to do.
    enum Kind { Read, Write };
    explicit Transaction(Database &db, Kind kind = Write);
    // A writer that waits its turn (see Database::beginWrite).
    Transaction(Database &db, const std::function<bool()> &stillWaiting);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;
    void commit();
    void rollback();

private:
    Database &m_db;
    bool m_open = true;
    bool m_joined = false;
};

// Opens the store `target` names: a libpq connection URI
// (postgresql://user@host:port/db or postgres://…) for a server, any other
// string a file path. Throws StoreError.
bool isServerTarget(std::string_view target);

} // namespace tl
