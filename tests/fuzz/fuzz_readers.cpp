// Every log reader over arbitrary bytes: each format's reader is opened on
// the input (as --format NAME would) and read to the end. Nothing may crash,
// hang or read out of bounds; each record must be one validateRecord() can
// judge.
#include "core/callrecord.h"
#include "import/chunkreader.h"
#include "import/formats.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    for (const tl::LogFormat &format : tl::logFormats()) {
        (void)format.sniff(text);
        auto in = std::make_unique<tl::ChunkReader>();
        in->openText(text);
        auto reader = format.open(std::move(in), "fuzz");
        tl::CallRecord record;
        for (int i = 0; i < 100000; ++i) {
            const auto status = reader->next(record);
            if (status == tl::RecordReader::Status::End ||
                status == tl::RecordReader::Status::Fatal)
                break;
            (void)reader->location();
            (void)reader->rawText().size();
            if (status == tl::RecordReader::Status::Record) {
                (void)tl::validateRecord(record);
                // Touch every text field: a view into freed memory shows here.
                size_t n = 0;
                for (std::string_view s : {record.requestId, record.provider, record.model,
                                           record.agent, record.task, record.feature, record.user,
                                           record.team, record.status, record.promptHash})
                    for (char c : s)
                        n += size_t(c);
                (void)n;
            }
        }
    }
    return 0;
}
