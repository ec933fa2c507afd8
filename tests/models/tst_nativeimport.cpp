#include "import/importer.h"
#include "query/summaryquery.h"
#include "store/workspace.h"
#include "testutil.h"

#include <QTest>

using namespace tl;

namespace {

const QByteArray kHeader =
    "ts,request_id,model,input_tokens,output_tokens,cached_input_tokens,cache_write_tokens,"
    "reasoning_tokens,cost_usd,outcome,batch,requests,agent\n";

Measures totals(Workspace &ws)
{
    return SummaryQuery::run(ws, {}, {}).totals;
}

int64_t count(Workspace &ws, const char *sql)
{
    return ws.db().queryInt(sql);
}

QByteArray rows(int from, int to, bool withIds = true)
{
    QByteArray out = kHeader;
    for (int i = from; i < to; ++i)
        out += QStringLiteral("2026-03-01T%1:%2:00Z,%3,gpt-4o,%4,10,0,0,0,,,false,1,a%5\n")
                   .arg(i / 60 % 24, 2, 10, QLatin1Char('0'))
                   .arg(i % 60, 2, 10, QLatin1Char('0'))
                   .arg(withIds ? QStringLiteral("r%1").arg(i) : QString())
                   .arg(100 + i)
                   .arg(i % 3)
                   .toUtf8();
    return out;
}

} // namespace

