#pragma once

#include "importer.h"
#include "store/dimensionidassigner.h"
#include "store/rollupaccumulator.h"

#include <array>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace tl {

// Text fields of a prepared call, stored in its batch's arena.
enum PreparedText : int { TModel, TRequestId, TPromptHash, TTags, PreparedTextCount };

// A parsed, validated and priced call: everything the store needs, with no
// pointer into the reader's buffer (it crosses threads).
struct PreparedCall
{
    int64_t tsMs = 0;
    int64_t requests = 1, input = 0, cached = 0, cacheWrite = 0, output = 0, reasoning = 0;
    int64_t computedNusd = -1; // -1: no catalog price
    int64_t reportedNusd = 0, valueNusd = 0, latencyMs = -1;
    uint64_t dedupeKey = 0;
    int outcome = 0;
    std::array<int64_t, 8> dimIds{}; // provider, model, team, feature, agent, user, task, status
    int rejection =
        -1; // >= 0: not a call but the batch's rejection at that index, kept in file order
    bool hasReported = false, hasValue = false, batch = false, isError = false;
    std::array<std::pair<uint32_t, uint32_t>, PreparedTextCount> text{}; // offset, length
};

struct PreparedBatch
{
    std::vector<PreparedCall> calls;
    std::vector<Rejection> rejections;
    std::vector<NewName> newNames; // to store before this batch's calls
    std::unique_ptr<RollupAccumulator>
        rollups; // sums so far, handed over when large and at the end
    std::string arena;
    int64_t skipped = 0;
    int64_t items = 0; // records, rejections and skips read
    int64_t bytesRead = 0;
    int64_t bytesTotal = 0;
    bool end = false;
    bool fatal = false;
    std::string fatalReason;

    std::string_view text(const PreparedCall &c, PreparedText t) const
    {
        return std::string_view(arena).substr(c.text[size_t(t)].first, c.text[size_t(t)].second);
    }
};

// A bounded hand-over between the parsing thread and the storing thread:
// memory stays at kCapacity batches whatever the file size.
class BatchQueue
{
public:
    static constexpr size_t kCapacity = 4;

    void push(std::unique_ptr<PreparedBatch> b)
    {
        std::unique_lock lock(m_mutex);
        m_notFull.wait(lock, [this] { return m_items.size() < kCapacity || m_closed; });
        if (m_closed)
            return;
        m_items.push_back(std::move(b));
        m_notEmpty.notify_one();
    }
    std::unique_ptr<PreparedBatch> pop()
    {
        std::unique_lock lock(m_mutex);
        m_notEmpty.wait(lock, [this] { return !m_items.empty(); });
        auto b = std::move(m_items.front());
        m_items.pop_front();
        m_notFull.notify_one();
        return b;
    }
    // The consumer gives up: the producer's next push returns at once.
    void close()
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_items.clear();
        m_notFull.notify_all();
    }
    bool closed()
    {
        std::lock_guard lock(m_mutex);
        return m_closed;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_notFull, m_notEmpty;
    std::deque<std::unique_ptr<PreparedBatch>> m_items;
    bool m_closed = false;
};

} // namespace tl
