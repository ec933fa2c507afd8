#include "core/timeutil.h"
#include "pricing/pricecatalog.h"

#include <QTest>

using namespace tl;

namespace {

const char kCatalog[] = R"({"format":"tokenledger-prices","version":1,"models":[
 {"provider":"openai","model":"gpt-4o","input_per_mtok":2.5,"output_per_mtok":10,"cached_input_per_mtok":1.25,
  "batch_discount":0.5},
 {"provider":"anthropic","model":"claude-sonnet-4-5-20250929","aliases":["claude-sonnet-4-5"],
  "input_per_mtok":3,"output_per_mtok":15,"cached_input_per_mtok":0.3,"cache_write_per_mtok":3.75},
 {"provider":"google","model":"gemini-2.0-flash-lite","input_per_mtok":0.075,"output_per_mtok":0.3,
  "cached_input_per_mtok":0.01875},
 {"provider":"x","model":"repriced","input_per_mtok":1,"output_per_mtok":2},
 {"provider":"x","model":"repriced","effective_from":"2026-06-01","input_per_mtok":0.5,"output_per_mtok":1},
 {"provider":"x","model":"future-only","effective_from":"2026-06-01","input_per_mtok":1,"output_per_mtok":1}
]})";

PriceCatalog catalog()
{
    std::string error;
    auto c = PriceCatalog::fromJson(kCatalog, &error);
    if (!c)
        qFatal("%s", error.c_str());
    return *c;
}

int64_t ts(const char *iso)
{
    return *parseTimestamp(iso);
}

} // namespace

