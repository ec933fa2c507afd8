#pragma once

#include "core/dimension.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace tl {

class Database;

// A name the assigner has not seen in the workspace: the storing side
// writes it (dims for small kinds, hashed_names for task and user).
struct NewName
{
    int64_t id;
    Dimension kind;
    std::string name;
};

// Gives dimension ids without touching the database, so the parsing thread
// can do it: small kinds from a snapshot of the dims table taken at import
// start (new names get the next free ids), task and user by hash (see
// DimensionDictionary). The storing thread writes what `fresh` collects.
class DimensionIdAssigner
{
public:
    // Reads the small kinds' names; call on the connection's thread.
    static DimensionIdAssigner fromDatabase(Database &db);

    int64_t idFor(Dimension kind, std::string_view name, std::vector<NewName> &fresh);

private:
    struct Hash
    {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
    };
    std::unordered_map<std::string, int64_t, Hash, std::equal_to<>> m_small[16];
    std::unordered_set<int64_t> m_hashedSeen;
    int64_t m_nextId = 1;
};

} // namespace tl
