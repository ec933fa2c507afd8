#include "jsonarraystream.h"

namespace tl {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Steps over string content: true when p[i] was part of a string (or its
// opening quote), so the caller's structural scan skips it.
bool inJsonString(const char *p, size_t &i, bool &inString)
{
    if (inString) {
        if (p[i] == '\\')
            ++i;
        else if (p[i] == '"')
            inString = false;
        return true;
    }
    if (p[i] == '"') {
        inString = true;
        return true;
    }
    return false;
}

} // namespace

bool JsonArrayStream::fill()
{
    return m_in.fill();
}

// Moves past the opening '[' of the records array.
bool JsonArrayStream::skipToArray()
{
    if (m_in.available() >= 3 && std::string_view(m_in.begin(), 3) == "\xEF\xBB\xBF")
        m_in.consume(3);
    bool rootObject = false;
    int depth = 0;
    bool inString = false;
    for (;;) {
        const char *p = m_in.begin();
        const size_t n = m_in.available();
        for (size_t i = 0; i < n; ++i) {
            const char c = p[i];
            if (c == '\n')
                ++m_nextLine;
            if (inJsonString(p, i, inString))
                continue;
            if (c == '[' && (depth == 0 || (rootObject && depth == 1))) {
                m_in.consume(i + 1);
                return true;
            } else if (c == '{' || c == '[') {
                if (depth == 0 && c == '{')
                    rootObject = true;
                ++depth;
            } else if (c == '}' || c == ']') {
                --depth;
            } else if (!isSpace(c) && depth == 0) {
                m_error = "expected a JSON array of records, or an object holding one";
                return false;
            }
        }
        m_in.consume(n);
        if (!fill()) {
            m_error = "no array of records found";
            return false;
        }
    }
}

JsonArrayStream::Result JsonArrayStream::next(std::string_view &object)
{
    if (m_done)
        return Result::End;
    if (!m_inArray) {
        if (!skipToArray())
            return Result::Malformed;
        m_inArray = true;
    }
    for (;;) {
        // Skip separators up to the next object or the end of the array.
        while (m_in.available() || fill()) {
            const char c = *m_in.begin();
            if (c == '\n')
                ++m_nextLine;
            if (isSpace(c) || c == ',') {
                m_in.consume(1);
                continue;
            }
            if (c == ']') {
                m_done = true;
                return Result::End;
            }
            if (c != '{') {
                m_error = "expected an object in the array of records";
                m_done = true;
                return Result::Malformed;
            }
            break;
        }
        if (!m_in.available()) {
            m_error = "the array of records is not closed (truncated file?)";
            m_done = true;
            return Result::Malformed;
        }
        // Find the end of this object.
        int depth = 0;
        bool inString = false;
        int64_t lines = 0;
        for (;;) {
            const char *p = m_in.begin();
            const size_t n = m_in.available();
            for (size_t i = 0; i < n; ++i) {
                const char c = p[i];
                if (c == '\n')
                    ++lines;
                if (inJsonString(p, i, inString))
                    continue;
                if (c == '{' || c == '[') {
                    ++depth;
                } else if ((c == '}' || c == ']') && --depth == 0) {
                    object = std::string_view(p, i + 1);
                    m_in.consume(i + 1);
                    ++m_index;
                    m_line = m_nextLine;
                    m_nextLine += lines;
                    return Result::Object;
                }
            }
            // Not complete in the buffer: read more, then scan the object again.
            lines = 0;
            depth = 0;
            inString = false;
            if (!fill()) {
                m_done = true;
                if (m_in.recordTooLong()) {
                    m_error = "a record longer than 64 MiB";
                    return Result::TooLong;
                }
                m_error = "the last record is not closed (truncated file?)";
                return Result::Malformed;
            }
        }
    }
}

} // namespace tl
