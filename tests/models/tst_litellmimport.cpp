#include "import/importer.h"
#include "query/summaryquery.h"
#include "store/workspace.h"
#include "testutil.h"

#include <QTest>

using namespace tl;

namespace {

const QString kFixtures = QStringLiteral(TL_FIXTURES "/litellm/");

} // namespace

class TstLiteLlmImport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fixtures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("format");
        QTest::newRow("spend-logs-array") << "spend-logs.json"
                                          << "litellm";
        QTest::newRow("spend-logs-v2-page") << "spend-logs-v2.json"
                                            << "litellm";
        QTest::newRow("spendlogs-table-csv") << "spend-logs.csv"
                                             << "litellm-csv";
    }
    void fixtures()
    {
        QFETCH(QString, file);
        QFETCH(QString, format);
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        FileImportResult r = Importer(*ws).importFile((kFixtures + file).toStdString());
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(QString::fromStdString(r.format), format);
        QCOMPARE(r.imported, 3);
        QCOMPARE(r.rejected, 0);
        tltest::verifyThreeCalls(*ws, 510'495'000);
        const Measures t = SummaryQuery::run(*ws, {}, {}).totals;
        QCOMPARE(t[MReportedNusd], 510'495'000);
        // the catalog agrees with LiteLLM's spend for two of them
        QCOMPARE(t[MReportedComputedNusd], 10'705'000);
        QCOMPARE(tltest::names(*ws, "agent"),
                 (QStringList{QStringLiteral("billing-agent"), QStringLiteral("support-bot"),
                              QStringLiteral("triage-agent")}));
        QCOMPARE(tltest::names(*ws, "team"),
                 (QStringList{QStringLiteral("(none)"), QStringLiteral("support")}));
        QCOMPARE(tltest::names(*ws, "feature"),
                 (QStringList{QStringLiteral("(none)"), QStringLiteral("support-chat")}));
        // Naive startTime is UTC; request_duration_ms wins over endTime - startTime.
        QCOMPARE(ws->db().queryInt(
                     "SELECT ts_ms FROM calls WHERE request_id = 'msg_01XFDUDYJgAACzvnptvVoYEL'"),
                 1767225660000LL);
        QCOMPARE(
            ws->db().queryInt("SELECT latency_ms FROM calls WHERE request_id = 'chatcmpl-AbC123'"),
            1250);
    }
    void sameCallsAsOpenTelemetry()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        Importer(*ws).importFile((kFixtures + QStringLiteral("spend-logs.json")).toStdString());
        FileImportResult otel = Importer(*ws).importFile(TL_FIXTURES "/otel/genai-traces.json");
        QVERIFY(otel.ok);
        // The gateway and the tracer saw the same calls; only the one whose provider
        // response id both logged (chatcmpl-AbC123) is recognised as such.
        QCOMPARE(otel.duplicates, 1);
        QCOMPARE(otel.imported, 2);
    }
    void rejections_data()
    {
        QTest::addColumn<QByteArray>("record");
        QTest::addColumn<QString>("reason");
        QTest::newRow("bad-tokens")
            << QByteArray("{\"request_id\":\"x1\",\"spend\":0,\"prompt_tokens\":\"many\","
                          "\"completion_tokens\":1,\"startTime\":\"2026-01-01T00:00:00Z\","
                          "\"model\":\"gpt-4o\"}")
            << "prompt_tokens: expected a non-negative integer";
        QTest::newRow("no-start") << QByteArray(
                                         "{\"request_id\":\"x2\",\"spend\":0,\"prompt_tokens\":1,"
                                         "\"completion_tokens\":1,\"model\":\"gpt-4o\"}")
                                  << "startTime: missing";
        QTest::newRow("bad-start")
            << QByteArray("{\"request_id\":\"x3\",\"spend\":0,\"prompt_tokens\":1,"
                          "\"completion_tokens\":1,\"startTime\":\"soon\",\"model\":\"gpt-4o\"}")
            << "startTime: ";
        QTest::newRow("no-model")
            << QByteArray("{\"request_id\":\"x4\",\"spend\":0,\"prompt_tokens\":1,"
                          "\"completion_tokens\":1,\"startTime\":\"2026-01-01T00:00:00Z\"}")
            << "missing required field 'model'";
        QTest::newRow("bad-json") << QByteArray("{\"request_id\":\"x5\",\"spend\":}")
                                  << "invalid JSON";
    }
    void rejections()
    {
        QFETCH(QByteArray, record);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const QByteArray good =
            "{\"request_id\":\"g1\",\"spend\":0.1,\"prompt_tokens\":10,\"completion_tokens\":1,"
            "\"startTime\":\"2026-01-01T00:00:00Z\",\"model\":\"gpt-4o\"}";
        auto path = tltest::writeFile(dir, QStringLiteral("s.json"),
                                      "[\n" + good + ",\n" + record + "\n]\n");
        auto [r, seen] = tltest::importCollecting(*ws, path);
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.imported, 1);
        QCOMPARE(int(seen.size()), 1);
        QCOMPARE(seen[0].location, std::string("record 2 (line 3)"));
        QVERIFY2(QString::fromStdString(seen[0].reason).startsWith(reason), seen[0].reason.c_str());
    }
    // LiteLLM's usage object reports OpenAI-style cache writes under
    // prompt_tokens_details: parts of the input, stored as cache writes.
    void cacheWritesInPromptDetails()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const QByteArray record =
            "{\"request_id\":\"w1\",\"spend\":0.01,\"prompt_tokens\":1000,"
            "\"completion_tokens\":10,\"startTime\":\"2026-01-01T00:00:00Z\","
            "\"model\":\"gpt-4o\",\"metadata\":{\"usage_object\":{\"prompt_tokens\":1000,"
            "\"completion_tokens\":10,\"prompt_tokens_details\":{\"cached_tokens\":200,"
            "\"cache_creation_tokens\":300}}}}";
        auto [r, seen] = tltest::importCollecting(
            *ws, tltest::writeFile(dir, QStringLiteral("w.json"), "[\n" + record + "\n]\n"));
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.imported, 1);
        QVERIFY(seen.empty());
        const Measures t = SummaryQuery::run(*ws, {}, {}).totals;
        QCOMPARE(t[MInputTokens], int64_t(1000));
        QCOMPARE(t[MCachedInputTokens], int64_t(200));
        QCOMPARE(t[MCacheWriteTokens], int64_t(300));
    }
    void byteOrderMark()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        QFile f(kFixtures + QStringLiteral("spend-logs.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        auto path = tltest::writeFile(dir, QStringLiteral("bom.json"),
                                      QByteArray("\xEF\xBB\xBF") + f.readAll());
        FileImportResult r = Importer(*ws).importFile(path);
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.imported, 3);
    }
    void truncatedFileChangesNothing()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const QByteArray before = tltest::contentDigest(ws->path());
        QFile f(kFixtures + QStringLiteral("spend-logs.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray whole = f.readAll();
        auto path =
            tltest::writeFile(dir, QStringLiteral("cut.json"), whole.left(whole.size() - 200));
        FileImportResult r = Importer(*ws).importFile(path);
        QVERIFY(!r.ok);
        QVERIFY2(QString::fromStdString(r.error).contains(QStringLiteral("not closed")),
                 r.error.c_str());
        QCOMPARE(tltest::contentDigest(ws->path()), before);
    }
};

QTEST_GUILESS_MAIN(TstLiteLlmImport)
#include "tst_litellmimport.moc"
