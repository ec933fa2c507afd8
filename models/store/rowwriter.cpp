#include "rowwriter.h"

namespace tl {

RowWriter::RowWriter(Database &db, std::string head, int columns, std::string tail)
    : m_db(db)
    , m_head(std::move(head))
    , m_tail(std::move(tail))
    , m_columns(columns)
{}

void RowWriter::add(const int64_t *row)
{
    m_values.insert(m_values.end(), row, row + m_columns);
    if (m_values.size() == size_t(kRowsPerStatement * m_columns))
        flush();
}

void RowWriter::flush()
{
    const int rows = int(m_values.size()) / m_columns;
    if (rows == 0)
        return;
    Statement &st = rows == kRowsPerStatement ? m_full : m_part;
    if (!st.isPrepared() || rows != kRowsPerStatement) {
        std::string sql = m_head + " VALUES";
        std::string one = "(?";
        for (int c = 1; c < m_columns; ++c)
            one += ", ?";
        one += ")";
        for (int r = 0; r < rows; ++r)
            sql.append(r ? ", " : " ").append(one);
        if (!m_tail.empty())
            sql.append(" ").append(m_tail);
        st = Statement(m_db, sql);
    }
    for (size_t i = 0; i < m_values.size(); ++i)
        st.bind(int(i + 1), m_values[i]);
    st.step();
    st.reset();
    m_values.clear();
}

} // namespace tl
