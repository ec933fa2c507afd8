#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tl {

// RFC 4180 output for spreadsheets: fields with commas, quotes or line
// breaks are quoted, and a text cell that a spreadsheet would run as a
// formula (starting with =, +, -, @, tab or CR) is prefixed with ' (OWASP
// "CSV injection"). Numbers are written by the caller as plain text and
// passed with escapeFormula = false.
class CsvWriter
{
public:
    static std::string field(std::string_view value, bool escapeFormula = true);
    static std::string row(const std::vector<std::string> &cells,
                           const std::vector<bool> &numeric = {});
};

} // namespace tl
