#include "csvwriter.h"

namespace tl {

namespace {

// Whether a spreadsheet would read the cell as a formula: it starts (after
// spaces, which Excel and LibreOffice skip) with = + - @, a tab or a CR, or
// with their full-width forms (＝ ＋ － ＠), which some spreadsheets take too.
bool looksLikeFormula(std::string_view v)
{
    size_t i = 0;
    for (;;) {
        if (i < v.size() && v[i] == ' ') {
            ++i;
        } else if (v.substr(i, 2) == "\xC2\xA0") { // no-break space
            i += 2;
        } else if (v.substr(i, 3) == "\xE3\x80\x80") { // ideographic space
            i += 3;
        } else {
            break;
        }
    }
    if (i >= v.size())
        return false;
    const char c = v[i];
    if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r')
        return true;
    for (std::string_view wide : {"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D", "\xEF\xBC\xA0"})
        if (v.substr(i, 3) == wide)
            return true;
    return false;
}

} // namespace

std::string CsvWriter::field(std::string_view v, bool escapeFormula)
{
    std::string s;
    if (escapeFormula && looksLikeFormula(v))
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
