#include "database.h"

namespace tl {

int64_t Database::queryInt(const std::string &sql, int64_t fallback)
{
    Statement st(*this, sql);
    if (st.step() && !st.columnIsNull(0))
        return st.columnInt(0);
    return fallback;
}

Transaction::Transaction(Database &db, Kind kind)
    : m_db(db)
{
    if (kind == Read && m_db.inTransaction())
        m_joined = true;
    else if (kind == Read)
        m_db.beginRead();
    else
        m_db.beginWrite({});
}

Transaction::Transaction(Database &db, const std::function<bool()> &stillWaiting)
    : m_db(db)
{
    m_db.beginWrite(stillWaiting);
}

Transaction::~Transaction()
{
    if (m_open)
        rollback();
}

void Transaction::commit()
{
    if (!m_joined)
        m_db.commit();
    m_open = false;
}

void Transaction::rollback()
{
    if (!m_open)
        return;
    m_open = false;
    if (!m_joined)
        m_db.rollbackQuietly();
}

bool isServerTarget(std::string_view target)
{
    return target.rfind("postgresql://", 0) == 0 || target.rfind("postgres://", 0) == 0;
}

} // namespace tl
