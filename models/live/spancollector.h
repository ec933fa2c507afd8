#pragma once

#include "otlpendpoint.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace tl {
class AttributionMapping;
class Workspace;
} // namespace tl

namespace tl::live {

// What became of one submission.
struct CollectOutcome
{
    bool committed = false;
    int64_t rejected = 0;  // spans refused (bad values), the rest committed
    std::string message;   // the first refusal's location and reason
    bool retryable = true; // when not committed: the client should retry
};

// After each commit: what it held (the alerts evaluate from here).
struct CommitInfo
{
    int64_t requests = 0, spans = 0, imported = 0, duplicates = 0, rejected = 0;
    int64_t minTsMs = 0, maxTsMs = 0; // of the calls imported (0 when none)
    double seconds = 0;
};

// The live writer: takes accepted OTLP requests from any thread, and commits
// them on one writer thread through the importer (the same mapping, pricing,
// dedupe and rollups as `import --format otel`), in group commits — whatever
// arrived while the last transaction ran goes into the next, up to
// maxBatchSpans. `done` is called (on the writer thread) only after the
// transaction holding the spans has committed, so an acknowledged span
// survives a kill -9.
class SpanCollector
{
public:
    struct Options
    {
        std::string target; // the workspace: a file or a server URI
        std::string label;  // the sources row: "otlp 127.0.0.1:4318"
        std::shared_ptr<const AttributionMapping> mapping;
        size_t maxQueuedBytes = 64u << 20; // past this, submit() refuses: 503
        int64_t maxBatchSpans = 4096;
        std::function<void(const CommitInfo &)> afterCommit; // on the writer thread
    };
    using Done = std::function<void(const CollectOutcome &)>;

    explicit SpanCollector(Options o);
    ~SpanCollector();

    // Opens the workspace on the writer thread; false with a reason.
    bool start(std::string *error);
    // false: the queue is full (answer 503 with Retry-After); `done` is not called then.
    bool submit(OtlpSubmission s, Done done);
    // Commits what is queued, then stops the writer thread.
    void stop();

    int64_t committedSpans() const; // accepted and committed (calls, and spans that are not calls)
    int64_t importedCalls() const;  // new calls among them (not duplicates)
    size_t queuedBytes() const;

private:
    struct Pending
    {
        OtlpSubmission submission;
        Done done;
    };
    void run();
    bool commitBatch(std::vector<Pending> &batch); // true when calls were added
    bool refreshFacts();

    Options m_options;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Pending> m_queue;
    size_t m_queuedBytes = 0;
    bool m_stopping = false;
    int64_t m_committedSpans = 0;
    int64_t m_importedCalls = 0;
    std::thread m_thread;
    std::unique_ptr<Workspace> m_ws;
    int64_t m_sourceId = 0;
};

} // namespace tl::live
