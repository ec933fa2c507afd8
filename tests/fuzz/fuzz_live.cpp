// What `collect` reads from the network: HTTP request framing, OTLP
// protobuf (the wire decoder and the span mapping), gzip, and the
// endpoint's checks of a body in either encoding.
#include "import/otlpprotoreader.h"
#include "live/httprequest.h"
#include "live/otlpendpoint.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string bytes(reinterpret_cast<const char *>(data), size);
    {
        // Whole, then split at a point the input picks.
        tl::live::HttpRequestParser whole(1 << 16), split(1 << 16);
        tl::live::HttpRequest r;
        whole.feed(bytes);
        for (int i = 0; i < 1000 && whole.next(r) == tl::live::HttpRequestParser::State::Ready;
             ++i) {
        }
        const size_t cut = size ? data[0] % (size + 1) : 0;
        split.feed(std::string_view(bytes).substr(0, cut));
        for (int i = 0; i < 1000 && split.next(r) == tl::live::HttpRequestParser::State::Ready;
             ++i) {
        }
        split.feed(std::string_view(bytes).substr(cut));
        for (int i = 0; i < 1000 && split.next(r) == tl::live::HttpRequestParser::State::Ready;
             ++i) {
        }
    }
    {
        std::string error;
        if (tl::OtlpProtoReader::validate(bytes, &error))
            (void)tl::OtlpProtoReader::countSpans(bytes);
        tl::OtlpProtoReader reader(bytes);
        tl::CallRecord rec;
        for (int i = 0; i < 100000; ++i) {
            const auto s = reader.next(rec);
            if (s == tl::RecordReader::Status::End || s == tl::RecordReader::Status::Fatal)
                break;
            (void)reader.location();
        }
    }
    {
        std::string out, error;
        bool tooLarge = false;
        (void)tl::live::OtlpEndpoint::gunzip(bytes, 1 << 20, out, &error, &tooLarge);
        const tl::live::OtlpEndpoint endpoint({});
        for (const char *type : {"application/x-protobuf", "application/json"}) {
            tl::live::HttpRequest r;
            r.method = "POST";
            r.target = "/v1/traces";
            r.headers = {{"content-type", type}};
            r.body = bytes;
            (void)endpoint.accept(r);
        }
    }
    return 0;
}
