#include "import/costreportimporter.h"
#include "import/importer.h"
#include "query/billquery.h"
#include "store/workspace.h"
#include "testutil.h"

#include <QTest>

using namespace tl;

namespace {

const std::string kUsage = TL_FIXTURES "/usage-reports/";
const std::string kCosts = TL_FIXTURES "/cost-reports/";

const BillLine *find(const std::vector<BillLine> &lines, const std::string &provider,
                     const std::string &key)
{
    for (const auto &l : lines)
        if (l.provider == provider && l.key == key)
            return &l;
    return nullptr;
}

} // namespace

class TstCostReports : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void billsAgainstComputed()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        QVERIFY(Importer(*ws).importFile(kUsage + "openai-usage-completions.json").ok);
        QVERIFY(Importer(*ws).importFile(kUsage + "anthropic-usage-messages.json").ok);
        QVERIFY(CostReportImporter::isCostReportFile(kCosts + "openai-costs.json"));
        QVERIFY(!CostReportImporter::isCostReportFile(kUsage + "openai-usage-completions.json"));
        CostReportResult o = CostReportImporter(*ws).importFile(kCosts + "openai-costs.json");
        QVERIFY2(o.ok, o.error.c_str());
        QCOMPARE(o.format, std::string("openai-costs"));
        QCOMPARE(o.lines, 5);
        QCOMPARE(o.amountNusd, 11'085'000);
        CostReportResult a =
            CostReportImporter(*ws).importFile(kCosts + "anthropic-cost-report.json");
        QVERIFY2(a.ok, a.error.c_str());
        QCOMPARE(a.amountNusd, 129'935'000); // cents, as a string, read as cents
        // Bills are not calls: totals are unchanged.
        QCOMPARE(ws->db().queryInt("SELECT COUNT(*) FROM calls"), 4);

        const auto byProvider = BillQuery::run(*ws, "provider");
        const BillLine *openai = find(byProvider, "openai", "openai");
        const BillLine *anthropic = find(byProvider, "anthropic", "anthropic");
        QVERIFY(openai && anthropic);
        QCOMPARE(openai->billedNusd, 11'085'000);
        QCOMPARE(openai->computedNusd, 11'085'000);
        QCOMPARE(anthropic->billedNusd, 129'935'000);
        // 1-hour writes at 2x input and the searches priced; code execution is not
        QCOMPARE(anthropic->computedNusd, 119'935'000);

        const auto byModel = BillQuery::run(*ws, "model");
        const BillLine *gpt4o =
            find(byModel, "openai", "gpt-4o"); // snapshot names resolved on both sides
        QVERIFY(gpt4o);
        QCOMPARE(gpt4o->billedNusd, 10'560'000);
        QCOMPARE(gpt4o->computedNusd, 10'560'000);
        const auto byDay = BillQuery::run(*ws, "day");
        const BillLine *day2 = find(byDay, "openai", "2026-01-02");
        QVERIFY(day2);
        QCOMPARE(day2->billedNusd, 3'520'000);

        // The same report again adds nothing.
        CostReportResult again = CostReportImporter(*ws).importFile(kCosts + "openai-costs.json");
        QCOMPARE(again.lines, 0);
        QCOMPARE(again.duplicates, 5);
    }
    void truncatedChangesNothing()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const QByteArray before = tltest::contentDigest(ws->path());
        QFile f(QString::fromStdString(kCosts + "openai-costs.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray whole = f.readAll();
        auto path =
            tltest::writeFile(dir, QStringLiteral("cut.json"), whole.left(whole.size() / 2));
        CostReportResult r = CostReportImporter(*ws).importFile(path);
        QVERIFY(!r.ok);
        QVERIFY2(QString::fromStdString(r.error).contains(QStringLiteral("not closed")),
                 r.error.c_str());
        QCOMPARE(tltest::contentDigest(ws->path()), before);
    }
};

QTEST_GUILESS_MAIN(TstCostReports)
#include "tst_costreports.moc"
