#include "csvwriter.h"

namespace tl {

std::string CsvWriter::field(std::string_view v, bool escapeFormula)
{
    std::string s;
    if (escapeFormula && !v.empty() &&
        (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
        s += '\'';
    s += v;
    if (s.find_first_of(",\"\r\n") == std::string::npos)
        return s;
    std::string q = "\"";
    for (char c : s) {
        if (c == '"')
            q += '"';
        q += c;
    }
    q += '"';
    return q;
}

std::string CsvWriter::row(const std::vector<std::string> &cells, const std::vector<bool> &numeric)
{
    std::string out;
    for (size_t i = 0; i < cells.size(); ++i) {
        if (i)
            out += ',';
        const bool isNumber = i < numeric.size() && numeric[i];
        out += field(cells[i], !isNumber);
    }
    out += "\r\n";
    return out;
}

} // namespace tl
