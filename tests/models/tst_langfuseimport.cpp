#include "import/importer.h"
#include "query/summaryquery.h"
#include "store/workspace.h"
#include "testutil.h"

#include <QTest>

using namespace tl;

class TstLangfuseImport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fixtures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("format");
        QTest::newRow("api-page") << "observations-api.json"
                                  << "langfuse";
        QTest::newRow("ui-jsonl") << "observations-export.jsonl"
                                  << "langfuse-jsonl";
        QTest::newRow("ui-csv") << "observations-export.csv"
                                << "langfuse-csv";
    }
    void fixtures()
    {
        QFETCH(QString, file);
        QFETCH(QString, format);
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        FileImportResult r =
            Importer(*ws).importFile(TL_FIXTURES "/langfuse/" + file.toStdString());
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(QString::fromStdString(r.format), format);
        QCOMPARE(r.imported, 3);
        QCOMPARE(r.skipped, 2);
        QCOMPARE(r.rejected, 0);
        tltest::verifyThreeCalls(*ws, 510'495'000);
        QCOMPARE(ws->db().queryInt("SELECT latency_ms FROM calls WHERE request_id = 'obs_8a1'"),
                 2000);
        auto byProvider = SummaryQuery::run(*ws, {}, {*GroupKey::fromName("provider")});
        QCOMPARE(int(byProvider.rows.size()), 2); // inferred from the model names
    }
    void rejections()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const QByteArray good =
            "{\"id\":\"g\",\"traceId\":\"t\",\"type\":\"GENERATION\",\"startTime\":\"2026-01-01T00:"
            "00:00Z\","
            "\"model\":\"gpt-4o\",\"usageDetails\":{\"input\":10,\"output\":1}}";
        const QByteArray noUsage = "{\"id\":\"b1\",\"traceId\":\"t\",\"type\":\"GENERATION\","
                                   "\"startTime\":\"2026-01-01T00:00:00Z\","
                                   "\"model\":\"gpt-4o\"}";
        const QByteArray badCount =
            "{\"id\":\"b2\",\"traceId\":\"t\",\"type\":\"GENERATION\",\"startTime\":\"2026-01-"
            "01T00:00:00Z\","
            "\"model\":\"gpt-4o\",\"usageDetails\":{\"input\":\"ten\",\"output\":1}}";
        auto path = tltest::writeFile(dir, QStringLiteral("o.jsonl"),
                                      good + "\n" + noUsage + "\n" + badCount + "\n");
        auto [r, seen] = tltest::importCollecting(*ws, path);
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.imported, 1);
        QCOMPARE(int(seen.size()), 2);
        QCOMPARE(seen[0].location, std::string("line 2"));
        QVERIFY2(seen[0].reason.find("usageDetails: missing") == 0, seen[0].reason.c_str());
        QVERIFY2(seen[1].reason.find("usageDetails.input: expected a non-negative integer") == 0,
                 seen[1].reason.c_str());
    }
};

QTEST_GUILESS_MAIN(TstLangfuseImport)
#include "tst_langfuseimport.moc"
