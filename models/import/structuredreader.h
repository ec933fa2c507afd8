#pragma once

#include "csvreader.h"
#include "jsonarraystream.h"
#include "linereader.h"
#include "ownedrecord.h"
#include "recordreader.h"

#include <simdjson.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tl {

// Exports of gateways and tracing tools come as a JSON array (or an API page
// `{"data":[…]}`), as JSON Lines, or as CSV whose cells hold JSON for the
// nested parts. This base reads all three, one record object at a time, and
// gives the format's mapping a uniform view of it.
class StructuredReader : public RecordReader
{
public:
    enum class Shape { JsonArray, JsonLines, Csv };
    using Element = std::optional<simdjson::dom::element>;

    // One record, whatever shape it came in.
    class Row
    {
    public:
        std::optional<std::string_view> text(std::string_view key) const;
        std::optional<double> number(std::string_view key) const;
        // A token or request count: a non-negative whole number; absent,
        // empty or null is 0. False when it is anything else.
        bool count(std::string_view key, int64_t &out) const;
        // A nested object or array (in CSV: the cell parsed as JSON).
        Element json(std::string_view key) const;
        // The whole record (JSON shapes only).
        const Element &object() const { return m_object; }

    private:
        friend class StructuredReader;
        const StructuredReader *m_reader = nullptr;
        Element m_object; // JSON shapes
    };

    StructuredReader(std::unique_ptr<ChunkReader> in, std::string fileName, Shape shape);

    Status next(CallRecord &out) final;
    std::string location() const override { return m_location; }
    int64_t line() const override { return m_lineNo; }
    std::string_view rawText() const override { return m_raw; }
    const std::string &reason() const override { return m_reason; }
    int64_t bytesRead() const override { return m_in->bytesConsumed(); }
    int64_t bytesTotal() const override { return m_in->fileSize(); }

    // Helpers for mappings.
    static Element at(const Element &e, std::initializer_list<const char *> path);
    static std::string_view str(const Element &e);
    static int64_t integer(const Element &e, int64_t fallback = 0);
    // A time as text (ISO 8601, naive = UTC) or as epoch seconds/milliseconds.
    static std::optional<int64_t> time(const Row &row, std::string_view key, std::string *why);

protected:
    // Fills `out` from the row; Rejected or Skipped with reason() otherwise.
    virtual Status map(const Row &row, CallRecord &out) = 0;
    Status reject(std::string why)
    {
        m_reason = std::move(why);
        return Status::Rejected;
    }
    RecordArena &arena() { return m_arena; }

private:
    Status nextJson(CallRecord &out, std::string_view object);
    Status mapWithAttribution(const Row &row, CallRecord &out);
    Status nextCsv(CallRecord &out);
    std::optional<std::string_view> cell(std::string_view key) const;

    std::unique_ptr<ChunkReader> m_in;
    std::string m_fileName;
    Shape m_shape;
    JsonArrayStream m_array;
    LineReader m_lines;
    CsvReader m_csv;
    std::vector<std::string> m_header;
    std::vector<std::string_view> m_fields;
    simdjson::dom::parser m_parser;
    mutable std::vector<std::unique_ptr<simdjson::dom::parser>> m_cellParsers;
    mutable std::vector<std::string> m_cellCopies;
    mutable size_t m_cellsUsed = 0;
    RecordArena m_arena;
    int64_t m_lineNo = 0;
    std::string_view m_raw;
    std::string m_location;
    std::string m_reason;
};

} // namespace tl
