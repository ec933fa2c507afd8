#pragma once

#include "preparedbatch.h"
#include "pricing/priceentry.h"
#include "recordreader.h"
#include "store/dedupeindex.h"

#include <memory>
#include <string>
#include <unordered_map>

namespace tl {

class PriceCatalog;
struct PriceEntry;

// The parsing side of an import, run on its own thread: reads, validates,
// drops duplicates, assigns ids, prices and sums the rollups, and hands
// batches of prepared calls to the storing side. It touches no database
// (dedupe keys are read and written through the queue), so the two overlap.
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
    void pushCurrent(bool last);
    const PriceEntry *priceFor(std::string_view model, int64_t ts);

    std::unique_ptr<RecordReader> m_reader;
    const PriceCatalog &m_catalog;
    DimensionIdAssigner m_ids;
    RollupAccumulator m_rollups;
    std::string m_file;
    std::unordered_map<std::string, std::vector<const PriceEntry *>> m_prices;
    BatchQueue *m_queue = nullptr;
    std::unique_ptr<PreparedBatch> m_current;
    DedupeIndex m_dedupe;
};

// Dedupe identity: the request id where the log has one, else the content.
uint64_t dedupeKey(const CallRecord &r);
// What the cost rule needs of a parsed record.
Usage usageOf(const CallRecord &r);

} // namespace tl
