// Reliability and security (issue: crashes, hostile files and faults): each
// finding of the attack on the workspace, reproduced and kept fixed.
#include "budgets/budgetfile.h"
#include "budgets/budgetstore.h"
#include "export/csvwriter.h"
#include "import/csvreader.h"
#include "import/importer.h"
#include "jsonfile.h"
#include "query/summaryquery.h"
#include "scenariofile.h"
#include "store/schema.h"
#include "store/workspace.h"
#include "testutil.h"

#include <QFile>
#include <QTest>

using namespace tl;

namespace {

const QByteArray kHeader = "ts,request_id,model,input_tokens,output_tokens,cost_usd,user\n";

QByteArray rows(int from, int to)
{
    QByteArray out;
    for (int i = from; i < to; ++i)
        out += "2026-09-01T10:" + QByteArray::number(10 + i / 60).rightJustified(2, '0') + ":" +
               QByteArray::number(i % 60).rightJustified(2, '0') + "Z,r" + QByteArray::number(i) +
               ",gpt-4o-mini,100,10,,u" + QByteArray::number(i % 3) + "\n";
    return out;
}

} // namespace

class TstHostile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // An unterminated quote once took the 998 rows after it into one
    // rejected record ("1 imported, 1 rejected", exit 0).
    void unterminatedQuoteLosesOneLine()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const QByteArray bad = "2026-09-01T09:00:00Z,bad,gpt-4o-mini,100,10,,\"never closed\n";
        const std::string path =
            tltest::writeFile(dir, QStringLiteral("q.csv"), kHeader + rows(0, 1) + bad + rows(1, 999));
        auto [r, seen] = tltest::importCollecting(*ws, path);
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.imported, int64_t(999));
        QCOMPARE(r.rejected, int64_t(1));
        QCOMPARE(seen.at(0).line, int64_t(3)); // where the quote opened
        QVERIFY2(QString::fromStdString(seen.at(0).reason).contains("would have taken the next"),
                 seen.at(0).reason.c_str());
    }
    // A stray quote that closes lines later makes one long record: its
    // rejection says which lines it spans.
    void strayQuotesSayTheSpan()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const QByteArray open = "2026-09-01T09:00:00Z,s1,gpt-4o-mini,100,10,,\"u1\n";
        const QByteArray close = "x\",2026-09-01T09:00:02Z\n";
        const std::string path = tltest::writeFile(
            dir, QStringLiteral("s.csv"), kHeader + open + rows(0, 5) + close + rows(5, 10));
        auto [r, seen] = tltest::importCollecting(*ws, path);
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.rejected, int64_t(1));
        QCOMPARE(r.imported, int64_t(5));
        QVERIFY2(QString::fromStdString(seen.at(0).reason).contains("spans lines 2–8"),
                 seen.at(0).reason.c_str());
    }
    // A truncated OTel JSON Lines file: its rejection's original text was
    // read from freed memory (ASan: heap-use-after-free; the release build
    // wrote garbage to --rejects).
    void truncatedOtelKeepsItsText()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        QFile in(QStringLiteral(TL_FIXTURES "/otel/genai-traces.jsonl"));
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray cut = in.readLine().left(700);
        const std::string path = tltest::writeFile(dir, QStringLiteral("cut.jsonl"), cut);
        ImportOptions o;
        o.format = "otel";
        std::vector<Rejection> seen;
        o.onReject = [&](const Rejection &r) { seen.push_back(r); };
        const FileImportResult r = Importer(*ws).importFile(path, o);
        QVERIFY2(r.ok || !r.error.empty(), "an answer, either way");
        if (r.ok) {
            QCOMPARE(r.rejected, int64_t(1));
            QCOMPARE(QByteArray::fromStdString(seen.at(0).raw), cut.left(200));
        }
    }
    // Two writers: the second waits its turn (and is told), or gives up
    // with a reason a user can act on, never "database is locked" half-way.
    void writersTakeTurns()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const std::string path =
            tltest::writeFile(dir, QStringLiteral("a.csv"), kHeader + rows(0, 50));
        SqliteDb other(ws->path()); // another import, holding the write lock
        other.exec("BEGIN IMMEDIATE");
        int waits = 0;
        ImportOptions o;
        o.onWait = [&] {
            ++waits;
            other.exec("COMMIT"); // the other import finishes
            return true;
        };
        FileImportResult r = Importer(*ws).importFile(path, o);
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(waits, 1);
        QCOMPARE(r.imported, int64_t(50));
        // Giving up: nothing written, and the reason says what to do.
        other.exec("BEGIN IMMEDIATE");
        o.onWait = [] { return false; };
        const QByteArray before = tltest::contentDigest(ws->path());
        r = Importer(*ws).importFile(
            tltest::writeFile(dir, QStringLiteral("b.csv"), kHeader + rows(50, 60)), o);
        QVERIFY(!r.ok);
        QVERIFY2(QString::fromStdString(r.error).contains("another program is writing"),
                 r.error.c_str());
        other.exec("ROLLBACK");
        QCOMPARE(tltest::contentDigest(ws->path()), before);
    }
    // A name reaching a CSV is never a formula to a spreadsheet, however it
    // is dressed; every other name round-trips exactly.
    void csvFormulaEscaping_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("written");
        QTest::newRow("equals") << QByteArray("=1+1") << QByteArray("'=1+1");
        QTest::newRow("leading space") << QByteArray(" =cmd|' /C calc'!A0")
                                       << QByteArray("' =cmd|' /C calc'!A0");
        QTest::newRow("no-break space") << QByteArray("\xC2\xA0@SUM(A1)")
                                        << QByteArray("'\xC2\xA0@SUM(A1)");
        QTest::newRow("full-width equals") << QByteArray("\xEF\xBC\x9D" "1+1")
                                           << QByteArray("'\xEF\xBC\x9D" "1+1");
        QTest::newRow("full-width plus") << QByteArray("\xEF\xBC\x8B" "1") << QByteArray("'\xEF\xBC\x8B" "1");
        QTest::newRow("tab") << QByteArray("\tx") << QByteArray("'\tx");
        QTest::newRow("plain") << QByteArray("support-bot") << QByteArray("support-bot");
        QTest::newRow("inner equals") << QByteArray("a=b") << QByteArray("a=b");
    }
    void csvFormulaEscaping()
    {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, written);
        QCOMPARE(QByteArray::fromStdString(CsvWriter::field(name.toStdString(), true)), written);
    }
    void csvRoundTrip()
    {
        const std::vector<std::string> names = {
            "quote \"here\"", "two\nlines", "comma, inside", "\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A",
            "emoji \xF0\x9F\x9A\x80", "crlf\r\nend"};
        std::string text;
        for (const auto &n : names)
            text += CsvWriter::row({n, "1"}, {false, true});
        ChunkReader in;
        in.openText(text);
        CsvReader csv(in);
        std::vector<std::string_view> fields;
        for (const auto &n : names) {
            QCOMPARE(csv.next(fields), CsvReader::Result::Record);
            QCOMPARE(std::string(fields.at(0)), n);
        }
    }
    // A key given twice in a log record: defined, not the parser's whim.
    void duplicateKeysInRecords()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        auto [r, seen] = tltest::importCollecting(
            *ws, tltest::writeFile(dir, QStringLiteral("d.jsonl"),
                                   "{\"ts\":\"2026-09-01T00:00:00Z\",\"model\":\"gpt-4o\","
                                   "\"model\":\"gpt-4o-mini\",\"input_tokens\":10,"
                                   "\"output_tokens\":1}\n"));
        QCOMPARE(r.rejected, int64_t(1));
        QVERIFY2(QString::fromStdString(seen.at(0).reason).contains("$.model: given twice"),
                 seen.at(0).reason.c_str());
        const FileImportResult l = Importer(*ws).importFile(tltest::writeFile(
            dir, QStringLiteral("d.json"),
            R"([{"id":"x","call_type":"acompletion","spend":0.1,"prompt_tokens":10,)"
            R"("completion_tokens":1,"startTime":"2026-09-01T00:00:00Z","model":"gpt-4o","model":"gpt-4o-mini"}])"));
        QCOMPARE(l.imported, int64_t(1));
        QCOMPARE(tltest::names(*ws, "model"), QStringList{QStringLiteral("gpt-4o")}); // the first
    }
    // Values that are no call: refused with a reason, never wrapped.
    void recordsOutOfRange_data()
    {
        QTest::addColumn<QByteArray>("row");
        QTest::addColumn<QString>("reason");
        QTest::newRow("tokens near 2^63")
            << QByteArray("2026-09-01T09:00:00Z,a,gpt-4o,9223372036854775000,1,,")
            << "a token count past 1e12";
        QTest::newRow("cost 1e10") << QByteArray("2026-09-01T09:00:00Z,b,gpt-4o,1,1,1e10,")
                                   << "a cost past $1,000,000";
        QTest::newRow("cost 1e300") << QByteArray("2026-09-01T09:00:00Z,c,gpt-4o,1,1,1e300,")
                                    << "a cost past $1,000,000";
        QTest::newRow("negative cost") << QByteArray("2026-09-01T09:00:00Z,d,gpt-4o,1,1,-0.5,")
                                       << "a negative cost";
        QTest::newRow("year 9999") << QByteArray("9999-01-01T00:00:00Z,e,gpt-4o,1,1,,")
                                   << "timestamp outside 2000–2099";
        QTest::newRow("epoch 1e300") << QByteArray("1e300,f,gpt-4o,1,1,,")
                                     << "timestamp outside 2000–2099";
        QTest::newRow("before 2000") << QByteArray("1969-12-31T23:59:59Z,g,gpt-4o,1,1,,")
                                     << "timestamp outside 2000–2099";
    }
    void recordsOutOfRange()
    {
        QFETCH(QByteArray, row);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const std::string path =
            tltest::writeFile(dir, QStringLiteral("r.csv"), kHeader + rows(0, 1) + row + "\n");
        auto [r, seen] = tltest::importCollecting(*ws, path);
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.imported, int64_t(1));
        QCOMPARE(r.rejected, int64_t(1));
        QVERIFY2(QString::fromStdString(seen.at(0).reason).contains(reason),
                 seen.at(0).reason.c_str());
        const Measures t = SummaryQuery::run(*ws, {}, {}).totals;
        QVERIFY(t[MCostNusd] >= 0 && t[MInputTokens] == 100);
    }
    // 2^62 cached + 2^62 written wrapped negative, passed the parts-within-
    // input check, and made a 1-token call cost $2.5 billion.
    void cacheCountsThatWouldWrap()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const std::string path = tltest::writeFile(
            dir, QStringLiteral("w.csv"),
            "ts,model,input_tokens,output_tokens,cached_input_tokens,cache_write_tokens\n"
            "2026-09-01T00:00:00Z,gpt-4o,1,1,4611686018427387904,4611686018427387904\n");
        auto [r, seen] = tltest::importCollecting(*ws, path);
        QCOMPARE(r.imported, int64_t(0));
        QCOMPARE(r.rejected, int64_t(1));
        QVERIFY2(QString::fromStdString(seen.at(0).reason).contains("past 1e12"),
                 seen.at(0).reason.c_str());
    }
    // A catalog's price past any real one is refused with its path; a price
    // that passes but meets a huge record makes the file refused, not wrapped.
    void absurdPrices()
    {
        std::string error;
        QVERIFY(!PriceCatalog::fromJson(
            R"({"models":[{"model":"m","input_per_mtok":1e300,"output_per_mtok":1}]})", &error));
        QVERIFY2(QString::fromStdString(error).contains("models[0].input_per_mtok"), error.c_str());
        QVERIFY(!PriceCatalog::fromJson(
            R"({"models":[{"model":"m","input_per_mtok":1,"output_per_mtok":1,"web_search_per_1k":1e20}]})",
            &error));
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        auto dear = PriceCatalog::fromJson(
            R"({"models":[{"model":"dear","input_per_mtok":100000,"output_per_mtok":100000}]})",
            &error);
        QVERIFY2(dear, error.c_str());
        QVERIFY(ws->replaceCatalog(*dear, {}, &error));
        const QByteArray before = tltest::contentDigest(ws->path());
        const FileImportResult r = Importer(*ws).importFile(tltest::writeFile(
            dir, QStringLiteral("d.csv"),
            "ts,model,input_tokens,output_tokens\n2026-09-01T00:00:00Z,dear,1000000000000,1\n"));
        QVERIFY(!r.ok);
        QVERIFY2(QString::fromStdString(r.error).contains("past $100,000,000"), r.error.c_str());
        QCOMPARE(tltest::contentDigest(ws->path()), before);
    }
    // A stored catalog that cannot be read (a damaged page, a hand edit) is
    // an error: it was once silently replaced by the built-in prices.
    void unreadableCatalogIsNotReplaced()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("c.tlw")).toStdString();
        {
            auto ws = tltest::openWorkspace(dir, QStringLiteral("c.tlw"));
            ws->setMetaValue("price_catalog", "{\"models\": [{\"model\": ");
        }
        const QByteArray before = tltest::contentDigest(path);
        std::string error;
        QVERIFY(!Workspace::open(path, Workspace::OpenMode::OpenExisting, &error));
        QVERIFY2(QString::fromStdString(error).contains("price catalog cannot be read"),
                 error.c_str());
        QCOMPARE(tltest::contentDigest(path), before);
    }
    // Sums past 64 bits: the file is refused whole, the workspace unchanged.
    void sumsThatOverflowAreRefused()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        QVERIFY(Importer(*ws).importFile(
            tltest::writeFile(dir, QStringLiteral("base.csv"), kHeader + rows(0, 3))).ok);
        const QByteArray before = tltest::contentDigest(ws->path());
        QByteArray big = kHeader;
        for (int i = 0; i < 9300; ++i) // 9,300 x $999,999 = $9.3 billion > 2^63 n$
            big += "2026-09-02T00:00:00Z,big" + QByteArray::number(i) + ",gpt-4o,1,1,999999,\n";
        const FileImportResult r =
            Importer(*ws).importFile(tltest::writeFile(dir, QStringLiteral("big.csv"), big));
        QVERIFY(!r.ok);
        QVERIFY2(QString::fromStdString(r.error).contains("passes what 64 bits hold"),
                 r.error.c_str());
        QCOMPARE(tltest::contentDigest(ws->path()), before);
    }
    // JSON files we read: numbers out of range, deep nesting and huge files
    // are errors with a reason, never an abort or a stack overflow.
    void hostileJsonFiles_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("duplicate key")
            << QByteArray(R"({"format":"tokenledger-scenario","version":1,"version":2})")
            << "the key \"version\" appears twice";
        QTest::newRow("1e309") << QByteArray(R"({"format":"tokenledger-scenario","version":1,"levers":{"volume":{"change_pct":1e309}}})")
                               << "not valid JSON";
        QTest::newRow("deep arrays")
            << QByteArray(R"({"format":"tokenledger-scenario","version":1,"x":)") +
                   QByteArray(200000, '[') + QByteArray(200000, ']') + "}"
            << "nested deeper than 64";
        QTest::newRow("deep objects")
            << QByteArray(R"({"format":"tokenledger-scenario","version":1,"x":)") +
                   QByteArray(100000, '{').replace("{", "{\"a\":") + "1" +
                   QByteArray(100000, '}') + "}"
            << "nested deeper than 64";
    }
    void hostileJsonFiles()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, error);
        const std::string t = text.toStdString();
        const sim::ScenarioLoad s = sim::ScenarioFile::parse(t);
        QVERIFY(!s.scenario);
        QVERIFY2(QString::fromStdString(s.error).contains(error), s.error.c_str());
        const BudgetLoad b = BudgetFile::parse(t);
        QVERIFY(!b.ok);
        std::string why;
        QVERIFY(!sim::JsonFile::parsePlain(t, &why));
        QVERIFY2(QString::fromStdString(why).contains(error), why.c_str());
        QVERIFY(!PriceCatalog::fromJson(t, &why));
    }
    // Files that would take minutes: thousands of moves, tens of thousands
    // of keys. Refused at once, with the path.
    void filesThatWouldTakeMinutes_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("error");
        QByteArray moves = R"({"format":"tokenledger-scenario","version":1,"levers":{"model_mix":[)";
        for (int i = 0; i < 4000; ++i)
            moves += QByteArray(i ? "," : "") + R"({"from":"a","to":"b","share":0.0001})";
        moves += "]}}";
        QTest::newRow("4,000 moves") << moves << "$.levers.model_mix: more than 200 model moves";
        QByteArray keys = R"({"format":"tokenledger-scenario","version":1,"extra":{)";
        for (int i = 0; i < 200000; ++i)
            keys += (i ? ",\"k" : "\"k") + QByteArray::number(i) + "\":1";
        keys += "}}";
        QTest::newRow("200,000 keys") << keys << "an object with more than 20000 keys";
    }
    void filesThatWouldTakeMinutes()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, error);
        const sim::ScenarioLoad s = sim::ScenarioFile::parse(text.toStdString());
        QVERIFY(!s.scenario);
        QVERIFY2(QString::fromStdString(s.error).contains(error), s.error.c_str());
    }
    // A budget of $1e10 was "imported" — and every budget, old and new, was
    // gone. Now the file is refused with the JSON path; nothing changes.
    void budgetAmountOutOfRange()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const BudgetLoad demo = BudgetFile::load(TL_RESOURCES "/demo-budgets.json");
        QVERIFY2(demo.ok, demo.error.c_str());
        BudgetStore::save(*ws, demo.budgets);
        const BudgetLoad bad = BudgetFile::parse(
            R"({"format":"tokenledger-budgets","version":1,"budgets":[
              {"name":"all","scope":{},"period":"month","amount_usd":1e10}]})");
        QVERIFY(!bad.ok);
        QVERIFY2(QString::fromStdString(bad.error).contains("$.budgets[0].amount_usd"),
                 bad.error.c_str());
        QCOMPARE(BudgetStore::load(*ws).size(), demo.budgets.size());
        // Stored budgets that cannot be read are an error, never "none".
        ws->setMetaValue("budgets", "{\"format\":\"tokenledger-budgets\",\"version\":1,"
                                    "\"budgets\":[{\"name\":1}]}");
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, BudgetStore::load(*ws));
    }
    // A colleague's crafted workspace: triggers, views (a recursive one hung
    // every command) and expressions are refused before anything runs.
    void craftedWorkspaces_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("named");
        QTest::newRow("trigger") << "CREATE TRIGGER t AFTER INSERT ON calls BEGIN "
                                    "DELETE FROM dedupe_days; END"
                                 << "trigger t";
        QTest::newRow("recursive view")
            << "CREATE VIEW forever AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
               "FROM n) SELECT x FROM n"
            << "view forever";
        QTest::newRow("extra table") << "CREATE TABLE notes(x, y)" << "table notes";
        QTest::newRow("expression index") << "CREATE INDEX slow ON calls(abs(ts_ms))"
                                          << "index slow";
        QTest::newRow("our index, altered")
            << "DROP INDEX calls_ts; CREATE INDEX calls_ts ON calls(ts_ms) WHERE ts_ms > 0"
            << "index calls_ts";
    }
    void craftedWorkspaces()
    {
        QFETCH(QString, sql);
        QFETCH(QString, named);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("w.tlw")).toStdString();
        {
            auto ws = tltest::openWorkspace(dir, QStringLiteral("w.tlw"));
            QVERIFY(Importer(*ws).importFile(
                tltest::writeFile(dir, QStringLiteral("a.csv"), kHeader + rows(0, 3))).ok);
        }
        {
            sqlite3 *raw = nullptr; // as an attacker would: no defensive settings
            QCOMPARE(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
            QCOMPARE(sqlite3_exec(raw, sql.toUtf8().constData(), nullptr, nullptr, nullptr),
                     SQLITE_OK);
            sqlite3_close(raw);
        }
        const QByteArray before = tltest::contentDigest(path);
        std::string error;
        QVERIFY(!Workspace::open(path, Workspace::OpenMode::OpenExisting, &error));
        QVERIFY2(QString::fromStdString(error).contains(named), error.c_str());
        QVERIFY2(QString::fromStdString(error).contains("refused"), error.c_str());
        QCOMPARE(tltest::contentDigest(path), before);
    }
    // A crash with a rollback journal (an older release's bulk import): the
    // file plus its hot journal. It opens, recovered, with the committed data.
    void hotJournalIsRecovered()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("j.tlw")).toStdString();
        {
            auto ws = tltest::openWorkspace(dir, QStringLiteral("j.tlw"));
            QVERIFY(Importer(*ws).importFile(
                tltest::writeFile(dir, QStringLiteral("a.csv"), kHeader + rows(0, 500))).ok);
        }
        const std::string crashed = dir.filePath(QStringLiteral("crashed.tlw")).toStdString();
        {
            sqlite3 *raw = nullptr;
            QCOMPARE(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
            QCOMPARE(sqlite3_exec(raw, "PRAGMA journal_mode=DELETE; PRAGMA cache_size=1; BEGIN; "
                                       "DELETE FROM calls; DELETE FROM rollup_day;",
                                  nullptr, nullptr, nullptr),
                     SQLITE_OK);
            // The moment of the crash: the file half-written, its journal hot.
            QVERIFY(QFile::exists(QString::fromStdString(path + "-journal")));
            QVERIFY(QFile::copy(QString::fromStdString(path), QString::fromStdString(crashed)));
            QVERIFY(QFile::copy(QString::fromStdString(path + "-journal"),
                                QString::fromStdString(crashed + "-journal")));
            sqlite3_exec(raw, "ROLLBACK", nullptr, nullptr, nullptr);
            sqlite3_close(raw);
        }
        std::string error;
        auto ws = Workspace::open(crashed, Workspace::OpenMode::OpenExisting, &error);
        QVERIFY2(ws, error.c_str());
        QCOMPARE(SummaryQuery::run(*ws, {}, {}).totals[MRecords], int64_t(500));
    }
    // A damaged page: an error that names the file; the custom catalog and
    // the budgets are never replaced by defaults.
    void damagedPage()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("d.tlw")).toStdString();
        {
            auto ws = tltest::openWorkspace(dir, QStringLiteral("d.tlw"));
            QVERIFY(Importer(*ws).importFile(
                tltest::writeFile(dir, QStringLiteral("a.csv"), kHeader + rows(0, 2000))).ok);
            ws->db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
            // As if it came from another machine: checked on open.
            ws->setMetaValue("integrity_checked_on", "elsewhere");
            ws->db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::ReadWrite));
        const qint64 pages = f.size() / 16384;
        QVERIFY(pages > 4);
        f.seek((pages - 2) * 16384 + 100); // inside a page of the calls' index or table
        f.write(QByteArray(3000, '\x5a'));
        f.close();
        std::string error;
        QVERIFY(!Workspace::open(path, Workspace::OpenMode::OpenExisting, &error));
        QVERIFY2(QString::fromStdString(error).contains("damaged"), error.c_str());
        QVERIFY2(QString::fromStdString(error).contains(QString::fromStdString(path)),
                 error.c_str());
    }
};

QTEST_GUILESS_MAIN(TstHostile)
#include "tst_hostile.moc"
