#include "pgdb.h"

#include <libpq-fe.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

namespace tl {

namespace {

// Every writer of a database takes this lock for its whole transaction, so
// that two imports into one server give the totals of one after the other
// (no lost rollup update, no call counted twice), as SQLite's write lock
// does for a file. Advisory locks need no privilege. ("tokenledger" in ASCII.)
constexpr const char *kWriterLockSql = "SELECT pg_try_advisory_xact_lock(7812660251176085874)";

constexpr unsigned kByteaOid = 17;
constexpr unsigned kBoolOid = 16;

StoreError::Kind kindOfState(const char *state)
{
    const std::string_view s = state ? state : "";
    if (s == "42501" || s == "25006")
        return StoreError::Kind::Permission;
    if (s.rfind("08", 0) == 0 || s == "57P01" || s == "57P02" || s == "57P03" || s == "3D000" ||
        s == "28P01" || s == "28000")
        return StoreError::Kind::Connection;
    if (s == "22003")
        return StoreError::Kind::Overflow;
    if (s == "40001" || s == "40P01" || s == "55P03")
        return StoreError::Kind::Busy;
    return StoreError::Kind::Other;
}

std::string trimmed(const char *msg)
{
    std::string s = msg ? msg : "";
    // libpq's messages are "ERROR:  …\n" with detail lines: one line.
    if (s.rfind("ERROR:  ", 0) == 0)
        s = s.substr(8);
    if (s.rfind("FATAL:  ", 0) == 0)
        s = s.substr(8);
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    for (char &c : s)
        if (c == '\n')
            c = ' ';
    return s;
}

// The server without its password, for messages and titles.
std::string serverName(PGconn *c)
{
    std::string s = "postgresql://";
    if (const char *u = PQuser(c); u && *u)
        s += std::string(u) + "@";
    const char *host = PQhost(c);
    s += (host && *host && host[0] != '/') ? host : "localhost";
    if (const char *port = PQport(c); port && *port)
        s += std::string(":") + port;
    if (const char *db = PQdb(c); db && *db)
        s += std::string("/") + db;
    return s;
}

// The URI as given, less any password, when the connection never opened.
std::string uriWithoutPassword(const std::string &uri)
{
    const size_t scheme = uri.find("://");
    const size_t at = uri.find('@');
    if (scheme == std::string::npos || at == std::string::npos)
        return uri;
    const size_t colon = uri.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at)
        return uri.substr(0, colon) + uri.substr(at);
    return uri;
}

class PgStatement : public StatementImpl
{
public:
    PgStatement(PgDb &db, std::string_view sql, bool scan)
        : m_db(db)
        , m_sql(pgParameters(sql))
        , m_scan(scan)
    {
        int params = 0;
        for (size_t i = 0; i + 1 < m_sql.size(); ++i)
            if (m_sql[i] == '$' && m_sql[i + 1] >= '1' && m_sql[i + 1] <= '9') {
                int n = 0;
                std::from_chars(m_sql.data() + i + 1, m_sql.data() + m_sql.size(), n);
                params = std::max(params, n);
            }
        m_values.resize(size_t(params));
        m_null.assign(size_t(params), true);
        m_binary.assign(size_t(params), 0);
        // Prepared now, as SQLite prepares: a statement the server cannot
        // run is an error where it is written, not at its first step.
        ensurePrepared();
    }
    ~PgStatement() override
    {
        closeCursor();
        PQclear(m_res);
        PQclear(m_desc);
        if (!m_name.empty())
            m_db.deallocateLater(m_name);
    }

    void bind(int index, int64_t value) override
    {
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof buf, value);
        set(index, std::string(buf, r.ptr), false);
    }
    void bind(int index, double value) override
    {
        char buf[32];
        auto r = std::to_chars(buf, buf + sizeof buf, value);
        set(index, std::string(buf, r.ptr), false);
    }
    void bindText(int index, std::string_view text, bool) override
    {
        set(index, std::string(text), false);
    }
    void bindBlob(int index, const void *data, int size) override
    {
        set(index, std::string(static_cast<const char *>(data), size_t(size)), true);
    }
    void bindNull(int index) override
    {
        check(index);
        m_null[size_t(index - 1)] = true;
    }

