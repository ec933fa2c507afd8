#pragma once

#include <cstdint>

namespace tl {
class Workspace;
}

namespace tl::live {

// A cheap token of "the calls changed": every import, watch or collector
// commit adds to its source's counts. The app polls it to follow a live
// workspace (once a second, off the GUI thread) on either engine.
struct LiveToken
{
    int64_t sources = 0;
    int64_t records = 0; // calls stored, over every source
    int64_t touched = 0; // records + duplicates + rejected: moves with every commit
    bool operator==(const LiveToken &) const = default;
};

LiveToken liveToken(Workspace &ws);

} // namespace tl::live
