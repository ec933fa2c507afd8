#include "dimensionidassigner.h"

#include "dimensiondictionary.h"
#include "database.h"

namespace tl {

DimensionIdAssigner DimensionIdAssigner::fromDatabase(Database &db)
{
    DimensionIdAssigner a;
    Statement st(db, "SELECT id, kind, name FROM dims");
    while (st.step()) {
        const int64_t id = st.columnInt(0);
        const int64_t kind = st.columnInt(1);
        if (kind > 0 && kind < 16)
            a.m_small[kind].emplace(std::string(st.columnText(2)), id);
        a.m_nextId = std::max(a.m_nextId, id + 1);
    }
    return a;
}

int64_t DimensionIdAssigner::idFor(Dimension kind, std::string_view name,
                                   std::vector<NewName> &fresh)
{
    if (name.empty())
        return 0;
    if (DimensionDictionary::isHashed(kind)) {
        const int64_t id = DimensionDictionary::hashedId(kind, name);
        if (m_hashedSeen.insert(id).second) {
            fresh.push_back({id, kind, std::string(name)});
            // Bounded: a name seen again after a clear is written again, which
            // the storing side ignores (same id, same name).
            if (m_hashedSeen.size() > DimensionDictionary::kMaxCached)
                m_hashedSeen.clear();
        }
        return id;
    }
    auto &map = m_small[int(kind)];
    if (auto it = map.find(name); it != map.end())
        return it->second;
    const int64_t id = m_nextId++;
    map.emplace(std::string(name), id);
    fresh.push_back({id, kind, std::string(name)});
    return id;
}

} // namespace tl