class TstPriceCatalog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Costs in nano-dollars, worked by hand from the per-million prices.
    void cost_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<qlonglong>("input");
        QTest::addColumn<qlonglong>("cached");
        QTest::addColumn<qlonglong>("cacheWrite");
        QTest::addColumn<qlonglong>("output");
        QTest::addColumn<bool>("batch");
        QTest::addColumn<qlonglong>("nusd");
        // 1000 in x 2.5 + 100 out x 10 = 2500 + 1000 = 3500 n$ per (token x $/Mtok / 1000)
        QTest::newRow("plain") << "gpt-4o" << 1000LL << 0LL << 0LL << 100LL << false << 3'500'000LL;
        // 1200 in of which 1024 cached: 176 x 2.5 + 1024 x 1.25 + 180 x 10 = 440 + 1280 + 1800 =
        // 3520 u$
        QTest::newRow("openai-cached")
            << "gpt-4o" << 1200LL << 1024LL << 0LL << 180LL << false << 3'520'000LL;
        QTest::newRow("batch-half")
            << "gpt-4o" << 1200LL << 1024LL << 0LL << 180LL << true << 1'760'000LL;
        // Anthropic: 100 uncached x 3 + 2000 read x 0.3 + 500 write x 3.75 + 50 out x 15
        QTest::newRow("anthropic-cache")
            << "claude-sonnet-4-5-20250929" << 2600LL << 2000LL << 500LL << 50LL << false
            << qlonglong(300'000 + 600'000 + 1'875'000 + 750'000);
        QTest::newRow("alias") << "claude-sonnet-4-5" << 1000LL << 0LL << 0LL << 0LL << false
                               << 3'000'000LL;
        QTest::newRow("dated-snapshot")
            << "gpt-4o-2024-08-06" << 1000LL << 0LL << 0LL << 0LL << false << 2'500'000LL;
        QTest::newRow("provider-prefix")
            << "openai/gpt-4o" << 1000LL << 0LL << 0LL << 0LL << false << 2'500'000LL;
        // 10 tokens of a cheap model: 10 x 0.075 $/Mtok = 750 n$ (micro-dollars would round to 0)
        QTest::newRow("ten-tokens")
            << "gemini-2.0-flash-lite" << 10LL << 0LL << 0LL << 0LL << false << 750LL;
        QTest::newRow("fractional-price")
            << "gemini-2.0-flash-lite" << 3LL << 3LL << 0LL << 0LL << false << 56LL;
    }
    void cost()
    {
        QFETCH(QString, model);
        QFETCH(qlonglong, input);
        QFETCH(qlonglong, cached);
        QFETCH(qlonglong, cacheWrite);
        QFETCH(qlonglong, output);
        QFETCH(bool, batch);
        QFETCH(qlonglong, nusd);
        PriceCatalog c = catalog();
        const PriceEntry *e = c.priceAt(model.toStdString(), ts("2026-01-01T00:00:00Z"));
        QVERIFY(e);
        QCOMPARE(qlonglong(costNusd(*e, Usage{.input = input,
                                              .cached = cached,
                                              .cacheWrite = cacheWrite,
                                              .output = output,
                                              .batch = batch})),
                 nusd);
    }
    // The bill's own cases, worked by hand from the providers' published
    // prices in the built-in catalog (tests/fixtures/pricing/README.md shows
    // the same arithmetic). Tokens x USD/Mtok = micro-dollars; x1000 = n$.
    void billedCases_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<qlonglong>("input");
        QTest::addColumn<qlonglong>("cached");
        QTest::addColumn<qlonglong>("write");
        QTest::addColumn<qlonglong>("write1h");
        QTest::addColumn<qlonglong>("output");
        QTest::addColumn<qlonglong>("requests");
        QTest::addColumn<qlonglong>("web");
        QTest::addColumn<qlonglong>("file");
        QTest::addColumn<bool>("batch");
        QTest::addColumn<int>("tier");
        QTest::addColumn<int>("longContext");
        QTest::addColumn<qlonglong>("nusd");
        QTest::addColumn<QString>("line");
        const QString sonnet4 = "claude-sonnet-4-20250514";
        // 100 x 3 + 1000 x 3.75 (5 min) + 2000 x 6 (1 h) + 100 x 15 = 17,550 u$
        QTest::newRow("anthropic 1h writes") << sonnet4 << 3100LL << 0LL << 3000LL << 2000LL
                                             << 100LL << 1LL << 0LL << 0LL << false << 0 << -1
                                             << 17'550'000LL << "standard";
        // the same writes all at 5 minutes: 100 x 3 + 3000 x 3.75 + 100 x 15 = 13,050 u$
        QTest::newRow("anthropic 5m writes") << sonnet4 << 3100LL << 0LL << 3000LL << 0LL << 100LL
                                             << 1LL << 0LL << 0LL << false << 0 << -1
                                             << 13'050'000LL << "standard";
        // past 200k: the whole request at 6 / 22.50: 250000 x 6 + 1000 x 22.5 = 1,522,500 u$
        QTest::newRow("long context") << sonnet4 << 250000LL << 0LL << 0LL << 0LL << 1000LL << 1LL
                                      << 0LL << 0LL << false << 0 << -1 << 1'522'500'000LL
                                      << "long context";
        // exactly 200k is not past it: 200000 x 3 + 1000 x 15 = 615,000 u$
        QTest::newRow("at the threshold") << sonnet4 << 200000LL << 0LL << 0LL << 0LL << 1000LL
                                          << 1LL << 0LL << 0LL << false << 0 << -1
                                          << 615'000'000LL << "standard";
        // long context with cache parts: 10000 x 6 + 200000 x 0.6 + 50000 x 7.5 (5m) +
        // 40000 x 12 (1h) + 1000 x 22.5 = 60000 + 120000 + 375000 + 480000 + 22500 = 1,057,500
        QTest::newRow("long context cache") << sonnet4 << 300000LL << 200000LL << 90000LL
                                            << 40000LL << 1000LL << 1LL << 0LL << 0LL << false
                                            << 0 << -1 << 1'057'500'000LL << "long context";
        // an aggregated row of 2 requests of 150k each is under the threshold per request
        QTest::newRow("aggregated under") << sonnet4 << 300000LL << 0LL << 0LL << 0LL << 0LL << 2LL
                                          << 0LL << 0LL << false << 0 << -1 << 900'000'000LL
                                          << "standard";
        // ... unless the source says the tier (Anthropic's context_window "200k-1M")
        QTest::newRow("reported tier") << sonnet4 << 300000LL << 0LL << 0LL << 0LL << 0LL << 2LL
                                       << 0LL << 0LL << false << 0 << 1 << 1'800'000'000LL
                                       << "long context";
        // batch halves the long-context prices: (250000 x 6 + 1000 x 22.5) / 2 = 761,250 u$
        QTest::newRow("long context batch") << sonnet4 << 250000LL << 0LL << 0LL << 0LL << 1000LL
                                            << 1LL << 0LL << 0LL << true << 0 << -1
                                            << 761'250'000LL << "long context";
        // 1000 x 3 + 100 x 15 = 4,500 u$, plus 3 searches x $0.01 = 30,000 u$
        QTest::newRow("web search") << sonnet4 << 1000LL << 0LL << 0LL << 0LL << 100LL << 1LL
                                    << 3LL << 0LL << false << 0 << -1 << 34'500'000LL
                                    << "standard";
        // Anthropic's priority tier has no published token price: standard prices
        QTest::newRow("anthropic priority") << sonnet4 << 1000LL << 0LL << 0LL << 0LL << 100LL
                                            << 1LL << 0LL << 0LL << false << 1 << -1
                                            << 4'500'000LL << "priority";
        // gpt-4.1 priority: 800 x 3.5 + 200 x 0.875 + 100 x 14 = 4,375 u$
        QTest::newRow("openai priority") << "gpt-4.1" << 1000LL << 200LL << 0LL << 0LL << 100LL
                                         << 1LL << 0LL << 0LL << false << 1 << -1 << 4'375'000LL
                                         << "priority";
        // o3 flex: 1000 x 1 + 100 x 4 = 1,400 u$
        QTest::newRow("openai flex") << "o3" << 1000LL << 0LL << 0LL << 0LL << 100LL << 1LL << 0LL
                                     << 0LL << false << 2 << -1 << 1'400'000LL << "flex";
        // gpt-4o has no flex prices: flex is billed at the batch rate, 1000 x 1.25 + 100 x 5
        QTest::newRow("flex at batch rate") << "gpt-4o" << 1000LL << 0LL << 0LL << 0LL << 100LL
                                            << 1LL << 0LL << 0LL << false << 2 << -1
                                            << 1'750'000LL << "flex";
        // gpt-5: 1000 x 1.25 = 1,250 u$ + 2 file searches x $0.0025 + 1 web search x $0.01
        QTest::newRow("openai tool calls") << "gpt-5" << 1000LL << 0LL << 0LL << 0LL << 0LL << 1LL
                                           << 1LL << 2LL << false << 0 << -1 << 16'250'000LL
                                           << "standard";
        // gemini-2.5-pro past 200k: 250000 x 2.5 + 1000 x 15 = 640,000 u$
        QTest::newRow("gemini long context") << "gemini-2.5-pro" << 250000LL << 0LL << 0LL << 0LL
                                             << 1000LL << 1LL << 0LL << 0LL << false << 0 << -1
                                             << 640'000'000LL << "long context";
    }
    void billedCases()
    {
        QFETCH(QString, model);
        QFETCH(qlonglong, input);
        QFETCH(qlonglong, cached);
        QFETCH(qlonglong, write);
        QFETCH(qlonglong, write1h);
        QFETCH(qlonglong, output);
        QFETCH(qlonglong, requests);
        QFETCH(qlonglong, web);
        QFETCH(qlonglong, file);
        QFETCH(bool, batch);
        QFETCH(int, tier);
        QFETCH(int, longContext);
        QFETCH(qlonglong, nusd);
        QFETCH(QString, line);
        const PriceCatalog c = PriceCatalog::builtIn();
        const PriceEntry *e = c.priceAt(model.toStdString(), ts("2026-09-01T00:00:00Z"));
        QVERIFY(e);
        const CostParts parts = costParts(*e, Usage{.input = input,
                                                    .cached = cached,
                                                    .cacheWrite = write,
                                                    .cacheWrite1h = write1h,
                                                    .output = output,
                                                    .requests = requests,
                                                    .webSearches = web,
                                                    .fileSearches = file,
                                                    .batch = batch,
                                                    .tier = ServiceTier(tier),
                                                    .longContext = longContext});
        QCOMPARE(qlonglong(parts.total()), nusd);
        QCOMPARE(QString(priceLineName(parts.line)), line);
        QCOMPARE(qlonglong(parts.toolsNusd), web * 10'000'000LL + file * 2'500'000LL);
    }
    // A catalog without a 1-hour price: 2x input for an Anthropic model
    // (said so), the 5-minute price for any other; LiteLLM's keys read.
    void oneHourWriteDefault()
    {
        std::string error;
        auto c = PriceCatalog::fromJson(R"({"models":[
 {"provider":"anthropic","model":"claude-own","input_per_mtok":3,"output_per_mtok":15,"cache_write_per_mtok":3.75},
 {"provider":"other","model":"other-own","input_per_mtok":3,"output_per_mtok":15,"cache_write_per_mtok":3.75}]})",
                                        &error);
        QVERIFY2(c, error.c_str());
        bool defaulted = false;
        QCOMPARE(c->priceAt("claude-own", 0)->cacheWrite1hPrice(&defaulted), perMtokToPpt(6));
        QVERIFY(defaulted);
        QCOMPARE(c->priceAt("other-own", 0)->cacheWrite1hPrice(&defaulted), perMtokToPpt(3.75));
        QVERIFY(!defaulted);
        // 1000 1-hour writes: 1000 x 6 = 6,000 u$
        QCOMPARE(costNusd(*c->priceAt("claude-own", 0),
                          Usage{.input = 1000, .cacheWrite = 1000, .cacheWrite1h = 1000}),
                 int64_t(6'000'000));
        auto lite = PriceCatalog::fromJson(R"({"claude-sonnet-4-20250514": {
  "litellm_provider": "anthropic", "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
  "cache_creation_input_token_cost": 3.75e-06, "cache_creation_input_token_cost_above_1hr": 6e-06,
  "cache_read_input_token_cost": 3e-07,
  "input_cost_per_token_above_200k_tokens": 6e-06, "output_cost_per_token_above_200k_tokens": 2.25e-05,
  "search_context_cost_per_query": {"search_context_size_low": 0.01, "search_context_size_medium": 0.01,
                                    "search_context_size_high": 0.01}},
 "gpt-4.1": {"litellm_provider": "openai", "input_cost_per_token": 2e-06, "output_cost_per_token": 8e-06,
  "input_cost_per_token_priority": 3.5e-06, "output_cost_per_token_priority": 1.4e-05}})",
                                           &error);
        QVERIFY2(lite, error.c_str());
        const PriceEntry *s = lite->priceAt("claude-sonnet-4-20250514", 0);
        QCOMPARE(s->cacheWrite1hPpt, perMtokToPpt(6));
        QCOMPARE(s->longContextThreshold, int64_t(200000));
        QCOMPARE(s->longContext.inputPpt, perMtokToPpt(6));
        QCOMPARE(s->webSearchNusd, int64_t(10'000'000));
        QCOMPARE(lite->priceAt("gpt-4.1", 0)->priority.outputPpt, perMtokToPpt(14));
        // and our format keeps all of it through a save and a load
        auto again = PriceCatalog::fromJson(lite->toJson(), &error);
        QVERIFY2(again, error.c_str());
        const PriceEntry *s2 = again->priceAt("claude-sonnet-4-20250514", 0);
        QCOMPARE(s2->longContext.outputPpt, perMtokToPpt(22.5));
        QCOMPARE(s2->longContextThreshold, int64_t(200000));
        QCOMPARE(s2->webSearchNusd, int64_t(10'000'000));
        QCOMPARE(again->priceAt("gpt-4.1", 0)->priority.inputPpt, perMtokToPpt(3.5));
    }
    // Model names as providers write them find their built-in catalog
    // entry (or none, reported unpriced by name).
    void providerNames_data()
    {
        QTest::addColumn<QString>("logged");
        QTest::addColumn<QString>("entry");
        QTest::newRow("openai four-digit snapshot") << "gpt-3.5-turbo-0125" << "gpt-3.5-turbo";
        QTest::newRow("openai 0613") << "gpt-4-0613" << "gpt-4";
        QTest::newRow("bedrock") << "anthropic.claude-3-5-sonnet-20241022-v2:0"
                                 << "claude-3-5-sonnet-20241022";
        QTest::newRow("bedrock us profile") << "us.anthropic.claude-3-5-sonnet-20241022-v2:0"
                                            << "claude-3-5-sonnet-20241022";
        QTest::newRow("bedrock eu haiku") << "eu.anthropic.claude-3-haiku-20240307-v1:0"
                                          << "claude-3-haiku-20240307";
        QTest::newRow("vertex @ version") << "claude-3-5-sonnet@20240620"
                                          << "claude-3-5-sonnet-20241022";
        QTest::newRow("openrouter slug") << "anthropic/claude-3-5-sonnet"
                                         << "claude-3-5-sonnet-20241022";
        QTest::newRow("litellm prefix") << "openai/gpt-4o-2024-08-06" << "gpt-4o";
        QTest::newRow("unknown stays unknown") << "house-model-7b" << "";
        QTest::newRow("not a snapshot") << "gpt-4o-mini-tts" << "";
    }
    void providerNames()
    {
        QFETCH(QString, logged);
        QFETCH(QString, entry);
        QCOMPARE(QString::fromStdString(PriceCatalog::builtIn().resolve(logged.toStdString())),
                 entry);
    }

    void effectiveDates()
    {
        PriceCatalog c = catalog();
        const PriceEntry *before = c.priceAt("repriced", ts("2026-05-31T23:59:59Z"));
        const PriceEntry *after = c.priceAt("repriced", ts("2026-06-01T00:00:00Z"));
        QVERIFY(before && after);
        QCOMPARE(before->inputPpt, perMtokToPpt(1.0));
        QCOMPARE(after->inputPpt, perMtokToPpt(0.5));
        QCOMPARE(c.priceAt("future-only", ts("2026-05-01T00:00:00Z")), nullptr);
        QVERIFY(c.priceAt("future-only", ts("2026-07-01T00:00:00Z")));
        QCOMPARE(c.priceAt("no-such-model", ts("2026-07-01T00:00:00Z")), nullptr);
    }
    void liteLlmMap()
    {
        const char *map = R"({"sample_spec":{"input_cost_per_token":0},
          "gpt-4o":{"litellm_provider":"openai","input_cost_per_token":2.5e-06,"output_cost_per_token":1e-05,
                    "cache_read_input_token_cost":1.25e-06,"input_cost_per_token_batches":1.25e-06,
                    "output_cost_per_token_batches":5e-06},
          "gemini/gemini-2.0-flash":{"litellm_provider":"gemini","input_cost_per_token":1e-07,
                    "output_cost_per_token":4e-07},
          "dall-e-3":{"litellm_provider":"openai","output_cost_per_pixel":1e-08}})";
        std::string error;
        auto c = PriceCatalog::fromJson(map, &error);
        QVERIFY2(c, error.c_str());
        QCOMPARE(int(c->entries().size()), 2);
        const PriceEntry *g = c->priceAt("gpt-4o", 0);
        QVERIFY(g);
        QCOMPARE(g->inputPpt, perMtokToPpt(2.5));
        QCOMPARE(g->cachedInputPpt, perMtokToPpt(1.25));
        QCOMPARE(g->batchOutputPpt, perMtokToPpt(5));
        QVERIFY(c->priceAt("gemini-2.0-flash", 0));
        QVERIFY(c->priceAt("gemini/gemini-2.0-flash", 0));
    }
    void roundTrip()
    {
        PriceCatalog c = catalog();
        std::string error;
        auto again = PriceCatalog::fromJson(c.toJson(), &error);
        QVERIFY2(again, error.c_str());
        QCOMPARE(again->toJson(), c.toJson());
        QCOMPARE(again->priceAt("repriced", ts("2026-07-01T00:00:00Z"))->inputPpt,
                 perMtokToPpt(0.5));
    }
    void builtInCatalogIsReal()
    {
        PriceCatalog c = PriceCatalog::builtIn();
        QVERIFY(c.entries().size() >= 40);
        const PriceEntry *e = c.priceAt("gpt-4o-mini", 0);
        QVERIFY(e);
        QCOMPARE(e->inputPpt, perMtokToPpt(0.15));
        QVERIFY(c.priceAt("claude-haiku-4-5", 0)); // undated alias
    }
    void malformed_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("error");
        QTest::newRow("not-json") << "{oops"
                                  << "not valid JSON";
        QTest::newRow("array") << "[]"
                               << "$: expected a JSON object";
        QTest::newRow("wrong-format") << R"({"format":"other","models":[]})"
                                      << "format:";
        QTest::newRow("newer") << R"({"format":"tokenledger-prices","version":2,"models":[]})"
                               << "version:";
        QTest::newRow("price-type")
            << R"({"models":[{"model":"m","input_per_mtok":"2","output_per_mtok":1}]})"
            << "models[0].input_per_mtok: expected a number";
        QTest::newRow("negative")
            << R"({"models":[{"model":"m","input_per_mtok":-1,"output_per_mtok":1}]})"
            << "models[0].input_per_mtok: a price cannot be negative";
        QTest::newRow("no-model") << R"({"models":[{"input_per_mtok":1,"output_per_mtok":1}]})"
                                  << "models[0].model: missing";
        QTest::newRow("bad-date")
            << R"({"models":[{"model":"m","input_per_mtok":1,"output_per_mtok":1,"effective_from":"soon"}]})"
            << "models[0].effective_from:";
        QTest::newRow("nothing") << R"({"a":1})"
                                 << "$: neither";
    }
    void malformed()
    {
        QFETCH(QString, json);
        QFETCH(QString, error);
        std::string why;
        QVERIFY(!PriceCatalog::fromJson(json.toStdString(), &why));
        QVERIFY2(QString::fromStdString(why).startsWith(error), why.c_str());
    }
};

QTEST_GUILESS_MAIN(TstPriceCatalog)
#include "tst_pricecatalog.moc"
