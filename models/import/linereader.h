#pragma once

#include "chunkreader.h"

#include <string_view>

namespace tl {

// Lines of a JSON Lines file, zero-copy. Each returned line is followed in
// memory by at least ChunkReader::kPadding readable bytes, as simdjson's
// in-place parsing requires.
class LineReader
{
public:
    enum class Result { Line, End, TooLong };

    explicit LineReader(ChunkReader &in)
        : m_in(in)
    {}
    Result next(std::string_view &line);
    int64_t line() const { return m_line; }

private:
    ChunkReader &m_in;
    int64_t m_line = 0;
    bool m_first = true;
};

} // namespace tl
