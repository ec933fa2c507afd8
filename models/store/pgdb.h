#pragma once

#include "database.h"

#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace tl {

// One libpq connection to a team's PostgreSQL server. The URI names the
// server; the password comes from ~/.pgpass or PGPASSWORD, never from the
// URI (which ends up in shell history, settings and window titles).
class PgDb : public Database
{
public:
    // Throws StoreError (Connection) naming the server and the reason.
    explicit PgDb(const std::string &uri);
    ~PgDb() override;
    PgDb(const PgDb &) = delete;
    PgDb &operator=(const PgDb &) = delete;

    Engine engine() const override { return Engine::Postgres; }
    std::string describe() const override { return m_name; }
    void exec(const std::string &sql) override;
    std::unique_ptr<StatementImpl> prepare(std::string_view sql, bool scan = false) override;
    void beginWrite(const std::function<bool()> &stillWaiting) override;
    void beginRead() override;
    std::string shareSnapshot() override;
    void beginReadAt(const std::string &snapshot) override;
    bool inTransaction() const override;
    void commit() override;
    void rollbackQuietly() noexcept override;
    const char *tableOrderHint() const override { return ""; }
    std::string indexHint(const char *) const override { return {}; }
    bool sumsInClient() const override { return false; }

    // COPY table(columns) FROM STDIN, text format: `data` holds whole rows
    // (see copyEscape). Inside the caller's transaction.
    void copyIn(const std::string &table, const std::string &columns, const std::string &data);
    // COPY (query) TO STDOUT: the rows as the COPY options say (e.g. CSV
    // with a header, the shape `\copy` writes), appended to `out`.
    void copyOut(const std::string &query, const std::string &options, std::string &out);
    // A temporary table of this connection (created on first use from
    // `definition`, emptied each time) filled with `data` through COPY: the
    // bulk paths send rows in one stream and merge them with one statement
    // instead of a round trip per row.
    void stage(const std::string &table, const std::string &definition, const std::string &data);
    // Appends `text` to a COPY text-format row, escaped.
    static void copyEscape(std::string &out, std::string_view text);

    // A password the user typed for `uri` (the app's prompt), kept in this
    // process's memory only — never in settings or on disk — for every
    // connection to it (the views' query threads open their own).
    static void rememberPassword(const std::string &uri, const std::string &password);

    pg_conn *handle() const { return m_conn; }
    // The server's error for `res` (or the connection's) as a StoreError.
    [[noreturn]] void fail(pg_result *res, const std::string &context);
    // Runs after a failed transaction has ended: statements freed while it
    // was aborted cannot be deallocated inside it.
    void deallocateLater(std::string name) { m_freed.push_back(std::move(name)); }
    std::string nextStatementName() { return "tl" + std::to_string(++m_statements); }
    void deallocateFreed();

private:
    void finishCopy(); // a COPY's result, the connection drained for a rollback on failure
    pg_conn *m_conn = nullptr;
    std::string m_name;
    std::vector<std::string> m_freed;
    int64_t m_statements = 0;
};

// `?` parameters as PostgreSQL's `$1`, `$2`…; quoted text left alone.
std::string pgParameters(std::string_view sql);

} // namespace tl
