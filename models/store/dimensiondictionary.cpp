#include "dimensiondictionary.h"

#include "dedupeindex.h"
#include "dimensionidassigner.h"

#include "pgdb.h"

#include <algorithm>

namespace tl {

int64_t DimensionDictionary::hashedId(Dimension kind, std::string_view name)
{
    KeyHasher h;
    h.add(int64_t(kind));
    h.add(name);
    // 62 bits: positive, and never 0.
    const int64_t id = int64_t(h.value() >> 2);
    return id ? id : 1;
}

void DimensionDictionary::prepare()
{
    if (m_prepared)
        return;
    m_select = Statement(m_db, "SELECT id FROM dims WHERE kind = ? AND name = ?");
    m_insertHashed = Statement(m_db, "INSERT INTO hashed_names(id, kind, name) VALUES(?, ?, ?) "
                                     "ON CONFLICT(id) DO NOTHING RETURNING id");
    m_selectHashed = Statement(m_db, "SELECT kind, name FROM hashed_names WHERE id = ?");
    m_prepared = true;
}

int64_t DimensionDictionary::find(Dimension kind, std::string_view name)
{
    if (name.empty())
        return 0;
    prepare();
    if (isHashed(kind)) {
        const int64_t id = hashedId(kind, name);
        m_selectHashed.bind(1, id);
        const bool found = m_selectHashed.step();
        m_selectHashed.reset();
        return found ? id : -1;
    }
    m_select.bind(1, int64_t(kind));
    m_select.bindStatic(2, name);
    const int64_t id = m_select.step() ? m_select.columnInt(0) : -1;
    m_select.reset();
    return id;
}

void DimensionDictionary::adopt(const NewName &n)
{
    if (isHashed(n.kind)) {
        // The assigner sends each name once (or again after its bounded
        // memory was cleared: flush() tolerates a name written twice).
        m_pending.push_back({n.id, int(n.kind), n.name});
        if (m_pending.size() > kMaxCached)
            flush();
        return;
    }
    prepare();
    Statement insert(m_db, "INSERT INTO dims(id, kind, name) VALUES(?, ?, ?)");
    insert.bind(1, n.id);
    insert.bind(2, int64_t(n.kind));
    insert.bind(3, n.name);
    insert.step();
}

void DimensionDictionary::flush()
{
    if (m_pending.empty())
        return;
    // In id order the inserts walk the B-tree once instead of at random.
    std::sort(m_pending.begin(), m_pending.end(),
              [](const Pending &a, const Pending &b) { return a.id < b.id; });
    if (m_db.engine() == Engine::Postgres) {
        flushStaged();
        return;
    }
    prepare();
    for (const Pending &p : m_pending) {
        m_insertHashed.bind(1, p.id);
        m_insertHashed.bind(2, int64_t(p.kind));
        m_insertHashed.bindStatic(3, p.name);
        const bool inserted = m_insertHashed.step();
        m_insertHashed.reset();
        if (!inserted) {
            m_selectHashed.bind(1, p.id);
            m_selectHashed.step();
            const bool same =
                m_selectHashed.columnInt(0) == p.kind && m_selectHashed.columnText(1) == p.name;
            m_selectHashed.reset();
            if (!same)
                throw StoreError(StoreError::Kind::Other, 0,
                                 "two names share the id " + std::to_string(p.id) + " ('" + p.name +
                                     "'); please report this");
        }
    }
    m_pending.clear();
}

void DimensionDictionary::flushStaged()
{
    // A server takes a file's tasks and users (150k names for 485k calls)
    // in one stream and one merge, not a round trip each.
    auto &db = static_cast<PgDb &>(m_db);
    std::string rows;
    for (const Pending &p : m_pending) {
        rows += std::to_string(p.id) + '\t' + std::to_string(p.kind) + '\t';
        PgDb::copyEscape(rows, p.name);
        rows += '\n';
    }
    db.stage("stage_names", "(id BIGINT, kind BIGINT, name TEXT)", rows);
    // DO NOTHING also takes a name sent twice in one stream (after the
    // assigner's bounded memory was cleared); a clash is looked for below.
    db.exec("INSERT INTO hashed_names(id, kind, name) SELECT id, kind, name FROM stage_names "
            "ON CONFLICT(id) DO NOTHING");
    Statement clash(m_db, "SELECT s.id, s.name FROM stage_names s JOIN hashed_names h ON h.id = "
                          "s.id WHERE h.kind <> s.kind OR h.name <> s.name LIMIT 1");
    if (clash.step())
        throw StoreError(StoreError::Kind::Other, 0,
                         "two names share the id " + std::to_string(clash.columnInt(0)) + " ('" +
                             std::string(clash.columnText(1)) + "'); please report this");
    m_pending.clear();
}

std::string DimensionDictionary::nameOf(Dimension kind, int64_t id)
{
    if (id == 0)
        return {};
    // Views resolve the same few hundred agents, models and teams on every
    // query: a prepared statement per lookup was most of a query's time.
    const bool hashed = isHashed(kind);
    if (!hashed) {
        auto it = m_names.find(id);
        if (it != m_names.end())
            return it->second;
        // The first miss reads them all (a few hundred): a report names
        // ~340 agents, models and teams, a round trip each on a server.
        if (!m_smallLoaded) {
            m_smallLoaded = true;
            Statement all(m_db, "SELECT id, name FROM dims LIMIT " + std::to_string(kMaxCached));
            while (all.step())
                m_names.emplace(all.columnInt(0), std::string(all.columnText(1)));
            it = m_names.find(id);
            if (it != m_names.end())
                return it->second;
        }
    }
    Statement &st = hashed ? m_nameHashed : m_nameSmall;
    if (!st.isPrepared())
        st = Statement(m_db, hashed ? "SELECT name FROM hashed_names WHERE id = ?"
                                    : "SELECT name FROM dims WHERE id = ?");
    st.bind(1, id);
    std::string name = st.step() ? std::string(st.columnText(0)) : std::string();
    st.reset();
    if (!hashed && !name.empty())
        m_names.emplace(id, name);
    return name;
}

std::unordered_map<int64_t, std::string> DimensionDictionary::namesOf(Dimension kind,
                                                                      std::vector<int64_t> ids)
{
    std::unordered_map<int64_t, std::string> out;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (!ids.empty() && ids.front() == 0)
        ids.erase(ids.begin());
    out.reserve(ids.size());
    // A handful: the cached or one-by-one path is as quick (on a file; on
    // a server each lookup is a round trip).
    const size_t few = m_db.engine() == Engine::Postgres ? 2 : 64;
    if (!isHashed(kind) || ids.size() < few) {
        for (int64_t id : ids)
            out.emplace(id, nameOf(kind, id));
        return out;
    }
    // One statement, its ids in order: the names of one read share pages,
    // and a single read holds SQLite's locks once instead of per lookup.
    constexpr size_t kChunk = 20000;
    for (size_t from = 0; from < ids.size(); from += kChunk) {
        const size_t to = std::min(ids.size(), from + kChunk);
        const bool pg = m_db.engine() == Engine::Postgres;
        std::string list(1, pg ? '{' : '[');
        list.reserve((to - from) * 20);
        for (size_t i = from; i < to; ++i) {
            if (i != from)
                list += ',';
            list += std::to_string(ids[i]);
        }
        list += pg ? '}' : ']';
        if (!m_namesMany.isPrepared())
            m_namesMany =
                Statement(m_db, pg ? "SELECT id, name FROM hashed_names WHERE id = ANY(CAST(? AS "
                                     "BIGINT[]))"
                                   : "SELECT id, name FROM hashed_names WHERE id IN (SELECT value "
                                     "FROM json_each(?))");
        Statement &st = m_namesMany;
        st.reset(); // after a read that threw, too
        st.bind(1, list);
        while (st.step())
            out.emplace(st.columnInt(0), std::string(st.columnText(1)));
        st.reset();
    }
    for (int64_t id : ids)
        out.try_emplace(id);
    return out;
}

void DimensionDictionary::invalidate()
{
    m_pending.clear();
    m_names.clear(); // a rolled-back id may be given to another name
    m_smallLoaded = false;
}

} // namespace tl
