#include "import/importer.h"
#include "query/summaryquery.h"
#include "store/workspace.h"
#include "testutil.h"

#include "core/callrecord.h"

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
        QCOMPARE(t[MCacheWrite1hTokens], 1000);
        QCOMPARE(t[MWebSearchCalls], 10);
        // 19,935 u$ of tokens (1-hour writes at 2x input) + 10 searches at $0.01
        QCOMPARE(t[MCostNusd], 119'935'000);
        QCOMPARE(t[MToolNusd], 100'000'000);
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
        QCOMPARE(r.imported, 2); // the result without a model is kept, as "(unknown)"
        QCOMPARE(int(seen.size()), 1);
        QCOMPARE(seen[0].location, std::string("bucket 1 (line 1): results[1]"));
        QVERIFY2(seen[0].reason.find("input_tokens: expected a non-negative integer") !=
                     std::string::npos,
                 seen[0].reason.c_str());
    }

    // The usage API's default report names no model: its usage is kept and
    // summed under "(unknown)", unpriced — never rejected, never $0.
    void reportWithoutModels()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const FileImportResult r = Importer(*ws).importFile(
            (QStringLiteral(TL_FIXTURES) + QStringLiteral("/usage-reports/openai-usage-ungrouped.json"))
                .toStdString());
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.format, std::string("openai-usage"));
        QCOMPARE(r.imported, int64_t(2));
        QCOMPARE(r.rejected, int64_t(0));
        QCOMPARE(r.unpriced, int64_t(2));
        const SummaryResult byModel =
            SummaryQuery::run(*ws, {}, {*GroupKey::fromName("model")});
        QCOMPARE(byModel.rows.size(), size_t(1));
        QCOMPARE(byModel.rows[0].keys[0], std::string(kUnknownModel));
        const Measures &t = byModel.totals;
        QCOMPARE(t[MRequests], int64_t(8));
        QCOMPARE(t[MInputTokens], int64_t(30000));
        QCOMPARE(t[MCachedInputTokens], int64_t(4000));
        QCOMPARE(t[MOutputTokens], int64_t(1400));
        QCOMPARE(t[MUnpricedRequests], int64_t(8));
        QVERIFY(costUnknown(t));
    }
};

QTEST_GUILESS_MAIN(TstUsageReportImport)
#include "tst_usagereportimport.moc"
