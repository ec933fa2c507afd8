#include "import/importer.h"
#include "query/summaryquery.h"
#include "store/workspace.h"
#include "testutil.h"

#include <QTest>

using namespace tl;

class TstApiResponseImport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fixture()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        FileImportResult r = Importer(*ws).importFile(TL_FIXTURES "/api-responses/responses.jsonl");
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.format, std::string("api-responses"));
        QCOMPARE(r.imported, 3);
        QCOMPARE(r.rejected, 0);
        tltest::verifyThreeCalls(*ws, 10'705'000);
        // Anthropic's uncached input_tokens (500) plus its cache reads and writes beside it
        QCOMPARE(
            ws->db().queryInt(
                "SELECT input_tokens FROM calls WHERE request_id = 'msg_01XFDUDYJgAACzvnptvVoYEL'"),
            3000);
        QCOMPARE(
            ws->db().queryInt("SELECT ts_ms FROM calls WHERE request_id = 'resp_67ccd2bed1ec8190'"),
            1767225701000LL);
        QCOMPARE(
            ws->db().queryInt(
                "SELECT latency_ms FROM calls WHERE request_id = 'msg_01XFDUDYJgAACzvnptvVoYEL'"),
            2000);
    }
    void rejections_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("reason");
        QTest::newRow("anthropic-no-time")
            << QByteArray("{\"id\":\"msg_1\",\"type\":\"message\",\"model\":\"claude-haiku-4-5\","
                          "\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}")
            << "no timestamp: Anthropic responses carry none";
        QTest::newRow("no-usage")
            << QByteArray(
                   "{\"ts\":1767225600,\"response\":{\"id\":\"x\",\"object\":\"chat.completion\","
                   "\"model\":\"gpt-4o\",\"usage\":null}}")
            << "$.response.usage: missing";
        QTest::newRow("bad-count")
            << QByteArray("{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1767225600,"
                          "\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":\"12\",\"completion_"
                          "tokens\":1}}")
            << "$.usage.prompt_tokens: expected a non-negative integer";
        QTest::newRow("bad-wrapper")
            << QByteArray(
                   "{\"ts\":\"yesterday\",\"response\":{\"id\":\"x\",\"object\":\"chat."
                   "completion\","
                   "\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}}")
            << "ts: ";
    }
    // OpenAI's cache writes (Chat Completions and Responses) are parts of the
    // input, stored as cache writes, not billed as plain input.
    void openAiCacheWrites()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const QByteArray lines =
            "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1767225600,"
            "\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":10,"
            "\"prompt_tokens_details\":{\"cached_tokens\":200,\"cache_write_tokens\":300}}}\n"
            "{\"id\":\"r1\",\"object\":\"response\",\"created_at\":1767225601,"
            "\"model\":\"gpt-4o\",\"usage\":{\"input_tokens\":500,\"output_tokens\":5,"
            "\"input_tokens_details\":{\"cached_tokens\":0,\"cache_write_tokens\":100}}}\n";
        auto [r, seen] =
            tltest::importCollecting(*ws, tltest::writeFile(dir, QStringLiteral("w.jsonl"), lines));
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.imported, int64_t(2));
        QVERIFY(seen.empty());
        const Measures t = SummaryQuery::run(*ws, {}, {}).totals;
        QCOMPARE(t[MInputTokens], int64_t(1500));
        QCOMPARE(t[MCachedInputTokens], int64_t(200));
        QCOMPARE(t[MCacheWriteTokens], int64_t(400));
    }
    void rejections()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const QByteArray good = "{\"id\":\"ok1\",\"object\":\"chat.completion\",\"created\":"
                                "1767225600,\"model\":\"gpt-4o\","
                                "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1}}";
        auto path = tltest::writeFile(dir, QStringLiteral("r.jsonl"), good + "\n" + line + "\n");
        auto [r, seen] = tltest::importCollecting(*ws, path);
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.imported, 1);
        QCOMPARE(int(seen.size()), 1);
        QCOMPARE(seen[0].line, 2);
        QVERIFY2(QString::fromStdString(seen[0].reason).startsWith(reason), seen[0].reason.c_str());
    }
};

QTEST_GUILESS_MAIN(TstApiResponseImport)
#include "tst_apiresponseimport.moc"
