#include "import/importer.h"
#include "query/summaryquery.h"
#include "store/workspace.h"
#include "testutil.h"

#include "core/callrecord.h"

#include <QTest>

using namespace tl;

namespace {

const QString kFixtures = QStringLiteral(TL_FIXTURES "/otel/");

// One OTLP attribute; (no raw strings in this file: they stop moc's reading)
QByteArray attr(const char *key, const char *value)
{
    return QByteArray("{\"key\":\"") + key + "\",\"value\":" + value + "}";
}

QByteArray span(const QByteArray &attributes, const QByteArray &extra = "")
{
    return "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"t1\",\"spanId\":\"s1\","
           "\"startTimeUnixNano\":\"1767225600000000000\"," +
           extra + "\"attributes\":[" + attributes + "]}]}]}]}";
}

} // namespace

class TstOtelImport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fixtures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("format");
        QTest::newRow("one-document") << "genai-traces.json"
                                      << "otel";
        QTest::newRow("json-lines") << "genai-traces.jsonl"
                                    << "otel";
        QTest::newRow("native-csv") << "same-calls.csv"
                                    << "csv";
    }
    // The same three calls in three shapes give the fixture README's totals.
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
        QCOMPARE(r.skipped, format == QStringLiteral("otel") ? 3 : 0);
        tltest::verifyThreeCalls(*ws, 510'495'000);
        auto byAgent = SummaryQuery::run(*ws, {}, {*GroupKey::fromName("agent")});
        QStringList agents;
        for (const auto &row : byAgent.rows)
            agents << QString::fromStdString(row.keys[0]);
        agents.sort();
        QCOMPARE(agents,
                 (QStringList{QStringLiteral("billing-agent"), QStringLiteral("support-bot"),
                              QStringLiteral("triage-agent")}));
        // Importing the other shape of the same calls adds nothing (same ids).
        FileImportResult again = Importer(*ws).importFile(
            (kFixtures + QStringLiteral("genai-traces.jsonl")).toStdString());
        QCOMPARE(again.imported, 0);
        QCOMPARE(again.duplicates, 3);
    }
    void rejections_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("reason");
        const QByteArray model = attr("gen_ai.request.model", "{\"stringValue\":\"gpt-4o\"}");
        QTest::newRow("bad-int")
            << span(model + "," + attr("gen_ai.usage.input_tokens", "{\"intValue\":\"ten\"}"))
            << "gen_ai.usage.input_tokens: expected a non-negative integer";
        QTest::newRow("negative") << span(model + "," +
                                          attr("gen_ai.usage.output_tokens", "{\"intValue\":-3}"))
                                  << "gen_ai.usage.output_tokens: expected a non-negative integer";
        QTest::newRow("cached-over-input")
            << span(model + "," + attr("gen_ai.usage.input_tokens", "{\"intValue\":5}") + "," +
                    attr("gen_ai.usage.cache_read.input_tokens", "{\"intValue\":9}"))
            << "cached_input_tokens + cache_write_tokens exceed";
        QTest::newRow("spans-not-array")
            << QByteArray("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":{}}]}]}")
            << "expected an array";
        QTest::newRow("truncated")
            << QByteArray("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"t")
            << "invalid JSON";
    }
    void rejections()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const QByteArray good =
            span(attr("gen_ai.request.model", "{\"stringValue\":\"gpt-4o\"}") + "," +
                 attr("gen_ai.usage.input_tokens", "{\"intValue\":\"10\"}") + "," +
                 attr("gen_ai.usage.output_tokens", "{\"intValue\":\"1\"}"));
        auto path = tltest::writeFile(dir, QStringLiteral("t.jsonl"), good + "\n" + line + "\n");
        auto [r, seen] = tltest::importCollecting(*ws, path, "otel");
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.imported, 1);
        QCOMPARE(int(seen.size()), 1);
        QCOMPARE(seen[0].line, 2);
        QVERIFY2(QString::fromStdString(seen[0].location).startsWith(QStringLiteral("line 2")),
                 seen[0].location.c_str());
        QVERIFY2(QString::fromStdString(seen[0].reason).contains(reason), seen[0].reason.c_str());
    }
    void spanPathInLocation()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        auto path =
            tltest::writeFile(dir, QStringLiteral("t.json"),
                              span(attr("gen_ai.usage.input_tokens", "{\"intValue\":-10}")));
        auto [r, seen] = tltest::importCollecting(*ws, path);
        (void)r;
        QCOMPARE(int(seen.size()), 1);
        QCOMPARE(seen[0].location, std::string("line 1: resourceSpans[0].scopeSpans[0].spans[0]"));
    }

    // Token usage without a model attribute (pydantic-ai, OpenInference
    // spans): kept as a call of model "(unknown)", tokens summed, cost
    // unknown — it was rejected once.
    void usageWithoutModelIsKept()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        auto path = tltest::writeFile(
            dir, QStringLiteral("t.jsonl"),
            span(attr("gen_ai.system", "{\"stringValue\":\"openai\"}") + "," +
                 attr("gen_ai.usage.input_tokens", "{\"intValue\":\"120\"}") + "," +
                 attr("gen_ai.usage.output_tokens", "{\"intValue\":\"30\"}")) +
                "\n");
        auto [r, seen] = tltest::importCollecting(*ws, path, "otel");
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.imported, int64_t(1));
        QVERIFY(seen.empty());
        QCOMPARE(r.unpriced, int64_t(1));
        QCOMPARE(r.unpricedByModel.count(std::string(kUnknownModel)), size_t(1));
        const Measures t = SummaryQuery::run(*ws, {}, {}).totals;
        QCOMPARE(t[MInputTokens], int64_t(120));
        QCOMPARE(t[MOutputTokens], int64_t(30));
        QVERIFY(costUnknown(t));
    }
};

QTEST_GUILESS_MAIN(TstOtelImport)
#include "tst_otelimport.moc"
