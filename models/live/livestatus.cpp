#include "livestatus.h"

#include "store/workspace.h"

namespace tl::live {

LiveToken liveToken(Workspace &ws)
{
    Statement st(ws.db(), "SELECT COUNT(*), COALESCE(SUM(records), 0), COALESCE(SUM(records + "
                          "duplicates + rejected), 0) FROM sources");
    LiveToken t;
    if (st.step()) {
        t.sources = st.columnInt(0);
        t.records = st.columnInt(1);
        t.touched = st.columnInt(2);
    }
    return t;
}

} // namespace tl::live
