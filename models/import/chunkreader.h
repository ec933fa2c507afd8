#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace tl {

// Reads a file in large chunks into one buffer that always keeps
// kPadding readable bytes past the data (simdjson parses in place with that).
// Memory stays at the buffer size whatever the file size; a record longer
// than the buffer grows it up to kMaxRecord.
class ChunkReader
{
public:
    static constexpr size_t kPadding = 64;
    static constexpr size_t kChunk = 4u << 20;      // 4 MiB
    static constexpr size_t kMaxRecord = 64u << 20; // a "huge single line" is refused past this

    ChunkReader() = default;
    ~ChunkReader();
    ChunkReader(const ChunkReader &) = delete;
    ChunkReader &operator=(const ChunkReader &) = delete;

    bool open(const std::string &path, std::string *error);
    // Opens an in-memory text (tests, and formats that first unwrap a document).
    void openText(std::string text);

    const char *begin() const { return m_buf.data() + m_pos; }
    const char *end() const { return m_buf.data() + m_end; }
    size_t available() const { return m_end - m_pos; }
    void consume(size_t n) { m_pos += n; }
    // Moves unread bytes to the front and reads more. Returns false when no
    // more bytes could be added (end of file, or the record limit reached:
    // see recordTooLong()).
    bool fill();
    bool atEof() const { return m_eof; }
    bool recordTooLong() const { return m_tooLong; }
    int64_t bytesConsumed() const { return m_consumedBefore + int64_t(m_pos); }
    int64_t fileSize() const { return m_size; }
    bool readError() const { return m_readError; }

private:
    std::FILE *m_file = nullptr;
    std::vector<char> m_buf;
    size_t m_pos = 0;
    size_t m_end = 0;
    int64_t m_consumedBefore = 0;
    int64_t m_size = 0;
    bool m_eof = false;
    bool m_tooLong = false;
    bool m_readError = false;
    std::string m_text;
};

} // namespace tl