    bool step() override
    {
        if (!m_res) {
            execute();
            m_row = -1;
        }
        if (++m_row < PQntuples(m_res))
            return true;
        // A cursor's next chunk, until one comes back short.
        if (!m_cursor.empty() && PQntuples(m_res) == kChunk) {
            fetch();
            m_row = 0;
            return PQntuples(m_res) > 0;
        }
        return false;
    }
    void reset() override
    {
        closeCursor();
        PQclear(m_res);
        m_res = nullptr;
    }
    void clearBindings() override { m_null.assign(m_null.size(), true); }

    int64_t columnInt(int col) const override
    {
        const char *v = PQgetvalue(m_res, m_row, col);
        if (PQftype(m_res, col) == kBoolOid)
            return *v == 't' ? 1 : 0;
        int64_t out = 0;
        const size_t len = size_t(PQgetlength(m_res, m_row, col));
        auto r = std::from_chars(v, v + len, out);
        if (r.ec == std::errc::result_out_of_range)
            throw StoreError(StoreError::Kind::Overflow, 0,
                             m_db.describe() + ": a sum passed 64 bits (" + std::string(v, len) +
                                 ")");
        // "12.5" (a numeric sum or average) is 12, as SQLite reads a REAL as
        // an integer; "1e+20" and the like go through a double.
        if (r.ptr != v + len && *r.ptr != '.')
            return int64_t(std::strtod(v, nullptr));
        return out;
    }
    double columnDouble(int col) const override
    {
        return std::strtod(PQgetvalue(m_res, m_row, col), nullptr);
    }
    bool columnIsNull(int col) const override { return PQgetisnull(m_res, m_row, col); }
    std::string_view columnText(int col) const override
    {
        if (PQgetisnull(m_res, m_row, col))
            return {};
        return {PQgetvalue(m_res, m_row, col), size_t(PQgetlength(m_res, m_row, col))};
    }
    std::string_view columnBlob(int col) const override
    {
        if (PQgetisnull(m_res, m_row, col))
            return {};
        if (PQftype(m_res, col) != kByteaOid)
            return columnText(col);
        // Text results carry bytea as \x and hex digits.
        const char *v = PQgetvalue(m_res, m_row, col);
        const size_t len = size_t(PQgetlength(m_res, m_row, col));
        m_blob.clear();
        auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
        if (len >= 2 && v[0] == '\\' && v[1] == 'x')
            for (size_t i = 2; i + 1 < len; i += 2)
                m_blob.push_back(char(nibble(v[i]) << 4 | nibble(v[i + 1])));
        return m_blob;
    }
    int columnCount() const override { return PQnfields(shape()); }
    std::string columnName(int col) const override { return PQfname(shape(), col); }

private:
    void check(int index) const
    {
        if (index < 1 || size_t(index) > m_values.size())
            throw StoreError(StoreError::Kind::Other, 0,
                             "bind: parameter " + std::to_string(index) + " of " +
                                 std::to_string(m_values.size()) + " in '" + m_sql.substr(0, 60) +
                                 "'");
    }
    void set(int index, std::string value, bool binary)
    {
        check(index);
        m_values[size_t(index - 1)] = std::move(value);
        m_null[size_t(index - 1)] = false;
        m_binary[size_t(index - 1)] = binary ? 1 : 0;
    }
    void ensurePrepared()
    {
        if (!m_name.empty())
            return;
        m_db.deallocateFreed();
        std::string name = m_db.nextStatementName();
        PGresult *r = PQprepare(m_db.handle(), name.c_str(), m_sql.c_str(), 0, nullptr);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            m_db.fail(r, "prepare '" + m_sql.substr(0, 60) + "'");
        PQclear(r);
        m_name = std::move(name);
    }
    static constexpr int kChunk = 65536;

