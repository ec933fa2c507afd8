// The logs users bring besides gateways and tracers (issue: numbers you can
// sign): coding agents' session logs, OpenRouter, LiteLLM's daily activity,
// Helicone. Each fixture's README works its totals by hand.
#include "import/formats.h"
#include "import/importer.h"
#include "import/importpaths.h"
#include "query/summaryquery.h"
#include "store/workspace.h"
#include "testutil.h"

#include <QTest>

using namespace tl;

namespace {

const std::string kFixtures = TL_FIXTURES "/";

int64_t countWhere(Workspace &ws, const std::string &sql)
{
    return ws.db().queryInt(sql);
}

} // namespace

class TstMoreFormats : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void totals_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("format");
        QTest::addColumn<qlonglong>("imported");
        QTest::addColumn<qlonglong>("duplicates");
        QTest::addColumn<qlonglong>("skipped");
        QTest::addColumn<qlonglong>("requests");
        QTest::addColumn<qlonglong>("input");
        QTest::addColumn<qlonglong>("output");
        QTest::addColumn<qlonglong>("costNusd");
        QTest::addColumn<qlonglong>("errors");
        QTest::newRow("claude code")
            << "session-logs/claude-code/-home-ana-shop/5b0c7d2e-9a41-4f6b-8c3d-2e1f0a9b8c7d.jsonl"
            << "claude-code" << 2LL << 1LL << 4LL << 2LL << 13'504LL << 350LL << 20'762'000LL
            << 0LL;
        QTest::newRow("codex")
            << "session-logs/codex/2026/09/01/"
               "rollout-2026-09-01T10-00-00-0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.jsonl"
            << "codex" << 2LL << 0LL << 5LL << 2LL << 20'000LL << 1'300LL << 25'625'000LL << 0LL;
        QTest::newRow("litellm daily") << "litellm/daily-activity.json" << "litellm-daily" << 3LL
                                       << 0LL << 0LL << 15LL << 35'000LL << 3'500LL
                                       << 104'250'000LL << 0LL;
        QTest::newRow("helicone jsonl") << "helicone/requests.jsonl" << "helicone-jsonl" << 3LL
                                        << 0LL << 0LL << 3LL << 4'800LL << 300LL << 9'045'000LL
                                        << 1LL;
        QTest::newRow("helicone csv") << "helicone/requests.csv" << "helicone-csv" << 3LL << 0LL
                                      << 0LL << 3LL << 4'800LL << 300LL << 9'045'000LL << 1LL;
        QTest::newRow("openrouter generations")
            << "openrouter/generations.jsonl" << "openrouter-jsonl" << 3LL << 0LL << 0LL << 3LL
            << 1'550LL << 365LL << 9'150'000LL << 1LL;
        QTest::newRow("openrouter activity") << "openrouter/activity.json" << "openrouter-activity"
                                             << 2LL << 0LL << 0LL << 7LL << 5'000LL << 700LL
                                             << 18'000'000LL << 0LL;
    }
    void totals()
    {
        QFETCH(QString, file);
        QFETCH(QString, format);
        QFETCH(qlonglong, imported);
        QFETCH(qlonglong, duplicates);
        QFETCH(qlonglong, skipped);
        QFETCH(qlonglong, requests);
        QFETCH(qlonglong, input);
        QFETCH(qlonglong, output);
        QFETCH(qlonglong, costNusd);
        QFETCH(qlonglong, errors);
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        const std::string path = kFixtures + file.toStdString();
        const FileImportResult r = Importer(*ws).importFile(path);
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(QString::fromStdString(r.format), format); // detected from the content
        QCOMPARE(r.imported, imported);
        QCOMPARE(r.duplicates, duplicates);
        QCOMPARE(r.rejected, int64_t(0));
        QCOMPARE(r.skipped, skipped);
        const Measures t = SummaryQuery::run(*ws, {}, {}).totals;
        QCOMPARE(t[MRequests], requests);
        QCOMPARE(t[MInputTokens], input);
        QCOMPARE(t[MOutputTokens], output);
        QCOMPARE(t[MCostNusd], costNusd);
        QCOMPARE(t[MErrorRequests], errors);
        // Again: nothing new.
        const FileImportResult again = Importer(*ws).importFile(path);
        QVERIFY(again.ok);
        QCOMPARE(again.imported, int64_t(0));
    }
    // Claude Code: the streamed message counts once with its final usage;
    // a sub-agent is an agent of its own; the session is the task.
    void claudeCodeAttribution()
    {
        QTemporaryDir dir;
        auto ws = tltest::openWorkspace(dir);
        QVERIFY(Importer(*ws).importFile(kFixtures + "session-logs/claude-code/-home-ana-shop/"
                                                     "5b0c7d2e-9a41-4f6b-8c3d-2e1f0a9b8c7d.jsonl")
                    .ok);
        const auto byAgent = SummaryQuery::run(*ws, {}, {*GroupKey::fromName("agent")});
        QCOMPARE(int(byAgent.rows.size()), 2);
        for (const auto &row : byAgent.rows) {
            if (row.keys[0] == "claude-code") {
                QCOMPARE(row.m[MOutputTokens], int64_t(250)); // the last copy, not 12 + 250
                QCOMPARE(row.m[MCacheWrite1hTokens], int64_t(2000));
            } else {
                QCOMPARE(row.keys[0], std::string("claude-code/a1b2c3d4"));
            }
        }
        QCOMPARE(countWhere(*ws, "SELECT COUNT(DISTINCT task_id) FROM calls"), int64_t(1));
        QCOMPARE(countWhere(*ws, "SELECT COUNT(*) FROM calls WHERE tags LIKE "
                                 "'%\"git_branch\":\"main\"%'"),
                 int64_t(2));
    }
    // A user's whole folder at once: every session file found, in path order.
    void folderWalk()
    {
        const auto files = expandImportPaths({kFixtures + "session-logs"});
        QCOMPARE(int(files.size()), 2);
        QVERIFY(files[0].find("claude-code") != std::string::npos);
        QVERIFY(files[1].find("codex") != std::string::npos);
        QTemporaryDir empty;
        std::vector<std::string> emptyFolders;
        QVERIFY(expandImportPaths({empty.path().toStdString()}, &emptyFolders).empty());
        QCOMPARE(int(emptyFolders.size()), 1);
    }
    // A session interrupted mid-line: the broken line is rejected with its
    // line number, the calls before it are kept.
    void truncatedClaudeSession()
    {
        QTemporaryDir dir;
        QFile in(QString::fromStdString(kFixtures + "session-logs/claude-code/-home-ana-shop/"
                                                    "5b0c7d2e-9a41-4f6b-8c3d-2e1f0a9b8c7d.jsonl"));
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray text = in.readAll();
        text.truncate(text.lastIndexOf("\"requestId\"")); // cut inside the last line
        const std::string path =
            tltest::writeFile(dir, QStringLiteral("cut.jsonl"), text);
        auto ws = tltest::openWorkspace(dir);
        const FileImportResult r = Importer(*ws).importFile(path);
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.imported, int64_t(2));
        QCOMPARE(r.rejected, int64_t(1));
        QCOMPARE(r.rejections.at(0).line, int64_t(8));
        QVERIFY(QString::fromStdString(r.rejections.at(0).reason).contains("invalid JSON"));
    }
    // LiteLLM's daily activity was taken for a spend log and refused with
    // "startTime: missing"; every new format is named in the refusal list.
    void detectionAndTheRefusalList()
    {
        QTemporaryDir dir;
        std::string detected, error;
        QVERIFY(openLogFile(kFixtures + "litellm/daily-activity.json", "auto", &detected, &error));
        QCOMPARE(detected, std::string("litellm-daily"));
        const std::string junk = tltest::writeFile(dir, QStringLiteral("junk.txt"), "hello\n");
        QVERIFY(!openLogFile(junk, "auto", &detected, &error));
        for (const char *name : {"claude-code", "codex", "litellm-daily", "openrouter",
                                 "openrouter-activity", "helicone", "helicone-csv"})
            QVERIFY2(error.find(name) != std::string::npos, name);
    }
};

QTEST_GUILESS_MAIN(TstMoreFormats)
#include "tst_moreformats.moc"
