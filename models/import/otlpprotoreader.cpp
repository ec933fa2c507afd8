#include "otlpprotoreader.h"

#include "otelspan.h"
#include "protowire.h"

#include <cstring>

namespace tl {

namespace {

using otel::AnyValue;
using otel::Attributes;
using otel::SpanData;

std::string spanPath(const std::array<size_t, 3> &p)
{
    return "resourceSpans[" + std::to_string(p[0]) + "].scopeSpans[" + std::to_string(p[1]) +
           "].spans[" + std::to_string(p[2]) + "]";
}

// Decodes OTLP's messages into otel::SpanData. Every failure names the
// message path (as OTLP/JSON would spell it) and the byte in that message.
class Decoder
{
public:
    Decoder(RecordArena *arena)
        : m_arena(arena)
    {}
    std::string error;

    // Calls onResource(resourceAttributes, spans) for each ResourceSpans.
    template <typename F> bool request(std::string_view body, F &&onResource)
    {
        proto::Reader r(body);
        proto::Field f;
        size_t ri = 0;
        while (r.next(f)) {
            if (f.number != 1)
                continue; // unknown fields are skipped, as protobuf says
            const std::string path = "resourceSpans[" + std::to_string(ri) + "]";
            if (f.wireType != 2)
                return fail(path, "expected a message");
            Attributes resource;
            std::vector<SpanData> spans;
            if (!resourceSpans(f.bytes, ri, resource, spans))
                return false;
            onResource(resource, spans);
            ++ri;
        }
        return r.failed() ? fail("$", r.error()) : true;
    }

private:
    bool fail(const std::string &path, const std::string &what)
    {
        error = path + ": " + what;
        return false;
    }

    std::string_view hex(std::string_view bytes)
    {
        static const char digits[] = "0123456789abcdef";
        std::string s;
        s.reserve(bytes.size() * 2);
        for (unsigned char c : bytes) {
            s += digits[c >> 4];
            s += digits[c & 15];
        }
        return m_arena ? m_arena->keep(s) : std::string_view();
    }

    bool anyValue(std::string_view msg, AnyValue &v, const std::string &path)
    {
        proto::Reader r(msg);
        proto::Field f;
        while (r.next(f)) {
            switch (f.number) {
            case 1:
                if (f.wireType != 2)
                    return fail(path, "stringValue: expected a string");
                v.kind = AnyValue::String;
                v.s = f.bytes;
                break;
            case 2:
                if (f.wireType != 0)
                    return fail(path, "boolValue: expected a varint");
                v.kind = AnyValue::Bool;
                v.i = f.value != 0;
                break;
            case 3:
                if (f.wireType != 0)
                    return fail(path, "intValue: expected a varint");
                v.kind = AnyValue::Int;
                v.i = int64_t(f.value);
                break;
            case 4:
                if (f.wireType != 1)
                    return fail(path, "doubleValue: expected a fixed64");
                v.kind = AnyValue::Double;
                std::memcpy(&v.d, &f.value, sizeof v.d);
                break;
            default: // arrays, key/value lists and bytes: not needed for cost
                break;
            }
        }
        return r.failed() ? fail(path, r.error()) : true;
    }

    bool attributes(std::string_view kvMsg, Attributes &out, const std::string &path)
    {
        proto::Reader r(kvMsg);
        proto::Field f;
        std::string_view key;
        AnyValue value;
        while (r.next(f)) {
            if (f.number == 1) {
                if (f.wireType != 2)
                    return fail(path, "key: expected a string");
                key = f.bytes;
            } else if (f.number == 2) {
                if (f.wireType != 2 || !anyValue(f.bytes, value, path + ".value"))
                    return error.empty() ? fail(path, "value: expected a message") : false;
            }
        }
        if (r.failed())
            return fail(path, r.error());
        if (!key.empty())
            out.emplace_back(key, value);
        return true;
    }

    bool resourceSpans(std::string_view msg, size_t ri, Attributes &resource,
                       std::vector<SpanData> &spans)
    {
        const std::string path = "resourceSpans[" + std::to_string(ri) + "]";
        proto::Reader r(msg);
        proto::Field f;
        size_t si = 0;
        while (r.next(f)) {
            if (f.number == 1) { // Resource
                if (f.wireType != 2)
                    return fail(path + ".resource", "expected a message");
                proto::Reader rr(f.bytes);
                proto::Field rf;
                while (rr.next(rf))
                    if (rf.number == 1) {
                        if (rf.wireType != 2 ||
                            !attributes(rf.bytes, resource, path + ".resource.attributes"))
                            return error.empty()
                                       ? fail(path + ".resource.attributes", "expected a message")
                                       : false;
                    }
                if (rr.failed())
                    return fail(path + ".resource", rr.error());
            } else if (f.number == 2) { // ScopeSpans
                if (f.wireType != 2)
                    return fail(path + ".scopeSpans", "expected a message");
                if (!scopeSpans(f.bytes, {ri, si++, 0}, spans))
                    return false;
            }
        }
        return r.failed() ? fail(path, r.error()) : true;
    }

