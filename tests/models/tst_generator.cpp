#include "core/timeutil.h"
#include "generate/fleetgenerator.h"
#include "import/importer.h"
#include "store/workspace.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace tl;

namespace {

QByteArray generate(const QTemporaryDir &dir, const QString &name, uint64_t seed,
                    const std::string &format = "csv")
{
    FleetOptions o;
    o.agents = 15;
    o.days = 10;
    o.startDay = *parseDate("2026-05-01");
    o.seed = seed;
    o.callsPerDay = 2000;
    o.format = format;
    const std::string path = dir.filePath(name).toStdString();
    std::string error;
    if (!FleetGenerator(o).write(path, nullptr, &error))
        qFatal("%s", error.c_str());
    QFile f(QString::fromStdString(path));
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

} // namespace

class TstGenerator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void deterministicBySeed()
    {
        QTemporaryDir dir;
        const QByteArray a = generate(dir, QStringLiteral("a.csv"), 7);
        const QByteArray b = generate(dir, QStringLiteral("b.csv"), 7);
        const QByteArray c = generate(dir, QStringLiteral("c.csv"), 8);
        QVERIFY(a.size() > 100000);
        QCOMPARE(a, b);
        QVERIFY(a != c);
    }
    // The same fleet written as our CSV and JSON Lines, OpenTelemetry spans
    // and a LiteLLM spend log imports to the same totals, to the nano-dollar.
    // (OTel's GenAI conventions have no batch attribute: its batch calls are
    // priced as standard ones, so its cost is compared only for being higher.)
    void sameFleetInEveryFormat()
    {
        QTemporaryDir dir;
        std::vector<int64_t> first;
        for (const char *format : {"csv", "jsonl", "otel", "litellm"}) {
            const QString name = QStringLiteral("fleet.") + QString::fromLatin1(format);
            generate(dir, name, 9, format);
            std::string error;
            auto ws = Workspace::open(dir.filePath(name + QStringLiteral(".db")).toStdString(),
                                      Workspace::OpenMode::CreateIfMissing, &error);
            FileImportResult r = Importer(*ws).importFile(dir.filePath(name).toStdString());
            QVERIFY2(r.ok, r.error.c_str());
            QCOMPARE(r.format, std::string(format));
            QCOMPARE(r.rejected, 0);
            Database &db = ws->db();
            std::vector<int64_t> totals = {
                db.queryInt("SELECT COUNT(*) FROM calls"),
                db.queryInt("SELECT SUM(input_tokens) FROM calls"),
                db.queryInt("SELECT SUM(cached_input_tokens) FROM calls"),
                db.queryInt("SELECT SUM(cache_write_tokens) FROM calls"),
                db.queryInt("SELECT SUM(output_tokens) FROM calls"),
                db.queryInt("SELECT SUM(is_error) FROM calls"),
                db.queryInt("SELECT SUM(COALESCE(reported_nusd, computed_nusd, 0)) FROM calls")};
            if (first.empty()) {
                first = totals;
            } else if (std::string(format) == "otel") {
                QVERIFY(totals.back() > first.back());
                totals.back() = first.back();
                QCOMPARE(totals, first);
            } else {
                QCOMPARE(totals, first);
            }
        }
    }
    void importsCleanlyWithTruth()
    {
        QTemporaryDir dir;
        for (const char *format : {"csv", "jsonl"}) {
            const QString name = QStringLiteral("f.") + QString::fromLatin1(format);
            generate(dir, name, 3, format);
            std::string error;
            auto ws = Workspace::open(dir.filePath(name + QStringLiteral(".db")).toStdString(),
                                      Workspace::OpenMode::CreateIfMissing, &error);
            FileImportResult r = Importer(*ws).importFile(dir.filePath(name).toStdString());
            QVERIFY2(r.ok, r.error.c_str());
            QCOMPARE(r.rejected, 0);
            QCOMPARE(r.duplicates, 0);
            QVERIFY(r.imported > 10000);
            // realistic texture: retries, cache hits, outcomes with value, repeated prompts
            Database &db = ws->db();
            QVERIFY(db.queryInt("SELECT COUNT(*) FROM calls WHERE is_error") > 0);
            QVERIFY(db.queryInt("SELECT SUM(cached_input_tokens) FROM calls") > 0);
            QVERIFY(db.queryInt("SELECT COUNT(*) FROM calls WHERE outcome = 1 AND value_nusd > 0") >
                    0);
            QVERIFY(db.queryInt("SELECT COUNT(*) - COUNT(DISTINCT prompt_hash) FROM calls") > 0);
            QVERIFY(db.queryInt("SELECT COUNT(DISTINCT model_id) FROM calls") >= 3);
            // weekends are quieter than weekdays
            const int64_t sat = db.queryInt("SELECT COUNT(*) FROM calls WHERE day = " +
                                            std::to_string(*parseDate("2026-05-02")));
            const int64_t tue = db.queryInt("SELECT COUNT(*) FROM calls WHERE day = " +
                                            std::to_string(*parseDate("2026-05-05")));
            QVERIFY2(sat * 2 < tue, qPrintable(QStringLiteral("%1 vs %2").arg(sat).arg(tue)));
        }
        QFile truth(dir.filePath(QStringLiteral("f.csv.truth.json")));
        QVERIFY(truth.open(QIODevice::ReadOnly));
        const QJsonObject doc = QJsonDocument::fromJson(truth.readAll()).object();
        QCOMPARE(doc.value(QStringLiteral("format")).toString(),
                 QStringLiteral("tokenledger-truth"));
        const QJsonArray spikes = doc.value(QStringLiteral("spikes")).toArray();
        QVERIFY(!spikes.isEmpty());
        for (const auto &s : spikes)
            QVERIFY(parseTimestamp(
                s.toObject().value(QStringLiteral("start")).toString().toStdString()));
    }
};

QTEST_GUILESS_MAIN(TstGenerator)
#include "tst_generator.moc"
