// FOCUS in: cloud bills (AWS, Azure and Google Cloud exports) as
// infrastructure cost per day, attributed through Tags or the mapping,
// idempotent, restatements replacing, bad rows reported by line, a file
// without the columns refused whole.
// FOCUS out: `FocusExport` against the FOCUS 1.2 column rules (the
// specification's mandatory columns present, names either the spec's or
// x_-prefixed, enumerated values, periods, non-null costs, Tags as a JSON
// object) and against the store (BilledCost sums to summary's cost; list
// and effective differ exactly where cache or batch discounts apply;
// unpriced calls left out and counted).
#include "testutil.h"

#include "baseline/baselinequery.h"
#include "core/timeutil.h"
#include "engine.h"
#include "export/focusexport.h"
#include "import/attributionmapping.h"
#include "import/focusimporter.h"
#include "query/infraquery.h"
#include "query/summaryquery.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

using namespace tl;

namespace {

struct Csv
{
    QStringList header;
    QList<QStringList> rows;
    QString at(int row, const QString &column) const
    {
        return rows[row][int(header.indexOf(column))];
    }
};

Csv readCsv(const QString &path)
{
    Csv out;
    out.rows = tltest::readCsv(path);
    if (!out.rows.isEmpty())
        out.header = out.rows.takeFirst();
    return out;
}

int64_t nanos(const QString &cell)
{
    return tltest::nanos(cell.toStdString());
}

// FOCUS 1.2's columns (the specification's column list); every other
// column must carry the x_ prefix of its extension rules.
const QStringList kSpecColumns = {"AvailabilityZone",
                                  "BilledCost",
                                  "BillingAccountId",
                                  "BillingAccountName",
                                  "BillingAccountType",
                                  "BillingCurrency",
                                  "BillingPeriodEnd",
                                  "BillingPeriodStart",
                                  "CapacityReservationId",
                                  "CapacityReservationStatus",
                                  "ChargeCategory",
                                  "ChargeClass",
                                  "ChargeDescription",
                                  "ChargeFrequency",
                                  "ChargePeriodEnd",
                                  "ChargePeriodStart",
                                  "CommitmentDiscountCategory",
                                  "CommitmentDiscountId",
                                  "CommitmentDiscountName",
                                  "CommitmentDiscountQuantity",
                                  "CommitmentDiscountStatus",
                                  "CommitmentDiscountType",
                                  "CommitmentDiscountUnit",
                                  "ConsumedQuantity",
                                  "ConsumedUnit",
                                  "ContractedCost",
                                  "ContractedUnitPrice",
                                  "EffectiveCost",
                                  "InvoiceId",
                                  "InvoiceIssuerName",
                                  "ListCost",
                                  "ListUnitPrice",
                                  "PricingCategory",
                                  "PricingCurrency",
                                  "PricingQuantity",
                                  "PricingUnit",
                                  "ProviderName",
                                  "PublisherName",
                                  "RegionId",
                                  "RegionName",
                                  "ResourceId",
                                  "ResourceName",
                                  "ResourceType",
                                  "ServiceCategory",
                                  "ServiceName",
                                  "ServiceSubcategory",
                                  "SkuId",
                                  "SkuMeter",
                                  "SkuPriceDetails",
                                  "SkuPriceId",
                                  "SubAccountId",
                                  "SubAccountName",
                                  "SubAccountType",
                                  "Tags"};
// Mandatory in 1.2 whatever the provider supports.
const QStringList kMandatory = {"BilledCost",
                                "BillingAccountId",
                                "BillingAccountName",
                                "BillingCurrency",
                                "BillingPeriodEnd",
                                "BillingPeriodStart",
                                "ChargeCategory",
                                "ChargeClass",
                                "ChargeDescription",
                                "ChargePeriodEnd",
                                "ChargePeriodStart",
                                "ContractedCost",
                                "EffectiveCost",
                                "InvoiceIssuerName",
                                "ListCost",
                                "PricingQuantity",
                                "PricingUnit",
                                "ProviderName",
                                "PublisherName",
                                "ServiceCategory",
                                "ServiceName",
                                "ServiceSubcategory",
                                "SkuId",
                                "SkuPriceId",
                                "ConsumedQuantity",
                                "ConsumedUnit",
                                "ChargeFrequency",
                                "PricingCategory",
                                "BillingAccountType",
                                "PricingCurrency"};
// Costs and dates: never empty.
const QStringList kNotNull = {"BilledCost",       "EffectiveCost",     "ListCost",
                              "ContractedCost",   "BillingCurrency",   "BillingPeriodStart",
                              "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd",
                              "ChargeCategory",   "ServiceCategory",   "ServiceName",
                              "ProviderName",     "PublisherName",     "InvoiceIssuerName",
                              "BillingAccountId", "ChargeDescription", "BillingAccountName"};

} // namespace

