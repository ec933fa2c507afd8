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
