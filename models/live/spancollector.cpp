#include "spancollector.h"

#include "import/attributionmapping.h"
#include "import/chunkreader.h"
#include "import/importer.h"
#include "import/otelreader.h"
#include "import/otlpprotoreader.h"
#include "store/dayfactstable.h"
#include "store/workspace.h"

#include <chrono>
#include <future>
#include <map>

namespace tl::live {

namespace {

int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Several requests read as one input, so that they commit in one
// transaction. Each item's location names its request ("request 3: …");
// a request that cannot be read at all is one rejection, not the batch's end.
class BatchReader : public RecordReader
{
public:
    BatchReader(std::vector<std::unique_ptr<RecordReader>> parts)
        : m_parts(std::move(parts))
    {
        for (const auto &p : m_parts)
            m_total += p->bytesTotal();
    }
    void setRules(const AttributionMapping::Rules *rules)
    {
        for (auto &p : m_parts)
            p->setAttribution(rules);
    }

    Status next(CallRecord &out) override
    {
        while (m_part < m_parts.size()) {
            RecordReader &r = *m_parts[m_part];
            const Status s = r.next(out);
            if (s == Status::End) {
                m_done += r.bytesTotal();
                ++m_part;
                continue;
            }
            m_location = "request " + std::to_string(m_part) + ": " + r.location();
            if (s == Status::Fatal) {
                m_reason = r.reason();
                m_done += r.bytesTotal();
                ++m_part;
                return Status::Rejected;
            }
            m_reason = s == Status::Record ? std::string() : r.reason();
            return s;
        }
        return Status::End;
    }
    std::string location() const override { return m_location; }
    int64_t line() const override { return 0; }
    std::string_view rawText() const override { return {}; }
    const std::string &reason() const override { return m_reason; }
    int64_t bytesRead() const override { return m_done; }
    int64_t bytesTotal() const override { return m_total; }

    // "request N: …" back to N.
    static size_t partOf(const std::string &location)
    {
        return size_t(std::strtoull(location.c_str() + 8, nullptr, 10));
    }

private:
    std::vector<std::unique_ptr<RecordReader>> m_parts;
    size_t m_part = 0;
    int64_t m_total = 0, m_done = 0;
    std::string m_location, m_reason;
};

} // namespace

SpanCollector::SpanCollector(Options o)
    : m_options(std::move(o))
{}

SpanCollector::~SpanCollector()
{
    stop();
}

bool SpanCollector::start(std::string *error)
{
    std::promise<std::string> opened;
    auto result = opened.get_future();
    m_thread = std::thread([this, &opened] {
        std::string why;
        // The workspace belongs to this thread (an SQLite connection is per thread).
        m_ws = Workspace::open(m_options.target, Workspace::OpenMode::CreateIfMissing, &why);
        if (m_ws) {
            try {
                Transaction tx(m_ws->db());
                Statement insert(
                    m_ws->db(), "INSERT INTO sources(path, format, imported_at_ms, records, "
                                "duplicates, rejected) VALUES(?, 'otel', ?, 0, 0, 0) RETURNING id");
                insert.bind(1, m_options.label);
                insert.bind(2, nowMs());
                insert.step();
                m_sourceId = insert.columnInt(0);
                insert.reset();
                tx.commit();
            } catch (const StoreError &e) {
                why = m_options.target + ": " + e.what();
                m_ws.reset();
            }
        }
        opened.set_value(why);
        if (m_ws)
            run();
    });
    const std::string why = result.get();
    if (!why.empty()) {
        m_thread.join();
        if (error)
            *error = why;
        return false;
    }
    return true;
}

bool SpanCollector::submit(OtlpSubmission s, Done done)
{
    std::lock_guard lock(m_mutex);
    if (m_stopping ||
        (m_queuedBytes > 0 && m_queuedBytes + s.body.size() > m_options.maxQueuedBytes))
        return false;
    m_queuedBytes += s.body.size();
    m_queue.push_back({std::move(s), std::move(done)});
    m_wake.notify_one();
    return true;
}

void SpanCollector::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_wake.notify_one();
    }
    if (m_thread.joinable())
        m_thread.join();
}

int64_t SpanCollector::committedSpans() const
{
    std::lock_guard lock(m_mutex);
    return m_committedSpans;
}

int64_t SpanCollector::importedCalls() const
{
    std::lock_guard lock(m_mutex);
    return m_importedCalls;
}