    void fetch()
    {
        PQclear(m_res);
        m_res = nullptr;
        const std::string sql = "FETCH FORWARD " + std::to_string(kChunk) + " FROM " + m_cursor;
        PGresult *r = PQexec(m_db.handle(), sql.c_str());
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            m_db.fail(r, "fetch");
        m_res = r;
    }
    void closeCursor()
    {
        if (m_cursor.empty())
            return;
        if (PQtransactionStatus(m_db.handle()) == PQTRANS_INTRANS)
            PQclear(PQexec(m_db.handle(), ("CLOSE " + m_cursor).c_str()));
        m_cursor.clear();
    }
    void execute()
    {
        if (m_scan && PQtransactionStatus(m_db.handle()) == PQTRANS_INTRANS) {
            // A cursor lives only inside a transaction; outside one the
            // rows come whole, as for any statement.
            std::vector<const char *> values(m_values.size());
            std::vector<int> lengths(m_values.size());
            for (size_t i = 0; i < m_values.size(); ++i) {
                values[i] = m_null[i] ? nullptr : m_values[i].c_str();
                lengths[i] = int(m_values[i].size());
            }
            const std::string name = m_db.nextStatementName() + "c";
            const std::string sql = "DECLARE " + name + " NO SCROLL CURSOR FOR " + m_sql;
            PGresult *r = PQexecParams(m_db.handle(), sql.c_str(), int(values.size()), nullptr,
                                       values.data(), lengths.data(), m_binary.data(), 0);
            if (PQresultStatus(r) != PGRES_COMMAND_OK)
                m_db.fail(r, m_sql.substr(0, 60));
            PQclear(r);
            m_cursor = name;
            fetch();
            return;
        }
        ensurePrepared();
        std::vector<const char *> values(m_values.size());
        std::vector<int> lengths(m_values.size());
        for (size_t i = 0; i < m_values.size(); ++i) {
            values[i] = m_null[i] ? nullptr : m_values[i].c_str();
            lengths[i] = int(m_values[i].size());
        }
        PGresult *r = PQexecPrepared(m_db.handle(), m_name.c_str(), int(values.size()),
                                     values.data(), lengths.data(), m_binary.data(), 0);
        const auto status = PQresultStatus(r);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
            m_db.fail(r, m_sql.substr(0, 60));
        m_res = r;
    }
    // The result's columns, before the first step too (as SQLite knows them).
    const PGresult *shape() const
    {
        if (m_res)
            return m_res;
        if (!m_desc) {
            PGresult *r = PQdescribePrepared(m_db.handle(), m_name.c_str());
            if (PQresultStatus(r) != PGRES_COMMAND_OK)
                m_db.fail(r, "describe");
            m_desc = r;
        }
        return m_desc;
    }

    PgDb &m_db;
    std::string m_sql;
    std::string m_name;
    std::vector<std::string> m_values;
    std::vector<bool> m_null;
    std::vector<int> m_binary;
    bool m_scan = false;
    std::string m_cursor; // while a scan's cursor is open
    PGresult *m_res = nullptr;
    mutable PGresult *m_desc = nullptr;
    int m_row = -1;
    mutable std::string m_blob;
};

std::mutex g_passwordsMutex;
std::map<std::string, std::string> &passwords()
{
    static std::map<std::string, std::string> p;
    return p;
}

} // namespace

void PgDb::rememberPassword(const std::string &uri, const std::string &password)
{
    std::lock_guard lock(g_passwordsMutex);
    passwords()[uri] = password;
}

std::string pgParameters(std::string_view sql)
{
    std::string out;
    out.reserve(sql.size() + 16);
    int n = 0;
    char quote = 0;
    for (char c : sql) {
        if (quote) {
            out += c;
            if (c == quote)
                quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
            out += c;
        } else if (c == '?') {
            out += '$' + std::to_string(++n);
        } else {
            out += c;
        }
    }
    return out;
}

