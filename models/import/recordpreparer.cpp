#include "recordpreparer.h"

#include "core/timeutil.h"
#include "nativefields.h"
#include "pricing/pricecatalog.h"
#include "store/dedupeindex.h"

#include <stdexcept>

namespace tl {

uint64_t dedupeKey(const CallRecord &r)
{
    KeyHasher h;
    if (!r.requestId.empty()) {
        h.add(std::string_view("id"));
        h.add(r.requestId);
        return h.value();
    }
    h.add(std::string_view("content"));
    h.add(r.tsMs);
    for (std::string_view s : {r.provider, r.model, r.agent, r.task, r.feature, r.user, r.team,
                               r.status, r.promptHash, std::string_view(r.tagsJson)})
        h.add(s);
    for (int64_t v : {r.inputTokens, r.outputTokens, r.cachedInputTokens, r.cacheWriteTokens,
                      r.reasoningTokens, r.requests, r.hasReportedCost ? r.reportedNusd : -1,
                      r.latencyMs, int64_t(r.outcome), int64_t(r.batch)})
        h.add(v);
    // Added only when set, so that a record without them keeps the key
    // earlier releases gave it (a re-import still finds its duplicates).
    if (r.cacheWrite1hTokens || r.webSearchCalls || r.fileSearchCalls || r.serviceTier ||
        r.longContext >= 0)
        for (int64_t v : {r.cacheWrite1hTokens, r.webSearchCalls, r.fileSearchCalls,
                          int64_t(r.serviceTier), int64_t(r.longContext)})
            h.add(v);
    return h.value();
}

Usage usageOf(const CallRecord &r)
{
    Usage u;
    u.input = r.inputTokens;
    u.cached = r.cachedInputTokens;
    u.cacheWrite = r.cacheWriteTokens;
    u.cacheWrite1h = r.cacheWrite1hTokens;
    u.output = r.outputTokens;
    u.requests = r.requests;
    u.webSearches = r.webSearchCalls;
    u.fileSearches = r.fileSearchCalls;
    u.batch = r.batch;
    u.tier = ServiceTier(r.serviceTier);
    u.longContext = r.longContext;
    return u;
}

RecordPreparer::RecordPreparer(std::unique_ptr<RecordReader> reader, const PriceCatalog &catalog,
                               DimensionIdAssigner ids, std::string file)
    : m_reader(std::move(reader))
    , m_catalog(catalog)
    , m_ids(std::move(ids))
    , m_file(std::move(file))
    , m_dedupe(
          [this](int64_t day) {
              // Earlier key writes must reach the store before it reads.
              pushCurrent(false);
              return m_queue->requestLoad(day);
          },
          [this](int64_t day, std::vector<uint64_t> keys) {
              m_current->dedupeDays.emplace_back(day, std::move(keys));
          })
{}

const PriceEntry *RecordPreparer::priceFor(std::string_view model, int64_t ts)
{
    auto it = m_prices.find(std::string(model));
    if (it == m_prices.end())
        it = m_prices.emplace(std::string(model), m_catalog.entriesFor(model)).first;
    return PriceCatalog::entryAt(it->second, ts);
}

void RecordPreparer::prepare(const CallRecord &r, PreparedBatch &b)
{
    PreparedCall c;
    c.tsMs = r.tsMs;
    c.requests = r.requests;
    c.input = r.inputTokens;
    c.cached = r.cachedInputTokens;
    c.cacheWrite = r.cacheWriteTokens;
    c.output = r.outputTokens;
    c.reasoning = r.reasoningTokens;
    c.cacheWrite1h = r.cacheWrite1hTokens;
    c.webSearches = r.webSearchCalls;
    c.fileSearches = r.fileSearchCalls;
    c.serviceTier = r.serviceTier;
    c.longContext = r.longContext;
    if (const PriceEntry *p = priceFor(r.model, r.tsMs)) {
        const CostParts parts = costParts(*p, usageOf(r));
        c.computedNusd = parts.total();
        c.toolNusd = parts.toolsNusd;
        // $100 million for one record is a wrong price or token count, and
        // sums of such would not fit 64 bits: the file is refused, not wrapped.
        if (c.computedNusd > 100'000'000'000'000'000)
            throw std::overflow_error("a computed cost past $100,000,000 for one record (" +
                                      std::string(r.model) +
                                      "): a price in the catalog or a token count is wrong");
    }
    c.hasReported = r.hasReportedCost;
    c.reportedNusd = r.reportedNusd;
    c.hasValue = r.hasValue;
    c.valueNusd = r.valueNusd;
    c.latencyMs = r.latencyMs;
    c.outcome = int(r.outcome);
    c.batch = r.batch;
    c.isError = isErrorStatus(r.status);
    const Dimension kinds[8] = {Dimension::Provider, Dimension::Model, Dimension::Team,
                                Dimension::Feature,  Dimension::Agent, Dimension::User,
                                Dimension::Task,     Dimension::Status};
    const std::string_view names[8] = {r.provider, r.model, r.team, r.feature,
                                       r.agent,    r.user,  r.task, r.status};
    for (size_t d = 0; d < 8; ++d)
        c.dimIds[d] = m_ids.idFor(kinds[d], names[d], b.newNames);
    const std::string_view texts[PreparedTextCount] = {r.model, r.requestId, r.promptHash,
                                                       r.tagsJson};
    for (int t = 0; t < PreparedTextCount; ++t) {
        c.text[size_t(t)] = {uint32_t(b.arena.size()), uint32_t(texts[t].size())};
        b.arena += texts[t];
    }
    b.calls.push_back(c);
    m_rollups.add(hourOf(c.tsMs),
                  {dayOf(c.tsMs), c.dimIds[0], c.dimIds[1], c.dimIds[2], c.dimIds[3], c.dimIds[4]},
                  c.dimIds[5], c.dimIds[6], measuresOf(c));
}

void RecordPreparer::pushCurrent(bool last)
{
    m_current->bytesRead = m_reader->bytesRead();
    m_current->bytesTotal = m_reader->bytesTotal();
    if (last || m_rollups.full()) {
        m_current->rollups = std::make_unique<RollupAccumulator>(std::move(m_rollups));
        m_rollups.clear();
    }
    m_queue->push(std::move(m_current));
    m_current = std::make_unique<PreparedBatch>();
    m_current->calls.reserve(kBatchItems);
    m_current->arena.reserve(kBatchItems * 64);
}

void RecordPreparer::run(BatchQueue &queue)
{
    m_queue = &queue;
    m_current = std::make_unique<PreparedBatch>();
    CallRecord rec;
    for (;;) {
        const auto status = m_reader->next(rec);
        if (status == RecordReader::Status::End) {
            m_dedupe.flush();
            m_current->end = true;
            pushCurrent(true);
            return;
        }
        if (status == RecordReader::Status::Fatal) {
            m_current->fatal = true;
            m_current->fatalReason = m_reader->location() + ": " + m_reader->reason();
            pushCurrent(true);
            return;
        }
        ++m_current->items;
        if (status == RecordReader::Status::Skipped) {
            ++m_current->skipped;
        } else {
            std::string_view invalid;
            if (status == RecordReader::Status::Record)
                invalid = validateRecord(rec);
            if (status == RecordReader::Status::Rejected || !invalid.empty()) {
                PreparedBatch &b = *m_current;
                b.rejections.push_back({m_file, m_reader->line(), m_reader->location(),
                                        status == RecordReader::Status::Rejected
                                            ? m_reader->reason()
                                            : std::string(invalid),
                                        std::string(m_reader->rawText())});
                PreparedCall marker;
                marker.rejection = int(b.rejections.size()) - 1;
                b.calls.push_back(marker);
            } else if (!(rec.requestId.empty()
                             ? m_dedupe.insert(dayOf(rec.tsMs), dedupeKey(rec))
                             : m_dedupe.insertNear(dayOf(rec.tsMs), dedupeKey(rec)))) {
                // (insert() may have pushed the batch to load a day: use m_current after it.)
                ++m_current->duplicates;
            } else {
                try {
                    prepare(rec, *m_current);
                } catch (const std::overflow_error &e) {
                    // This thread must not throw: the store side rolls back.
                    m_current->fatal = true;
                    m_current->fatalReason = m_reader->location() + ": " + e.what();
                    pushCurrent(true);
                    return;
                }
            }
        }
        if (m_current->items >= int64_t(kBatchItems)) {
            pushCurrent(false);
            if (queue.closed())
                return;
        }
    }
}

} // namespace tl