    bool scopeSpans(std::string_view msg, std::array<size_t, 3> at, std::vector<SpanData> &spans)
    {
        proto::Reader r(msg);
        proto::Field f;
        while (r.next(f)) {
            if (f.number != 2)
                continue; // scope, schema_url
            SpanData s;
            s.path = at;
            ++at[2];
            if (f.wireType != 2)
                return fail(spanPath(s.path), "expected a message");
            if (!span(f.bytes, s))
                return false;
            spans.push_back(std::move(s));
        }
        if (r.failed()) {
            std::string p = spanPath(at);
            return fail(p.substr(0, p.rfind('.')), r.error());
        }
        return true;
    }

    bool span(std::string_view msg, SpanData &s)
    {
        const std::string path = spanPath(s.path);
        proto::Reader r(msg);
        proto::Field f;
        size_t ai = 0;
        while (r.next(f)) {
            auto want = [&](uint32_t type, const char *name) {
                if (f.wireType == type)
                    return true;
                fail(path, std::string(name) + ": wrong wire type " + std::to_string(f.wireType));
                return false;
            };
            switch (f.number) {
            case 1:
                if (!want(2, "traceId"))
                    return false;
                s.traceId = hex(f.bytes);
                break;
            case 2:
                if (!want(2, "spanId"))
                    return false;
                s.spanId = hex(f.bytes);
                break;
            case 5:
                if (!want(2, "name"))
                    return false;
                s.name = f.bytes;
                break;
            case 7:
                if (!want(1, "startTimeUnixNano"))
                    return false;
                s.startNs = int64_t(f.value);
                break;
            case 8:
                if (!want(1, "endTimeUnixNano"))
                    return false;
                s.endNs = int64_t(f.value);
                break;
            case 9:
                if (!want(2, "attributes") ||
                    !attributes(f.bytes, s.attrs,
                                path + ".attributes[" + std::to_string(ai++) + "]"))
                    return false;
                break;
            case 15: {
                if (!want(2, "status"))
                    return false;
                proto::Reader sr(f.bytes);
                proto::Field sf;
                while (sr.next(sf))
                    if (sf.number == 3 && sf.wireType == 0)
                        s.statusCode = int64_t(sf.value);
                if (sr.failed())
                    return fail(path + ".status", sr.error());
                break;
            }
            default:
                break;
            }
        }
        if (r.failed())
            return fail(path, r.error());
        // A zero start is what an unset fixed64 decodes to: missing.
        if (s.startNs == 0)
            s.startNs = -1;
        return true;
    }

    RecordArena *m_arena;
};

} // namespace

OtlpProtoReader::OtlpProtoReader(std::string body)
    : m_body(std::move(body))
{}

bool OtlpProtoReader::validate(std::string_view body, std::string *error)
{
    Decoder d(nullptr);
    if (d.request(body, [](const Attributes &, const std::vector<SpanData> &) {}))
        return true;
    if (error)
        *error = d.error;
    return false;
}

int64_t OtlpProtoReader::countSpans(std::string_view body)
{
    Decoder d(nullptr);
    int64_t n = 0;
    d.request(body, [&](const Attributes &, const std::vector<SpanData> &spans) {
        n += int64_t(spans.size());
    });
    return n;
}

bool OtlpProtoReader::decode()
{
    m_decoded = true;
    Decoder d(&m_arena);
    const bool ok =
        d.request(m_body, [&](const Attributes &resource, const std::vector<SpanData> &spans) {
            for (const SpanData &s : spans) {
                PendingItem item(Status::Record, std::string());
                otel::mapSpan(s, resource, m_attribution, m_arena, item);
                m_items.push_back(std::move(item));
            }
        });
    if (!ok) {
        m_items.clear();
        m_fatal = true;
        m_location = d.error.substr(0, d.error.find(": "));
        m_reason = "malformed OTLP protobuf: " + d.error;
    }
    return ok;
}

RecordReader::Status OtlpProtoReader::next(CallRecord &out)
{
    if (!m_decoded && !decode())
        return Status::Fatal;
    if (m_fatal)
        return Status::Fatal;
    if (m_next >= m_items.size())
        return Status::End;
    PendingItem &item = m_items[m_next++];
    m_location = spanPath(item.path);
    m_reason = item.reason;
    if (item.status == Status::Record)
        out = item.record;
    return item.status;
}

} // namespace tl
