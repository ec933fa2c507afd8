#include "callinserter.h"

#include <string>

namespace tl {

namespace {

constexpr const char *kColumnList = "ts_ms, day, hour, provider_id, model_id, team_id, feature_id, "
                                    "agent_id, user_id, task_id, status_id, "
                                    "requests, input_tokens, cached_input_tokens, "
                                    "cache_write_tokens, output_tokens, reasoning_tokens, "
                                    "computed_nusd, reported_nusd, latency_ms, outcome, "
                                    "value_nusd, batch, is_error, cache_write_1h_tokens, "
                                    "web_search_calls, file_search_calls, service_tier, "
                                    "long_context, tool_nusd, request_id, prompt_hash, "
                                    "tags, source_id";

std::string insertSql(int rows)
{
    std::string one = "(";
    for (int c = 0; c < CallInserter::kColumns; ++c)
        one += c ? ",?" : "?";
    one += ")";
    std::string sql = std::string("INSERT INTO calls(") + kColumnList + ") VALUES";
    for (int r = 0; r < rows; ++r)
        sql += (r ? "," : "") + one;
    return sql;
}

} // namespace

CallInserter::CallInserter(SqliteDb &db)
    : m_db(db)
    , m_many(db, insertSql(kRows))
    , m_one(db, insertSql(1))
{}

void CallInserter::bindRow(Statement &st, int i, const Row &row)
{
    for (size_t k = 0; k < row.ints.size(); ++k) {
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
    m_rows[size_t(m_count++)] = row;
    if (m_count == kRows) {
        for (int r = 0; r < kRows; ++r)
            bindRow(m_many, 1 + r * kColumns, m_rows[size_t(r)]);
        m_many.step();
        m_many.reset();
        m_count = 0;
    }
}

void CallInserter::flush()
{
    for (int r = 0; r < m_count; ++r) {
        bindRow(m_one, 1, m_rows[size_t(r)]);
        m_one.step();
        m_one.reset();
    }
    m_count = 0;
}

} // namespace tl
