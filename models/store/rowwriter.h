#pragma once

#include "database.h"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace tl {

// Rows written many to a statement ("head VALUES (…), (…), … tail"): on a
// server each statement is a round trip (a day's tasks one by one took 14 s
// of a 1M-call import), and on a file a statement's set-up is paid once for
// the lot (a task's days upserted one by one cost 1.6 µs a row).
class RowWriter
{
public:
    static constexpr int kRowsPerStatement = 256;
    // `tail` follows the values (an upsert's ON CONFLICT clause).
    RowWriter(Database &db, std::string head, int columns, std::string tail = {});
    ~RowWriter() = default; // the caller flushes: a throw must not write
    void add(std::initializer_list<int64_t> row) { add(row.begin()); }
    void add(const int64_t *row); // `columns` values
    void flush();

private:
    Database &m_db;
    std::string m_head, m_tail;
    int m_columns;
    std::vector<int64_t> m_values;
    Statement m_full, m_part;
};

} // namespace tl
