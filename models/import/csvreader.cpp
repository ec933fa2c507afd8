#include "csvreader.h"

#include <cstring>
#include <string>
#include <string_view>

namespace tl {

CsvReader::CsvReader(ChunkReader &in)
    : m_in(in)
{}

// Finds where the record starting at m_in.begin() ends (the unquoted '\n' or
// the end of input). Reads more input as needed.
bool CsvReader::findRecordEnd(size_t &len, size_t &newlines, bool &quoted)
{
    for (;;) {
        const char *p = m_in.begin();
        const size_t avail = m_in.available();
        // Fast path: the next newline ends the record when no quote precedes it.
        const char *nl = static_cast<const char *>(std::memchr(p, '\n', avail));
        if (nl && !std::memchr(p, '"', size_t(nl - p))) {
            len = size_t(nl - p);
            newlines = 0;
            quoted = false;
            return true;
        }
        bool inQuotes = false;
        size_t lines = 0;
        bool sawQuote = false;
        for (size_t i = 0; i < avail; ++i) {
            char c = p[i];
            if (c == '"') {
                inQuotes = !inQuotes;
                sawQuote = true;
            } else if (c == '\n') {
                if (!inQuotes) {
                    len = i;
                    newlines = lines;
                    quoted = sawQuote;
                    return true;
                }
                ++lines;
            }
        }
        if (!m_in.fill()) {
            if (m_in.recordTooLong() || m_in.available() == 0)
                return false;
            // Last record without a trailing newline.
            len = m_in.available();
            newlines = 0;
            const char *q = m_in.begin();
            for (size_t i = 0; i < len; ++i)
                newlines += q[i] == '\n';
            quoted = std::memchr(q, '"', len) != nullptr;
            return true;
        }
    }
}

CsvReader::Result CsvReader::next(std::vector<std::string_view> &fields)
{
    fields.clear();
    if (m_first) {
        m_first = false;
        if (m_in.available() >= 3 && std::memcmp(m_in.begin(), "\xEF\xBB\xBF", 3) == 0)
            m_in.consume(3);
    }
    size_t len = 0, newlines = 0;
    bool quoted = false;
    if (m_in.available() == 0 && !m_in.fill())
        return Result::End;
    if (!findRecordEnd(len, newlines, quoted)) {
        if (m_in.recordTooLong()) {
            m_recordLine = m_nextLine;
            m_error = "record longer than 64 MiB";
            return Result::TooLong;
        }
        return Result::End;
    }
    char *p = const_cast<char *>(m_in.begin());
    const char *firstNl =
        newlines > 0 ? static_cast<const char *>(std::memchr(p, '\n', len)) : nullptr;
    const bool moreLines =
        firstNl && std::string_view(firstNl, size_t(p + len - firstNl))
                           .find_first_not_of(" \t\r\n") != std::string_view::npos;
    const size_t bare = len > 0 && p[len - 1] == '\r' ? len - 1 : len;
    if (quoted && moreLines && !splitQuoted(p, bare, nullptr, nullptr)) {
        // A quote that never closes (or closes lines later, in the wrong
        // place) would swallow every line after it into one bad record. Only
        // the line where it opened is rejected; reading goes on after it.
        const size_t first = size_t(firstNl - p);
        m_recordLine = m_nextLine;
        m_recordLines = 1;
        m_nextLine += 1;
        size_t rawLen = first;
        if (rawLen > 0 && p[rawLen - 1] == '\r')
            --rawLen;
        m_rawCopy.assign(p, rawLen);
        m_raw = m_rawCopy;
        m_in.consume(first + 1);
        m_error = "a quoted field opens here and does not close on this line (it would have "
                  "taken the next " +
                  std::to_string(newlines) +
                  " lines with it): this line is rejected and reading goes on with the next";
        return Result::Malformed;
    }
    const bool hadNewline = len < m_in.available();
    m_in.consume(len + (hadNewline ? 1 : 0));
    m_recordLine = m_nextLine;
    m_recordLines = 1 + int64_t(newlines);
    m_nextLine += 1 + int64_t(newlines);
    if (len > 0 && p[len - 1] == '\r')
        --len;
    if (quoted) {
        m_rawCopy.assign(p, len);
        m_raw = m_rawCopy;
    } else {
        m_raw = std::string_view(p, len);
    }
    if (!split(p, len, quoted, fields))
        return Result::Malformed;
    return Result::Record;
}

std::string CsvReader::spanNote() const
{
    if (m_recordLines <= 1)
        return {};
    return " (the record spans lines " + std::to_string(m_recordLine) + "–" +
           std::to_string(m_recordLine + m_recordLines - 1) +
           ": a quote may open on the first and close on the last)";
}

bool CsvReader::split(char *p, size_t len, bool quoted, std::vector<std::string_view> &fields)
{
    if (!quoted) {
        size_t start = 0;
        for (;;) {
            const char *c = static_cast<const char *>(std::memchr(p + start, ',', len - start));
            if (!c) {
                fields.emplace_back(p + start, len - start);
                return true;
            }
            size_t at = size_t(c - p);
            fields.emplace_back(p + start, at - start);
            start = at + 1;
        }
    }
    return splitQuoted(p, len, &fields, &m_error);
}

bool CsvReader::splitQuoted(char *p, size_t len, std::vector<std::string_view> *fields,
                            std::string *error)
{
    auto fail = [error](const char *why) {
        if (error)
            *error = why;
        return false;
    };
    size_t i = 0;
    for (;;) {
        if (i < len && p[i] == '"') {
            // Unescape in place (when collecting): the output never outruns the input.
            char *out = p + i;
            char *const fieldStart = out;
            ++i;
            for (;;) {
                if (i >= len)
                    return fail("unterminated quoted field");
                if (p[i] == '"') {
                    if (i + 1 < len && p[i + 1] == '"') {
                        if (fields)
                            *out = '"';
                        ++out;
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                if (fields)
                    *out = p[i];
                ++out;
                ++i;
            }
            if (fields)
                fields->emplace_back(fieldStart, size_t(out - fieldStart));
            if (i == len)
                return true;
            if (p[i] != ',')
                return fail("unexpected character after a closing quote (expected ',')");
            ++i;
        } else {
            size_t start = i;
            while (i < len && p[i] != ',') {
                if (p[i] == '"')
                    return fail("quote inside an unquoted field");
                ++i;
            }
            if (fields)
                fields->emplace_back(p + start, i - start);
            if (i == len)
                return true;
            ++i;
        }
    }
}

} // namespace tl
