#pragma once

#include "database.h"

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace tl {

// Appends rows to the calls table kRows at a time with one multi-row
// INSERT: each statement execution has a fixed cost (cursor open/close,
// program start) that one-row inserts pay per row (a third faster here).
// Rows wait until flush() (the importer's batch of 4,096 records) and are
// written sorted by agent and time, so that an agent's calls lie together
// on disk: a drill into the busiest of 300 agents then reads about a page
// a batch instead of nearly every page of the table. (Larger runs were
// slower to import, from cache misses, and read hardly fewer pages.)
// Text values are not copied: they must stay valid until flush().
// On a PostgreSQL server the rows stream through COPY instead (one per
// flush), into the month partitions they need.
class CallInserter
{
public:
    static constexpr int kRows = 32;
    static constexpr int kBaseInts = 24; // ts_ms .. is_error
    static constexpr int kBillInts = 6;  // cache_write_1h_tokens .. tool_nusd (schema v5)
    static constexpr int kColumns = kBaseInts + kBillInts + 4;

    struct Row
    {
        std::array<int64_t, kBaseInts + kBillInts> ints; // in column order
        std::array<bool, kBaseInts + kBillInts> null{};
        std::string_view requestId, promptHash, tags;
        int64_t sourceId;
        // The v5 columns all at their defaults (0, 0, 0, 0, NULL, NULL).
        bool plain() const;
    };

    explicit CallInserter(Database &db);
    void add(const Row &row);
    // Writes the pending rows; after it their texts may go. (A server's
    // COPY stream is a copy: it is sent when a few MB have gathered, as
    // fewer, longer COPYs load faster.)
    void flush();
    // At the end of a file: everything sent.
    void finish();

private:
    void bindRow(Statement &st, int first, const Row &row, bool bill);
    void addCopy(const Row &row);
    void flushCopy(bool force);

    Database &m_db;
    Statement m_many[2]; // [0]: without the v5 columns, [1]: with them
    Statement m_one[2];
    void writeRows();
    void writeMany();

    std::vector<Row> m_pending;
    std::array<const Row *, kRows> m_rows{};
    int m_count = 0;
    bool m_copy = false;
    std::string m_copyRows;
    std::set<int64_t> m_months; // partitions made sure of (PgSchema::monthOf)
    std::set<int64_t> m_pendingDays;
};

} // namespace tl
