// Scenario files are shared among a team: a contract. Every refusal names
// the JSON path; a round trip through this version loses nothing.
#include "baseline.h"
#include "scenariofile.h"
#include "simfixture.h"

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace tl::sim;

namespace {
std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

const std::string kExample = std::string(TL_FIXTURES) + "/scenarios/support-mini.json";

// The example with one JSON fragment replaced: `from` -> `to`.
std::string edited(const std::string &from, const std::string &to)
{
    std::string text = readFile(kExample);
    const size_t at = text.find(from);
    if (at == std::string::npos)
        qFatal("fixture lacks %s", from.c_str());
    return text.replace(at, from.size(), to);
}
} // namespace

class TestScenarioFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsTheIssuesExample();
    void saveLoadSaveIsByteIdentical();
    void unknownKeysAreKeptAndReported();
    void omittedLeversAreNeutral();
    void refused_data();
    void refused();
    void validateNamesUnknownModels();
    void saveIsAtomic();
};

void TestScenarioFile::readsTheIssuesExample()
{
    const ScenarioLoad l = ScenarioFile::load(kExample);
    QVERIFY2(l.scenario, l.error.c_str());
    QVERIFY(l.warnings.empty());
    const Scenario &s = *l.scenario;
    QCOMPARE(s.name, std::string("Support on mini"));
    QCOMPARE(s.baseline.filter.at("team"), std::vector<std::string>{"support"});
    QCOMPARE(s.levers.modelMix.size(), size_t(1));
    QCOMPARE(s.levers.modelMix[0].share, 0.7);
    QCOMPARE(s.levers.modelMix[0].scope.agent, std::vector<std::string>{"triage"});
    QCOMPARE(s.levers.quality.at("small"), 0.9);
    QVERIFY(!s.levers.cachedInputShare); // null: as logged
    QCOMPARE(*s.levers.cacheHitRate, 0.0);
    QVERIFY(!s.levers.batchDiscount);
    QCOMPARE(s.levers.spotDiscount, 0.6);
    QCOMPARE(s.ranges.at("response_cache.hit_rate").second, 0.6);
    QVERIFY(ScenarioFile::validate(s, simfixture::baseline()).empty());
}

void TestScenarioFile::saveLoadSaveIsByteIdentical()
{
    const ScenarioLoad first = ScenarioFile::load(kExample);
    QVERIFY(first.scenario);
    QTemporaryDir dir;
    const std::string a = dir.filePath("a.json").toStdString();
    const std::string b = dir.filePath("b.json").toStdString();
    QCOMPARE(ScenarioFile::save(a, *first.scenario), std::string());
    const ScenarioLoad second = ScenarioFile::load(a);
    QVERIFY2(second.scenario, second.error.c_str());
    QVERIFY(*second.scenario == *first.scenario);
    QCOMPARE(ScenarioFile::save(b, *second.scenario), std::string());
    QCOMPARE(readFile(b), readFile(a));
    // Awkward doubles survive too.
    Scenario s = *first.scenario;
    s.levers.priceChangePct = 0.1 + 0.2;
    s.levers.cachedInputShare = 1.0 / 3;
    PromptOptimization o;
    o.scope.feature = {"search"};
    o.inputReductionPct = 100.0 / 3;
    o.callReductionPct = 2.5;
    s.levers.promptOptimization.push_back(o);
    const auto again = ScenarioFile::parse(ScenarioFile::serialize(s));
    QVERIFY(again.scenario && *again.scenario == s);
}

void TestScenarioFile::unknownKeysAreKeptAndReported()
{
    const std::string text =
        edited("\"horizon_months\": 12,", "\"horizon_months\": 12, \"owner_team\": \"fin\",");
    const std::string text2 = text;
    std::string withNested = text2;
    withNested.replace(withNested.find("\"window_s\": 0"), 13,
                       "\"window_s\": 0, \"queue\": {\"kind\": \"sqs\"}");
    const ScenarioLoad l = ScenarioFile::parse(withNested);
    QVERIFY2(l.scenario, l.error.c_str());
    QCOMPARE(l.warnings.size(), size_t(2));
    QVERIFY(l.warnings[0].find("$.levers.batching.queue") != std::string::npos ||
            l.warnings[1].find("$.levers.batching.queue") != std::string::npos);
    const std::string saved = ScenarioFile::serialize(*l.scenario);
    QVERIFY(saved.find("\"owner_team\": \"fin\"") != std::string::npos);
    QVERIFY(saved.find("\"kind\": \"sqs\"") != std::string::npos);
    const ScenarioLoad again = ScenarioFile::parse(saved);
    QCOMPARE(ScenarioFile::serialize(*again.scenario), saved);
}

void TestScenarioFile::omittedLeversAreNeutral()
{
    const ScenarioLoad l = ScenarioFile::parse(R"({"format":"tokenledger-scenario","version":1})");
    QVERIFY2(l.scenario, l.error.c_str());
    QVERIFY(l.scenario->levers == Levers());
    QCOMPARE(l.scenario->horizonMonths, 12);
}

