#include "import/attributionmapping.h"
#include "import/importer.h"
#include "query/summaryquery.h"
#include "store/workspace.h"
#include "testutil.h"

#include <QTest>

using namespace tl;

namespace {

std::unique_ptr<Workspace> importWith(const QTemporaryDir &dir, const std::string &file,
                                      std::shared_ptr<const AttributionMapping> mapping)
{
    std::string error;
    auto ws = Workspace::open(dir.filePath(QStringLiteral("ws.db")).toStdString(),
                              Workspace::OpenMode::CreateIfMissing, &error);
    ImportOptions opt;
    opt.mapping = std::move(mapping);
    FileImportResult r = Importer(*ws).importFile(file, opt);
    if (!r.ok)
        qFatal("%s", r.error.c_str());
    return ws;
}

std::shared_ptr<const AttributionMapping> example()
{
    std::string error;
    auto m = AttributionMapping::fromFile(TL_FIXTURES "/mapping-example.json", &error);
    if (!m)
        qFatal("%s", error.c_str());
    return std::make_shared<const AttributionMapping>(std::move(*m));
}

} // namespace

class TstAttributionMapping : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void otelServiceNameAsAgent()
    {
        QTemporaryDir dir;
        auto ws = importWith(dir, TL_FIXTURES "/otel/genai-traces.json", example());
        // gen_ai.agent.name (triage-agent) no longer wins: every agent is its service
        QCOMPARE(tltest::names(*ws, "agent"),
                 (QStringList{QStringLiteral("billing-agent"), QStringLiteral("support-bot")}));
    }
    void liteLlmTagsAndFields()
    {
        QTemporaryDir dir;
        auto ws = importWith(dir, TL_FIXTURES "/litellm/spend-logs.csv", example());
        QCOMPARE(tltest::names(*ws, "feature"),
                 (QStringList{QStringLiteral("(none)"), QStringLiteral("gpt-4o")}));
        QCOMPARE(tltest::names(*ws, "agent"),
                 (QStringList{QStringLiteral("billing-agent"), QStringLiteral("support-bot"),
                              QStringLiteral("triage-agent")}));
    }
    void langfuseTraceNameAsTask()
    {
        QTemporaryDir dir;
        auto ws = importWith(dir, TL_FIXTURES "/langfuse/observations-export.jsonl", example());
        QCOMPARE(tltest::names(*ws, "task"),
                 (QStringList{QStringLiteral("(none)"), QStringLiteral("support-chat")}));
    }
    void withoutMappingDefaultsApply()
    {
        QTemporaryDir dir;
        auto ws = importWith(dir, TL_FIXTURES "/otel/genai-traces.json", nullptr);
        QCOMPARE(tltest::names(*ws, "agent").size(), 3);
    }
    void malformed_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("error");
        QTest::newRow("not-json") << "{"
                                  << "not valid JSON";
        QTest::newRow("wrong-format") << "{\"format\":\"x\",\"version\":1}"
                                      << "$.format: expected";
        QTest::newRow("newer") << "{\"format\":\"tokenledger-mapping\",\"version\":7}"
                               << "$.version:";
        QTest::newRow("unknown-format")
            << "{\"format\":\"tokenledger-mapping\",\"version\":1,\"splunk\":{}}"
            << "$.splunk: unknown format";
        QTest::newRow("unknown-target")
            << "{\"format\":\"tokenledger-mapping\",\"version\":1,\"otel\":{\"colour\":[]}}"
            << "$.otel.colour: unknown target";
        QTest::newRow("not-array")
            << "{\"format\":\"tokenledger-mapping\",\"version\":1,\"otel\":{\"agent\":\"x\"}}"
            << "$.otel.agent: expected an array";
        QTest::newRow("bad-source")
            << "{\"format\":\"tokenledger-mapping\",\"version\":1,\"otel\":{\"agent\":[\"tag:x\"]}}"
            << "$.otel.agent[0]: 'tag' is not a source of otel";
        QTest::newRow("no-colon") << "{\"format\":\"tokenledger-mapping\",\"version\":1,"
                                     "\"litellm\":{\"team\":[\"team\"]}}"
                                  << "$.litellm.team[0]: expected one of";
    }
    void malformed()
    {
        QFETCH(QString, json);
        QFETCH(QString, error);
        std::string why;
        QVERIFY(!AttributionMapping::fromJson(json.toStdString(), &why));
        QVERIFY2(QString::fromStdString(why).startsWith(error), why.c_str());
    }
};

QTEST_GUILESS_MAIN(TstAttributionMapping)
#include "tst_attributionmapping.moc"
