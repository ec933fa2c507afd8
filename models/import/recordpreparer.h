#pragma once

#include "preparedbatch.h"
#include "recordreader.h"

#include <memory>
#include <string>
#include <unordered_map>

namespace tl {

class PriceCatalog;
struct PriceEntry;

// The parsing side of an import, run on its own thread: reads, validates,
// computes dedupe keys and catalog costs, and hands batches of prepared
// calls to the storing side. Touches no database, so the two sides overlap.
class RecordPreparer
{
public:
    static constexpr size_t kBatchItems = 4096;

    RecordPreparer(std::unique_ptr<RecordReader> reader, const PriceCatalog &catalog,
                   DimensionIdAssigner ids, std::string file);
    // Runs to the end of the file, a fatal error, or queue.close().
    void run(BatchQueue &queue);

private:
    void prepare(const CallRecord &r, PreparedBatch &b);
    const PriceEntry *priceFor(std::string_view model, int64_t ts);

    std::unique_ptr<RecordReader> m_reader;
    const PriceCatalog &m_catalog;
    DimensionIdAssigner m_ids;
    // Counted here as if every call were new; the storing side takes
    // duplicates back out (RollupAccumulator::add with sign -1).
    RollupAccumulator m_rollups;
    std::string m_file;
    std::unordered_map<std::string, std::vector<const PriceEntry *>> m_prices;
};

// Dedupe identity: the request id where the log has one, else the content.
uint64_t dedupeKey(const CallRecord &r);
// What one call adds to the rollups.
Measures measuresOf(const PreparedCall &c);

} // namespace tl
