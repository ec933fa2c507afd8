#pragma once

#include "core/callfacts.h"
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
struct PreparedCall : CallFacts
{
    int64_t tsMs = 0;
    int serviceTier = 0, longContext = -1;
    std::array<int64_t, 8> dimIds{}; // provider, model, team, feature, agent, user, task, status
    int rejection =
        -1; // >= 0: not a call but the batch's rejection at that index, kept in file order
    bool batch = false;
    std::array<std::pair<uint32_t, uint32_t>, PreparedTextCount> text{}; // offset, length
};

struct PreparedBatch
{
    std::vector<PreparedCall> calls;
    std::vector<Rejection> rejections;
    std::vector<NewName> newNames; // to store before this batch's calls
    // Sums so far, handed over when large and with the last batch.
    std::unique_ptr<RollupAccumulator> rollups;
    std::vector<std::pair<int64_t, std::vector<uint64_t>>> dedupeDays; // days' key sets to write
    int64_t duplicates = 0;
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
// memory stays at kCapacity batches whatever the file size. The parsing
// side can also ask the storing side (which owns the connection) to read a
// day's dedupe keys; it pushes its partial batch first, so that every write
// it asked for earlier is done before the read.
class BatchQueue
{
public:
    static constexpr size_t kCapacity = 4;

    struct Work
    {
        std::unique_ptr<PreparedBatch> batch; // or, when null, a request to load `day`
        int64_t day = 0;
    };

    void push(std::unique_ptr<PreparedBatch> b)
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_items.size() < kCapacity || m_closed; });
        if (m_closed)
            return;
        m_items.push_back(std::move(b));
        m_changed.notify_all();
    }
    Work pop()
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return !m_items.empty() || m_loadPending; });
        if (m_items.empty())
            return Work{nullptr, m_loadDay};
        Work w{std::move(m_items.front()), 0};
        m_items.pop_front();
        m_changed.notify_all();
        return w;
    }
    // Parsing side: blocks until the storing side answers (or gives up).
    std::vector<uint64_t> requestLoad(int64_t day)
    {
        std::unique_lock lock(m_mutex);
        m_loadDay = day;
        m_loadPending = true;
        m_changed.notify_all();
        m_changed.wait(lock, [this] { return !m_loadPending || m_closed; });
        return std::move(m_loadAnswer);
    }
    void answerLoad(std::vector<uint64_t> keys)
    {
        std::lock_guard lock(m_mutex);
        m_loadAnswer = std::move(keys);
        m_loadPending = false;
        m_changed.notify_all();
    }
    // The storing side gives up: the parsing side's waits return at once.
    void close()
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_items.clear();
        m_changed.notify_all();
    }
    bool closed()
    {
        std::lock_guard lock(m_mutex);
        return m_closed;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::unique_ptr<PreparedBatch>> m_items;
    bool m_closed = false;
    bool m_loadPending = false;
    int64_t m_loadDay = 0;
    std::vector<uint64_t> m_loadAnswer;
};

} // namespace tl
