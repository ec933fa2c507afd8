#pragma once

#include "core/dimension.h"
#include "database.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tl {

// The dictionaries of dimension names the calls and rollups refer to by id
// (ids are assigned on the parsing thread by DimensionIdAssigner; this
// class stores them and reads them back). Id 0 means "(none)".
//
// Two encodings, by cardinality:
// - provider, model, team, feature, agent, status: few names, small
//   sequential ids in `dims` (compact in every row and rollup key);
// - task and user: up to millions of names, most of them new on import.
//   A lookup per new name cost a third of the import time, so their id is a
//   stable 62-bit hash of the name (no lookup at all); the names are written
//   to `hashed_names` in id order at flush(). A hash collision between two
//   different names is detected at flush and reported.
class DimensionDictionary
{
public:
    static constexpr size_t kMaxCached = 200'000;

    explicit DimensionDictionary(Database &db)
        : m_db(db)
    {}

    static bool isHashed(Dimension kind)
    {
        return kind == Dimension::Task || kind == Dimension::User;
    }
    static int64_t hashedId(Dimension kind, std::string_view name);

    // Id of an existing name, or -1 (never inserts).
    int64_t find(Dimension kind, std::string_view name);
    std::string nameOf(Dimension kind, int64_t id);
    // Many names at once (a drill into a busy agent's tasks resolves tens of
    // thousands): one statement over the ids in order, not a lookup each.
    // Ids without a name map to an empty string; 0 is not looked up.
    std::unordered_map<int64_t, std::string> namesOf(Dimension kind, std::vector<int64_t> ids);
    // Stores a name whose id was assigned by a DimensionIdAssigner.
    void adopt(const struct NewName &n);
    // Writes pending hashed names; call before commit. Throws SqliteError on
    // a hash collision (two names, one id).
    void flush();
    // Forget pending names, e.g. after a rollback.
    void invalidate();

private:
    struct Pending
    {
        int64_t id;
        int kind;
        std::string name;
    };

    void prepare();

    void flushStaged();

    Database &m_db;
    std::vector<Pending> m_pending;
    Statement m_select;
    Statement m_insertHashed;
    Statement m_selectHashed;
    Statement m_nameSmall, m_nameHashed;
    Statement m_namesMany; // namesOf's, kept: a server prepares it once a connection
    std::unordered_map<int64_t, std::string> m_names; // small kinds: id -> name
    bool m_smallLoaded = false;                       // every small kind's name read at once
    bool m_prepared = false;
};

} // namespace tl