class TstNativeImport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void csvRejections_data()
    {
        QTest::addColumn<QByteArray>("row");
        QTest::addColumn<QString>("reason");
        const QByteArray ok = "2026-01-01T00:00:00Z,,gpt-4o,";
        QTest::newRow("bad-number") << ok + "12x,1,,,,,,,,a"
                                    << "input_tokens: expected a non-negative integer";
        QTest::newRow("negative") << ok + "-5,1,,,,,,,,a"
                                  << "input_tokens: expected a non-negative integer";
        QTest::newRow("fraction") << ok + "1.5,1,,,,,,,,a"
                                  << "input_tokens: expected a non-negative integer";
        QTest::newRow("bad-ts") << QByteArray("2026-01-01 noon,,gpt-4o,1,1,,,,,,,,a") << "ts: ";
        QTest::newRow("ts-no-zone") << QByteArray("2026-01-01T00:00:00,,gpt-4o,1,1,,,,,,,,a")
                                    << "ts: timestamp has no time zone";
        QTest::newRow("missing-ts")
            << QByteArray(",,gpt-4o,1,1,,,,,,,,a") << "missing required field 'ts'";
        QTest::newRow("missing-model") << QByteArray("2026-01-01T00:00:00Z,,,1,1,,,,,,,,a")
                                       << "missing required field 'model'";
        QTest::newRow("missing-output") << ok + "1,,,,,,,,,a"
                                        << "missing required field 'output_tokens'";
        QTest::newRow("cached-over-input") << ok + "10,1,11,,,,,,,a"
                                           << "cached_input_tokens + cache_write_tokens exceed";
        QTest::newRow("cache-parts-over-input")
            << ok + "10,1,6,5,,,,,,a"
            << "cached_input_tokens + cache_write_tokens exceed";
        QTest::newRow("reasoning-over-output") << ok + "10,1,,,2,,,,,a"
                                               << "reasoning_tokens exceed output_tokens";
        QTest::newRow("bad-cost") << ok + "10,1,,,,USD 3,,,,a"
                                  << "cost_usd: expected a number of US dollars";
        QTest::newRow("bad-outcome") << ok + "10,1,,,,,won,,,a"
                                     << "outcome: expected success, failure or empty";
        QTest::newRow("bad-batch") << ok + "10,1,,,,,,maybe,,a"
                                   << "batch: expected true or false";
        QTest::newRow("zero-requests") << ok + "10,1,,,,,,,0,a"
                                       << "requests must be at least 1";
        QTest::newRow("field-count") << ok + "10,1"
                                     << "expected 13 fields as in the header, found 5";
        QTest::newRow("bad-utf8") << ok + "10,1,,,,,,,,\xC3\x28"
                                  << "invalid UTF-8";
        QTest::newRow("unterminated-quote") << ok + "10,1,,,,,,,,\"abc"
                                            << "a quoted field opens here and does not close";
    }
    void csvRejections()
    {
        QFETCH(QByteArray, row);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        // A good row on each side of the bad one: only the bad one goes.
        const QByteArray good1 = "2026-01-01T00:00:00Z,g1,gpt-4o,10,1,,,,,,,,a\n";
        const QByteArray good2 = "2026-01-01T00:00:01Z,g2,gpt-4o,10,1,,,,,,,,a\n";
        auto path =
            tltest::writeFile(dir, QStringLiteral("in.csv"), kHeader + good1 + row + "\n" + good2);
        auto [r, seen] = tltest::importCollecting(*ws, path);
        QVERIFY2(r.ok, r.error.c_str());
        // (an unterminated quote once swallowed the rest of the file silently)
        QCOMPARE(r.imported, 2);
        QCOMPARE(r.rejected, 1);
        QCOMPARE(int(seen.size()), 1);
        QCOMPARE(seen[0].line, 3);
        QCOMPARE(seen[0].file, path);
        QVERIFY2(QString::fromStdString(seen[0].reason).startsWith(reason), seen[0].reason.c_str());
        QVERIFY(!seen[0].raw.empty());
    }
    void jsonlRejections_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("reason");
        QTest::newRow("truncated")
            << QByteArray(R"({"ts":"2026-01-01T00:00:00Z","model":"gpt-4o","input_tokens":1)")
            << "invalid JSON";
        QTest::newRow("not-object") << QByteArray(R"([1,2,3])") << "expected a JSON object";
        QTest::newRow("string-tokens")
            << QByteArray(
                   R"({"ts":1767225600,"model":"gpt-4o","input_tokens":"many","output_tokens":1})")
            << "input_tokens: expected a non-negative integer";
        QTest::newRow("float-tokens")
            << QByteArray(
                   R"({"ts":1767225600,"model":"gpt-4o","input_tokens":1.5,"output_tokens":1})")
            << "input_tokens: expected a non-negative integer";
        QTest::newRow("negative")
            << QByteArray(
                   R"({"ts":1767225600,"model":"gpt-4o","input_tokens":-1,"output_tokens":1})")
            << "input_tokens: expected a non-negative integer";
        QTest::newRow("missing-output")
            << QByteArray(R"({"ts":1767225600,"model":"gpt-4o","input_tokens":1})")
            << "missing required field 'output_tokens'";
        QTest::newRow("missing-ts")
            << QByteArray(R"({"model":"gpt-4o","input_tokens":1,"output_tokens":1})")
            << "missing required field 'ts'";
        QTest::newRow("model-array")
            << QByteArray(R"({"ts":1767225600,"model":["a"],"input_tokens":1,"output_tokens":1})")
            << "$.model: expected a string or number, found an array";
        QTest::newRow("tags-string")
            << QByteArray(
                   R"({"ts":1767225600,"model":"m","input_tokens":1,"output_tokens":1,"tags":"x"})")
            << "$.tags: expected an object of tags";
        QTest::newRow("bad-utf8") << QByteArray("{\"ts\":1767225600,\"model\":\"\xC3\x28\",\"input_"
                                                "tokens\":1,\"output_tokens\":1}")
                                  << "invalid JSON";
        QTest::newRow("cached-over-input")
            << QByteArray(
                   R"({"ts":1767225600,"model":"m","input_tokens":1,"output_tokens":1,"cached_input_tokens":2})")
            << "cached_input_tokens + cache_write_tokens exceed";
    }
    void jsonlRejections()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const QByteArray good =
            R"({"ts":"2026-01-01T00:00:00Z","model":"gpt-4o","input_tokens":10,"output_tokens":1})";
        auto path = tltest::writeFile(dir, QStringLiteral("in.jsonl"),
                                      good + "\n" + line + "\n" + good + "x\n");
        // third line: the same object with trailing junk: rejected too
        auto [r, seen] = tltest::importCollecting(*ws, path, "jsonl");
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.imported, 1);
        QVERIFY(seen.size() >= 1);
        QCOMPARE(seen[0].line, 2);
        QVERIFY2(QString::fromStdString(seen[0].reason).startsWith(reason), seen[0].reason.c_str());
    }
    void formatsAgree()
    {
        // The same three calls as CSV and as JSONL give the same totals.
        QTemporaryDir dir;
        auto csv = tltest::writeFile(
            dir, QStringLiteral("a.csv"),
            "\xEF\xBB\xBF"
            "ts,model,input_tokens,output_tokens,cached_input_tokens,cost_usd,tags,team,extra\r\n"
            "2026-01-01T00:00:00Z,gpt-4o,1200,180,1024,,env=prod;tier=1,support,x\r\n"
            "1767225601,gpt-4o-mini,1000,100,0,0.5,,support,\r\n"
            "1767225602000,claude-sonnet-4-5,3000,200,2000,,,\"ops, eu\",y\r\n");
        auto jsonl = tltest::writeFile(
            dir, QStringLiteral("a.jsonl"),
            R"({"ts":"2026-01-01T00:00:00Z","model":"gpt-4o","input_tokens":1200,"output_tokens":180,"cached_input_tokens":1024,"tags":{"env":"prod","tier":"1"},"team":"support","extra":"x"})"
            "\n"
            R"({"ts":1767225601,"model":"gpt-4o-mini","input_tokens":1000,"output_tokens":100,"cost_usd":0.5,"team":"support"})"
            "\n"
            R"({"ts":1767225602000,"model":"claude-sonnet-4-5","input_tokens":3000,"output_tokens":200,"cached_input_tokens":2000,"team":"ops, eu","extra":"y"})"
            "\n");
        auto wsA = tltest::openWorkspace(dir, QStringLiteral("a.db"));
        auto wsB = tltest::openWorkspace(dir, QStringLiteral("b.db"));
        FileImportResult ra = Importer(*wsA).importFile(csv);
        FileImportResult rb = Importer(*wsB).importFile(jsonl);
        QVERIFY2(ra.ok && rb.ok, (ra.error + rb.error).c_str());
        QCOMPARE(ra.format, std::string("csv"));
        QCOMPARE(rb.format, std::string("jsonl"));
        QCOMPARE(ra.imported, 3);
        QCOMPARE(rb.imported, 3);
        const Measures a = totals(*wsA), b = totals(*wsB);
        QCOMPARE(a.v, b.v);
        QCOMPARE(a[MInputTokens], 5200);
        QCOMPARE(a[MCachedInputTokens], 3024);
        // gpt-4o 3520 u$ (see tst_pricecatalog) + reported 0.5 $ + claude 1000x3 + 2000x0.3 +
        // 200x15
        QCOMPARE(a[MCostNusd], 3'520'000 + 500'000'000 + 3'000'000 + 600'000 + 3'000'000);
        QCOMPARE(a[MReportedNusd], 500'000'000);
        // gpt-4o-mini computed: 1000 x 0.15 + 100 x 0.6 = 210 u$ beside the reported 0.5 $
        QCOMPARE(a[MReportedComputedNusd], 210'000);
        // unknown columns and tags are kept, not dropped
        QCOMPARE(wsA->db().queryInt("SELECT COUNT(*) FROM calls WHERE tags LIKE "
                                    "'%\"extra\":\"x\"%' AND tags LIKE '%\"tier\":\"1\"%'"),
                 1);
        QCOMPARE(wsB->db().queryInt("SELECT COUNT(*) FROM calls WHERE tags LIKE "
                                    "'%\"extra\":\"x\"%' AND tags LIKE '%\"tier\":\"1\"%'"),
                 1);
        auto byTeam = SummaryQuery::run(*wsA, {}, {*GroupKey::fromName("team")});
        QCOMPARE(int(byTeam.rows.size()), 2);
    }
    void idempotent()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        auto a = tltest::writeFile(dir, QStringLiteral("a.csv"), rows(0, 100));
        auto b = tltest::writeFile(dir, QStringLiteral("b.csv"), rows(50, 150)); // overlaps a
        Importer imp(*ws);
        QCOMPARE(imp.importFile(a).imported, 100);
        const Measures once = totals(*ws);
        FileImportResult again = imp.importFile(a);
        QCOMPARE(again.imported, 0);
        QCOMPARE(again.duplicates, 100);
        QCOMPARE(totals(*ws).v, once.v);
        // the workspace stays in WAL through an import, so readers answer meanwhile
        if (!tltest::serverRun()) {
            tl::Statement mode(ws->db(), "PRAGMA journal_mode");
            QVERIFY(mode.step());
            QCOMPARE(std::string(mode.columnText(0)), std::string("wal"));
        }
        FileImportResult overlap = imp.importFile(b);
        QVERIFY2(overlap.ok, overlap.error.c_str());
        QCOMPARE(overlap.imported, 50);
        QCOMPARE(overlap.duplicates, 50);
        QCOMPARE(count(*ws, "SELECT COUNT(*) FROM calls"), 150);
        QCOMPARE(totals(*ws)[MRecords], 150);
    }
    // Two exports of one call whose clocks differ around midnight (a span's
    // start against a log's end time) count once; it counted twice when
    // request ids were kept per UTC day only.
    void sameRequestAcrossMidnight()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        auto spans = tltest::writeFile(dir, QStringLiteral("spans.csv"),
                                       "ts,request_id,model,input_tokens,output_tokens\n"
                                       "2026-03-01T23:59:58Z,chatcmpl-1,gpt-4o,100,10\n"
                                       "2026-03-02T10:00:00Z,chatcmpl-2,gpt-4o,100,10\n");
        auto logs = tltest::writeFile(dir, QStringLiteral("logs.csv"),
                                      "ts,request_id,model,input_tokens,output_tokens\n"
                                      "2026-03-02T00:00:03Z,chatcmpl-1,gpt-4o,100,10\n"
                                      "2026-03-01T09:59:59Z,chatcmpl-2,gpt-4o,100,10\n"
                                      "2026-03-05T10:00:00Z,chatcmpl-2,gpt-4o,100,10\n");
        Importer imp(*ws);
        QCOMPARE(imp.importFile(spans).imported, 2);
        const FileImportResult r = imp.importFile(logs);
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.duplicates, 2); // the next day and the day before: the same calls
        QCOMPARE(r.imported, 1);   // three days later: another call
        QCOMPARE(totals(*ws)[MRecords], 3);
    }

    void idempotentWithoutRequestIds()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        auto a = tltest::writeFile(dir, QStringLiteral("a.csv"), rows(0, 80, false));
        auto b = tltest::writeFile(
            dir, QStringLiteral("b.jsonl"),
            R"({"ts":"2026-03-01T00:00:00Z","model":"gpt-4o","input_tokens":100,"output_tokens":10,"agent":"a0"})"
            "\n"
            R"({"ts":"2026-03-01T00:00:00Z","model":"gpt-4o","input_tokens":101,"output_tokens":10,"agent":"a0"})"
            "\n");
        Importer imp(*ws);
        QCOMPARE(imp.importFile(a).imported, 80);
        QCOMPARE(imp.importFile(a).duplicates, 80);
        // Same content in another format is the same call (hash of the content); a changed token
        // count is not.
        FileImportResult r = imp.importFile(b);
        QCOMPARE(r.duplicates, 1);
        QCOMPARE(r.imported, 1);
    }
    void strictRefusesWholeFile()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        Importer(*ws).importFile(tltest::writeFile(dir, QStringLiteral("base.csv"), rows(0, 10)));
        const QByteArray before = tltest::contentDigest(ws->path());
        QByteArray data = rows(100, 1000);
        data += "2026-03-01T00:00:00Z,bad,gpt-4o,-1,1,,,,,,,,a\n";
        auto path = tltest::writeFile(dir, QStringLiteral("s.csv"), data);
        ImportOptions opt;
        opt.strict = true;
        FileImportResult r = Importer(*ws).importFile(path, opt);
        QVERIFY(!r.ok);
        QVERIFY2(QString::fromStdString(r.error).contains(QStringLiteral("line 902")),
                 r.error.c_str());
        QCOMPARE(r.imported, 0);
        QCOMPARE(tltest::contentDigest(ws->path()), before);
        // and the same workspace still imports afterwards (no stale cached ids)
        FileImportResult ok =
            Importer(*ws).importFile(tltest::writeFile(dir, QStringLiteral("c.csv"), rows(20, 30)));
        QCOMPARE(ok.imported, 10);
        QCOMPARE(count(*ws, "SELECT COUNT(*) FROM calls c LEFT JOIN dims d ON d.id = c.agent_id "
                            "WHERE d.id IS NULL"),
                 0);
    }
    void cancelRollsBack()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        Importer(*ws).importFile(tltest::writeFile(dir, QStringLiteral("base.csv"), rows(0, 10)));
        const QByteArray before = tltest::contentDigest(ws->path());
        auto path = tltest::writeFile(dir, QStringLiteral("big.csv"), rows(1000, 40000));
        ImportOptions opt;
        int calls = 0;
        opt.progress = [&](const ImportProgress &p) {
            ++calls;
            return p.records < 20000;
        };
        FileImportResult r = Importer(*ws).importFile(path, opt);
        QVERIFY(!r.ok);
        QVERIFY(r.cancelled);
        QVERIFY(calls >= 2);
        QCOMPARE(tltest::contentDigest(ws->path()), before);
    }
    void diskFullRollsBack()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        Importer(*ws).importFile(tltest::writeFile(dir, QStringLiteral("base.csv"), rows(0, 10)));
        const QByteArray before = tltest::contentDigest(ws->path());
        if (tltest::serverRun())
            QSKIP("SQLite's page limit: a server's full disk is its own (the rollback is "
                  "tested by droppedConnectionRollsBack)");
        // SQLite's own limit makes the file "full" part-way through the import.
        const int64_t pages = ws->db().queryInt("PRAGMA page_count");
        ws->db().exec("PRAGMA max_page_count = " + std::to_string(pages + 40));
        FileImportResult r = Importer(*ws).importFile(
            tltest::writeFile(dir, QStringLiteral("big.csv"), rows(1000, 30000)));
        QVERIFY(!r.ok);
        QVERIFY2(QString::fromStdString(r.error).contains(QStringLiteral("full")), r.error.c_str());
        ws->db().exec("PRAGMA max_page_count = 1073741823");
        QCOMPARE(tltest::contentDigest(ws->path()), before);
    }
    void unknownFormatRefused()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const QByteArray before = tltest::contentDigest(ws->path());
        auto path = tltest::writeFile(dir, QStringLiteral("notes.txt"),
                                      "hello, world\nthis is not a log\n");
        FileImportResult r = Importer(*ws).importFile(path);
        QVERIFY(!r.ok);
        const QString error = QString::fromStdString(r.error);
        QVERIFY2(error.contains(QStringLiteral("not a known log format (tried ")) &&
                     error.contains(QStringLiteral("jsonl")) &&
                     error.contains(QStringLiteral("csv")),
                 r.error.c_str());
        QCOMPARE(tltest::contentDigest(ws->path()), before);
        FileImportResult missing =
            Importer(*ws).importFile(dir.filePath(QStringLiteral("nope.csv")).toStdString());
        QVERIFY(!missing.ok);
        QVERIFY(QString::fromStdString(missing.error).contains(QStringLiteral("cannot be opened")));
    }
    void unpricedIsNeverZero()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        auto path = tltest::writeFile(dir, QStringLiteral("u.csv"),
                                      "ts,model,input_tokens,output_tokens,requests\n"
                                      "2026-01-01T00:00:00Z,mystery-model,1000,100,3\n"
                                      "2026-01-01T00:00:01Z,gpt-4o,1000,100,1\n");
        FileImportResult r = Importer(*ws).importFile(path);
        QCOMPARE(r.unpriced, 1);
        QCOMPARE(r.unpricedByModel.at("mystery-model"), 1);
        const Measures t = totals(*ws);
        QCOMPARE(t[MUnpricedRequests], 3);
        QCOMPARE(t[MRequests], 4);
        QCOMPARE(count(*ws, "SELECT COUNT(*) FROM calls WHERE computed_nusd IS NULL"), 1);
        QCOMPARE(t[MCostNusd], 3'500'000); // only the priced call
    }
    void longFileAcrossChunks()
    {
        // > 4 MiB with quoted newlines: records that straddle buffer refills
        // keep their fields and their line numbers.
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        QByteArray data = "ts,model,input_tokens,output_tokens,note\n";
        const int n = 80000;
        for (int i = 0; i < n; ++i)
            data += QStringLiteral("%1,gpt-4o,%2,1,\"multi\nline, %3 %4\"\n")
                        .arg(1767225600 + i)
                        .arg(i + 1)
                        .arg(i)
                        .arg(QString(40, QLatin1Char('x')))
                        .toUtf8();
        data += "1767225600,gpt-4o,oops,1,last\n";
        QVERIFY(data.size() > 5 * 1024 * 1024);
        auto [r, seen] =
            tltest::importCollecting(*ws, tltest::writeFile(dir, QStringLiteral("long.csv"), data));
        QCOMPARE(r.imported, n);
        QCOMPARE(int(seen.size()), 1);
        QCOMPARE(seen[0].line, 2 + 2 * n);
        QCOMPARE(totals(*ws)[MInputTokens], int64_t(n) * (n + 1) / 2);
    }
    void effectiveDatesApplyPerCall()
    {
        // The price in force at each call's time applies, through the whole import path.
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        std::string error;
        auto cat = PriceCatalog::fromJson(
            "{\"models\":[{\"model\":\"m\",\"input_per_mtok\":1,\"output_per_mtok\":0},"
            "{\"model\":\"m\",\"effective_from\":\"2026-06-01\",\"input_per_mtok\":3,\"output_per_"
            "mtok\":0}]}",
            &error);
        QVERIFY2(cat && ws->replaceCatalog(*cat, {}, &error), error.c_str());
        auto path = tltest::writeFile(dir, QStringLiteral("e.csv"),
                                      "ts,model,input_tokens,output_tokens\n"
                                      "2026-05-31T23:59:59Z,m,1000,0\n"
                                      "2026-06-01T00:00:00Z,m,1000,0\n");
        QVERIFY(Importer(*ws).importFile(path).ok);
        QCOMPARE(ws->db().queryInt("SELECT computed_nusd FROM calls ORDER BY ts_ms LIMIT 1"),
                 1'000'000);
        QCOMPARE(ws->db().queryInt("SELECT computed_nusd FROM calls ORDER BY ts_ms DESC LIMIT 1"),
                 3'000'000);
        QCOMPARE(totals(*ws)[MCostNusd], 4'000'000);
    }
    void catalogChangeRecomputes()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        Importer(*ws).importFile(tltest::writeFile(dir, QStringLiteral("a.csv"), rows(0, 50)));
        const Measures before = totals(*ws);
        std::string error;
        auto cat = PriceCatalog::fromJson(
            R"({"models":[{"provider":"openai","model":"gpt-4o","input_per_mtok":5,"output_per_mtok":20}]})",
            &error);
        QVERIFY(cat);
        QVERIFY2(ws->replaceCatalog(*cat, {}, &error), error.c_str());
        const Measures after = totals(*ws);
        QCOMPARE(after[MCostNusd], 2 * before[MCostNusd]);
        // rollups agree with the calls table after the rebuild
        QCOMPARE(ws->db().queryInt("SELECT SUM(computed_nusd) FROM calls"), after[MComputedNusd]);
        // and a reopened workspace keeps the new catalog
        const std::string path = ws->path();
        ws.reset();
        auto again = Workspace::open(path, Workspace::OpenMode::OpenExisting, &error);
        QCOMPARE(again->catalog().entries().size(), size_t(1));
    }
};

QTEST_GUILESS_MAIN(TstNativeImport)
#include "tst_nativeimport.moc"
