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
        QCOMPARE(qlonglong(costNusd(*e, input, cached, cacheWrite, output, batch)), nusd);
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
