#include "linereader.h"

#include <cstring>

namespace tl {

LineReader::Result LineReader::next(std::string_view &line)
{
    if (m_first) {
        m_first = false;
        if (m_in.available() >= 3 && std::memcmp(m_in.begin(), "\xEF\xBB\xBF", 3) == 0)
            m_in.consume(3);
    }
    for (;;) {
        const char *p = m_in.begin();
        const size_t avail = m_in.available();
        const char *nl = avail ? static_cast<const char *>(std::memchr(p, '\n', avail)) : nullptr;
        if (nl) {
            size_t len = size_t(nl - p);
            m_in.consume(len + 1);
            ++m_line;
            if (len > 0 && p[len - 1] == '\r')
                --len;
            line = std::string_view(p, len);
            return Result::Line;
        }
        if (!m_in.fill()) {
            if (m_in.recordTooLong()) {
                ++m_line;
                return Result::TooLong;
            }
            if (m_in.available() == 0)
                return Result::End;
            size_t len = m_in.available();
            const char *q = m_in.begin();
            m_in.consume(len);
            ++m_line;
            if (len > 0 && q[len - 1] == '\r')
                --len;
            line = std::string_view(q, len);
            return Result::Line;
        }
    }
}

} // namespace tl
