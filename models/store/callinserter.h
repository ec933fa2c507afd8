#pragma once

#include "sqlitedb.h"

#include <array>
#include <cstdint>
#include <string_view>

namespace tl {

// Appends rows to the calls table kRows at a time with one multi-row
// INSERT: each statement execution has a fixed cost (cursor open/close,
// program start) that one-row inserts pay per row (a third faster here).
// Text values are bound without copying: they must stay valid until flush().
class CallInserter
{
public:
    static constexpr int kRows = 32;
    static constexpr int kColumns = 34;

    struct Row
    {
        std::array<int64_t, 30> ints; // ts_ms .. tool_nusd, in column order
        std::array<bool, 30> null{};
        std::string_view requestId, promptHash, tags;
        int64_t sourceId;
    };

    explicit CallInserter(SqliteDb &db);
    void add(const Row &row);
    void flush();

private:
    void bindRow(Statement &st, int first, const Row &row);

    SqliteDb &m_db;
    Statement m_many;
    Statement m_one;
    std::array<Row, kRows> m_rows;
    int m_count = 0;
};

} // namespace tl
