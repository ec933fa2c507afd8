#include "dedupeindex.h"

#include <algorithm>
#include <cstring>

namespace tl {

namespace {

uint64_t mix(uint64_t x)
{
    // splitmix64 finaliser: spreads FNV's weak low bits over the word.
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

} // namespace

void KeyHasher::add(std::string_view s)
{
    for (unsigned char c : s) {
        m_h ^= c;
        m_h *= 0x100000001b3ull;
    }
    m_h ^= 0xff; // field separator: ("ab","c") != ("a","bc")
    m_h *= 0x100000001b3ull;
}

void KeyHasher::add(int64_t v)
{
    m_h = mix(m_h ^ uint64_t(v));
}

uint64_t KeyHasher::value() const
{
    uint64_t v = mix(m_h);
    return v ? v : 1; // 0 marks an empty slot
}

bool DedupeIndex::KeySet::insert(uint64_t key)
{
    if ((count + 1) * 2 > slots.size())
        grow();
    const size_t mask = slots.size() - 1;
    size_t i = size_t(key) & mask;
    while (slots[i] != 0) {
        if (slots[i] == key)
            return false;
        i = (i + 1) & mask;
    }
    slots[i] = key;
    ++count;
    return true;
}

bool DedupeIndex::KeySet::contains(uint64_t key) const
{
    const size_t mask = slots.size() - 1;
    for (size_t i = size_t(key) & mask; slots[i] != 0; i = (i + 1) & mask)
        if (slots[i] == key)
            return true;
    return false;
}

void DedupeIndex::KeySet::grow()
{
    std::vector<uint64_t> old = std::move(slots);
    slots.assign(std::max<size_t>(old.size() * 2, 1024), 0);
    const size_t mask = slots.size() - 1;
    for (uint64_t k : old) {
        if (!k)
            continue;
        size_t i = size_t(k) & mask;
        while (slots[i] != 0)
            i = (i + 1) & mask;
        slots[i] = k;
    }
}

DedupeIndex::DedupeIndex(Load load, Store store, size_t maxLoadedKeys)
    : m_load(std::move(load))
    , m_maxLoadedKeys(maxLoadedKeys)
    , m_store(std::move(store))
{}

DedupeDays::DedupeDays(Database &db)
    : m_select(db, "SELECT keys FROM dedupe_days WHERE day = ?")
    , m_upsert(db, "INSERT INTO dedupe_days(day, keys) VALUES(?, ?) "
                   "ON CONFLICT(day) DO UPDATE SET keys = excluded.keys")
{}

std::vector<uint64_t> DedupeDays::load(int64_t day)
{
    std::vector<uint64_t> keys;
    m_select.bind(1, day);
    if (m_select.step()) {
        std::string_view blob = m_select.columnBlob(0);
        keys.resize(blob.size() / sizeof(uint64_t));
        std::memcpy(keys.data(), blob.data(), keys.size() * sizeof(uint64_t));
    }
    m_select.reset();
    return keys;
}

void DedupeDays::store(int64_t day, const std::vector<uint64_t> &keys)
{
    m_upsert.bind(1, day);
    m_upsert.bindBlob(2, keys.data(), int(keys.size() * sizeof(uint64_t)));
    m_upsert.step();
    m_upsert.reset();
}

DedupeIndex::KeySet &DedupeIndex::load(int64_t day)
{
    auto it = m_days.find(day);
    if (it != m_days.end()) {
        m_lru.splice(m_lru.begin(), m_lru, it->second.lru);
        return it->second;
    }
    evictIfNeeded();
    const std::vector<uint64_t> keys = m_load(day);
    KeySet &set = m_days[day];
    m_lru.push_front(day);
    set.lru = m_lru.begin();
    size_t cap = 1024;
    while (cap < keys.size() * 2 + 2)
        cap *= 2;
    set.slots.assign(cap, 0);
    for (uint64_t k : keys)
        set.insert(k);
    m_loadedKeys += set.count;
    return set;
}

void DedupeIndex::store(int64_t day, KeySet &set)
{
    std::vector<uint64_t> keys;
    keys.reserve(set.count);
    for (uint64_t k : set.slots)
        if (k)
            keys.push_back(k);
    std::sort(keys.begin(), keys.end());
    m_store(day, std::move(keys));
    set.dirty = false;
}

void DedupeIndex::evictIfNeeded()
{
    // Least recently used first, never a day the current record reads (its
    // own and, for a request id, the two beside it): a day of more than
    // kMaxLoadedKeys calls (3.3M a day at 100M a month) would otherwise be
    // written back and read again for every record. Past the bound with
    // only those days loaded, memory is what those days need.
    auto victim = m_lru.end();
    while (m_loadedKeys > m_maxLoadedKeys && victim != m_lru.begin()) {
        --victim;
        if (*victim >= m_keepFrom && *victim <= m_keepTo)
            continue;
        auto it = m_days.find(*victim);
        if (it->second.dirty)
            store(*victim, it->second);
        m_loadedKeys -= it->second.count;
        if (m_lastSet == &it->second) {
            m_lastSet = nullptr;
            m_lastDay = INT64_MIN;
        }
        m_days.erase(it);
        victim = m_lru.erase(victim);
    }
}

bool DedupeIndex::insert(int64_t day, uint64_t key)
{
    m_keepFrom = m_keepTo = day;
    return insertKept(day, key);
}

bool DedupeIndex::insertKept(int64_t day, uint64_t key)
{
    if (day != m_lastDay || !m_lastSet) {
        m_lastSet = &load(day);
        m_lastDay = day;
    }
    if (!m_lastSet->insert(key))
        return false;
    m_lastSet->dirty = true;
    ++m_loadedKeys;
    if (m_loadedKeys > m_maxLoadedKeys * 2)
        evictIfNeeded();
    return true;
}

bool DedupeIndex::insertNear(int64_t day, uint64_t key)
{
    // Neighbours first (none of the three days is evicted meanwhile).
    m_keepFrom = day - 1;
    m_keepTo = day + 1;
    for (int64_t other : {day - 1, day + 1}) {
        const KeySet &set = load(other);
        if (set.contains(key))
            return false;
    }
    return insertKept(day, key);
}

void DedupeIndex::flush()
{
    for (auto &[day, set] : m_days)
        if (set.dirty)
            store(day, set);
}

} // namespace tl
