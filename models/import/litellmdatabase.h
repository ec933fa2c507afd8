#pragma once

#include "importer.h"

#include <cstdint>
#include <functional>
#include <string>

namespace tl {

class Workspace;

struct LiteLlmDatabaseResult
{
    bool ok = false;
    std::string error;
    std::string source; // "db on host:port"
    int64_t rows = 0, imported = 0, duplicates = 0, rejected = 0, unpriced = 0;
    int pages = 0;
    std::string upTo; // the newest startTime read (UTC)
    double seconds = 0;
};

// Reads a LiteLLM proxy's own PostgreSQL database — its LiteLLM_SpendLogs
// table — into the workspace, incrementally: where the last run stopped
// (kept in the workspace), by startTime and request id, in pages of one
// transaction each, in one read-only snapshot of the source. Rows are
// mapped by the LiteLLM reader exactly as a CSV export of the table would
// be (one mapping). Each run re-reads the last 15 minutes before where it
// stopped — the proxy writes its spend logs in batches, so a row can
// commit after a later one — and the import's dedupe drops what was seen,
// so runs repeat without duplicates.
class LiteLlmDatabase
{
public:
    static constexpr int64_t kOverlapMs = 15 * 60'000;

    static LiteLlmDatabaseResult importInto(Workspace &ws, const std::string &sourceUri,
                                            const ImportOptions &options, int64_t pageRows = 20000);
};

} // namespace tl
