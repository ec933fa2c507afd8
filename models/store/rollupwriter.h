#pragma once

#include "database.h"
#include "rollupaccumulator.h"

namespace tl {

// Adds accumulated sums to the rollup tables (UPSERT), inside the caller's
// transaction. On a server the sums stream through COPY into a staging
// table and merge with one statement per table (a round trip per row cost
// 10 of 16 seconds of a 485k-call import over loopback).
class RollupWriter
{
public:
    explicit RollupWriter(Database &db);
    void write(const RollupAccumulator &acc);

private:
    void writeStaged(const RollupAccumulator &acc);

    Database &m_db;
};

} // namespace tl
