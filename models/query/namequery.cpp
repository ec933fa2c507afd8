#include "namequery.h"

#include "store/dimensiondictionary.h"
#include "store/workspace.h"

namespace tl {

std::vector<std::string> NameQuery::names(Workspace &ws, Dimension d, const std::string &search,
                                          int limit)
{
    const char *table = DimensionDictionary::isHashed(d) ? "hashed_names" : "dims";
    // A LIKE pattern both engines read alike; the search's own % and _
    // are escaped so they match themselves.
    std::string pattern = "%";
    for (char c : search) {
        if (c == '%' || c == '_' || c == '!')
            pattern += '!';
        pattern += c;
    }
    pattern += '%';
    Statement st(ws.db(), std::string("SELECT name FROM ") + table +
                              " WHERE kind = ? AND lower(name) LIKE lower(?) ESCAPE '!' "
                              "ORDER BY name LIMIT ?");
    st.bind(1, int64_t(d));
    st.bind(2, std::string_view(pattern));
    st.bind(3, int64_t(limit));
    std::vector<std::string> out;
    while (st.step())
        out.emplace_back(st.columnText(0));
    return out;
}

} // namespace tl
