#pragma once

#include "chunkreader.h"

#include <string>
#include <string_view>
#include <vector>

namespace tl {

// RFC 4180 records from a ChunkReader: quoted fields with embedded commas,
// doubled quotes and newlines; CRLF or LF; a UTF-8 byte-order mark.
// Fields are views into the reader's buffer, valid until the next call.
class CsvReader
{
public:
    enum class Result { Record, End, Malformed, TooLong };

    explicit CsvReader(ChunkReader &in);

    Result next(std::vector<std::string_view> &fields);
    // 1-based physical line where the last record started, and how many
    // physical lines it spans (more than 1 when a quoted field holds newlines).
    int64_t line() const { return m_recordLine; }
    int64_t lineCount() const { return m_recordLines; }
    // The last record's text as it stood in the file (before unquoting
    // would change it: it is captured first).
    std::string_view rawRecord() const { return m_raw; }
    const std::string &error() const { return m_error; }
    // " (the record spans lines 5–900)" for a record over several lines, else
    // empty: said with a field-count error, where a stray quote shows.
    std::string spanNote() const;

private:
    bool findRecordEnd(size_t &len, size_t &newlines, bool &quoted);
    bool split(char *p, size_t len, bool quoted, std::vector<std::string_view> &fields);
    // The quoted-record grammar of RFC 4180, once: with `fields`, they are
    // unescaped in place and collected; without, the record is only checked
    // and left as it was (a check before deciding what the record is).
    static bool splitQuoted(char *p, size_t len, std::vector<std::string_view> *fields,
                            std::string *error);

    ChunkReader &m_in;
    int64_t m_nextLine = 1;
    int64_t m_recordLine = 0;
    int64_t m_recordLines = 1;
    std::string_view m_raw;
    std::string m_rawCopy; // quoted records are unescaped in place: keep the original
    std::string m_error;
    bool m_first = true;
};

} // namespace tl
