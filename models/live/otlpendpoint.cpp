#include "otlpendpoint.h"

#include "import/otlpprotoreader.h"
#include "import/protowire.h"

#include <nlohmann/json.hpp>
#include <simdjson.h>
#include <zlib.h>

#include <algorithm>

namespace tl::live {

namespace {

using Encoding = OtlpSubmission::Encoding;

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

// Constant time: the token's comparison must not tell an attacker how much of it was right.
bool sameSecret(std::string_view a, std::string_view b)
{
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (size_t i = 0; i < a.size(); ++i)
        diff |= uint8_t(a[i]) ^ uint8_t(i < b.size() ? b[i] : 0);
    return diff == 0;
}

// The JSON encoding's span count, and a check that it is OTLP at all.
bool countJsonSpans(const std::string &body, int64_t &spans, std::string &error)
{
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (auto err = parser.parse(body).get(doc)) {
        error = std::string("invalid JSON: ") + simdjson::error_message(err);
        return false;
    }
    simdjson::dom::object root;
    if (doc.get_object().get(root)) {
        error = "$: expected an object";
        return false;
    }
    simdjson::dom::element rs;
    if (root["resourceSpans"].get(rs)) {
        spans = 0; // an empty request is valid: {} exports nothing
        return true;
    }
    simdjson::dom::array arr;
    if (rs.get_array().get(arr)) {
        error = "$.resourceSpans: expected an array";
        return false;
    }
    spans = 0;
    for (simdjson::dom::element r : arr) {
        simdjson::dom::array scopes;
        if (r["scopeSpans"].get_array().get(scopes))
            continue;
        for (simdjson::dom::element s : scopes) {
            simdjson::dom::array list;
            if (!s["spans"].get_array().get(list))
                spans += int64_t(list.size());
        }
    }
    return true;
}

} // namespace

bool OtlpEndpoint::gunzip(std::string_view in, size_t limit, std::string &out, std::string *error,
                          bool *tooLarge)
{
    *tooLarge = false;
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
        *error = "gzip: cannot start inflating";
        return false;
    }
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
    z.avail_in = uInt(in.size());
    out.clear();
    char buf[64 * 1024];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        z.next_out = reinterpret_cast<Bytef *>(buf);
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            *error = std::string("gzip: ") + (z.msg ? z.msg : "truncated or corrupt data");
            inflateEnd(&z);
            return false;
        }
        out.append(buf, sizeof buf - z.avail_out);
        if (out.size() > limit) {
            *tooLarge = true;
            *error = "gzip body inflates past the limit of " + std::to_string(limit) + " bytes";
            inflateEnd(&z);
            return false;
        }
        if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
            *error = "gzip: truncated data";
            inflateEnd(&z);
            return false;
        }
    }
    inflateEnd(&z);
    return true;
}

std::variant<HttpAnswer, OtlpSubmission> OtlpEndpoint::accept(const HttpRequest &req) const
{
    const std::string type = lower(req.header("content-type"));
    const Encoding enc =
        type.rfind("application/json", 0) == 0 ? Encoding::Json : Encoding::Protobuf;
    std::string_view path = req.target;
    path = path.substr(0, path.find('?'));
    if (!m_options.token.empty()) {
        std::string_view auth = req.header("authorization");
        if (auth.substr(0, 7) != "Bearer " || !sameSecret(auth.substr(7), m_options.token)) {
            HttpAnswer a =
                failure(enc, 401, "a bearer token is required (Authorization: Bearer …)");
            a.headers.emplace_back("WWW-Authenticate", "Bearer");
            return a;
        }
    }
    if (path != "/v1/traces")
        return failure(enc, 404, "only /v1/traces is served here (OTLP traces)");
    if (req.method != "POST") {
        HttpAnswer a = failure(enc, 405, "use POST");
        a.headers.emplace_back("Allow", "POST");
        return a;
    }
    if (type.rfind("application/x-protobuf", 0) != 0 && type.rfind("application/json", 0) != 0)
        return failure(enc, 415, "Content-Type must be application/x-protobuf or application/json");
    OtlpSubmission s;
    s.encoding = enc;
    const std::string encoding = lower(req.header("content-encoding"));
    if (encoding == "gzip") {
        std::string error;
        bool tooLarge = false;
        if (!gunzip(req.body, m_options.maxBody, s.body, &error, &tooLarge))
            return failure(enc, tooLarge ? 413 : 400, error);
    } else if (encoding.empty() || encoding == "identity") {
        s.body = req.body;
    } else {
        return failure(enc, 415, "Content-Encoding " + encoding + " is not supported (gzip is)");
    }
    std::string error;
    if (enc == Encoding::Protobuf) {
        if (!OtlpProtoReader::validate(s.body, &error))
            return failure(enc, 400, "malformed OTLP protobuf: " + error);
        s.spans = OtlpProtoReader::countSpans(s.body);
    } else if (!countJsonSpans(s.body, s.spans, error)) {
        return failure(enc, 400, "malformed OTLP/JSON: " + error);
    }
    if (s.spans == 0)
        return success(enc, 0, {});
    return s;
}

HttpAnswer OtlpEndpoint::success(Encoding e, int64_t rejected, const std::string &message)
{
    HttpAnswer a;
    a.status = 200;
    if (e == Encoding::Json) {
        a.contentType = "application/json";
        nlohmann::json j = nlohmann::json::object();
        if (rejected > 0 || !message.empty())
            j["partialSuccess"] = {{"rejectedSpans", std::to_string(rejected)},
                                   {"errorMessage", message}};
        a.body = j.dump();
    } else {
        a.contentType = "application/x-protobuf";
        if (rejected > 0 || !message.empty()) {
            std::string partial;
            if (rejected > 0)
                proto::putInt(partial, 1, rejected);
            if (!message.empty())
                proto::putBytes(partial, 2, message);
            proto::putBytes(a.body, 1, partial);
        }
    }
    return a;
}

HttpAnswer OtlpEndpoint::failure(Encoding e, int status, const std::string &message,
                                 int retryAfterSeconds)
{
    HttpAnswer a;
    a.status = status;
    // google.rpc.Status: code 1, message 2 (the gRPC code is informative here).
    const int rpcCode = status == 400                    ? 3
                        : status == 401                  ? 16
                        : status == 413                  ? 11
                        : status == 429 || status == 503 ? 14
                                                         : 2;
    if (e == Encoding::Json) {
        a.contentType = "application/json";
        a.body = nlohmann::json{{"code", rpcCode}, {"message", message}}.dump();
    } else {
        a.contentType = "application/x-protobuf";
        proto::putInt(a.body, 1, rpcCode);
        proto::putBytes(a.body, 2, message);
    }
    if (retryAfterSeconds > 0)
        a.headers.emplace_back("Retry-After", std::to_string(retryAfterSeconds));
    return a;
}

} // namespace tl::live
