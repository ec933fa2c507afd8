#pragma once

#include "query/requestquery.h"

#include <functional>
#include <string>

namespace tl {

// Every call under a filter as CSV (the Requests table's export): one row
// per call with ISO times and plain numbers, written page by page so 10M
// calls take constant memory. The file is replaced only when complete.
class RequestCsvExport
{
public:
    using Progress = std::function<bool(int64_t rowsWritten)>; // false = cancel
    static bool write(Workspace &ws, const CallFilter &filter, RequestSort sort,
                      const std::string &search, const std::string &path,
                      const Progress &progress, std::string *error, int64_t *rows = nullptr);
    static std::string header();
    static std::string row(const RequestRow &r);
};

} // namespace tl