PgDb::PgDb(const std::string &uri)
{
    // A password in the URI would be kept in shell history, the recent
    // servers list and the window title: refused, with where it belongs.
    char *err = nullptr;
    PQconninfoOption *opts = PQconninfoParse(uri.c_str(), &err);
    if (!opts) {
        std::string why = err ? trimmed(err) : "cannot be read";
        PQfreemem(err);
        throw StoreError(StoreError::Kind::Connection, 0,
                         uriWithoutPassword(uri) + ": not a valid connection URI (" + why + ")");
    }
    bool password = false;
    for (PQconninfoOption *o = opts; o->keyword; ++o)
        if (std::strcmp(o->keyword, "password") == 0 && o->val && *o->val)
            password = true;
    PQconninfoFree(opts);
    if (password)
        throw StoreError(StoreError::Kind::Connection, 0,
                         uriWithoutPassword(uri) +
                             ": a password in the URI is refused (it would be kept in shell "
                             "history and settings); put it in ~/.pgpass or PGPASSWORD");
    // connect_timeout: an unreachable server is an error in seconds, not a hang.
    std::string typed;
    {
        std::lock_guard lock(g_passwordsMutex);
        if (auto it = passwords().find(uri); it != passwords().end())
            typed = it->second;
    }
    // Later keywords override the URI's: the remembered password joins here.
    const char *keys[] = {"dbname", "connect_timeout", "application_name",
                          typed.empty() ? nullptr : "password", nullptr};
    const char *values[] = {uri.c_str(), "10", "tokenledger", typed.c_str(), nullptr};
    m_conn = PQconnectdbParams(keys, values, 1);
    if (!m_conn || PQstatus(m_conn) != CONNECTION_OK) {
        const std::string why = m_conn ? trimmed(PQerrorMessage(m_conn)) : "out of memory";
        const bool wantsPassword =
            m_conn && (PQconnectionNeedsPassword(m_conn) ||
                       why.find("password authentication failed") != std::string::npos);
        PQfinish(m_conn);
        m_conn = nullptr;
        throw StoreError(wantsPassword ? StoreError::Kind::Password : StoreError::Kind::Connection,
                         0, uriWithoutPassword(uri) + ": cannot connect (" + why + ")");
    }
    m_name = serverName(m_conn);
    // Quiet notices (they would go to stderr); UTC, so that no server
    // setting changes a day boundary; our bytes are UTF-8.
    PQsetNoticeProcessor(
        m_conn, [](void *, const char *) {}, nullptr);
    exec("SET client_encoding = 'UTF8'; SET TimeZone = 'UTC'; SET client_min_messages = warning");
}

PgDb::~PgDb()
{
    PQfinish(m_conn);
}

void PgDb::fail(PGresult *res, const std::string &context)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string msg = trimmed(res ? PQresultErrorMessage(res) : PQerrorMessage(m_conn));
    if (msg.empty())
        msg = trimmed(PQerrorMessage(m_conn));
    auto kind = kindOfState(state);
    if (PQstatus(m_conn) == CONNECTION_BAD) {
        kind = StoreError::Kind::Connection;
        if (msg.empty())
            msg = "the connection was lost";
    }
    PQclear(res);
    if (std::getenv("TL_DEBUG_SQL"))
        std::fprintf(stderr, "tokenledger: %s: %s\n", context.c_str(), msg.c_str());
    throw StoreError(kind, 0, m_name + ": " + msg);
}

void PgDb::exec(const std::string &sql)
{
    deallocateFreed();
    PGresult *r = PQexec(m_conn, sql.c_str());
    const auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        fail(r, sql.substr(0, 60));
    PQclear(r);
}

void PgDb::deallocateFreed()
{
    // In batches: a DEALLOCATE per new statement was a third of a one-shot
    // statement's round trips (prepare, execute, deallocate); the server
    // keeps a few dozen unused plans meanwhile, and a closed connection
    // frees them all.
    constexpr size_t kBatch = 32;
    if (m_freed.size() < kBatch || PQtransactionStatus(m_conn) == PQTRANS_INERROR)
        return;
    std::string sql;
    for (const std::string &n : m_freed)
        sql += "DEALLOCATE " + n + ";";
    m_freed.clear();
    PQclear(PQexec(m_conn, sql.c_str()));
}

std::unique_ptr<StatementImpl> PgDb::prepare(std::string_view sql, bool scan)
{
    return std::make_unique<PgStatement>(*this, sql, scan);
}

void PgDb::beginWrite(const std::function<bool()> &stillWaiting)
{
    exec("BEGIN");
    const auto started = std::chrono::steady_clock::now();
    auto asked = started;
    for (;;) {
        PGresult *r = PQexec(m_conn, kWriterLockSql);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            rollbackQuietly();
            fail(r, "lock");
        }
        const bool got = PQgetvalue(r, 0, 0)[0] == 't';
        PQclear(r);
        if (got)
            return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        const auto now = std::chrono::steady_clock::now();
        // As SQLite's busy timeout: five seconds, then ask (or give up).
        if (now - asked >= std::chrono::seconds(5)) {
            asked = now;
            if (!stillWaiting || !stillWaiting()) {
                rollbackQuietly();
                throw StoreError(StoreError::Kind::Busy, 0,
                                 m_name + ": another import is writing to this server's ledger; "
                                          "try again when it has finished");
            }
        }
    }
}

