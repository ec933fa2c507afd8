#pragma once

#include "rollupaccumulator.h"
#include "database.h"

namespace tl {

// Adds accumulated sums to the rollup tables (UPSERT), inside the caller's
// transaction.
class RollupWriter
{
public:
    explicit RollupWriter(Database &db);
    void write(const RollupAccumulator &acc);

private:
    Statement m_upsertHour;
    Statement m_upsertDay;
    Statement m_upsertUserDay;
};

} // namespace tl
