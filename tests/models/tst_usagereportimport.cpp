#include "import/importer.h"
#include "query/summaryquery.h"
#include "store/workspace.h"
#include "testutil.h"

#include <QTest>

using namespace tl;

namespace {

const std::string kDir = TL_FIXTURES "/usage-reports/";

} // namespace

class TstUsageReportImport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void openAiCompletions()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        FileImportResult r = Importer(*ws).importFile(kDir + "openai-usage-completions.json");
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.format, std::string("openai-usage"));
        QCOMPARE(r.imported, 3);
        const Measures t = SummaryQuery::run(*ws, {}, {}).totals;
        QCOMPARE(t[MRecords], 3);
        QCOMPARE(t[MRequests], 8);
        QCOMPARE(t[MInputTokens], 8600);
        QCOMPARE(t[MCachedInputTokens], 3072);
        QCOMPARE(t[MOutputTokens], 1040);
        QCOMPARE(t[MCostNusd], 11'085'000);
        auto byTeam = SummaryQuery::run(*ws, {}, {*GroupKey::fromName("team")});
        QCOMPARE(int(byTeam.rows.size()), 2); // project ids
        // An overlapping report window adds only what is new.
        FileImportResult overlap = Importer(*ws).importFile(kDir + "openai-usage-overlap.json");
        QCOMPARE(overlap.duplicates, 1);
        QCOMPARE(overlap.imported, 1);
        QCOMPARE(Importer(*ws).importFile(kDir + "openai-usage-completions.json").imported, 0);
    }
    void anthropicMessages()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        FileImportResult r = Importer(*ws).importFile(kDir + "anthropic-usage-messages.json");
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.format, std::string("anthropic-usage"));
        const Measures t = SummaryQuery::run(*ws, {}, {}).totals;
        QCOMPARE(t[MInputTokens], 3200);
        QCOMPARE(t[MCachedInputTokens], 200);
        QCOMPARE(t[MCacheWriteTokens], 1500);
        QCOMPARE(t[MOutputTokens], 500);
        QCOMPARE(t[MCostNusd], 17'685'000);
        QCOMPARE(ws->db().queryInt("SELECT ts_ms FROM calls"), 1767225600000LL);
    }
    void rejections()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const QByteArray page =
            "{\"object\":\"page\",\"data\":[{\"start_time\":1767225600,\"results\":["
            "{\"num_model_requests\":1,\"input_tokens\":10,\"output_tokens\":1,\"model\":\"gpt-"
            "4o\"},"
            "{\"num_model_requests\":1,\"input_tokens\":-4,\"output_tokens\":1,\"model\":\"gpt-"
            "4o\"},"
            "{\"num_model_requests\":2,\"input_tokens\":10,\"output_tokens\":1}]}]}";
        auto [r, seen] =
            tltest::importCollecting(*ws, tltest::writeFile(dir, QStringLiteral("p.json"), page));
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.imported, 1);
        QCOMPARE(int(seen.size()), 2);
        QCOMPARE(seen[0].location, std::string("bucket 1 (line 1): results[1]"));
        QVERIFY2(seen[0].reason.find("input_tokens: expected a non-negative integer") !=
                     std::string::npos,
                 seen[0].reason.c_str());
        QVERIFY2(seen[1].reason.find("model: missing") != std::string::npos,
                 seen[1].reason.c_str());
    }
};

QTEST_GUILESS_MAIN(TstUsageReportImport)
#include "tst_usagereportimport.moc"
