#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tl::proto {

// The protocol-buffers wire format, as much as OTLP needs: a reader that
// walks one message's fields (never trusting a length), and the few
// encoders the receiver's answers need. No generated code, no libprotobuf.
struct Field
{
    uint32_t number = 0;
    uint32_t wireType = 0;  // 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32
    uint64_t value = 0;     // varint, fixed64 or fixed32
    std::string_view bytes; // length-delimited
};

class Reader
{
public:
    explicit Reader(std::string_view data)
        : m_data(data)
    {}
    // The next field: false at the end, or on malformed input (then error()
    // says what, at which byte offset of this message).
    bool next(Field &f);
    bool failed() const { return !m_error.empty(); }
    const std::string &error() const { return m_error; }

private:
    bool varint(uint64_t &v);
    bool fail(const char *what);

    std::string_view m_data;
    size_t m_pos = 0;
    std::string m_error;
};

void putVarint(std::string &out, uint64_t v);
void putTag(std::string &out, uint32_t number, uint32_t wireType);
void putBytes(std::string &out, uint32_t number, std::string_view bytes);
void putInt(std::string &out, uint32_t number, int64_t v); // int64 as a varint

} // namespace tl::proto
