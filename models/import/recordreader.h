#pragma once

#include "attributionmapping.h"
#include "core/callrecord.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace tl {

// A source of call records in one file format. Readers parse and map fields;
// the Importer validates, prices, dedupes and stores. Issue-specific formats
// (OpenTelemetry, LiteLLM, …) implement this same interface.
class RecordReader
{
public:
    enum class Status {
        Record,   // `out` holds a record
        Rejected, // the item at location() is bad: reason() says why
        Skipped,  // an item that is not a call (e.g. a tool span): counted, not an error
        End,
        Fatal // the file cannot be read on: reason() says why
    };

    virtual ~RecordReader() = default;
    virtual Status next(CallRecord &out) = 0;
    // Where the last item came from: "line 12", "record 3", "line 4: resourceSpans[0]…".
    virtual std::string location() const = 0;
    // 1-based line of the last item (0 when the format has no lines).
    virtual int64_t line() const = 0;
    virtual std::string_view rawText() const = 0;
    virtual const std::string &reason() const = 0;
    virtual int64_t bytesRead() const = 0;
    virtual int64_t bytesTotal() const = 0;

    // Attribution rules from a mapping file; formats that support none ignore them.
    void setAttribution(const AttributionMapping::Rules *rules) { m_attribution = rules; }

protected:
    const AttributionMapping::Rules *m_attribution = nullptr;
};

} // namespace tl
