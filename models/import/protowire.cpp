#include "protowire.h"

#include <cstring>

namespace tl::proto {

bool Reader::fail(const char *what)
{
    m_error = std::string(what) + " at byte " + std::to_string(m_pos);
    return false;
}

bool Reader::varint(uint64_t &v)
{
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (m_pos >= m_data.size())
            return fail("truncated varint");
        const auto b = uint8_t(m_data[m_pos++]);
        v |= uint64_t(b & 0x7f) << shift;
        if (!(b & 0x80))
            return true;
    }
    return fail("varint longer than 10 bytes");
}

bool Reader::next(Field &f)
{
    if (m_pos >= m_data.size() || failed())
        return false;
    uint64_t key = 0;
    if (!varint(key))
        return false;
    f.number = uint32_t(key >> 3);
    f.wireType = uint32_t(key & 7);
    if (f.number == 0)
        return fail("field number 0");
    switch (f.wireType) {
    case 0:
        return varint(f.value);
    case 1:
    case 5: {
        const size_t n = f.wireType == 1 ? 8 : 4;
        if (m_data.size() - m_pos < n)
            return fail("truncated fixed-width field");
        uint64_t v = 0;
        for (size_t i = 0; i < n; ++i) // little-endian on the wire
            v |= uint64_t(uint8_t(m_data[m_pos + i])) << (8 * i);
        f.value = v;
        m_pos += n;
        return true;
    }
    case 2: {
        uint64_t len = 0;
        if (!varint(len))
            return false;
        if (len > m_data.size() - m_pos)
            return fail("length past the end of the message");
        f.bytes = m_data.substr(m_pos, size_t(len));
        m_pos += size_t(len);
        return true;
    }
    default: // 3 and 4 (groups) are obsolete; 6 and 7 do not exist
        return fail("unsupported wire type");
    }
}

void putVarint(std::string &out, uint64_t v)
{
    while (v >= 0x80) {
        out += char(uint8_t(v) | 0x80);
        v >>= 7;
    }
    out += char(v);
}

void putTag(std::string &out, uint32_t number, uint32_t wireType)
{
    putVarint(out, (uint64_t(number) << 3) | wireType);
}

void putBytes(std::string &out, uint32_t number, std::string_view bytes)
{
    putTag(out, number, 2);
    putVarint(out, bytes.size());
    out.append(bytes);
}

void putInt(std::string &out, uint32_t number, int64_t v)
{
    putTag(out, number, 0);
    putVarint(out, uint64_t(v));
}

} // namespace tl::proto
