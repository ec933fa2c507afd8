#include "nativecsvreader.h"

#include <simdjson.h>

namespace tl {

NativeCsvReader::NativeCsvReader(std::unique_ptr<ChunkReader> in, std::string fileName)
    : m_in(std::move(in))
    , m_csv(*m_in)
    , m_fileName(std::move(fileName))
{}

bool NativeCsvReader::sniff(std::string_view head)
{
    if (head.substr(0, 3) == "\xEF\xBB\xBF")
        head.remove_prefix(3);
    std::string_view first = head.substr(0, head.find('\n'));
    auto has = [&](std::string_view col) {
        size_t at = first.find(col);
        while (at != std::string_view::npos) {
            bool startOk = at == 0 || first[at - 1] == ',' || first[at - 1] == '"';
            size_t endAt = at + col.size();
            bool endOk = endAt == first.size() || first[endAt] == ',' || first[endAt] == '"' ||
                         first[endAt] == '\r';
            if (startOk && endOk)
                return true;
            at = first.find(col, at + 1);
        }
        return false;
    };
    return has("ts") && has("model");
}

bool NativeCsvReader::readHeader()
{
    m_headerRead = true;
    auto r = m_csv.next(m_fields);
    if (r != CsvReader::Result::Record) {
        m_reason =
            r == CsvReader::Result::End ? "empty file (expected a header row)" : m_csv.error();
        return false;
    }
    bool seen[32] = {};
    for (auto f : m_fields) {
        while (!f.empty() && f.front() == ' ')
            f.remove_prefix(1);
        while (!f.empty() && f.back() == ' ')
            f.remove_suffix(1);
        m_names.emplace_back(f);
        auto nf = nativeFieldFromName(f);
        if (nf) {
            if (seen[int(*nf)]) {
                m_reason = "header names column '" + std::string(f) + "' twice";
                return false;
            }
            seen[int(*nf)] = true;
        }
        m_columns.push_back(nf);
    }
    std::string missing;
    for (NativeField req :
         {NativeField::Ts, NativeField::Model, NativeField::InputTokens, NativeField::OutputTokens})
        if (!seen[int(req)])
            missing += (missing.empty() ? "" : ", ") + std::string(nativeFieldName(req));
    if (!missing.empty()) {
        m_reason = "header lacks required column(s): " + missing;
        return false;
    }
    return true;
}

RecordReader::Status NativeCsvReader::next(CallRecord &out)
{
    if (!m_headerRead && !readHeader())
        return Status::Fatal;
    for (;;) {
        auto r = m_csv.next(m_fields);
        if (r == CsvReader::Result::End) {
            if (m_in->readError()) {
                m_reason = "read error";
                return Status::Fatal;
            }
            return Status::End;
        }
        if (r == CsvReader::Result::TooLong) {
            m_reason = m_csv.error();
            return Status::Fatal;
        }
        if (r == CsvReader::Result::Malformed) {
            m_reason = m_csv.error();
            return Status::Rejected;
        }
        if (m_fields.size() == 1 && m_fields[0].empty())
            continue; // blank line
        break;
    }
    if (m_fields.size() != m_columns.size()) {
        m_reason = "expected " + std::to_string(m_columns.size()) +
                   " fields as in the header, found " + std::to_string(m_fields.size()) +
                   m_csv.spanNote();
        return Status::Rejected;
    }
    std::string_view raw = m_csv.rawRecord();
    if (!simdjson::validate_utf8(raw.data(), raw.size())) {
        m_reason = "invalid UTF-8";
        return Status::Rejected;
    }
    out.clear();
    bool hasTs = false;
    for (size_t i = 0; i < m_fields.size(); ++i) {
        const auto &col = m_columns[i];
        std::string_view v = m_fields[i];
        if (!col) {
            if (!v.empty())
                appendTag(out.tagsJson, m_names[i], v);
            continue;
        }
        if (*col == NativeField::Ts)
            hasTs = !v.empty();
        if ((*col == NativeField::InputTokens || *col == NativeField::OutputTokens) && v.empty()) {
            m_reason = "missing required field '" + std::string(nativeFieldName(*col)) + "'";
            return Status::Rejected;
        }
        if (!applyNativeText(*col, v, out, m_reason))
            return Status::Rejected;
    }
    finishTags(out.tagsJson);
    if (!hasTs) {
        m_reason = "missing required field 'ts'";
        return Status::Rejected;
    }
    return Status::Record;
}

} // namespace tl
