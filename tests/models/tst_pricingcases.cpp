// The bill's own cases (issue: numbers you can sign): each fixture under
// fixtures/pricing/ is imported as a user would and its cost compared with
// the arithmetic in fixtures/pricing/README.md, done by hand from the
// providers' published prices.
#include "import/costreportimporter.h"
#include "import/importer.h"
#include "query/billquery.h"
#include "query/summaryquery.h"
#include "store/workspace.h"
#include "testutil.h"

#include <QTest>

using namespace tl;

namespace {

const std::string kDir = TL_FIXTURES "/pricing/";

const BillLineByKind *find(const std::vector<BillLineByKind> &lines, const std::string &provider,
                           const std::string &line)
{
    for (const auto &l : lines)
        if (l.provider == provider && l.line == line)
            return &l;
    return nullptr;
}

} // namespace

class TstPricingCases : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fixtureCosts_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<qlonglong>("records");
        QTest::addColumn<qlonglong>("nusd");
        QTest::addColumn<qlonglong>("write1h");
        QTest::addColumn<qlonglong>("web");
        QTest::addColumn<qlonglong>("fileSearch");
        // 17,550 + 34,500 + 442,500 + 3,000 u$ (README: Anthropic Messages)
        QTest::newRow("anthropic messages") << "anthropic-messages.jsonl" << 4LL
                                            << 497'550'000LL << 2000LL << 3LL << 0LL;
        // 16,875 + 1,400 + 3,500 u$ (README: OpenAI responses)
        QTest::newRow("openai tiers and tools") << "openai-responses.jsonl" << 3LL << 21'775'000LL
                                                << 0LL << 1LL << 1LL;
        // 43,750 + 7,000 u$ (README: OpenAI usage report by service tier)
        QTest::newRow("openai usage report tiers") << "openai-usage-tiers.json" << 2LL
                                                   << 50'750'000LL << 0LL << 0LL << 0LL;
        // $5.45 + $2.625 + $0.90 (README: Anthropic usage report)
        QTest::newRow("anthropic usage report") << "anthropic-usage-tiers.json" << 3LL
                                                << 8'975'000'000LL << 100000LL << 20LL << 0LL;
    }
    void fixtureCosts()
    {
        QFETCH(QString, file);
        QFETCH(qlonglong, records);
        QFETCH(qlonglong, nusd);
        QFETCH(qlonglong, write1h);
        QFETCH(qlonglong, web);
        QFETCH(qlonglong, fileSearch);
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const FileImportResult r = Importer(*ws).importFile(kDir + file.toStdString());
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.rejected, int64_t(0));
        QCOMPARE(r.imported, records);
        const Measures t = SummaryQuery::run(*ws, {}, {}).totals;
        QCOMPARE(t[MCostNusd], nusd); // exact: every price is a whole number of p$ per token
        QCOMPARE(t[MCacheWrite1hTokens], write1h);
        QCOMPARE(t[MWebSearchCalls], web);
        QCOMPARE(t[MFileSearchCalls], fileSearch);
        // A new catalog prices the same parts again: the figure must not move.
        QVERIFY(ws->replaceCatalog(PriceCatalog::builtIn(), {}, nullptr));
        QCOMPARE(SummaryQuery::run(*ws, {}, {}).totals[MCostNusd], nusd);
    }
    // The bill, line by line: every token line closes to the cent; what is
    // left is the code-execution charge we do not price, on a line of its own.
    void reconcileByLine()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        QVERIFY(Importer(*ws).importFile(kDir + "anthropic-usage-tiers.json").ok);
        const CostReportResult c =
            CostReportImporter(*ws).importFile(kDir + "anthropic-cost-tiers.json");
        QVERIFY2(c.ok, c.error.c_str());
        const auto lines = BillQuery::byLine(*ws);
        struct Want
        {
            const char *line;
            int64_t billed, computed;
        };
        for (const Want &w : {Want{"standard", 5'250'000'000, 5'250'000'000},
                              Want{"long context", 2'625'000'000, 2'625'000'000},
                              Want{"batch", 900'000'000, 900'000'000},
                              Want{"web search", 200'000'000, 200'000'000},
                              Want{"other", 50'000'000, 0}}) {
            const BillLineByKind *l = find(lines, "anthropic", w.line);
            QVERIFY2(l, w.line);
            QCOMPARE(l->billedNusd, w.billed);
            QCOMPARE(l->computedNusd, w.computed);
        }
        QCOMPARE(int(lines.size()), 5);
    }
    // Calls the catalog cannot price show as an unpriced line with their
    // request count, never as $0 of computed cost.
    void unpricedLine()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        QVERIFY(Importer(*ws).importFile(kDir + "anthropic-usage-tiers.json").ok);
        QVERIFY(Importer(*ws)
                    .importFile(tltest::writeFile(
                        dir, QStringLiteral("own.csv"),
                        "ts,provider,model,input_tokens,output_tokens,requests\n"
                        "2026-09-01T12:00:00Z,anthropic,claude-private-preview,10,10,7\n"))
                    .ok);
        QVERIFY(CostReportImporter(*ws).importFile(kDir + "anthropic-cost-tiers.json").ok);
        const auto lines = BillQuery::byLine(*ws); // kept: find() points into it
        const BillLineByKind *l = find(lines, "anthropic", "unpriced");
        QVERIFY(l);
        QCOMPARE(l->unpricedRequests, int64_t(7));
        QCOMPARE(l->computedNusd, int64_t(0));
    }
    void billLineNames_data()
    {
        QTest::addColumn<QString>("item");
        QTest::addColumn<QString>("line");
        QTest::newRow("anthropic standard") << "tokens:output_tokens:standard:0-200k" << "standard";
        QTest::newRow("anthropic long") << "tokens:output_tokens:standard:200k-1M"
                                        << "long context";
        QTest::newRow("anthropic batch") << "tokens:uncached_input_tokens:batch:0-200k" << "batch";
        QTest::newRow("anthropic priority") << "tokens:output_tokens:priority:0-200k"
                                            << "priority";
        QTest::newRow("anthropic older import") << "tokens:output_tokens" << "standard";
        QTest::newRow("anthropic search") << "web_search:" << "web search";
        QTest::newRow("anthropic code") << "code_execution:" << "other";
        QTest::newRow("openai input") << "gpt-4o, input" << "standard";
        QTest::newRow("openai batch") << "gpt-4o-mini, batch" << "batch";
        QTest::newRow("openai web search") << "web search tool calls" << "web search";
        QTest::newRow("openai file search") << "file search tool calls" << "file search";
    }
    void billLineNames()
    {
        QFETCH(QString, item);
        QFETCH(QString, line);
        QCOMPARE(QString::fromStdString(BillQuery::lineOfBillItem(item.toStdString())), line);
    }
};

QTEST_GUILESS_MAIN(TstPricingCases)
#include "tst_pricingcases.moc"
