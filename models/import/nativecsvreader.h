#pragma once

#include "csvreader.h"
#include "nativefields.h"
#include "recordreader.h"

#include <memory>
#include <optional>
#include <vector>

namespace tl {

// The native CSV format: a header row naming the fields, then one call per
// record. Columns that are not native fields are kept as tags.
class NativeCsvReader : public RecordReader
{
public:
    explicit NativeCsvReader(std::unique_ptr<ChunkReader> in, std::string fileName);

    Status next(CallRecord &out) override;
    std::string location() const override { return "line " + std::to_string(m_csv.line()); }
    int64_t line() const override { return m_csv.line(); }
    std::string_view rawText() const override { return m_csv.rawRecord(); }
    const std::string &reason() const override { return m_reason; }
    int64_t bytesRead() const override { return m_in->bytesConsumed(); }
    int64_t bytesTotal() const override { return m_in->fileSize(); }

    // True when the first line looks like a native CSV header.
    static bool sniff(std::string_view head);

private:
    bool readHeader();

    std::unique_ptr<ChunkReader> m_in;
    CsvReader m_csv;
    std::string m_fileName;
    std::vector<std::string> m_names;
    std::vector<std::optional<NativeField>> m_columns;
    std::vector<std::string_view> m_fields;
    std::string m_reason;
    bool m_headerRead = false;
};

} // namespace tl
