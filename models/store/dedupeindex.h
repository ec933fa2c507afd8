#pragma once

#include "database.h"

#include <cstdint>
#include <functional>
#include <list>
#include <unordered_map>
#include <vector>

namespace tl {

// Answers "was this record stored before?" for the importer.
//
// A UNIQUE index on request_id cost 4-7 s per million rows here (random
// B-tree inserts), against ~1 s for the plain appends. Instead, each UTC day
// keeps one sorted array of 64-bit record keys in dedupe_days; an import
// loads the days it touches into an in-memory hash set, and writes back the
// days it changed. Lookups are a hash probe; memory is bounded by
// kMaxLoadedKeys (least recently used days are written back and dropped), so
// it does not grow with the file.
//
// Keys are 64-bit hashes: two different records of one day collide with
// probability n^2 / 2^65 (3e-9 at 333k calls a day).
//
// The index itself does no I/O: `load` and `store` move one day's sorted
// keys to and from wherever they live (DedupeDays on the storing thread).
class DedupeIndex
{
public:
    static constexpr size_t kMaxLoadedKeys = 1u << 20;
    using Load = std::function<std::vector<uint64_t>(int64_t day)>;
    using Store = std::function<void(int64_t day, std::vector<uint64_t> sortedKeys)>;

    DedupeIndex(Load load, Store store, size_t maxLoadedKeys = kMaxLoadedKeys);

    // True when the key is new (and now remembered), false for a duplicate.
    bool insert(int64_t day, uint64_t key);
    // The same for a key that names one call across days (a request id):
    // also a duplicate when the day before or after holds it, so two
    // sightings of one request whose clocks straddle midnight (a span's
    // start against a log's end time, two exports) count once. Kept in
    // `day`, so the per-day store and its speed stay as they were.
    bool insertNear(int64_t day, uint64_t key);
    // Writes changed days back; call inside the import's transaction.
    void flush();
    size_t loadedKeys() const { return m_loadedKeys; }

private:
    struct KeySet
    {
        std::vector<uint64_t> slots; // open addressing, 0 = empty
        size_t count = 0;
        bool dirty = false;
        std::list<int64_t>::iterator lru;
        bool insert(uint64_t key);
        bool contains(uint64_t key) const;
        void grow();
    };

    KeySet &load(int64_t day);
    void store(int64_t day, KeySet &set);
    void evictIfNeeded();
    bool insertKept(int64_t day, uint64_t key);

    Load m_load;
    size_t m_maxLoadedKeys;
    Store m_store;
    std::unordered_map<int64_t, KeySet> m_days;
    std::list<int64_t> m_lru; // front = most recent
    size_t m_loadedKeys = 0;
    int64_t m_lastDay = INT64_MIN;
    KeySet *m_lastSet = nullptr;
    int64_t m_keepFrom = INT64_MIN, m_keepTo = INT64_MIN; // days never evicted now
};

// The dedupe_days table: one BLOB of sorted little-endian 64-bit keys per day.
class DedupeDays
{
public:
    explicit DedupeDays(Database &db);
    std::vector<uint64_t> load(int64_t day);
    void store(int64_t day, const std::vector<uint64_t> &sortedKeys);

private:
    Statement m_select;
    Statement m_upsert;
};

// Stable 64-bit hashing for dedupe keys (persisted: never change it).
class KeyHasher
{
public:
    void add(std::string_view s);
    void add(int64_t v);
    uint64_t value() const;

private:
    uint64_t m_h = 0xcbf29ce484222325ull;
};

} // namespace tl
