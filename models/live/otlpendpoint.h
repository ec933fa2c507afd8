#pragma once

#include "httprequest.h"

#include <cstdint>
#include <string>
#include <variant>

namespace tl::live {

// Spans accepted at the door, to be committed before they are acknowledged.
struct OtlpSubmission
{
    enum class Encoding { Protobuf, Json } encoding = Encoding::Protobuf;
    std::string body; // decompressed
    int64_t spans = 0;
};

struct HttpAnswer
{
    int status = 200;
    std::string contentType;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

// OTLP/HTTP's rules for POST /v1/traces (the specification's "OTLP/HTTP"
// section): which requests are refused at once and with what, and how the
// answers are encoded. No sockets and no store here: the collect command
// moves bytes, the SpanCollector commits.
class OtlpEndpoint
{
public:
    struct Options
    {
        size_t maxBody = 16u << 20; // compressed and decompressed
        std::string token;          // empty: no Authorization needed (loopback only)
    };

    explicit OtlpEndpoint(Options o)
        : m_options(std::move(o))
    {}
    // An answer now (a refusal, or a request with no spans), or spans to commit.
    std::variant<HttpAnswer, OtlpSubmission> accept(const HttpRequest &request) const;

    // 200 with an ExportTraceServiceResponse; a partial success when some spans were refused.
    static HttpAnswer success(OtlpSubmission::Encoding e, int64_t rejected,
                              const std::string &message);
    // A failure as OTLP/HTTP encodes it (a google.rpc.Status); 429 and 503
    // carry Retry-After, which the SDKs and the Collector honour.
    static HttpAnswer failure(OtlpSubmission::Encoding e, int status, const std::string &message,
                              int retryAfterSeconds = 0);

    // Inflates a gzip body, refusing output past `limit` bytes.
    static bool gunzip(std::string_view in, size_t limit, std::string &out, std::string *error,
                       bool *tooLarge);

private:
    Options m_options;
};

} // namespace tl::live
