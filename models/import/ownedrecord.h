#pragma once

#include "core/callrecord.h"
#include "recordreader.h"

#include <array>

#include <deque>
#include <string>
#include <string_view>

namespace tl {

// A CallRecord whose text lives in stable storage: readers that turn one
// input item (an OTLP document, a usage-report page) into several records
// keep them here until handed out.
class RecordArena
{
public:
    // Copies `s` and returns a view that stays valid until clear().
    std::string_view keep(std::string_view s)
    {
        if (s.empty())
            return {};
        return m_strings.emplace_back(s);
    }
    void clear() { m_strings.clear(); }

private:
    std::deque<std::string> m_strings; // deque: growth never moves existing strings
};

// One outcome of a reader that turns one input item (an OTLP document, a
// usage-report bucket) into several records, kept until next() hands it out.
struct PendingItem
{
    PendingItem(RecordReader::Status s, std::string where, std::string why = {})
        : status(s)
        , location(std::move(where))
        , reason(std::move(why))
    {}
    RecordReader::Status status;
    std::array<size_t, 3> path{}; // OTel: the span's indexes, spelled out only when asked
    CallRecord record;
    std::string location;
    std::string reason;
};

} // namespace tl