void PgDb::beginRead()
{
    // One snapshot for every statement of a read: a view's figures all
    // come from the same commits, never half of an import.
    exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

std::string PgDb::shareSnapshot()
{
    // Outside a transaction a snapshot ends with the statement exporting it.
    if (!inTransaction())
        return {};
    // A failed statement ends the caller's transaction, so ask first: a
    // managed server may revoke the function from ordinary roles, and then
    // the work runs on this connection alone. (Not in one statement: the
    // server checks a function's privilege before evaluating, even in a
    // CASE branch never taken.)
    PGresult *r = PQexec(m_conn, "SELECT has_function_privilege("
                                 "'pg_catalog.pg_export_snapshot()', 'EXECUTE')");
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        fail(r, "export snapshot");
    const bool may = PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    if (!may)
        return {};
    r = PQexec(m_conn, "SELECT pg_catalog.pg_export_snapshot()");
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        fail(r, "export snapshot");
    std::string id;
    if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
        id = PQgetvalue(r, 0, 0);
    PQclear(r);
    return id;
}

void PgDb::beginReadAt(const std::string &snapshot)
{
    // The id goes into the statement's text (SET takes no parameter):
    // only what pg_export_snapshot() writes, hex digits and dashes.
    const bool wellFormed =
        !snapshot.empty() &&
        snapshot.find_first_not_of("0123456789ABCDEFabcdef-") == std::string::npos;
    if (!wellFormed)
        throw StoreError(StoreError::Kind::Other, 0, m_name + ": not a snapshot id: " + snapshot);
    beginRead();
    try {
        exec("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
    } catch (...) {
        rollbackQuietly();
        throw;
    }
}

bool PgDb::inTransaction() const
{
    return PQtransactionStatus(m_conn) != PQTRANS_IDLE;
}

void PgDb::commit()
{
    exec("COMMIT");
}

void PgDb::rollbackQuietly() noexcept
{
    PQclear(PQexec(m_conn, "ROLLBACK"));
}

void PgDb::stage(const std::string &table, const std::string &definition, const std::string &data)
{
    exec("CREATE TEMP TABLE IF NOT EXISTS " + table + " " + definition + "; TRUNCATE " + table);
    copyIn(table, {}, data);
}

void PgDb::copyEscape(std::string &out, std::string_view text)
{
    // COPY's text format: backslash escapes for the separators and itself.
    for (char c : text) {
        const char *escaped = c == '\\'   ? "\\\\"
                              : c == '\n' ? "\\n"
                              : c == '\r' ? "\\r"
                              : c == '\t' ? "\\t"
                                          : nullptr;
        if (escaped)
            out += escaped;
        else
            out += c;
    }
}

void PgDb::copyIn(const std::string &table, const std::string &columns, const std::string &data)
{
    deallocateFreed();
    const std::string target = columns.empty() ? table : table + "(" + columns + ")";
    PGresult *r = PQexec(m_conn, ("COPY " + target + " FROM STDIN").c_str());
    if (PQresultStatus(r) != PGRES_COPY_IN)
        fail(r, "copy");
    PQclear(r);
    if (PQputCopyData(m_conn, data.data(), int(data.size())) != 1 ||
        PQputCopyEnd(m_conn, nullptr) != 1)
        fail(nullptr, "copy");
    finishCopy();
}

void PgDb::finishCopy()
{
    PGresult *r = PQgetResult(m_conn);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) {
        // Drain so the connection is usable for the rollback.
        PGresult *rest;
        while ((rest = PQgetResult(m_conn)))
            PQclear(rest);
        fail(r, "copy");
    }
    PQclear(r);
    while ((r = PQgetResult(m_conn)))
        PQclear(r);
}

void PgDb::copyOut(const std::string &query, const std::string &options, std::string &out)
{
    deallocateFreed();
    PGresult *r = PQexec(m_conn, ("COPY (" + query + ") TO STDOUT WITH (" + options + ")").c_str());
    if (PQresultStatus(r) != PGRES_COPY_OUT)
        fail(r, "copy");
    PQclear(r);
    for (;;) {
        char *buf = nullptr;
        const int n = PQgetCopyData(m_conn, &buf, 0);
        if (n > 0) {
            out.append(buf, size_t(n));
            PQfreemem(buf);
            continue;
        }
        if (n == -2)
            fail(nullptr, "copy");
        break; // -1: done
    }
    finishCopy();
}

} // namespace tl
