// The small parsers under every reader: timestamps and dates, the CSV record
// splitter and the JSON array stream.
#include "core/timeutil.h"
#include "import/chunkreader.h"
#include "import/csvreader.h"
#include "import/jsonarraystream.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    (void)tl::parseTimestamp(text);
    (void)tl::parseDate(text);
    {
        tl::ChunkReader in;
        in.openText(text);
        tl::CsvReader csv(in);
        std::vector<std::string_view> fields;
        for (int i = 0; i < 100000; ++i) {
            const auto r = csv.next(fields);
            if (r == tl::CsvReader::Result::End || r == tl::CsvReader::Result::TooLong)
                break;
            (void)csv.rawRecord().size();
            (void)csv.spanNote();
        }
    }
    {
        tl::ChunkReader in;
        in.openText(text);
        tl::JsonArrayStream array(in);
        std::string_view object;
        for (int i = 0; i < 100000; ++i)
            if (array.next(object) != tl::JsonArrayStream::Result::Object)
                break;
    }
    return 0;
}
