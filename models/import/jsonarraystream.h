#pragma once

#include "chunkreader.h"

#include <string>
#include <string_view>

namespace tl {

// Streams the objects of a JSON array without holding the document: the
// array at the root (`[{…},{…}]`), or the first array member of a root
// object (`{"data":[{…}], "meta":…}`, as paged APIs return). Each object is
// returned as its text, followed in memory by ChunkReader::kPadding
// readable bytes, for simdjson to parse in place.
class JsonArrayStream
{
public:
    enum class Result { Object, End, Malformed, TooLong };

    explicit JsonArrayStream(ChunkReader &in)
        : m_in(in)
    {}

    Result next(std::string_view &object);
    int64_t index() const { return m_index; } // 1-based index of the last object
    int64_t line() const { return m_line; }   // its first line
    const std::string &error() const { return m_error; }

private:
    bool skipToArray();
    bool fill();

    ChunkReader &m_in;
    bool m_inArray = false;
    bool m_done = false;
    int64_t m_index = 0;
    int64_t m_line = 0;
    int64_t m_nextLine = 1;
    std::string m_error;
};

} // namespace tl