void TestScenarioFile::refused_data()
{
    QTest::addColumn<std::string>("text");
    QTest::addColumn<std::string>("expected");
    QTest::newRow("not json") << std::string("{\"format\": ") << std::string("not valid JSON");
    QTest::newRow("other format") << edited("\"tokenledger-scenario\"", "\"tokenledger-budgets\"")
                                  << std::string("$.format: expected \"tokenledger-scenario\"");
    QTest::newRow("newer version") << edited("\"version\": 1", "\"version\": 2")
                                   << std::string("$.version: version 2 was written by a newer");
    QTest::newRow("share out of range")
        << edited("\"share\": 0.7", "\"share\": 1.7")
        << std::string("$.levers.model_mix[0].share: expected a number from 0 to 1, got 1.7");
    QTest::newRow("wrong type")
        << edited("\"window_s\": 0", "\"window_s\": \"30s\"")
        << std::string("$.levers.batching.window_s: expected a number, got the string \"30s\"");
    QTest::newRow("null where a number is needed")
        << edited("\"spot_share\": 0", "\"spot_share\": null")
        << std::string("$.levers.infra.spot_share: expected a number, got null");
    QTest::newRow("shares over one") << edited("\"spot_share\": 0, \"reserved_share\": 0",
                                               "\"spot_share\": 0.7, \"reserved_share\": 0.5")
                                     << std::string("$.levers.infra: spot_share + reserved_share");
    QTest::newRow("missing from") << edited("\"from\": \"big\", ", "")
                                  << std::string("$.levers.model_mix[0].from: missing");
    QTest::newRow("same model") << edited("\"to\": \"small\"", "\"to\": \"big\"")
                                << std::string("$.levers.model_mix[0].to: moves calls to the");
    QTest::newRow("agent not a list")
        << edited("\"agent\": [\"triage\"]", "\"agent\": 3")
        << std::string("$.levers.model_mix[0].scope.agent: expected a list of names");
    QTest::newRow("reduction past 100%")
        << edited("\"model_mix\"", "\"prompt_optimization\": [{\"input_reduction_pct\": 140}], "
                                   "\"model_mix\"")
        << std::string("$.levers.prompt_optimization[0].input_reduction_pct: expected a number "
                       "from 0 to 100, got 140");
    QTest::newRow("bad date") << edited("\"2025-11-08\"", "\"08/11/2025\"")
                              << std::string("$.baseline.from: expected a date YYYY-MM-DD");
    QTest::newRow("reversed period") << edited("\"2025-11-11\"", "\"2025-10-01\"")
                                     << std::string("$.baseline.to: ends before the period starts");
    QTest::newRow("unknown dimension")
        << edited("\"team\": [\"support\"]", "\"squad\": [\"support\"]")
        << std::string("$.baseline.filter.squad: unknown dimension");
    QTest::newRow("horizon") << edited("\"horizon_months\": 12", "\"horizon_months\": 12.5")
                             << std::string("$.horizon_months: expected a whole number");
    QTest::newRow("unknown range lever")
        << edited("\"prices.change_pct\": [-20, 20]", "\"prices.chnage_pct\": [-20, 20]")
        << std::string("$.ranges.prices.chnage_pct: not a lever of this scenario");
    QTest::newRow("reversed range")
        << edited("[0, 0.6]", "[0.6, 0]")
        << std::string("$.ranges.response_cache.hit_rate: expected low <= high");
    QTest::newRow("range outside lever")
        << edited("[0, 0.6]", "[0, 1.6]")
        << std::string("$.ranges.response_cache.hit_rate: expected low <= high within 0 to 1");
    QTest::newRow("quality over one") << edited("\"big\": 0.97", "\"big\": 97")
                                      << std::string("$.levers.quality.big: expected a number");
    QTest::newRow("escalation without model")
        << edited("\"enabled\": false, \"to\": \"big\"", "\"enabled\": true")
        << std::string("$.levers.escalation.to: escalation is enabled");
    QTest::newRow("levers not an object")
        << std::string(R"({"format":"tokenledger-scenario","version":1,"levers":[]})")
        << std::string("$.levers: expected an object, got an array");
}

void TestScenarioFile::refused()
{
    QFETCH(std::string, text);
    QFETCH(std::string, expected);
    const ScenarioLoad l = ScenarioFile::parse(text);
    QVERIFY(!l.scenario);
    QVERIFY2(l.error.find(expected) != std::string::npos, l.error.c_str());
}

void TestScenarioFile::validateNamesUnknownModels()
{
    ScenarioLoad l = ScenarioFile::parse(edited("\"to\": \"small\"", "\"to\": \"gpt-9\""));
    QVERIFY(l.scenario);
    auto errors = ScenarioFile::validate(*l.scenario, simfixture::baseline());
    QCOMPARE(errors.size(), size_t(1));
    QVERIFY2(errors[0].find("$.levers.model_mix[0].to: unknown model \"gpt-9\"") == 0,
             errors[0].c_str());
    l = ScenarioFile::parse(edited("\"to\": \"small\"", "\"to\": \"homegrown\""));
    errors = ScenarioFile::validate(*l.scenario, simfixture::baseline());
    QCOMPARE(errors.size(), size_t(1));
    QVERIFY(errors[0].find("has no price") != std::string::npos);
    l = ScenarioFile::parse(edited("\"by_provider\": {}", "\"by_provider\": {\"acme\": 5}"));
    errors = ScenarioFile::validate(*l.scenario, simfixture::baseline());
    QCOMPARE(errors.size(), size_t(1));
    QVERIFY(errors[0].find("$.levers.prices.by_provider.acme") == 0);
}

void TestScenarioFile::saveIsAtomic()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("s.json").toStdString();
    const Scenario s = *ScenarioFile::load(kExample).scenario;
    QCOMPARE(ScenarioFile::save(path, s), std::string());
    const std::string before = readFile(path);
    // A directory where the temporary file would go: the save fails and the
    // old file is untouched.
    std::filesystem::create_directory(path + ".tmp");
    Scenario changed = s;
    changed.name = "changed";
    QVERIFY(!ScenarioFile::save(path, changed).empty());
    QCOMPARE(readFile(path), before);
    QVERIFY(!ScenarioFile::save(dir.filePath("missing/dir/s.json").toStdString(), s).empty());
}

QTEST_APPLESS_MAIN(TestScenarioFile)
#include "tst_scenariofile.moc"