size_t SpanCollector::queuedBytes() const
{
    std::lock_guard lock(m_mutex);
    return m_queuedBytes;
}

void SpanCollector::run()
{
    // Batches leave their days' DayFacts to be recounted here, at most
    // every few seconds and when the queue falls idle: a recount reads a
    // whole day of calls, too much to repeat for every small batch.
    // Readers count the marked days from the calls meanwhile.
    constexpr auto kFactsEvery = std::chrono::seconds(5);
    auto lastFacts = std::chrono::steady_clock::now();
    bool factsPending = false;
    for (;;) {
        std::vector<Pending> batch;
        {
            std::unique_lock lock(m_mutex);
            if (!m_wake.wait_for(lock, kFactsEvery,
                                 [this] { return m_stopping || !m_queue.empty(); })) {
                lock.unlock();
                if (factsPending)
                    factsPending = !refreshFacts();
                continue;
            }
            if (m_queue.empty())
                break; // stopping, and everything accepted is committed
            int64_t spans = 0;
            while (!m_queue.empty() && (batch.empty() || spans + m_queue.front().submission.spans <=
                                                             m_options.maxBatchSpans)) {
                spans += m_queue.front().submission.spans;
                m_queuedBytes -= m_queue.front().submission.body.size();
                batch.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
        }
        factsPending |= commitBatch(batch);
        if (factsPending && std::chrono::steady_clock::now() - lastFacts >= kFactsEvery) {
            factsPending = !refreshFacts();
            lastFacts = std::chrono::steady_clock::now();
        }
    }
    if (factsPending)
        refreshFacts();
    m_ws.reset();
}

bool SpanCollector::refreshFacts()
{
    try {
        const auto waitUntil = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        Transaction tx(m_ws->db(), [&] { return std::chrono::steady_clock::now() < waitUntil; });
        DayFactsTable::refresh(m_ws->db());
        tx.commit();
        return true;
    } catch (const StoreError &) {
        return false; // the days stay marked: the next try, or the next import, recounts them
    }
}

bool SpanCollector::commitBatch(std::vector<Pending> &batch)
{
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::unique_ptr<RecordReader>> parts;
    CommitInfo info;
    info.requests = int64_t(batch.size());
    for (Pending &p : batch) {
        info.spans += p.submission.spans;
        if (p.submission.encoding == OtlpSubmission::Encoding::Protobuf) {
            parts.push_back(std::make_unique<OtlpProtoReader>(std::move(p.submission.body)));
        } else {
            auto in = std::make_unique<ChunkReader>();
            in->openText(std::move(p.submission.body));
            parts.push_back(std::make_unique<OtelReader>(std::move(in), m_options.label));
        }
    }
    auto reader = std::make_unique<BatchReader>(std::move(parts));
    std::vector<CollectOutcome> outcomes(batch.size());
    ImportOptions opt;
    opt.format = "otel";
    opt.mapping = m_options.mapping;
    opt.sourceId = m_sourceId;
    opt.keepRejections = 0;
    opt.deferFacts = true;
    opt.onReject = [&](const Rejection &r) {
        const size_t part = BatchReader::partOf(r.location);
        if (part >= outcomes.size())
            return;
        CollectOutcome &o = outcomes[part];
        if (o.rejected++ == 0)
            o.message = r.location.substr(r.location.find(": ") + 2) + ": " + r.reason;
    };
    // Another writer (an import) holds the workspace: wait a little, then
    // tell the clients to retry rather than hold their requests for minutes.
    const auto waitUntil = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    opt.onWait = [&] { return std::chrono::steady_clock::now() < waitUntil; };
    FileImportResult r =
        Importer(*m_ws).importReader(std::move(reader), m_options.label, "otel", opt);
    info.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!r.ok) {
        for (size_t i = 0; i < batch.size(); ++i)
            batch[i].done({false, 0, r.error, true});
        return false;
    }
    info.imported = r.imported;
    info.duplicates = r.duplicates;
    info.rejected = r.rejected;
    {
        std::lock_guard lock(m_mutex);
        m_committedSpans += info.spans - info.rejected;
        m_importedCalls += info.imported;
    }
    for (size_t i = 0; i < batch.size(); ++i) {
        outcomes[i].committed = true;
        batch[i].done(outcomes[i]);
    }
    if (m_options.afterCommit)
        m_options.afterCommit(info);
    return r.imported > 0;
}

} // namespace tl::live
