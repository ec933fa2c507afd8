#include "callinserter.h"

#include "pgdb.h"
#include "pgschema.h"

#include <algorithm>
#include <charconv>
#include <string>

namespace tl {

namespace {

constexpr const char *kBaseColumns = "ts_ms, day, hour, provider_id, model_id, team_id, "
                                     "feature_id, agent_id, user_id, task_id, status_id, "
                                     "requests, input_tokens, cached_input_tokens, "
                                     "cache_write_tokens, output_tokens, reasoning_tokens, "
                                     "computed_nusd, reported_nusd, latency_ms, outcome, "
                                     "value_nusd, batch, is_error, ";
constexpr const char *kBillColumns = "cache_write_1h_tokens, web_search_calls, file_search_calls, "
                                     "service_tier, long_context, tool_nusd, ";
constexpr const char *kTextColumns = "request_id, prompt_hash, tags, source_id";

std::string insertSql(int rows, bool bill)
{
    const int columns = CallInserter::kColumns - (bill ? 0 : CallInserter::kBillInts);
    std::string one = "(";
    for (int c = 0; c < columns; ++c)
        one += c ? ",?" : "?";
    one += ")";
    std::string sql = std::string("INSERT INTO calls(") + kBaseColumns +
                      (bill ? kBillColumns : "") + kTextColumns + ") VALUES";
    for (int r = 0; r < rows; ++r)
        sql += (r ? "," : "") + one;
    return sql;
}

} // namespace

bool CallInserter::Row::plain() const
{
    for (size_t k = kBaseInts; k < ints.size(); ++k)
        if (null[k] ? false : ints[k] != 0)
            return false;
    return null[kBaseInts + 4] && null[kBaseInts + 5]; // long_context, tool_nusd
}

CallInserter::CallInserter(Database &db)
    : m_db(db)
    , m_copy(db.engine() == Engine::Postgres)
{
    if (m_copy)
        return;
    m_many[0] = Statement(db, insertSql(kRows, false));
    m_many[1] = Statement(db, insertSql(kRows, true));
    m_one[0] = Statement(db, insertSql(1, false));
    m_one[1] = Statement(db, insertSql(1, true));
}

void CallInserter::addCopy(const Row &row)
{
    char buf[24];
    for (size_t k = 0; k < row.ints.size(); ++k) {
        if (row.null[k]) {
            m_copyRows += "\\N\t";
            continue;
        }
        auto r = std::to_chars(buf, buf + sizeof buf, row.ints[k]);
        m_copyRows.append(buf, r.ptr);
        m_copyRows += '\t';
    }
    for (std::string_view s : {row.requestId, row.promptHash, row.tags}) {
        if (s.empty())
            m_copyRows += "\\N";
        else
            PgDb::copyEscape(m_copyRows, s);
        m_copyRows += '\t';
    }
    auto r = std::to_chars(buf, buf + sizeof buf, row.sourceId);
    m_copyRows.append(buf, r.ptr);
    m_copyRows += '\n';
    m_pendingDays.insert(row.ints[1]);
}

void CallInserter::flushCopy(bool force)
{
    constexpr size_t kCopyBytes = 8u << 20;
    if (m_copyRows.empty() || (!force && m_copyRows.size() < kCopyBytes))
        return;
    // A new month gets its partition before the rows that need it.
    for (int64_t day : m_pendingDays)
        if (m_months.insert(PgSchema::monthOf(day)).second)
            PgSchema::ensurePartition(m_db, day);
    m_pendingDays.clear();
    static const std::string columns = std::string(kBaseColumns) + kBillColumns + kTextColumns;
    static_cast<PgDb &>(m_db).copyIn("calls", columns, m_copyRows);
    m_copyRows.clear();
}

void CallInserter::bindRow(Statement &st, int i, const Row &row, bool bill)
{
    const size_t n = bill ? row.ints.size() : size_t(kBaseInts);
    for (size_t k = 0; k < n; ++k) {
        if (row.null[k])
            st.bindNull(i++);
        else
            st.bind(i++, row.ints[k]);
    }
    auto text = [&](std::string_view s) {
        if (s.empty())
            st.bindNull(i++);
        else
            st.bindStatic(i++, s);
    };
    text(row.requestId);
    text(row.promptHash);
    text(row.tags);
    st.bind(i++, row.sourceId);
}

void CallInserter::add(const Row &row)
{
    m_pending.push_back(row);
}

void CallInserter::writeRows()
{
    // By agent, then time (ints[0] is ts_ms, ints[7] agent_id); the sort is
    // stable so that calls at the same moment keep the file's order.
    std::vector<uint32_t> order(m_pending.size());
    for (uint32_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [this](uint32_t a, uint32_t b) {
        const Row &x = m_pending[a], &y = m_pending[b];
        return x.ints[7] != y.ints[7] ? x.ints[7] < y.ints[7] : x.ints[0] < y.ints[0];
    });
    for (uint32_t i : order) {
        const Row &row = m_pending[i];
        if (m_copy) {
            addCopy(row);
            continue;
        }
        m_rows[size_t(m_count++)] = &row;
        if (m_count == kRows)
            writeMany();
    }
    for (int r = 0; r < m_count; ++r) {
        const bool bill = !m_rows[size_t(r)]->plain();
        Statement &st = m_one[bill ? 1 : 0];
        bindRow(st, 1, *m_rows[size_t(r)], bill);
        st.step();
        st.reset();
    }
    m_count = 0;
    m_pending.clear();
}

void CallInserter::writeMany()
{
    // Most calls have no 1-hour writes, search calls or tier: leaving
    // those columns to their defaults spares six binds a row.
    bool bill = false;
    for (int r = 0; r < kRows && !bill; ++r)
        bill = !m_rows[size_t(r)]->plain();
    Statement &st = m_many[bill ? 1 : 0];
    const int width = kColumns - (bill ? 0 : kBillInts);
    for (int r = 0; r < kRows; ++r)
        bindRow(st, 1 + r * width, *m_rows[size_t(r)], bill);
    st.step();
    st.reset();
    m_count = 0;
}

void CallInserter::finish()
{
    writeRows();
    if (m_copy)
        flushCopy(true);
}

void CallInserter::flush()
{
    writeRows();
    if (m_copy)
        flushCopy(false);
}

} // namespace tl
