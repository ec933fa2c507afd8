#pragma once

#include "reportdata.h"

#include <string>
#include <vector>

namespace tl {

struct ChargebackLine
{
    std::string centre;
    int64_t directNusd = 0;      // its own calls
    int64_t directInfraNusd = 0; // its own servers (cloud bills tagged with it)
    int64_t allocatedNusd = 0;
    int64_t totalNusd() const { return directNusd + directInfraNusd + allocatedNusd; }
};

struct ChargebackResult
{
    std::vector<ChargebackLine> lines; // largest total first
    int64_t totalNusd = 0;             // the period's priced spend, LLM and infrastructure
    int64_t unassignedNusd = 0;        // calls without a name in `by`
    int64_t sharedNusd = 0;            // calls (and servers) matching a shared rule
    int64_t unattributedInfraNusd = 0; // bills without a `by` tag (or `by` not on bills)
    // Cloud bills imported and answerable for the filter: their cost is in.
    bool infraIncluded = false;
    bool infraExcluded = false; // bills exist but the filter names what they lack
    int64_t unpricedCalls = 0;  // cost unknown: in no line
    // Every nano-dollar of the pool is allocated (largest remainders), so
    // the lines sum exactly to totalNusd — unless there is no centre to
    // charge, when the pool stays in a line of its own.
    static ChargebackResult compute(Workspace &ws, const CallFilter &period,
                                    const ChargebackRule &rule);
};

ReportTable chargebackTable(Workspace &ws, const CallFilter &period, const ChargebackRule &rule);

} // namespace tl