class TestFocus : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    // Priced, cached, batch, a cache write, a web search, an unpriced model
    // and a reported cost the catalog cannot split.
    std::unique_ptr<Workspace> fixture(const QString &name)
    {
        const std::string csv = tltest::writeFile(
            m_dir, name + QStringLiteral(".csv"),
            "ts,provider,model,team,agent,input_tokens,cached_input_tokens,cache_write_tokens,"
            "output_tokens,batch,web_search_calls,cost_usd\n"
            "2026-10-01T10:00:00Z,openai,gpt-4o,support,triage,1000000,400000,0,200000,false,0,\n"
            "2026-10-01T11:00:00Z,openai,gpt-4o,support,triage,1000000,0,0,100000,true,0,\n"
            "2026-10-01T12:00:00Z,anthropic,claude-sonnet-4-5-20250929,search,ranker,500000,"
            "100000,200000,50000,false,0,\n"
            "2026-10-02T09:00:00Z,openai,gpt-4o,search,ranker,2000,0,0,300,false,2,\n"
            "2026-10-02T09:30:00Z,acme,acme-secret-1,search,ranker,1000,0,0,100,false,0,\n"
            "2026-10-31T23:59:00Z,acme,acme-secret-1,search,ranker,1000,0,0,100,false,0,0.25\n");
        auto ws = tltest::openWorkspace(m_dir, name + QStringLiteral(".tlw"));
        Importer importer(*ws);
        const auto r = importer.importFile(csv);
        if (!r.ok)
            qFatal("%s", r.error.c_str());
        return ws;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void importsCloudBills()
    {
        auto ws = tltest::openWorkspace(m_dir, QStringLiteral("bills.tlw"));
        std::vector<std::pair<int64_t, std::string>> rejected;
        const std::string aws = TL_FIXTURES "/focus/aws-focus-1.0-with-aws-columns.csv";
        QVERIFY(FocusImporter::isFocusFile(aws));
        const FocusImportResult r = FocusImporter(*ws).importFile(
            aws, [&](int64_t line, const std::string &why) { rejected.emplace_back(line, why); });
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.rows, int64_t(8));
        QCOMPARE(r.rejected, int64_t(1));
        QCOMPARE(rejected[0].first, int64_t(10));
        QVERIFY2(rejected[0].second.find("EffectiveCost") != std::string::npos,
                 rejected[0].second.c_str());
        // 5 one-day charges, a 31-day support fee, tax and a credit.
        QCOMPARE(r.added, int64_t(5 + 31 + 2));
        // EffectiveCost, not BilledCost: the Savings Plan row counts 3.12.
        QCOMPARE(r.attributedNusd, int64_t(4'608'000'000 * 2 + 750'000'000 + 3'120'000'000));
        QCOMPARE(r.unattributedNusd,
                 int64_t(2'400'000'000 + 31'000'000'000 + 500'000'000 - 1'000'000'000));
        QCOMPARE(*InfraQuery::totalNusd(*ws, {}), r.attributedNusd + r.unattributedNusd);
        // Through the tags: AWS's "user:" keys name the agent and the team.
        const auto byAgent = *InfraQuery::byGroups(*ws, {}, {{Dimension::Agent, TimeBucket::None}});
        QCOMPARE(byAgent.at({ws->dims().find(Dimension::Agent, "ticket-triage-1")}),
                 int64_t(9'216'000'000));
        QCOMPARE(byAgent.at({ws->dims().find(Dimension::Agent, "answer-synthesis-1")}),
                 int64_t(3'120'000'000));
        const auto byTeam = *InfraQuery::byGroups(*ws, {}, {{Dimension::Team, TimeBucket::None}});
        QCOMPARE(byTeam.at({ws->dims().find(Dimension::Team, "search")}), int64_t(3'870'000'000));
        QCOMPARE(byTeam.at({0}), r.unattributedNusd); // untagged: "(none)"
        // The monthly fee: a dollar a day, every day of October.
        CallFilter oct15;
        oct15.fromDay = oct15.toDay = *parseDate("2026-10-15");
        QCOMPARE(*InfraQuery::totalNusd(*ws, oct15), int64_t(1'000'000'000));
        // A filter on a team; a model filter cannot say: none, not zero.
        CallFilter support;
        support.include[Dimension::Team] = {"support"};
        QCOMPARE(*InfraQuery::totalNusd(*ws, support), int64_t(9'216'000'000));
        CallFilter model;
        model.include[Dimension::Model] = {"gpt-4o"};
        QVERIFY(!InfraQuery::totalNusd(*ws, model));

        // The same bill again adds nothing; an overlapping re-export with one
        // restated amount replaces it.
        const int64_t total = *InfraQuery::totalNusd(*ws, {});
        const FocusImportResult again = FocusImporter(*ws).importFile(aws);
        QVERIFY(again.ok);
        QCOMPARE(again.added, int64_t(0));
        QCOMPARE(again.unchanged, r.added);
        QCOMPARE(*InfraQuery::totalNusd(*ws, {}), total);
        QFile in(QString::fromStdString(aws));
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray text = in.readAll();
        const int first = int(text.indexOf("us-east-1a,4.608"));
        text.replace(first, 16, "us-east-1a,5.000");
        text.replace(text.indexOf(",4.608,\"Amazon", first), 14, ",5.000,\"Amazon");
        const std::string restated = tltest::writeFile(m_dir, QStringLiteral("restated.csv"), text);
        const FocusImportResult r3 = FocusImporter(*ws).importFile(restated);
        QVERIFY2(r3.ok, r3.error.c_str());
        QCOMPARE(r3.restated, int64_t(1));
        QCOMPARE(r3.added, int64_t(0));
        QCOMPARE(*InfraQuery::totalNusd(*ws, {}), total + 392'000'000);
    }

    void spreadsAndMapsAndRefuses()
    {
        auto ws = tltest::openWorkspace(m_dir, QStringLiteral("spread.tlw"));
        // Azure: 48 GPU hours from noon to noon over three days.
        const FocusImportResult az =
            FocusImporter(*ws).importFile(TL_FIXTURES "/focus/azure-focus-1.2.csv");
        QVERIFY2(az.ok, az.error.c_str());
        const auto byDay = *InfraQuery::byGroups(*ws, {}, {{std::nullopt, TimeBucket::Day}});
        QCOMPARE(byDay.size(), size_t(3));
        QCOMPARE(byDay.at({*parseDate("2026-10-01")}), int64_t(24'000'000'000));
        QCOMPARE(byDay.at({*parseDate("2026-10-02")}), int64_t(48'000'000'000));
        QCOMPARE(byDay.at({*parseDate("2026-10-03")}), int64_t(24'000'000'000));
        const auto byFeature =
            *InfraQuery::byGroups(*ws, {}, {{Dimension::Feature, TimeBucket::None}});
        QCOMPARE(byFeature.at({ws->dims().find(Dimension::Feature, "code-review")}),
                 int64_t(96'000'000'000));
        // BigQuery's " UTC" times.
        const FocusImportResult gcp =
            FocusImporter(*ws).importFile(TL_FIXTURES "/focus/google-focus-bigquery.csv");
        QVERIFY2(gcp.ok, gcp.error.c_str());
        QCOMPARE(gcp.attributedNusd, int64_t(1'250'000'000));

        // A mapping: the agent is the resource's name.
        std::string why;
        const auto mapping = AttributionMapping::fromJson(
            R"({"format": "tokenledger-mapping", "version": 1,
                "focus": {"agent": ["field:ResourceName"]}})",
            &why);
        QVERIFY2(mapping, why.c_str());
        auto mapped = tltest::openWorkspace(m_dir, QStringLiteral("mapped.tlw"));
        QVERIFY(FocusImporter(*mapped, &*mapping)
                    .importFile(TL_FIXTURES "/focus/aws-focus-1.0-with-aws-columns.csv")
                    .ok);
        QVERIFY(mapped->dims().find(Dimension::Agent, "triage-worker-1") > 0);
        QCOMPARE(mapped->dims().find(Dimension::Agent, "ticket-triage-1"), int64_t(-1));

        // No EffectiveCost column: refused whole, nothing kept; --strict too.
        auto refused = tltest::openWorkspace(m_dir, QStringLiteral("refused.tlw"));
        const std::string bad =
            tltest::writeFile(m_dir, QStringLiteral("no-effective.csv"),
                              "BilledCost,ChargePeriodStart,ChargePeriodEnd,ProviderName\n"
                              "1.00,2026-10-01T00:00:00Z,2026-10-02T00:00:00Z,AWS\n");
        const FocusImportResult b = FocusImporter(*refused).importFile(bad);
        QVERIFY(!b.ok);
        QVERIFY2(b.error.find("line 1: no EffectiveCost column") != std::string::npos,
                 b.error.c_str());
        const FocusImportResult strict = FocusImporter(*refused).importFile(
            TL_FIXTURES "/focus/aws-focus-1.0-with-aws-columns.csv", {}, true);
        QVERIFY(!strict.ok);
        QVERIFY2(strict.error.find("--strict") != std::string::npos, strict.error.c_str());
        QVERIFY(!InfraQuery::hasAny(*refused));
        QCOMPARE(refused->dims().find(Dimension::Agent, "ticket-triage-1"), int64_t(-1));
    }

    // The Simulator's compute lever starts from the bills: per agent in the
    // baseline, per month over the period's days; a scope keeps its own.
    void simulatorStartsFromTheBills()
    {
        auto ws = fixture(QStringLiteral("sim"));
        const std::string bill = tltest::writeFile(
            m_dir, QStringLiteral("sim-bill.csv"),
            "BilledCost,ChargePeriodStart,ChargePeriodEnd,EffectiveCost,ProviderName,"
            "ServiceName,ResourceId,Tags\n"
            "10,2026-10-01T00:00:00Z,2026-10-02T00:00:00Z,10,AWS,EC2,i-1,"
            "\"{\"\"agent\"\":\"\"triage\"\"}\"\n"
            "10,2026-10-02T00:00:00Z,2026-10-03T00:00:00Z,10,AWS,EC2,i-1,"
            "\"{\"\"agent\"\":\"\"triage\"\"}\"\n"
            "6.2,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,6.2,AWS,EKS,cluster,{}\n");
        const FocusImportResult r = FocusImporter(*ws).importFile(bill);
        QVERIFY2(r.ok, r.error.c_str());
        CallFilter october;
        october.fromDay = *parseDate("2026-10-01");
        october.toDay = *parseDate("2026-10-31");
        const auto b = BaselineQuery::load(*ws, october);
        QVERIFY(b && b->hasInfra);
        const double perMonth = 26.2 / 31 * 365.25 / 12;
        QVERIFY(std::abs(b->observedInfraMonthlyUsd() - perMonth) < 1e-9);
        const sim::Engine e(*b);
        const auto result = e.run(sim::Scenario{});
        QVERIFY(std::abs(result.monthly[0].baseline.infraUsd - perMonth) < 1e-9);
        // The triage agent's own baseline: its $20, not the cluster.
        CallFilter triage = october;
        triage.include[Dimension::Agent] = {"triage"};
        const auto t = BaselineQuery::load(*ws, triage);
        QVERIFY(std::abs(t->observedInfraMonthlyUsd() - 20.0 / 31 * 365.25 / 12) < 1e-9);
        sim::Scope scope;
        scope.agent = {"triage"};
        QVERIFY(std::abs(b->restrictedTo(scope, std::nullopt).observedInfraMonthlyUsd() -
                         t->observedInfraMonthlyUsd()) < 1e-9);
        // A model filter: a bill cannot say, so no observed compute.
        CallFilter model = october;
        model.include[Dimension::Model] = {"gpt-4o"};
        QVERIFY(!BaselineQuery::load(*ws, model)->hasInfra);
    }

    void followsTheColumnRules()
    {
        auto ws = fixture(QStringLiteral("rules"));
        const QString out = m_dir.filePath(QStringLiteral("rules-focus.csv"));
        FocusExportResult r;
        std::string error;
        QVERIFY2(FocusExport::write(*ws, {}, out.toStdString(), &r, &error), error.c_str());
        const Csv csv = readCsv(out);
        QVERIFY(!csv.rows.isEmpty());
        QCOMPARE(int(r.rows), csv.rows.size());
        for (const QString &c : kMandatory)
            QVERIFY2(csv.header.contains(c), qPrintable(c));
        for (const QString &c : csv.header)
            QVERIFY2(kSpecColumns.contains(c) || c.startsWith(QStringLiteral("x_")), qPrintable(c));
        QStringList unique = csv.header;
        QCOMPARE(unique.removeDuplicates(), 0);
        const QRegularExpression iso(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T00:00:00Z$"));
        const QRegularExpression decimal(QStringLiteral("^-?\\d+(\\.\\d+)?$"));
        for (int i = 0; i < csv.rows.size(); ++i) {
            QCOMPARE(csv.rows[i].size(), csv.header.size());
            for (const QString &c : kNotNull)
                QVERIFY2(!csv.at(i, c).isEmpty(), qPrintable(c));
            for (const char *c : {"BilledCost", "EffectiveCost", "ListCost", "ContractedCost",
                                  "ConsumedQuantity", "PricingQuantity"})
                QVERIFY2(decimal.match(csv.at(i, QString::fromLatin1(c))).hasMatch(), c);
            QCOMPARE(csv.at(i, QStringLiteral("ChargeCategory")), QStringLiteral("Usage"));
            QVERIFY(csv.at(i, QStringLiteral("ChargeClass")).isEmpty()); // not a correction
            QCOMPARE(csv.at(i, QStringLiteral("ChargeFrequency")), QStringLiteral("Usage-Based"));
            QCOMPARE(csv.at(i, QStringLiteral("BillingCurrency")), QStringLiteral("USD"));
            QCOMPARE(csv.at(i, QStringLiteral("ServiceCategory")),
                     QStringLiteral("AI and Machine Learning"));
            // Charge periods are whole days inside their month's billing period.
            const QString cs = csv.at(i, QStringLiteral("ChargePeriodStart"));
            const QString ce = csv.at(i, QStringLiteral("ChargePeriodEnd"));
            const QString bs = csv.at(i, QStringLiteral("BillingPeriodStart"));
            const QString be = csv.at(i, QStringLiteral("BillingPeriodEnd"));
            for (const QString &d : {cs, ce, bs, be})
                QVERIFY2(iso.match(d).hasMatch(), qPrintable(d));
            QVERIFY(bs <= cs && cs < ce && ce <= be);
            QCOMPARE(QDate::fromString(cs.left(10), Qt::ISODate)
                         .daysTo(QDate::fromString(ce.left(10), Qt::ISODate)),
                     1);
            QVERIFY(bs.endsWith(QStringLiteral("-01T00:00:00Z")));
            // A quantity has its unit; a unit price times the quantity is the cost.
            if (!csv.at(i, QStringLiteral("ConsumedQuantity")).isEmpty())
                QVERIFY(!csv.at(i, QStringLiteral("ConsumedUnit")).isEmpty());
            QCOMPARE(csv.at(i, QStringLiteral("EffectiveCost")),
                     csv.at(i, QStringLiteral("BilledCost")));
            QCOMPARE(csv.at(i, QStringLiteral("ContractedCost")),
                     csv.at(i, QStringLiteral("ListCost")));
            const QString unit = csv.at(i, QStringLiteral("ListUnitPrice"));
            if (!unit.isEmpty())
                QVERIFY(std::abs(unit.toDouble() *
                                     csv.at(i, QStringLiteral("PricingQuantity")).toDouble() -
                                 csv.at(i, QStringLiteral("ListCost")).toDouble()) < 1e-6);
            // Tags: a JSON object of our dimensions.
            QJsonParseError pe;
            const auto tags =
                QJsonDocument::fromJson(csv.at(i, QStringLiteral("Tags")).toUtf8(), &pe);
            QVERIFY2(pe.error == QJsonParseError::NoError && tags.isObject(),
                     qPrintable(csv.at(i, QStringLiteral("Tags"))));
            QCOMPARE(tags[QStringLiteral("agent")].toString(),
                     csv.at(i, QStringLiteral("x_Agent")));
            QCOMPARE(tags[QStringLiteral("team")].toString(),
                     csv.at(i, QStringLiteral("SubAccountId")));
        }
    }

    void sumsToTheStoreAndShowsDiscounts()
    {
        auto ws = fixture(QStringLiteral("sums"));
        const QString out = m_dir.filePath(QStringLiteral("sums-focus.csv"));
        FocusExportResult r;
        std::string error;
        QVERIFY2(FocusExport::write(*ws, {}, out.toStdString(), &r, &error), error.c_str());
        const Csv csv = readCsv(out);
        const Measures t = SummaryQuery::run(*ws, {}, {}).totals;
        int64_t billed = 0;
        std::map<QString, std::pair<int64_t, int64_t>> byKind; // kind -> list, billed
        int64_t inputTokens = 0;
        for (int i = 0; i < csv.rows.size(); ++i) {
            billed += nanos(csv.at(i, QStringLiteral("BilledCost")));
            auto &k = byKind[csv.at(i, QStringLiteral("x_TokenKind"))];
            k.first += nanos(csv.at(i, QStringLiteral("ListCost")));
            k.second += nanos(csv.at(i, QStringLiteral("BilledCost")));
            const QString kind = csv.at(i, QStringLiteral("x_TokenKind"));
            if (kind.endsWith(QStringLiteral("input")) || kind.endsWith(QStringLiteral("write")))
                inputTokens += csv.at(i, QStringLiteral("ConsumedQuantity")).toLongLong();
        }
        // Exactly summary's cost; the unpriced call is left out and counted.
        QCOMPARE(billed, t[MCostNusd]);
        QCOMPARE(r.billedNusd, t[MCostNusd]);
        QCOMPARE(r.unpricedCalls, int64_t(1));
        QCOMPARE(t[MUnpricedRequests], int64_t(1));
        // Every input token of a priced, splittable call is in an input kind.
        QCOMPARE(inputTokens, int64_t(1000000 + 1000000 + 500000 + 2000));
        // Cache reads and batch calls cost less than list; plain input does not.
        QVERIFY(byKind[QStringLiteral("cached input")].first >
                byKind[QStringLiteral("cached input")].second);
        QVERIFY(byKind[QStringLiteral("batch input")].first >
                byKind[QStringLiteral("batch input")].second);
        QVERIFY(byKind[QStringLiteral("batch output")].first >
                byKind[QStringLiteral("batch output")].second);
        QCOMPARE(byKind[QStringLiteral("input")].first, byKind[QStringLiteral("input")].second);
        QCOMPARE(byKind[QStringLiteral("output")].first, byKind[QStringLiteral("output")].second);
        QVERIFY(byKind.count(QStringLiteral("web search")));
        QVERIFY(byKind.count(QStringLiteral("cache write")));
        // The reported cost of a model the catalog does not know: one row.
        QCOMPARE(byKind[QStringLiteral("all tokens")].second, int64_t(250'000'000));
    }

    void filterAndPeriod()
    {
        auto ws = fixture(QStringLiteral("filter"));
        CallFilter f;
        f.fromDay = *parseDate("2026-10-01");
        f.toDay = *parseDate("2026-10-01");
        f.include[Dimension::Team] = {"support"};
        const QString out = m_dir.filePath(QStringLiteral("filter-focus.csv"));
        FocusExportResult r;
        std::string error;
        QVERIFY2(FocusExport::write(*ws, f, out.toStdString(), &r, &error), error.c_str());
        const Csv csv = readCsv(out);
        int64_t billed = 0;
        for (int i = 0; i < csv.rows.size(); ++i) {
            QCOMPARE(csv.at(i, QStringLiteral("x_Team")), QStringLiteral("support"));
            QCOMPARE(csv.at(i, QStringLiteral("ChargePeriodStart")),
                     QStringLiteral("2026-10-01T00:00:00Z"));
            billed += nanos(csv.at(i, QStringLiteral("BilledCost")));
        }
        QCOMPARE(billed, SummaryQuery::run(*ws, f, {}).totals[MCostNusd]);
        QCOMPARE(r.calls, int64_t(2));
        // An unwritable path: an error naming it, nothing half-written.
        QVERIFY(!FocusExport::write(*ws, f, "/nonexistent-dir/x.csv", &r, &error));
        QVERIFY(QString::fromStdString(error).contains(QStringLiteral("/nonexistent-dir/x.csv")));
    }
};

QTEST_GUILESS_MAIN(TestFocus)
#include "tst_focus.moc"
