#pragma once

#include "core/dimension.h"
#include "sqlitedb.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace tl {

// Maps dimension names to the integer ids the calls and rollups store.
// Id 0 means "(none)" and is never written.
//
// Two encodings, by cardinality:
// - provider, model, team, feature, agent, status: few names, small
//   sequential ids in `dims` (compact in every row and rollup key), looked up
//   through a cache that always hits after the first few rows;
// - task and user: up to millions of names, most of them new on import.
//   A lookup per new name cost a third of the import time, so their id is a
//   stable 62-bit hash of the name (no lookup at all); the names are written
//   to `hashed_names` in id order at flush(). A hash collision between two
//   different names is detected at flush and reported.
class DimensionDictionary
{
public:
    static constexpr size_t kMaxCached = 200'000;

    explicit DimensionDictionary(SqliteDb &db)
        : m_db(db)
    {}

    static bool isHashed(Dimension kind)
    {
        return kind == Dimension::Task || kind == Dimension::User;
    }
    static int64_t hashedId(Dimension kind, std::string_view name);

    int64_t idFor(Dimension kind, std::string_view name);
    // Id of an existing name, or -1 (never inserts).
    int64_t find(Dimension kind, std::string_view name);
    std::string nameOf(Dimension kind, int64_t id);
    // Stores a name whose id was assigned by a DimensionIdAssigner.
    void adopt(const struct NewName &n);
    // Writes pending hashed names; call before commit. Throws SqliteError on
    // a hash collision (two names, one id).
    void flush();
    // Forget cached and pending names, e.g. after a rollback.
    void invalidate();

private:
    struct Hash
    {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
    };
    using Map = std::unordered_map<std::string, int64_t, Hash, std::equal_to<>>;
    struct Pending
    {
        int64_t id;
        int kind;
        std::string name;
    };

    void prepare();

    SqliteDb &m_db;
    Map m_cache[16];
    std::unordered_set<int64_t> m_hashedSeen;
    std::vector<Pending> m_pending;
    Statement m_select;
    Statement m_insert;
    Statement m_insertHashed;
    Statement m_selectHashed;
    bool m_prepared = false;
};

} // namespace tl
