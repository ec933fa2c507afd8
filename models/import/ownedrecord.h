#pragma once

#include "core/callrecord.h"

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

} // namespace tl
