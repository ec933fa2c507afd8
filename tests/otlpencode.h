#pragma once

// OTLP/JSON to OTLP/protobuf, written for the tests from the .proto files'
// field numbers (opentelemetry-proto: trace/v1/trace.proto,
// common/v1/common.proto, resource/v1/resource.proto), independently of
// the product's decoder, so that a test that sends the protobuf of a JSON
// fixture checks the decoder against the specification, not against itself.

#include <QByteArray>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <cstring>

namespace tltest::otlp {

// A file of the OTel fixtures (tests/fixtures/otel), whole.
inline QByteArray fixture(const char *name)
{
    QFile f(QStringLiteral(TL_FIXTURES "/otel/") + QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return f.readAll();
}

inline void varint(QByteArray &out, quint64 v)
{
    while (v >= 0x80) {
        out.append(char((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.append(char(v));
}
inline void tag(QByteArray &out, int field, int wire)
{
    varint(out, (quint64(field) << 3) | quint64(wire));
}
inline void bytes(QByteArray &out, int field, const QByteArray &b)
{
    tag(out, field, 2);
    varint(out, quint64(b.size()));
    out.append(b);
}
inline void fixed64(QByteArray &out, int field, quint64 v)
{
    tag(out, field, 1);
    for (int i = 0; i < 8; ++i)
        out.append(char((v >> (8 * i)) & 0xff));
}

inline quint64 integer(const QJsonValue &v)
{
    return v.isString() ? v.toString().toULongLong() : quint64(v.toDouble());
}

inline QByteArray anyValue(const QJsonObject &v)
{
    QByteArray out;
    if (v.contains(QStringLiteral("stringValue")))
        bytes(out, 1, v[QStringLiteral("stringValue")].toString().toUtf8());
    else if (v.contains(QStringLiteral("boolValue"))) {
        tag(out, 2, 0);
        varint(out, v[QStringLiteral("boolValue")].toBool() ? 1 : 0);
    } else if (v.contains(QStringLiteral("intValue"))) {
        tag(out, 3, 0);
        varint(out, integer(v[QStringLiteral("intValue")]));
    } else if (v.contains(QStringLiteral("doubleValue"))) {
        const double d = v[QStringLiteral("doubleValue")].toDouble();
        quint64 bits;
        std::memcpy(&bits, &d, 8);
        fixed64(out, 4, bits);
    }
    return out;
}

inline QByteArray keyValues(int field, const QJsonArray &attrs)
{
    QByteArray out;
    for (const QJsonValue &a : attrs) {
        QByteArray kv;
        bytes(kv, 1, a[QStringLiteral("key")].toString().toUtf8());
        bytes(kv, 2, anyValue(a[QStringLiteral("value")].toObject()));
        bytes(out, field, kv);
    }
    return out;
}

inline QByteArray span(const QJsonObject &s)
{
    QByteArray out;
    bytes(out, 1, QByteArray::fromHex(s[QStringLiteral("traceId")].toString().toLatin1()));
    bytes(out, 2, QByteArray::fromHex(s[QStringLiteral("spanId")].toString().toLatin1()));
    if (s.contains(QStringLiteral("parentSpanId")))
        bytes(out, 4, QByteArray::fromHex(s[QStringLiteral("parentSpanId")].toString().toLatin1()));
    bytes(out, 5, s[QStringLiteral("name")].toString().toUtf8());
    tag(out, 6, 0);
    varint(out, quint64(s[QStringLiteral("kind")].toInt()));
    fixed64(out, 7, integer(s[QStringLiteral("startTimeUnixNano")]));
    fixed64(out, 8, integer(s[QStringLiteral("endTimeUnixNano")]));
    out.append(keyValues(9, s[QStringLiteral("attributes")].toArray()));
    if (s.contains(QStringLiteral("status"))) {
        QByteArray st;
        const QJsonObject o = s[QStringLiteral("status")].toObject();
        if (o.contains(QStringLiteral("message")))
            bytes(st, 2, o[QStringLiteral("message")].toString().toUtf8());
        tag(st, 3, 0);
        varint(st, quint64(o[QStringLiteral("code")].toInt()));
        bytes(out, 15, st);
    }
    return out;
}

// An ExportTraceServiceRequest from an OTLP/JSON document.
inline QByteArray fromJson(const QByteArray &json)
{
    const QJsonObject doc = QJsonDocument::fromJson(json).object();
    QByteArray req;
    for (const QJsonValue &rsv : doc[QStringLiteral("resourceSpans")].toArray()) {
        const QJsonObject rs = rsv.toObject();
        QByteArray rsOut, resource;
        resource.append(
            keyValues(1, rs[QStringLiteral("resource")][QStringLiteral("attributes")].toArray()));
        bytes(rsOut, 1, resource);
        for (const QJsonValue &ssv : rs[QStringLiteral("scopeSpans")].toArray()) {
            QByteArray ss, scope;
            bytes(scope, 1,
                  ssv[QStringLiteral("scope")][QStringLiteral("name")].toString().toUtf8());
            bytes(ss, 1, scope);
            for (const QJsonValue &sv : ssv[QStringLiteral("spans")].toArray())
                bytes(ss, 2, span(sv.toObject()));
            bytes(rsOut, 2, ss);
        }
        bytes(req, 1, rsOut);
    }
    return req;
}

} // namespace tltest::otlp
