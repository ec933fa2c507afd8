#include "chunkreader.h"

#include <cstring>

namespace tl {

ChunkReader::~ChunkReader()
{
    if (m_file)
        std::fclose(m_file);
}

bool ChunkReader::open(const std::string &path, std::string *error)
{
    m_file = std::fopen(path.c_str(), "rb");
    if (!m_file) {
        if (error)
            *error = path + ": cannot be opened (" + std::strerror(errno) + ")";
        return false;
    }
    std::setvbuf(m_file, nullptr, _IONBF, 0);
    if (std::fseek(m_file, 0, SEEK_END) == 0) {
        m_size = std::ftell(m_file);
        std::fseek(m_file, 0, SEEK_SET);
    }
    m_buf.assign(kChunk + kPadding, '\0');
    fill();
    if (m_readError) {
        if (error)
            *error = path + ": read error";
        return false;
    }
    return true;
}

void ChunkReader::openText(std::string text)
{
    m_size = int64_t(text.size());
    m_buf.assign(text.size() + kPadding, '\0');
    std::memcpy(m_buf.data(), text.data(), text.size());
    m_end = text.size();
    m_eof = true;
}

bool ChunkReader::fill()
{
    if (m_eof || !m_file)
        return false;
    if (m_pos > 0) {
        std::memmove(m_buf.data(), m_buf.data() + m_pos, m_end - m_pos);
        m_consumedBefore += int64_t(m_pos);
        m_end -= m_pos;
        m_pos = 0;
    }
    size_t room = m_buf.size() - kPadding - m_end;
    if (room < kChunk / 2) {
        // The unread part is one long record: grow, within the limit.
        if (m_buf.size() - kPadding >= kMaxRecord) {
            m_tooLong = true;
            return false;
        }
        m_buf.resize(std::min(m_buf.size() * 2, kMaxRecord + kPadding));
        room = m_buf.size() - kPadding - m_end;
    }
    size_t n = std::fread(m_buf.data() + m_end, 1, room, m_file);
    if (n < room) {
        if (std::ferror(m_file))
            m_readError = true;
        m_eof = true;
    }
    m_end += n;
    std::memset(m_buf.data() + m_end, 0, kPadding);
    return n > 0;
}

} // namespace tl
