// Live collection below the command line: the OTLP protobuf decoder against
// an encoder written from the .proto files, HTTP framing, the endpoint's
// answers, the collector's commit-before-acknowledge, and the alerts'
// evaluation and once-only state. Runs on SQLite files and on the server.
#include "otlpencode.h"
#include "testutil.h"

#include "budgets/budgetevaluator.h"
#include "budgets/budgetstore.h"
#include "core/timeutil.h"
#include "import/chunkreader.h"
#include "import/otelreader.h"
#include "import/otlpprotoreader.h"
#include "live/alertengine.h"
#include "live/folderwatch.h"
#include "live/httprequest.h"
#include "live/otlpendpoint.h"
#include "live/spancollector.h"
#include "store/dayfactstable.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <future>
#include <thread>

using namespace tl;
using namespace tl::live;

namespace {

using tltest::otlp::fixture;

std::string gzip(const std::string &in)
{
    z_stream z{};
    deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    std::string out(compressBound(uLong(in.size())) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
    z.avail_in = uInt(in.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

HttpRequest post(const std::string &contentType, std::string body, const std::string &encoding = {})
{
    HttpRequest r;
    r.method = "POST";
    r.target = "/v1/traces";
    r.version = "HTTP/1.1";
    r.headers = {{"content-type", contentType}};
    if (!encoding.empty())
        r.headers.emplace_back("content-encoding", encoding);
    r.body = std::move(body);
    return r;
}

// A CSV of `n` calls of one agent from `startMs`, `stepMs` apart.
std::string callsCsv(const QTemporaryDir &dir, const QString &name, const std::string &agent,
                     int64_t startMs, int64_t stepMs, int n, int inputTokens)
{
    std::string csv = "ts,request_id,model,input_tokens,output_tokens,agent,team\n";
    for (int i = 0; i < n; ++i)
        csv += formatTimestamp(startMs + i * stepMs) + "," + agent + "-" + name.toStdString() +
               "-" + std::to_string(i) + ",gpt-4o," + std::to_string(inputTokens) + ",100," +
               agent + ",ops\n";
    return tltest::writeFile(dir, name, QByteArray::fromStdString(csv));
}

} // namespace

class TstLive : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The fixture's spans sent as OTLP/protobuf import exactly as the JSON
    // file does: the same three calls, the same cost (one mapping).
    void protobufMapsAsTheJsonFile()
    {
        QTemporaryDir dir;
        const QByteArray proto = tltest::otlp::fromJson(fixture("genai-traces.json"));
        QVERIFY(OtlpProtoReader::validate(proto.toStdString(), nullptr));
        QCOMPARE(OtlpProtoReader::countSpans(proto.toStdString()), int64_t(6));
        auto ws = tltest::openWorkspace(dir);
        auto r = Importer(*ws).importReader(std::make_unique<OtlpProtoReader>(proto.toStdString()),
                                            "request", "otel");
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.skipped, int64_t(3)); // the agent, tool and HTTP spans
        tltest::verifyThreeCalls(*ws, 510'495'000);

        auto fromFile = tltest::openWorkspace(dir, QStringLiteral("file.db"));
        QVERIFY(Importer(*fromFile).importFile(TL_FIXTURES "/otel/genai-traces.json").ok);
        const auto a = SummaryQuery::run(*ws, {}, {GroupKey::fromName("agent").value()});
        const auto b = SummaryQuery::run(*fromFile, {}, {GroupKey::fromName("agent").value()});
        QCOMPARE(a.rows.size(), b.rows.size());
        for (size_t i = 0; i < a.rows.size(); ++i) {
            QCOMPARE(a.rows[i].keys, b.rows[i].keys);
            QCOMPARE(a.rows[i].m[MCostNusd], b.rows[i].m[MCostNusd]);
        }
        // The same spans again (an exporter's retry) are duplicates, not new calls.
        r = Importer(*ws).importReader(std::make_unique<OtlpProtoReader>(proto.toStdString()),
                                       "request", "otel");
        QCOMPARE(r.imported, int64_t(0));
        QCOMPARE(r.duplicates, int64_t(3));
    }

    void malformedProtobufIsRefusedWhole_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expected");
        const QByteArray good = tltest::otlp::fromJson(fixture("genai-traces.json"));
        QTest::newRow("cut short") << good.left(good.size() - 7) << "past the end";
        QTest::newRow("wire type 7") << QByteArray("\x0f\x01", 2) << "unsupported wire type";
        QTest::newRow("endless varint") << QByteArray(11, '\xff') << "varint";
        QByteArray badSpan;
        {
            // A span whose start time is a varint, not a fixed64.
            QByteArray span, ss, rs;
            tltest::otlp::tag(span, 7, 0);
            tltest::otlp::varint(span, 5);
            tltest::otlp::bytes(ss, 2, span);
            tltest::otlp::bytes(rs, 2, ss);
            tltest::otlp::bytes(badSpan, 1, rs);
        }
        QTest::newRow("wrong field type")
            << badSpan << "resourceSpans[0].scopeSpans[0].spans[0]: startTimeUnixNano";
    }
    void malformedProtobufIsRefusedWhole()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, expected);
        std::string error;
        QVERIFY(!OtlpProtoReader::validate(body.toStdString(), &error));
        QVERIFY2(QString::fromStdString(error).contains(expected), error.c_str());
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const auto r = Importer(*ws).importReader(
            std::make_unique<OtlpProtoReader>(body.toStdString()), "request", "otel");
        QVERIFY(!r.ok);
        QCOMPARE(SummaryQuery::run(*ws, {}, {}).totals[MRequests], int64_t(0));
    }

    void httpFraming_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("requests");
        QTest::addColumn<QByteArray>("lastBody");
        QTest::addColumn<int>("errorStatus");
        QTest::newRow("content-length")
            << QByteArray("POST /v1/traces HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello") << 1
            << QByteArray("hello") << 0;
        QTest::newRow("chunked")
            << QByteArray("POST /v1/traces HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "3\r\nhel\r\n2;ext=1\r\nlo\r\n0\r\n\r\n")
            << 1 << QByteArray("hello") << 0;
        QTest::newRow("pipelined")
            << QByteArray("POST /a HTTP/1.1\r\nContent-Length: 1\r\n\r\nxPOST /b HTTP/1.1\r\n"
                          "Content-Length: 2\r\n\r\nyz")
            << 2 << QByteArray("yz") << 0;
        QTest::newRow("over the limit")
            << QByteArray("POST /v1/traces HTTP/1.1\r\nContent-Length: 2000\r\n\r\n") << 0
            << QByteArray() << 413;
        QTest::newRow("chunked over the limit")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n7D1\r\n") << 0
            << QByteArray() << 413;
        QTest::newRow("bad header")
            << QByteArray("POST / HTTP/1.1\r\nNoColon\r\n\r\n") << 0 << QByteArray() << 400;
        QTest::newRow("bad length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 12x\r\n\r\n")
                                    << 0 << QByteArray() << 400;
        QTest::newRow("head too large")
            << QByteArray("POST / HTTP/1.1\r\nX: " + QByteArray(70000, 'a')) << 0 << QByteArray()
            << 431;
    }
    void httpFraming()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, requests);
        QFETCH(QByteArray, lastBody);
        QFETCH(int, errorStatus);
        // Whole, and one byte at a time (as a slow client sends it).
        for (int pass = 0; pass < 2; ++pass) {
            HttpRequestParser parser(1000);
            int got = 0;
            HttpRequest req, last;
            int status = 0;
            auto drain = [&] {
                for (;;) {
                    const auto s = parser.next(req);
                    if (s == HttpRequestParser::State::Ready) {
                        ++got;
                        last = req;
                    } else {
                        if (s == HttpRequestParser::State::Error)
                            status = parser.errorStatus();
                        return;
                    }
                }
            };
            if (pass == 0) {
                parser.feed(bytes.toStdString());
                drain();
            } else {
                for (char c : bytes) {
                    parser.feed(std::string_view(&c, 1));
                    drain();
                    if (status)
                        break;
                }
            }
            QCOMPARE(got, requests);
            QCOMPARE(status, errorStatus);
            if (requests)
                QCOMPARE(QByteArray::fromStdString(last.body), lastBody);
        }
    }

    void endpointAnswers_data()
    {
        const std::string proto =
            tltest::otlp::fromJson(fixture("genai-traces.json")).toStdString();
        const std::string json = fixture("genai-traces.json").toStdString();
        QTest::addColumn<int>("caseNo");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::newRow("protobuf") << 0 << 0 << "";
        QTest::newRow("json, gzip") << 1 << 0 << "";
        QTest::newRow("GET") << 2 << 405 << "use POST";
        QTest::newRow("another path") << 3 << 404 << "/v1/traces";
        QTest::newRow("text/plain") << 4 << 415 << "Content-Type";
        QTest::newRow("corrupt gzip") << 5 << 400 << "gzip";
        QTest::newRow("gzip bomb") << 6 << 413 << "limit";
        QTest::newRow("bad json") << 7 << 400 << "malformed OTLP/JSON";
        QTest::newRow("bad protobuf") << 8 << 400 << "malformed OTLP protobuf";
        QTest::newRow("no token") << 9 << 401 << "bearer";
        QTest::newRow("wrong token") << 10 << 401 << "bearer";
        QTest::newRow("right token") << 11 << 0 << "";
        QTest::newRow("empty request") << 12 << 200 << "";
        QTest::newRow("brotli") << 13 << 415 << "Content-Encoding";
    }
    void endpointAnswers()
    {
        QFETCH(int, caseNo);
        QFETCH(int, status);
        QFETCH(QString, message);
        const std::string proto =
            tltest::otlp::fromJson(fixture("genai-traces.json")).toStdString();
        const std::string json = fixture("genai-traces.json").toStdString();
        OtlpEndpoint::Options o;
        o.maxBody = 1 << 20;
        if (caseNo >= 9 && caseNo <= 11)
            o.token = "s3cret-token-0123456789";
        const OtlpEndpoint endpoint(o);
        HttpRequest r = post("application/x-protobuf", proto);
        switch (caseNo) {
        case 1:
            r = post("application/json", gzip(json), "gzip");
            break;
        case 2:
            r.method = "GET";
            break;
        case 3:
            r.target = "/v1/logs";
            break;
        case 4:
            r.headers[0].second = "text/plain";
            break;
        case 5:
            r = post("application/json", "\x1f\x8b\x08garbage", "gzip");
            break;
        case 6:
            r = post("application/json", gzip(std::string(3 << 20, ' ')), "gzip");
            break;
        case 7:
            r = post("application/json", "{\"resourceSpans\": [}");
            break;
        case 8:
            r = post("application/x-protobuf", proto.substr(0, proto.size() / 2));
            break;
        case 10:
            r.headers.emplace_back("authorization", "Bearer s3cret-token-0123456788");
            break;
        case 11:
            r.headers.emplace_back("authorization", "Bearer s3cret-token-0123456789");
            break;
        case 12:
            r = post("application/json", "{}");
            break;
        case 13:
            r.headers.emplace_back("content-encoding", "br");
            break;
        default:
            break;
        }
        auto result = endpoint.accept(r);
        if (status == 0) {
            QVERIFY(std::holds_alternative<OtlpSubmission>(result));
            QCOMPARE(std::get<OtlpSubmission>(result).spans, int64_t(6));
            return;
        }
        QVERIFY(std::holds_alternative<HttpAnswer>(result));
        const HttpAnswer &a = std::get<HttpAnswer>(result);
        QCOMPARE(a.status, status);
        QVERIFY2(QString::fromStdString(a.body).contains(message), a.body.c_str());
    }

    void successAnswersAreOtlpMessages()
    {
        using E = OtlpSubmission::Encoding;
        QCOMPARE(OtlpEndpoint::success(E::Json, 0, {}).body, std::string("{}"));
        QCOMPARE(OtlpEndpoint::success(E::Protobuf, 0, {}).body, std::string());
        const auto j = nlohmann::json::parse(OtlpEndpoint::success(E::Json, 2, "why").body);
        QCOMPARE(j["partialSuccess"]["rejectedSpans"].get<std::string>(), std::string("2"));
        // ExportTraceServiceResponse{partial_success{rejected_spans: 2, error_message: "why"}}
        QCOMPARE(OtlpEndpoint::success(E::Protobuf, 2, "why").body,
                 std::string("\x0a\x07\x08\x02\x12\x03why", 9));
        const auto busy = OtlpEndpoint::failure(E::Protobuf, 503, "behind", 5);
        QCOMPARE(busy.headers.at(0).first, std::string("Retry-After"));
    }

    // Done is called only after the spans are committed: another connection
    // sees them by then. A bad span is refused alone, named in the answer.
    void collectorCommitsBeforeAnswering()
    {
        QTemporaryDir dir;
        const std::string target = tltest::workspaceTarget(dir, QStringLiteral("live.db"));
        SpanCollector::Options o;
        o.target = target;
        o.label = "otlp test";
        SpanCollector collector(o);
        std::string error;
        QVERIFY2(collector.start(&error), error.c_str());

        QByteArray json = fixture("genai-traces.json");
        QByteArray bad = json;
        bad.replace("\"intValue\": \"180\"", "\"intValue\": \"-180\"");
        QVERIFY(bad != json);
        std::promise<std::pair<CollectOutcome, int64_t>> first, second;
        auto seenBy = [target] {
            auto reader = tltest::openExisting(target);
            return SummaryQuery::run(*reader, {}, {}).totals[MRequests];
        };
        OtlpSubmission a{OtlpSubmission::Encoding::Protobuf,
                         tltest::otlp::fromJson(json).toStdString(), 4};
        OtlpSubmission b{OtlpSubmission::Encoding::Json, bad.toStdString(), 4};
        QVERIFY(collector.submit(std::move(a), [&](const CollectOutcome &c) {
            first.set_value({c, seenBy()});
        }));
        auto f1 = first.get_future();
        QCOMPARE(f1.wait_for(std::chrono::seconds(30)), std::future_status::ready);
        auto [o1, seen1] = f1.get();
        QVERIFY(o1.committed);
        QCOMPARE(o1.rejected, int64_t(0));
        QCOMPARE(seen1, int64_t(3));

        QVERIFY(collector.submit(std::move(b), [&](const CollectOutcome &c) {
            second.set_value({c, seenBy()});
        }));
        auto f2 = second.get_future();
        QCOMPARE(f2.wait_for(std::chrono::seconds(30)), std::future_status::ready);
        auto [o2, seen2] = f2.get();
        QVERIFY(o2.committed);
        QCOMPARE(o2.rejected, int64_t(1));
        QVERIFY2(QString::fromStdString(o2.message)
                     .contains(QLatin1String("resourceSpans[0].scopeSpans[0].spans[0]")),
                 o2.message.c_str());
        QVERIFY2(QString::fromStdString(o2.message).contains(QLatin1String("non-negative")),
                 o2.message.c_str());
        QCOMPARE(seen2, int64_t(3)); // the good ones were duplicates; the bad one refused
        collector.stop();
        QCOMPARE(collector.committedSpans(), int64_t(7));

        // One sources row for the collector, with its counts.
        auto ws = tltest::openExisting(target);
        Statement src(ws->db(), "SELECT path, records, duplicates, rejected FROM sources");
        QVERIFY(src.step());
        QCOMPARE(std::string(src.columnText(0)), std::string("otlp test"));
        QCOMPARE(src.columnInt(1), int64_t(3));
        QCOMPARE(src.columnInt(2), int64_t(2));
        QCOMPARE(src.columnInt(3), int64_t(1));
        QVERIFY(!src.step());
        // The collector leaves the facts' recount to its idle time and its
        // stop: none is left waiting, and they are the calls' own.
        QCOMPARE(ws->db().queryInt("SELECT COUNT(*) FROM facts_dirty"), int64_t(0));
        const auto bounds = *dataDayBounds(*ws);
        const auto counted =
            DayFactsTable::countFromCalls(ws->db(), bounds.first, bounds.second, {});
        QVERIFY(!counted.empty());
        DayFacts want;
        for (const auto &[key, f] : counted)
            want += f;
        DayFacts stored;
        for (const auto &[agent, f] :
             DayFactsTable::byAgent(ws->db(), bounds.first, bounds.second, {}))
            stored += f;
        QVERIFY(stored == want);
    }

    // While another writer holds the workspace, requests queue; past the
    // queue's limit submit() refuses (the receiver answers 503), and what
    // was queued commits once the writer is done, in one group commit.
    void collectorQueuesBehindAnotherWriterAndRefusesPastItsLimit()
    {
        QTemporaryDir dir;
        const std::string target = tltest::workspaceTarget(dir, QStringLiteral("live.db"));
        auto other = Workspace::open(target, Workspace::OpenMode::CreateIfMissing, nullptr);
        QVERIFY(other);
        SpanCollector::Options o;
        o.target = target;
        o.label = "otlp test";
        const std::string body = tltest::otlp::fromJson(fixture("genai-traces.json")).toStdString();
        o.maxQueuedBytes = body.size() * 3;
        std::atomic<int> commits{0};
        o.afterCommit = [&](const CommitInfo &) { ++commits; };
        SpanCollector collector(o);
        QVERIFY(collector.start(nullptr));
        std::atomic<int> done{0};
        {
            Transaction hold(other->db()); // an import in progress elsewhere
            QVERIFY(collector.submit({OtlpSubmission::Encoding::Protobuf, body, 4},
                                     [&](const CollectOutcome &c) { done += c.committed; }));
            // The writer takes the first and waits for the lock; three more fill the queue.
            QTRY_COMPARE(collector.queuedBytes(), size_t(0));
            int accepted = 0;
            for (int i = 0; i < 5; ++i)
                accepted += collector.submit({OtlpSubmission::Encoding::Protobuf, body, 4},
                                             [&](const CollectOutcome &c) { done += c.committed; });
            QCOMPARE(accepted, 3);
            QCOMPARE(done.load(), 0);
        }
        QTRY_COMPARE_WITH_TIMEOUT(done.load(), 4, 30000);
        QCOMPARE(commits.load(), 2); // the first alone, then the three queued together
        collector.stop();
    }

    void budgetAlertsOnceAcrossRestarts()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const int64_t start = 1'795'000'000'000; // 2026-11-18
        // 20 calls of 10,000 input tokens of gpt-4o: $0.025 + $0.001 each, $0.52 in all.
        QVERIFY(Importer(*ws)
                    .importFile(
                        callsCsv(dir, QStringLiteral("a.csv"), "triage", start, 60'000, 20, 10'000))
                    .ok);
        Budget b;
        b.name = "ops";
        b.scope = {{Dimension::Team, "ops"}};
        b.period = BudgetPeriod::Month;
        b.amountNusd = 400'000'000; // $0.40
        b.alerts = {0.5, 1.0, 2.0};
        b.hard = true;
        b.onBreach = BreachPolicy::Downgrade;
        b.downgradeTo = "gpt-4o-mini";
        BudgetStore::save(*ws, {b});
        const int64_t at = AlertEngine::latestCallMs(*ws);
        QCOMPARE(at, start + 19 * 60'000);
        std::vector<AlertRecord> raised;
        {
            AlertEngine engine(*ws, {});
            raised = engine.evaluate(at, 1000);
            QCOMPARE(int(raised.size()), 2); // 50% and 100%; 200% not reached
            QCOMPARE(int(engine.evaluate(at, 2000).size()), 0);
        }
        const auto half = nlohmann::json::parse(raised[0].payload);
        QCOMPARE(half["kind"].get<std::string>(), std::string("budget_threshold"));
        QCOMPARE(half["threshold"].get<double>(), 0.5);
        QCOMPARE(half["budget"]["name"].get<std::string>(), std::string("ops"));
        // $0.026 a call: the 8th call passes $0.20.
        QCOMPARE(half["call"]["request_id"].get<std::string>(), std::string("triage-a.csv-7"));
        QVERIFY(std::abs(half["spent_usd"].get<double>() - 0.52) < 1e-6);
        const std::string text = half["text"];
        QVERIFY2(text.find("passed 50%") != std::string::npos, text.c_str());
        QVERIFY2(text.find("downgrade calls to gpt-4o-mini") != std::string::npos, text.c_str());

        // A new engine (a restart) raises nothing again; delivery state is kept.
        AlertEngine again(*ws, {});
        QCOMPARE(int(again.evaluate(at, 3000).size()), 0);
        QCOMPARE(int(again.due(3000).size()), 2);
        again.markFailed(raised[0].id, "HTTP 500", 10'000);
        again.markSent(raised[1].id, 3000);
        QCOMPARE(int(again.due(3000).size()), 0);
        const auto due = again.due(10'000);
        QCOMPARE(int(due.size()), 1);
        QCOMPARE(due[0].attempts, int64_t(1));
        QCOMPARE(due[0].lastError, std::string("HTTP 500"));
        const auto listed = AlertEngine::list(*ws, 10);
        QCOMPARE(int(listed.size()), 2);
        QVERIFY(listed[0].sentMs || listed[1].sentMs);
    }

    // A runaway agent alarms within minutes (the 5-minute window, confirmed
    // five minutes later); the same agent at its usual pace does not, and
    // neither does a short burst that is over by the confirmation.
    void runawayAgentAlarmsInMinutes()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const int64_t day0 = 20'400; // 2025-11-08
        // 14 days of history: one call of 1,000 tokens every 10 minutes.
        QVERIFY(Importer(*ws)
                    .importFile(callsCsv(dir, QStringLiteral("history.csv"), "triage",
                                         day0 * kMsPerDay, 600'000, 14 * 144, 1000))
                    .ok);
        int64_t now = (day0 + 14) * kMsPerDay + 10 * kMsPerHour;
        QVERIFY(Importer(*ws)
                    .importFile(callsCsv(dir, QStringLiteral("usual.csv"), "triage", now - 600'000,
                                         600'000, 2, 1000))
                    .ok);
        AlertEngine engine(*ws, {});
        QCOMPARE(int(engine.evaluate(now, 1).size()), 0);
        // A burst: 100 calls of 20,000 tokens in 80 seconds, then quiet.
        QVERIFY(Importer(*ws)
                    .importFile(callsCsv(dir, QStringLiteral("burst.csv"), "triage", now + 1000,
                                         800, 100, 20'000))
                    .ok);
        QCOMPARE(int(engine.evaluate(now + 81'000, 2).size()), 0);     // alarming, not yet told
        QCOMPARE(int(engine.evaluate(now + 7 * 60'000, 3).size()), 0); // over: never told

        // A runaway: the same pace for ten minutes.
        now += 20 * 60'000;
        QVERIFY(Importer(*ws)
                    .importFile(callsCsv(dir, QStringLiteral("spike1.csv"), "triage", now + 1000,
                                         800, 360, 20'000))
                    .ok);
        QCOMPARE(int(engine.evaluate(AlertEngine::latestCallMs(*ws), 4).size()), 0);
        QVERIFY(Importer(*ws)
                    .importFile(callsCsv(dir, QStringLiteral("spike2.csv"), "triage",
                                         now + 1000 + 360 * 800, 800, 400, 20'000))
                    .ok);
        const int64_t at = AlertEngine::latestCallMs(*ws);
        QVERIFY(at - now > 5 * 60'000);
        const auto raised = engine.evaluate(at, 5);
        QCOMPARE(int(raised.size()), 1);
        const auto j = nlohmann::json::parse(raised[0].payload);
        QCOMPARE(j["kind"].get<std::string>(), std::string("anomaly"));
        QCOMPARE(j["entity"].get<std::string>(), std::string("triage"));
        QCOMPARE(j["window_minutes"].get<int>(), 5);
        QVERIFY(j["calls"].get<int>() >= 300);
        const std::string cause = j["cause"];
        QVERIFY2(cause.find("on gpt-4o") != std::string::npos, cause.c_str());
        // Told once per agent and hour.
        QCOMPARE(int(engine.evaluate(at + 1000, 6).size()), 0);
    }

    // Files are imported once they hold still, once, oldest first; temporary
    // names wait for their rename; a second watcher (a restart) imports nothing again.
    void folderWatchWaitsForCompleteFilesAndRemembers()
    {
        QTemporaryDir dir;
        QDir(dir.path()).mkdir(QStringLiteral("in"));
        const QString in = dir.filePath(QStringLiteral("in"));
        auto ws = tltest::openWorkspace(dir);
        tltest::writeFile(dir, QStringLiteral("in/b.csv"), "ts,model,input_tokens,output_tokens\n");
        tltest::writeFile(dir, QStringLiteral("in/a.csv.part"), "x");
        FolderWatch watch({in.toStdString()}, 1000);
        QCOMPARE(int(watch.ready(*ws, 10'000).size()), 0); // first sight: not settled
        QCOMPARE(int(watch.ready(*ws, 10'500).size()), 0);
        auto ready = watch.ready(*ws, 11'000);
        QCOMPARE(int(ready.size()), 1);
        QVERIFY(QString::fromStdString(ready[0].path).endsWith(QLatin1String("b.csv")));
        FolderWatch::record(*ws, ready[0], "imported", {}, 11'000);
        QCOMPARE(int(watch.ready(*ws, 12'000).size()), 0);
        FolderWatch restarted({in.toStdString()}, 0);
        QCOMPARE(int(restarted.ready(*ws, 13'000).size()), 0);
        // A file that changes is a new version: seen again.
        tltest::writeFile(dir, QStringLiteral("in/b.csv"),
                          "ts,model,input_tokens,output_tokens\n2026-01-01T00:00:00Z,gpt-4o,1,1\n");
        QCOMPARE(int(restarted.ready(*ws, 14'000).size()), 1);
    }
};

QTEST_GUILESS_MAIN(TstLive)
#include "tst_live.moc"
