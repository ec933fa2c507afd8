#pragma once

#include "query/summaryquery.h"
#include "store/workspace.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace tl {

// Names of the ids one read returns, resolved once each. Prefetch the users'
// and tasks' ids first: one statement for all of them, where a lookup each
// was a round trip per row on a server. Id 0 is kNoneName.
class NameCache
{
public:
    explicit NameCache(Workspace &ws)
        : m_ws(ws)
    {}
    void prefetch(Dimension d, std::vector<int64_t> ids)
    {
        for (auto &[id, name] : m_ws.dims().namesOf(d, std::move(ids)))
            m_names[key(d, id)] = std::move(name);
    }
    const std::string &name(Dimension d, int64_t id)
    {
        auto &slot = m_names[key(d, id)];
        if (slot.empty())
            slot = id == 0 ? std::string(kNoneName) : m_ws.dims().nameOf(d, id);
        return slot;
    }

private:
    static int64_t key(Dimension d, int64_t id) { return (int64_t(d) << 58) ^ id; }

    Workspace &m_ws;
    std::unordered_map<int64_t, std::string> m_names;
};

} // namespace tl
