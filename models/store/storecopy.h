#pragma once

#include "workspace.h"

#include <cstdint>
#include <functional>
#include <string>

namespace tl {

// Moves a whole workspace between engines, either way (a lead's file to the
// team's server, a server's ledger to a file to take along): calls with
// their ids, names, sources, dedupe keys, providers' cost reports, and meta
// (the price catalog, budgets, anomaly marks, the workspace id scenario
// files name). Rollups are rebuilt from the calls by the one rollup rule.
// The target must hold no calls; everything is written in one transaction.
class StoreCopy
{
public:
    struct Result
    {
        bool ok = false;
        std::string error;
        int64_t calls = 0;
        int64_t names = 0;
        double seconds = 0;
    };
    // progress(rowsDone, rowsTotal) returning false cancels (nothing written).
    static Result run(Workspace &from, Workspace &to,
                      const std::function<bool(int64_t, int64_t)> &progress = {});
};

} // namespace tl
