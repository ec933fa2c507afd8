#include "store/sqlitedb.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

// The command line as users and cron jobs run it: the real binary.
class TstCli : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

    struct Run
    {
        int code;
        QByteArray out;
        QByteArray err;
    };

    Run run(const QStringList &args)
    {
        QProcess p;
        p.setWorkingDirectory(m_dir.path());
        p.start(QStringLiteral(TL_BINARY), args);
        if (!p.waitForFinished(240000))
            qFatal("tokenledger %s did not finish", qPrintable(args.join(QLatin1Char(' '))));
        return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
    }
    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }
    QJsonObject summaryJson(const QStringList &extra)
    {
        Run r = run(QStringList{QStringLiteral("summary"), QStringLiteral("--db"), path("ws.db"),
                                QStringLiteral("--format"), QStringLiteral("json")} +
                    extra);
        if (r.code != 0)
            qFatal("summary failed: %s", r.err.constData());
        return QJsonDocument::fromJson(r.out).object();
    }

private Q_SLOTS:
    void initTestCase()
    {
        Run g = run({QStringLiteral("generate"), QStringLiteral("--out"), path("fleet.csv"),
                     QStringLiteral("--agents"), QStringLiteral("10"), QStringLiteral("--days"),
                     QStringLiteral("7"), QStringLiteral("--start"), QStringLiteral("2026-04-06"),
                     QStringLiteral("--calls-per-day"), QStringLiteral("2000"),
                     QStringLiteral("--seed"), QStringLiteral("5")});
        QCOMPARE(g.code, 0);
        QVERIFY(g.out.contains("calls"));
        Run i = run(
            {QStringLiteral("import"), QStringLiteral("--db"), path("ws.db"), path("fleet.csv")});
        QVERIFY2(i.code == 0, i.err.constData());
        QVERIFY2(i.out.contains(" imported, 0 duplicates, 0 rejected"), i.out.constData());
    }
    // A reader (a cron `summary`, the app, a colleague) always gets an
    // answer while an import writes into the same workspace: the totals
    // before the file or after it, never an error and never half a file.
    void summaryAnswersWhileAnImportRuns()
    {
        const QString db = path("busy.db");
        Run g = run({QStringLiteral("generate"), QStringLiteral("--out"), path("million.csv"),
                     QStringLiteral("--agents"), QStringLiteral("60"), QStringLiteral("--days"),
                     QStringLiteral("38"), QStringLiteral("--start"), QStringLiteral("2026-05-01"),
                     QStringLiteral("--calls-per-day"), QStringLiteral("34000"),
                     QStringLiteral("--seed"), QStringLiteral("9")});
        QCOMPARE(g.code, 0);
        QCOMPARE(
            run({QStringLiteral("import"), QStringLiteral("--db"), db, path("fleet.csv")}).code, 0);
        const auto totals = [&](bool *ok, QByteArray *err) {
            Run r = run({QStringLiteral("summary"), QStringLiteral("--db"), db,
                         QStringLiteral("--format"), QStringLiteral("json")});
            *ok = r.code == 0;
            *err = r.err;
            const QJsonObject t =
                QJsonDocument::fromJson(r.out).object().value(QStringLiteral("totals")).toObject();
            return std::make_pair(qint64(t.value(QStringLiteral("records")).toDouble()),
                                  t.value(QStringLiteral("cost_usd")).toDouble());
        };
        bool ok = false;
        QByteArray err;
        const auto before = totals(&ok, &err);
        QVERIFY2(ok, err.constData());

        QProcess import;
        import.start(QStringLiteral(TL_BINARY),
                     {QStringLiteral("import"), QStringLiteral("--db"), db, path("million.csv")});
        QVERIFY(import.waitForStarted());
        std::vector<std::pair<qint64, double>> seen;
        while (import.state() != QProcess::NotRunning) {
            const auto t = totals(&ok, &err);
            QVERIFY2(ok, qPrintable(QStringLiteral("summary #%1 during the import failed: %2")
                                        .arg(seen.size() + 1)
                                        .arg(QString::fromUtf8(err))));
            seen.push_back(t);
            import.waitForFinished(20);
        }
        QCOMPARE(import.exitCode(), 0);
        const auto after = totals(&ok, &err);
        QVERIFY2(ok, err.constData());
        QVERIFY(after.first > before.first + 900'000);
        // Enough answers during the write to mean something.
        QVERIFY2(seen.size() >= 3, qPrintable(QString::number(seen.size())));
        for (const auto &t : seen) {
            const bool old = t.first == before.first && std::abs(t.second - before.second) < 1e-6;
            const bool fresh = t.first == after.first && std::abs(t.second - after.second) < 1e-6;
            QVERIFY2(old || fresh, qPrintable(QStringLiteral("%1 calls, $%2: neither the old nor "
                                                             "the new totals")
                                                  .arg(t.first)
                                                  .arg(t.second, 0, 'f', 9)));
        }
        QFile::remove(path("million.csv"));
    }

    // kill -9 at points through a bulk import: afterwards every command and
    // the app (its offscreen `shot`) open the workspace and answer with the
    // last committed totals, and a re-import completes with exact totals.
    // (Once a kill left a hot journal the read-only probe could not replay:
    // "not a tokenledger workspace (not an SQLite database)".)
    void killedImportLeavesAWorkspace()
    {
        const QString big = path("killed.csv");
        QCOMPARE(run({QStringLiteral("generate"), QStringLiteral("--out"), big,
                      QStringLiteral("--agents"), QStringLiteral("40"), QStringLiteral("--days"),
                      QStringLiteral("10"), QStringLiteral("--calls-per-day"),
                      QStringLiteral("40000"), QStringLiteral("--seed"), QStringLiteral("4")})
                     .code,
                 0);
        const QString clean = path("clean.db");
        QCOMPARE(run({QStringLiteral("import"), QStringLiteral("--db"), clean, big}).code, 0);
        int killedMidway = 0;
        for (int ms : {5, 40, 120, 250, 400, 600, 900}) {
            const QString db = path("killed.db");
            for (const char *suffix : {"", "-wal", "-shm"})
                QFile::remove(db + QString::fromLatin1(suffix));
            QCOMPARE(run({QStringLiteral("import"), QStringLiteral("--db"), db,
                          QStringLiteral(TL_FIXTURES "/helicone/requests.jsonl")})
                         .code,
                     0);
            QProcess import;
            import.start(QStringLiteral(TL_BINARY),
                         {QStringLiteral("import"), QStringLiteral("--db"), db, big});
            QVERIFY(import.waitForStarted());
            QThread::msleep(ulong(ms));
            killedMidway += import.state() == QProcess::Running;
            import.kill(); // SIGKILL
            import.waitForFinished();
            for (const QStringList &cmd :
                 {QStringList{QStringLiteral("summary")}, QStringList{QStringLiteral("anomalies")},
                  QStringList{QStringLiteral("budgets"), QStringLiteral("list")},
                  QStringList{QStringLiteral("reconcile")}}) {
                Run r = run(cmd + QStringList{QStringLiteral("--db"), db});
                QVERIFY2(r.code == 0, qPrintable(QStringLiteral("after a kill at %1 ms, %2: %3")
                                                     .arg(ms)
                                                     .arg(cmd.join(QLatin1Char(' ')))
                                                     .arg(QString::fromUtf8(r.err))));
            }
            Run shot = run({QStringLiteral("shot"), QStringLiteral("--db"), db,
                            QStringLiteral("--out"), path("killed.png")});
            QVERIFY2(shot.code == 0, shot.err.constData());
            QCOMPARE(run({QStringLiteral("import"), QStringLiteral("--db"), db, big}).code, 0);
            Run all = run({QStringLiteral("summary"), QStringLiteral("--db"), db,
                           QStringLiteral("--format"), QStringLiteral("json")});
            QVERIFY2(all.code == 0, all.err.constData());
            // The file's calls exactly once, beside the three that were there.
            const QJsonObject t = QJsonDocument::fromJson(all.out)
                                      .object()
                                      .value(QStringLiteral("totals"))
                                      .toObject();
            const QJsonObject w = QJsonDocument::fromJson(
                                      run({QStringLiteral("summary"), QStringLiteral("--db"), clean,
                                           QStringLiteral("--format"), QStringLiteral("json")})
                                          .out)
                                      .object()
                                      .value(QStringLiteral("totals"))
                                      .toObject();
            QCOMPARE(t.value(QStringLiteral("records")).toInteger(),
                     w.value(QStringLiteral("records")).toInteger() + 3);
            // ... and their cost, plus the three Helicone calls' $0.009045.
            QVERIFY(std::abs(t.value(QStringLiteral("cost_usd")).toDouble() -
                             w.value(QStringLiteral("cost_usd")).toDouble() - 0.009045) < 1e-6);
        }
        QVERIFY2(killedMidway >= 3, qPrintable(QString::number(killedMidway)));

        // The same for a catalog recompute: afterwards every cost is of the
        // old catalog or of the new one, never a mix.
        const QString cat = path("doubled.json");
        QCOMPARE(run({QStringLiteral("prices"), QStringLiteral("export"), cat,
                      QStringLiteral("--db"), clean})
                     .code,
                 0);
        {
            QFile f(cat);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QJsonObject doc = QJsonDocument::fromJson(f.readAll()).object();
            QJsonArray models = doc.value(QStringLiteral("models")).toArray();
            for (int i = 0; i < models.size(); ++i) {
                QJsonObject m = models[i].toObject();
                for (const QString &k : m.keys())
                    if (k.endsWith(QStringLiteral("_per_mtok")))
                        m[k] = m[k].toDouble() * 2;
                models[i] = m;
            }
            doc[QStringLiteral("models")] = models;
            f.resize(0);
            f.write(QJsonDocument(doc).toJson());
        }
        auto cost = [&](const QString &db) {
            return QJsonDocument::fromJson(
                       run({QStringLiteral("summary"), QStringLiteral("--db"), db,
                            QStringLiteral("--format"), QStringLiteral("json")})
                           .out)
                .object()
                .value(QStringLiteral("totals"))
                .toObject()
                .value(QStringLiteral("computed_cost_usd"))
                .toDouble();
        };
        const double oldCost = cost(clean);
        for (int ms : {30, 150, 400}) {
            const QString db = path("recompute.db");
            for (const char *suffix : {"", "-wal", "-shm"})
                QFile::remove(db + QString::fromLatin1(suffix));
            QVERIFY(QFile::copy(clean, db));
            QProcess recompute;
            recompute.start(QStringLiteral(TL_BINARY),
                            {QStringLiteral("prices"), QStringLiteral("import"), cat,
                             QStringLiteral("--db"), db});
            QVERIFY(recompute.waitForStarted());
            QThread::msleep(ulong(ms));
            recompute.kill();
            recompute.waitForFinished();
            const double c = cost(db);
            QVERIFY2(std::abs(c - oldCost) < 1e-6 || std::abs(c - 2 * oldCost) < 2e-3,
                     qPrintable(QStringLiteral("after a kill at %1 ms: $%2, old $%3")
                                    .arg(ms)
                                    .arg(c, 0, 'f', 6)
                                    .arg(oldCost, 0, 'f', 6)));
        }
        QFile::remove(big);
    }

    // A name that is not UTF-8 (stored by an older release, or read from a
    // foreign file) once aborted `summary --format json` with an uncaught
    // JSON-library error; now it prints, with U+FFFD in its place.
    void invalidUtf8NameInJson()
    {
        const QString db = path("utf8.db");
        QCOMPARE(run({QStringLiteral("import"), QStringLiteral("--db"), db,
                      QStringLiteral(TL_FIXTURES "/helicone/requests.jsonl")})
                     .code,
                 0);
        {
            tl::SqliteDb raw(db.toStdString());
            raw.exec("UPDATE dims SET name = X'73C328' WHERE kind = 3"); // team "s\xC3("
        }
        Run r = run({QStringLiteral("summary"), QStringLiteral("--db"), db, QStringLiteral("--by"),
                     QStringLiteral("team"), QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(QString::fromUtf8(r.out).contains(QChar(0xFFFD)));
        // And a CSV from a LiteLLM export with such a name is rejected, row by row.
        QFile f(path("bad-utf8.csv"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("request_id,call_type,spend,prompt_tokens,completion_tokens,startTime,endTime,"
                "model,user,metadata,request_tags\n"
                "r1,acompletion,0.1,10,1,2026-09-01T10:00:00Z,2026-09-01T10:00:01Z,gpt-4o,"
                "bad\xC3\x28,{},[]\n");
        f.close();
        Run i = run({QStringLiteral("import"), QStringLiteral("--db"), db, path("bad-utf8.csv")});
        QCOMPARE(i.code, 0);
        QVERIFY2(i.err.contains("invalid UTF-8"), i.err.constData());
    }

    void reimportAddsNothing()
    {
        Run i = run(
            {QStringLiteral("import"), QStringLiteral("--db"), path("ws.db"), path("fleet.csv")});
        QCOMPARE(i.code, 0);
        QVERIFY2(i.out.contains(": csv, 0 imported,"), i.out.constData());
    }
    void summaryJsonShape()
    {
        const QJsonObject all = summaryJson({});
        for (const char *key : {"from", "to", "totals", "rows"})
            QVERIFY2(all.contains(QLatin1String(key)), key);
        const QJsonObject totals = all.value(QStringLiteral("totals")).toObject();
        for (const char *key : {"records", "requests", "input_tokens", "cached_input_tokens",
                                "output_tokens", "cost_usd", "unpriced_requests"})
            QVERIFY2(totals.contains(QLatin1String(key)), key);
        QVERIFY(totals.value(QStringLiteral("records")).toDouble() > 1000);
        const QJsonObject byAgent = summaryJson({QStringLiteral("--by"), QStringLiteral("agent")});
        const QJsonArray rows = byAgent.value(QStringLiteral("rows")).toArray();
        QCOMPARE(rows.size(), 10);
        double cost = 0;
        for (const auto &row : rows) {
            QVERIFY(!row.toObject().value(QStringLiteral("agent")).toString().isEmpty());
            cost += row.toObject().value(QStringLiteral("cost_usd")).toDouble();
        }
        QVERIFY(qAbs(cost - totals.value(QStringLiteral("cost_usd")).toDouble()) < 1e-6);
    }
    // A period says how much of it the data covers: in JSON, and as a note
    // on stderr beside the table (the table itself stays parseable).
    void summaryCoverage()
    {
        const QJsonObject month =
            summaryJson({QStringLiteral("--from"), QStringLiteral("2026-04-01"),
                         QStringLiteral("--to"), QStringLiteral("2026-04-30")});
        const QJsonObject c = month.value(QStringLiteral("coverage")).toObject();
        QCOMPARE(c.value(QStringLiteral("from")).toString(), QStringLiteral("2026-04-01"));
        QCOMPARE(c.value(QStringLiteral("to")).toString(), QStringLiteral("2026-04-30"));
        QCOMPARE(c.value(QStringLiteral("days")).toInt(), 30);
        QCOMPARE(c.value(QStringLiteral("first_day")).toString(), QStringLiteral("2026-04-06"));
        QCOMPARE(c.value(QStringLiteral("last_day")).toString(), QStringLiteral("2026-04-12"));
        QCOMPARE(c.value(QStringLiteral("days_with_data")).toInt(), 7);
        QCOMPARE(c.value(QStringLiteral("complete")).toBool(), false);
        Run t = run({QStringLiteral("summary"), QStringLiteral("--db"), path("ws.db"),
                     QStringLiteral("--from"), QStringLiteral("2026-04-01"), QStringLiteral("--to"),
                     QStringLiteral("2026-04-30")});
        QCOMPARE(t.code, 0);
        QVERIFY2(t.err.contains("note: data from 2026-04-06 to 2026-04-12 (7 of 30 days)"),
                 t.err.constData());
        // All data covers itself; an empty period has no days with data.
        const QJsonObject all = summaryJson({}).value(QStringLiteral("coverage")).toObject();
        QCOMPARE(all.value(QStringLiteral("days_with_data")).toInt(), 7);
        QCOMPARE(all.value(QStringLiteral("complete")).toBool(), true);
        const QJsonObject none =
            summaryJson({QStringLiteral("--from"), QStringLiteral("2025-01-01"),
                         QStringLiteral("--to"), QStringLiteral("2025-01-31")})
                .value(QStringLiteral("coverage"))
                .toObject();
        QCOMPARE(none.value(QStringLiteral("days_with_data")).toInt(), 0);
        QVERIFY(none.value(QStringLiteral("first_day")).isNull());
    }

    // A model with no price and no logged cost is unknown in every output:
    // null in JSON, "unpriced" in the table, an empty CSV cell; never 0.
    void unpricedRowsAreUnknown()
    {
        const QString db = path("unpriced.db");
        QFile f(path("unpriced.csv"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("ts,model,input_tokens,output_tokens,agent\n"
                "2026-04-07T10:00:00Z,house-model-7b,1000,100,a\n"
                "2026-04-07T10:00:01Z,gpt-4o-mini,1000,100,a\n");
        f.close();
        QCOMPARE(
            run({QStringLiteral("import"), QStringLiteral("--db"), db, path("unpriced.csv")}).code,
            0);
        const QStringList by = {QStringLiteral("summary"), QStringLiteral("--db"), db,
                                QStringLiteral("--by"), QStringLiteral("model")};
        const Run json = run(by + QStringList{QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(json.code, 0);
        bool seen = false;
        for (const auto &row :
             QJsonDocument::fromJson(json.out).object().value(QStringLiteral("rows")).toArray()) {
            const QJsonObject o = row.toObject();
            if (o.value(QStringLiteral("model")).toString() != QStringLiteral("house-model-7b"))
                continue;
            seen = true;
            QVERIFY(o.value(QStringLiteral("cost_usd")).isNull());
            QCOMPARE(o.value(QStringLiteral("unpriced_requests")).toInt(), 1);
        }
        QVERIFY(seen);
        const Run table = run(by);
        QVERIFY2(table.out.contains("unpriced"), table.out.constData());
        const Run csv = run(by + QStringList{QStringLiteral("--format"), QStringLiteral("csv")});
        QVERIFY2(csv.out.contains("house-model-7b,1,1,1000,0,0,100,0,,,"), csv.out.constData());
    }

    void summaryDateRange()
    {
        const QJsonObject r = summaryJson({QStringLiteral("--from"), QStringLiteral("2026-04-07"),
                                           QStringLiteral("--to"), QStringLiteral("2026-04-08"),
                                           QStringLiteral("--granularity"), QStringLiteral("day")});
        QCOMPARE(r.value(QStringLiteral("from")).toString(), QStringLiteral("2026-04-07"));
        const QJsonArray rows = r.value(QStringLiteral("rows")).toArray();
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows.at(0).toObject().value(QStringLiteral("day")).toString(),
                 QStringLiteral("2026-04-07"));
    }
    void summaryTableAndCsv()
    {
        Run t = run({QStringLiteral("summary"), QStringLiteral("--db"), path("ws.db"),
                     QStringLiteral("--by"), QStringLiteral("team")});
        QCOMPARE(t.code, 0);
        QVERIFY(t.out.startsWith("team"));
        QVERIFY(t.out.contains("TOTAL"));
        QVERIFY(t.out.contains("$"));
        Run c = run({QStringLiteral("summary"), QStringLiteral("--db"), path("ws.db"),
                     QStringLiteral("--by"), QStringLiteral("model"), QStringLiteral("--format"),
                     QStringLiteral("csv")});
        QCOMPARE(c.code, 0);
        QVERIFY(c.out.startsWith("model,records,requests,"));
        QVERIFY(!c.out.contains("$"));
    }
    // FOCUS in through the binary: `import` recognises a cloud bill, keeps
    // it apart from calls, and summary shows it beside the LLM cost; a
    // model filter cannot say (null), a second import adds nothing.
    void focusBillsAsInfrastructure()
    {
        const QString db = path("infra.db");
        const QString bill = QStringLiteral(TL_FIXTURES "/focus/azure-focus-1.2.csv");
        Run i = run({QStringLiteral("import"), QStringLiteral("--db"), db, bill});
        QCOMPARE(i.code, 0);
        QVERIFY2(i.out.contains("focus, 1 charges as infrastructure cost"), i.out.constData());
        Run again = run({QStringLiteral("import"), QStringLiteral("--db"), db, bill});
        QVERIFY2(again.out.contains("0 day amounts added, 3 already there"), again.out.constData());
        const auto summary = [&](const QStringList &extra) {
            Run s = run(QStringList{QStringLiteral("summary"), QStringLiteral("--db"), db,
                                    QStringLiteral("--format"), QStringLiteral("json")} +
                        extra);
            return QJsonDocument::fromJson(s.out).object();
        };
        const QJsonObject all = summary({QStringLiteral("--by"), QStringLiteral("agent")});
        QCOMPARE(all[QStringLiteral("totals")][QStringLiteral("infra_cost_usd")].toDouble(), 96.0);
        QCOMPARE(all[QStringLiteral("totals")][QStringLiteral("records")].toInt(), 0);
        const QJsonArray rows = all[QStringLiteral("rows")].toArray();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows[0][QStringLiteral("agent")].toString(), QStringLiteral("code-review-1"));
        QCOMPARE(rows[0][QStringLiteral("infra_cost_usd")].toDouble(), 96.0);
        const QJsonObject day = summary({QStringLiteral("--from"), QStringLiteral("2026-10-02"),
                                         QStringLiteral("--to"), QStringLiteral("2026-10-02")});
        QCOMPARE(day[QStringLiteral("totals")][QStringLiteral("infra_cost_usd")].toDouble(), 48.0);
        const QJsonObject byModel = summary({QStringLiteral("--by"), QStringLiteral("model")});
        QVERIFY(byModel[QStringLiteral("totals")][QStringLiteral("infra_cost_usd")].isNull());
        // A workspace without a bill: unknown, not $0.
        QVERIFY(
            summaryJson({})[QStringLiteral("totals")][QStringLiteral("infra_cost_usd")].isNull());
    }

    // FOCUS out through the binary: the file, its BilledCost equal to
    // summary's cost (summed here from the CSV), and the usage error.
    void exportFocus()
    {
        const QString out = path("focus.csv");
        Run e = run({QStringLiteral("export"), QStringLiteral("--db"), path("ws.db"),
                     QStringLiteral("--focus"), out});
        QCOMPARE(e.code, 0);
        QVERIFY2(e.out.contains("FOCUS rows"), e.out.constData());
        Run s = run({QStringLiteral("summary"), QStringLiteral("--db"), path("ws.db"),
                     QStringLiteral("--format"), QStringLiteral("json")});
        const double cost =
            QJsonDocument::fromJson(s.out)[QStringLiteral("totals")][QStringLiteral("cost_usd")]
                .toDouble();
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> header = f.readLine().trimmed().split(',');
        const int billed = int(header.indexOf("BilledCost"));
        QVERIFY(billed > 0);
        double sum = 0;
        while (!f.atEnd()) {
            // Cells before BilledCost hold no quoted commas (names, dates, numbers).
            const QList<QByteArray> cells = f.readLine().split(',');
            sum += cells[billed].toDouble();
        }
        QVERIFY2(std::abs(sum - cost) < 1e-6, qPrintable(QString::number(sum - cost)));
        Run bad = run({QStringLiteral("export"), QStringLiteral("--db"), path("ws.db")});
        QCOMPARE(bad.code, 1);
        QVERIFY(bad.err.contains("--focus OUT.csv"));
    }

    void exitCodes_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown-command")
            << QStringList{QStringLiteral("frobnicate")} << 1 << "unknown command";
        QTest::newRow("import-no-db")
            << QStringList{QStringLiteral("import"), QStringLiteral("x.csv")} << 1 << "--db";
        QTest::newRow("bad-option")
            << QStringList{QStringLiteral("summary"), QStringLiteral("--bogus")} << 1 << "bogus";
        QTest::newRow("bad-by") << QStringList{QStringLiteral("summary"), QStringLiteral("--db"),
                                               QStringLiteral("ws.db"), QStringLiteral("--by"),
                                               QStringLiteral("colour")}
                                << 1 << "unknown dimension 'colour'";
        QTest::newRow("bad-date") << QStringList{QStringLiteral("summary"), QStringLiteral("--db"),
                                                 QStringLiteral("ws.db"), QStringLiteral("--from"),
                                                 QStringLiteral("last tuesday")}
                                  << 1 << "--from expects YYYY-MM-DD";
        QTest::newRow("missing-db")
            << QStringList{QStringLiteral("summary"), QStringLiteral("--db"),
                           QStringLiteral("nope.db")}
            << 2 << "no such workspace";
        QTest::newRow("unreadable-file")
            << QStringList{QStringLiteral("import"), QStringLiteral("--db"),
                           QStringLiteral("ws.db"), QStringLiteral("missing.csv")}
            << 2 << "cannot be opened";
        QTest::newRow("bad-prices")
            << QStringList{QStringLiteral("import"),    QStringLiteral("--db"),
                           QStringLiteral("ws.db"),     QStringLiteral("--prices"),
                           QStringLiteral("fleet.csv"), QStringLiteral("fleet.csv")}
            << 2 << "not valid JSON";
    }
    void exitCodes()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        Run r = run(args);
        QCOMPARE(r.code, code);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
        QVERIFY(r.err.startsWith("tokenledger: "));
    }
    void rejectsAndStrict()
    {
        QFile f(path("bad.csv"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("ts,model,input_tokens,output_tokens\n"
                "2026-04-06T10:00:00Z,gpt-4o,100,10\n"
                "2026-04-06T10:00:01Z,gpt-4o,=1+2,10\n"
                "2026-04-06T10:00:02Z,gpt-4o,100,11\n");
        f.close();
        Run r = run({QStringLiteral("import"), QStringLiteral("--db"), path("rej.db"),
                     QStringLiteral("--rejects"), path("rejects.csv"), path("bad.csv")});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("2 imported, 0 duplicates, 1 rejected"));
        QVERIFY(r.err.contains("bad.csv: line 3: input_tokens: expected a non-negative integer"));
        QFile rej(path("rejects.csv"));
        QVERIFY(rej.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = rej.readAll().split('\n');
        QCOMPARE(lines.at(0).trimmed(), QByteArray("file,line,location,reason,original"));
        QVERIFY(lines.at(1).contains(",3,line 3,"));
        QVERIFY(lines.at(1).contains(
            "\"2026-04-06T10:00:01Z,gpt-4o,=1+2,10\"")); // the original line, quoted
        Run strict = run({QStringLiteral("import"), QStringLiteral("--db"), path("strict.db"),
                          QStringLiteral("--strict"), path("bad.csv")});
        QCOMPARE(strict.code, 2);
        QVERIFY(strict.err.contains("--strict"));
    }
    void reconcile()
    {
        Run i = run({QStringLiteral("import"), QStringLiteral("--db"), path("rec.db"),
                     QStringLiteral(TL_FIXTURES "/litellm/spend-logs.json")});
        QCOMPARE(i.code, 0);
        Run r = run({QStringLiteral("reconcile"), QStringLiteral("--db"), path("rec.db"),
                     QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(doc.value(QStringLiteral("bills")).toArray().size(), 0);
        const QJsonArray rows = doc.value(QStringLiteral("logs")).toArray();
        QCOMPARE(rows.size(), 3);
        for (const auto &v : rows) {
            const QJsonObject o = v.toObject();
            const QString model = o.value(QStringLiteral("model")).toString();
            const double diff = o.value(QStringLiteral("difference_usd")).toDouble();
            if (model == QStringLiteral("gpt-4o-mini")) {
                // LiteLLM said $0.50; the catalog says 1000 x 0.15 + 100 x 0.6 per Mtok = $0.00021
                QVERIFY(qAbs(o.value(QStringLiteral("reported_usd")).toDouble() - 0.5) < 1e-9);
                QVERIFY(qAbs(diff - 0.49979) < 1e-9);
            } else {
                QVERIFY2(qAbs(diff) < 1e-9, qPrintable(model));
            }
        }
        // A provider's cost report is recognised by import and reconciled by provider.
        Run usage = run({QStringLiteral("import"), QStringLiteral("--db"), path("bill.db"),
                         QStringLiteral(TL_FIXTURES "/usage-reports/anthropic-usage-messages.json"),
                         QStringLiteral(TL_FIXTURES "/cost-reports/anthropic-cost-report.json")});
        QVERIFY2(usage.code == 0, usage.err.constData());
        QVERIFY2(usage.out.contains("anthropic-costs, 7 cost lines"), usage.out.constData());
        Run bills = run({QStringLiteral("reconcile"), QStringLiteral("--db"), path("bill.db"),
                         QStringLiteral("--by"), QStringLiteral("provider"),
                         QStringLiteral("--format"), QStringLiteral("json")});
        const QJsonArray billRows =
            QJsonDocument::fromJson(bills.out).object().value(QStringLiteral("bills")).toArray();
        QCOMPARE(billRows.size(), 1);
        QVERIFY(qAbs(billRows.at(0).toObject().value(QStringLiteral("difference_usd")).toDouble() -
                     0.01) < 1e-9);
        // ... and by line the difference is the code execution the catalog does not price.
        Run byLine = run({QStringLiteral("reconcile"), QStringLiteral("--db"), path("bill.db"),
                          QStringLiteral("--by"), QStringLiteral("line"),
                          QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(byLine.code == 0, byLine.err.constData());
        const QJsonArray lines =
            QJsonDocument::fromJson(byLine.out).object().value(QStringLiteral("bills")).toArray();
        QCOMPARE(lines.size(), 3); // standard, web search, other
        for (const QJsonValue &v : lines) {
            const QJsonObject o = v.toObject();
            const double diff = o.value(QStringLiteral("difference_usd")).toDouble();
            const bool other =
                o.value(QStringLiteral("line")).toString() == QStringLiteral("other");
            QVERIFY2(qAbs(diff - (other ? 0.01 : 0.0)) < 1e-9,
                     qPrintable(o.value(QStringLiteral("line")).toString()));
        }
        Run bad = run({QStringLiteral("reconcile"), QStringLiteral("--db"), path("rec.db"),
                       QStringLiteral("--by"), QStringLiteral("colour")});
        QCOMPARE(bad.code, 1);
    }
    void pricesRoundTripAndRecompute()
    {
        Run list = run({QStringLiteral("prices"), QStringLiteral("list"), QStringLiteral("--db"),
                        path("ws.db")});
        QCOMPARE(list.code, 0);
        QVERIFY(list.out.contains("gpt-4o-mini"));
        Run exp = run({QStringLiteral("prices"), QStringLiteral("export"), path("cat.json"),
                       QStringLiteral("--db"), path("ws.db")});
        QCOMPARE(exp.code, 0);
        const double before = summaryJson({})
                                  .value(QStringLiteral("totals"))
                                  .toObject()
                                  .value(QStringLiteral("cost_usd"))
                                  .toDouble();
        // LiteLLM's price map, with every model twice as expensive as ours for gpt-4o-mini only
        QFile f(path("litellm.json"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            R"({"gpt-4o-mini":{"litellm_provider":"openai","input_cost_per_token":3e-07,"output_cost_per_token":1.2e-06}})");
        f.close();
        Run imp = run({QStringLiteral("prices"), QStringLiteral("import"), path("litellm.json"),
                       QStringLiteral("--db"), path("ws.db")});
        QVERIFY2(imp.code == 0, imp.err.constData());
        const QJsonObject after = summaryJson({}).value(QStringLiteral("totals")).toObject();
        QVERIFY(after.value(QStringLiteral("unpriced_requests")).toDouble() >
                0); // other models now have no price
        Run back = run({QStringLiteral("prices"), QStringLiteral("import"), path("cat.json"),
                        QStringLiteral("--db"), path("ws.db")});
        QCOMPARE(back.code, 0);
        const double restored = summaryJson({})
                                    .value(QStringLiteral("totals"))
                                    .toObject()
                                    .value(QStringLiteral("cost_usd"))
                                    .toDouble();
        QVERIFY(qAbs(restored - before) < 1e-6);
    }

    // Every opportunity's saving is what `simulate` gives for the scenario
    // file it was saved as; portfolio and compare answer in JSON and tables.
    void decisionCommands()
    {
        const QString dir = path("opportunities");
        Run o = run({QStringLiteral("opportunities"), QStringLiteral("--db"), path("ws.db"),
                     QStringLiteral("--format"), QStringLiteral("json"),
                     QStringLiteral("--save-scenarios"), dir});
        QVERIFY2(o.code == 0, o.err.constData());
        const QJsonObject doc = QJsonDocument::fromJson(o.out).object();
        QCOMPARE(doc.value(QStringLiteral("period")).toObject().value(QStringLiteral("to")),
                 QJsonValue(QStringLiteral("2026-04-12")));
        const QJsonArray ops = doc.value(QStringLiteral("opportunities")).toArray();
        QVERIFY(ops.size() >= 3); // the generator repeats prompts and mixes models
        const QStringList files =
            QDir(dir).entryList({QStringLiteral("*.tlscenario")}, QDir::Files, QDir::Name);
        QCOMPARE(files.size(), ops.size());
        for (int i = 0; i < files.size(); ++i) {
            const QJsonObject op = ops[i].toObject();
            for (const char *key :
                 {"kind", "scope", "monthly_saving_usd", "success_change", "evidence", "scenario"})
                QVERIFY2(op.contains(QLatin1String(key)), key);
            Run s = run({QStringLiteral("simulate"), QStringLiteral("--db"), path("ws.db"),
                         QStringLiteral("--scenario"), QDir(dir).filePath(files[i]),
                         QStringLiteral("--format"), QStringLiteral("json"),
                         QStringLiteral("--samples"), QStringLiteral("0")});
            QVERIFY2(s.code == 0, s.err.constData());
            const QJsonObject h =
                QJsonDocument::fromJson(s.out).object().value(QStringLiteral("horizon")).toObject();
            const double saving = (h.value(QStringLiteral("baseline_cost_usd")).toDouble() -
                                   h.value(QStringLiteral("scenario_cost_usd")).toDouble()) /
                                  h.value(QStringLiteral("months")).toDouble();
            const double listed = op.value(QStringLiteral("monthly_saving_usd")).toDouble();
            QVERIFY2(qAbs(saving - listed) <= 1e-6 * qMax(1.0, saving),
                     qPrintable(files[i] + QStringLiteral(": %1 vs %2").arg(saving).arg(listed)));
        }
        Run table = run({QStringLiteral("opportunities"), QStringLiteral("--db"), path("ws.db")});
        QVERIFY(table.out.contains("saving/month"));

        Run p = run({QStringLiteral("portfolio"), QStringLiteral("--db"), path("ws.db"),
                     QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(p.code == 0, p.err.constData());
        const QJsonArray agents =
            QJsonDocument::fromJson(p.out).object().value(QStringLiteral("agents")).toArray();
        QCOMPARE(agents.size(), 10);
        for (const auto &a : agents) {
            const QString verdict = a.toObject().value(QStringLiteral("verdict")).toString();
            QVERIFY2(verdict == QLatin1String("scale") || verdict == QLatin1String("optimize") ||
                         verdict == QLatin1String("retire"),
                     qPrintable(verdict));
            QVERIFY(!a.toObject().value(QStringLiteral("reason")).toString().isEmpty());
        }

        Run c = run({QStringLiteral("compare"), QStringLiteral("--db"), path("ws.db"),
                     QStringLiteral("--a"), QStringLiteral("period:2026-04-06..2026-04-08"),
                     QStringLiteral("--b"), QStringLiteral("period:2026-04-09..2026-04-12"),
                     QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(c.code == 0, c.err.constData());
        const QJsonObject cmp = QJsonDocument::fromJson(c.out).object();
        QVERIFY(cmp.value(QStringLiteral("a"))
                    .toObject()
                    .contains(QStringLiteral("cost_per_success_usd")));
        QCOMPARE(cmp.value(QStringLiteral("difference"))
                     .toObject()
                     .value(QStringLiteral("ci95"))
                     .toArray()
                     .size(),
                 2);
        QVERIFY(!cmp.value(QStringLiteral("verdict")).toString().isEmpty());
        Run bad = run({QStringLiteral("compare"), QStringLiteral("--db"), path("ws.db"),
                       QStringLiteral("--a"), QStringLiteral("colour=red"), QStringLiteral("--b"),
                       QStringLiteral("team=x")});
        QCOMPARE(bad.code, 1);
        QVERIFY(bad.err.contains("unknown dimension 'colour'"));
    }

    // budgets import with "each" and a pool; adjust; allocate --apply.
    void budgetsEachAdjustAllocate()
    {
        const QString db = path("budgets-extra.db");
        QFile::remove(db);
        QVERIFY(QFile::copy(path("ws.db"), db));
        QFile f(path("extra-budgets.json"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"format": "tokenledger-budgets", "version": 1,
 "budgets": [{"name": "Each agent", "each": "agent", "period": "day", "amount_usd": 50},
             {"name": "Org", "period": "month", "amount_usd": 1000}],
 "pools": [{"name": "Fleet", "period": "day", "amount_usd": 100, "min_usd": 1, "max_usd": 30}]})");
        f.close();
        Run i = run({QStringLiteral("budgets"), QStringLiteral("import"),
                     path("extra-budgets.json"), QStringLiteral("--db"), db});
        QVERIFY2(i.code == 0, i.err.constData());
        QVERIFY2(i.out.startsWith("11 budgets and 1 pools imported"), i.out.constData());
        QVERIFY(i.err.contains("10 budgets, one per agent"));
        Run a = run({QStringLiteral("budgets"), QStringLiteral("adjust"), QStringLiteral("--db"),
                     db, QStringLiteral("--budget"), QStringLiteral("Org"),
                     QStringLiteral("--amount"), QStringLiteral("250"), QStringLiteral("--reason"),
                     QStringLiteral("credit for the outage"), QStringLiteral("--by"),
                     QStringLiteral("ana")});
        QVERIFY2(a.code == 0, a.err.constData());
        Run bad = run({QStringLiteral("budgets"), QStringLiteral("adjust"), QStringLiteral("--db"),
                       db, QStringLiteral("--budget"), QStringLiteral("Org"),
                       QStringLiteral("--amount"), QStringLiteral("250")});
        QCOMPARE(bad.code, 1); // no reason
        Run l = run({QStringLiteral("budgets"), QStringLiteral("list"), QStringLiteral("--db"), db,
                     QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(l.code == 0, l.err.constData());
        bool found = false;
        const QJsonDocument listed = QJsonDocument::fromJson(l.out);
        const QJsonArray rows = listed.isArray()
                                    ? listed.array()
                                    : listed.object().value(QStringLiteral("budgets")).toArray();
        for (const auto &b : rows)
            if (b.toObject().value(QStringLiteral("name")).toString() == QLatin1String("Org")) {
                found = true;
                QCOMPARE(b.toObject().value(QStringLiteral("amount_usd")).toDouble(), 1250.0);
                QCOMPARE(b.toObject().value(QStringLiteral("adjustments")).toArray().size(), 1);
            }
        QVERIFY(found);
        Run p =
            run({QStringLiteral("budgets"), QStringLiteral("allocate"), QStringLiteral("--db"), db,
                 QStringLiteral("--pool"), QStringLiteral("Fleet"), QStringLiteral("--apply"),
                 QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(p.code == 0, p.err.constData());
        const QJsonObject alloc = QJsonDocument::fromJson(p.out).object();
        double sum = 0;
        for (const auto &share : alloc.value(QStringLiteral("shares")).toArray()) {
            const double v = share.toObject().value(QStringLiteral("allocated_usd")).toDouble();
            QVERIFY(v >= 1 - 1e-9 && v <= 30 + 1e-9);
            sum += v;
        }
        QVERIFY(sum <= 100 + 1e-6);
        Run after =
            run({QStringLiteral("budgets"), QStringLiteral("list"), QStringLiteral("--db"), db});
        QCOMPARE(after.out.count("Fleet ·"), 10);
        Run none =
            run({QStringLiteral("budgets"), QStringLiteral("allocate"), QStringLiteral("--db"), db,
                 QStringLiteral("--pool"), QStringLiteral("Nope")});
        QCOMPARE(none.code, 2);
        QVERIFY(none.err.contains("no pool named \"Nope\" (pools: Fleet)"));
    }

    // Every command in the usage answers --help (exit 0, its own name);
    // `docs` writes a manual page with every command and option, and a bash
    // completion that completes commands, subcommands and options.
    void helpManualAndCompletion()
    {
        Run top = run({QStringLiteral("--help")});
        QCOMPARE(top.code, 0);
        Run version = run({QStringLiteral("--version")});
        QCOMPARE(version.code, 0);
        QVERIFY(version.out.startsWith("tokenledger "));
        const QString man = path("tokenledger.1"), completion = path("tokenledger.bash");
        Run docs = run({QStringLiteral("docs"), QStringLiteral("--man"), man,
                        QStringLiteral("--bash-completion"), completion});
        QVERIFY2(docs.code == 0, docs.err.constData());
        QFile m(man);
        QVERIFY(m.open(QIODevice::ReadOnly));
        const QString page = QString::fromUtf8(m.readAll());
        int commands = 0;
        for (const QString &line : QString::fromUtf8(top.out).split(QLatin1Char('\n'))) {
            const auto match =
                QRegularExpression(QStringLiteral("tokenledger \\[?([a-z-]+)")).match(line);
            if (!match.hasMatch())
                continue;
            const QString command = match.captured(1);
            Run help = run({command, QStringLiteral("--help")});
            if (command == QLatin1String("budgets") || command == QLatin1String("prices"))
                help = run({command, QStringLiteral("list"), QStringLiteral("--help")});
            QVERIFY2(help.code == 0, qPrintable(command + QLatin1Char(' ') + help.err));
            QVERIFY2(help.out.startsWith("Usage: tokenledger " + command.toUtf8()),
                     help.out.constData());
            QVERIFY2(page.contains(QStringLiteral(".SS \"tokenledger %1").arg(command)),
                     qPrintable(command));
            ++commands;
        }
        QVERIFY(commands >= 20);
        // Every option of a command is in its section.
        Run compare = run({QStringLiteral("compare"), QStringLiteral("--help")});
        // (Qt shows one-letter options as -a; --a works as well.)
        for (const char *option : {"--db", "-a", "-b", "--seed", "--resamples", "--format"}) {
            QVERIFY2(compare.out.contains(option), option);
            QVERIFY2(page.contains(QStringLiteral("\\fB") +
                                   QString::fromLatin1(option).replace(QLatin1Char('-'),
                                                                       QStringLiteral("\\-"))),
                     option);
        }
        // The completion, as bash runs it.
        const auto complete = [&](const QString &words) {
            QProcess bash;
            bash.start(QStringLiteral("bash"),
                       {QStringLiteral("-c"),
                        QStringLiteral(
                            "source '%1'; COMP_WORDS=(%2); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); "
                            "_tokenledger; echo \"${COMPREPLY[*]}\"")
                            .arg(completion, words)});
            bash.waitForFinished(10000);
            return QString::fromUtf8(bash.readAllStandardOutput()).trimmed();
        };
        QCOMPARE(complete(QStringLiteral("tokenledger comp")), QStringLiteral("compare"));
        QCOMPARE(complete(QStringLiteral("tokenledger compare --res")),
                 QStringLiteral("--resamples"));
        QCOMPARE(complete(QStringLiteral("tokenledger budgets al")), QStringLiteral("allocate"));
        QCOMPARE(complete(QStringLiteral("tokenledger budgets allocate --ap")),
                 QStringLiteral("--apply"));
        QVERIFY(complete(QStringLiteral("tokenledger o"))
                    .split(QLatin1Char(' '))
                    .contains(QStringLiteral("opportunities")));
    }

    void simulate()
    {
        const auto write = [&](const char *name, const QByteArray &levers) {
            QFile f(path(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("{\"format\":\"tokenledger-scenario\",\"version\":1,\"name\":\"t\","
                    "\"baseline\":{\"from\":\"2026-04-07\",\"to\":\"2026-04-11\"},"
                    "\"levers\":" +
                    levers + "}");
        };
        const auto simulateJson = [&](const char *name) {
            Run r = run({QStringLiteral("simulate"), QStringLiteral("--db"), path("ws.db"),
                         QStringLiteral("--scenario"), path(name), QStringLiteral("--format"),
                         QStringLiteral("json")});
            if (r.code != 0)
                qFatal("simulate failed: %s", r.err.constData());
            return QJsonDocument::fromJson(r.out).object();
        };
        const double summaryCost =
            summaryJson({QStringLiteral("--from"), QStringLiteral("2026-04-07"),
                         QStringLiteral("--to"), QStringLiteral("2026-04-11")})
                .value(QStringLiteral("totals"))
                .toObject()
                .value(QStringLiteral("cost_usd"))
                .toDouble();
        write("neutral.json", "{}");
        const QJsonObject neutral = simulateJson("neutral.json");
        const QJsonObject base = neutral.value(QStringLiteral("baseline")).toObject();
        const QJsonObject scen = neutral.value(QStringLiteral("scenario")).toObject();
        for (const char *key : {"llm_cost_usd", "infra_cost_usd", "other_cost_usd",
                                "total_cost_usd", "successful_tasks", "value_usd", "roi"})
            QVERIFY2(base.contains(QLatin1String(key)) && scen.contains(QLatin1String(key)), key);
        QVERIFY(qAbs(base.value(QStringLiteral("llm_cost_usd")).toDouble() - summaryCost) < 1e-6);
        QVERIFY(qAbs(scen.value(QStringLiteral("total_cost_usd")).toDouble() -
                     base.value(QStringLiteral("total_cost_usd")).toDouble()) < 1e-9);
        QCOMPARE(neutral.value(QStringLiteral("monthly")).toArray().size(), 12);
        QVERIFY(neutral.value(QStringLiteral("sensitivity")).toArray().size() >= 12);
        QVERIFY(!neutral.contains(QStringLiteral("monte_carlo")));

        write("cache.json", "{\"response_cache\":{\"hit_rate\":0.5}}");
        const QJsonObject cache = simulateJson("cache.json");
        QVERIFY(qAbs(cache.value(QStringLiteral("scenario"))
                         .toObject()
                         .value(QStringLiteral("llm_cost_usd"))
                         .toDouble() -
                     summaryCost / 2) < 1e-6);

        Run table = run({QStringLiteral("simulate"), QStringLiteral("--db"), path("ws.db"),
                         QStringLiteral("--scenario"), path("cache.json")});
        QCOMPARE(table.code, 0);
        QVERIFY(table.out.contains("Total cost"));
        QVERIFY(table.out.contains("-50.0%"));

        write("bad.json", "{\"batching\":{\"window_s\":-5}}");
        Run bad = run({QStringLiteral("simulate"), QStringLiteral("--db"), path("ws.db"),
                       QStringLiteral("--scenario"), path("bad.json")});
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains("$.levers.batching.window_s: expected a number from 0 to 86400"),
                 bad.err.constData());
        write("model.json",
              "{\"model_mix\":[{\"from\":\"gpt-4o\",\"to\":\"gpt-17\",\"share\":1}]}");
        Run model = run({QStringLiteral("simulate"), QStringLiteral("--db"), path("ws.db"),
                         QStringLiteral("--scenario"), path("model.json")});
        QCOMPARE(model.code, 2);
        QVERIFY2(model.err.contains("$.levers.model_mix[0].to: unknown model \"gpt-17\""),
                 model.err.constData());
    }

    void budgetsCommands()
    {
        const auto write = [&](const char *name, const QByteArray &text) {
            QFile f(path(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text);
        };
        write("budgets.json",
              R"({"format":"tokenledger-budgets","version":1,"budgets":[
                {"name":"Everything","scope":{},"period":"month","amount_usd":1000000,"hard":true},
                {"name":"Tiny","scope":{},"period":"week","amount_usd":0.01,"hard":false}]})");
        Run imp = run({QStringLiteral("budgets"), QStringLiteral("import"), QStringLiteral("--db"),
                       path("ws.db"), path("budgets.json")});
        QVERIFY2(imp.code == 0, imp.err.constData());
        QVERIFY(imp.out.contains("2 budgets imported"));
        // The fleet's last week, as of its last day.
        const QStringList check = {QStringLiteral("budgets"),  QStringLiteral("check"),
                                   QStringLiteral("--db"),     path("ws.db"),
                                   QStringLiteral("--at"),     QStringLiteral("2026-04-12"),
                                   QStringLiteral("--format"), QStringLiteral("json")};
        Run ok = run(check);
        QCOMPARE(ok.code, 0); // the soft budget is breached, the hard one is not
        const QJsonObject doc = QJsonDocument::fromJson(ok.out).object();
        const QJsonArray list = doc.value(QStringLiteral("budgets")).toArray();
        QCOMPARE(list.size(), 2);
        QCOMPARE(list[1].toObject().value(QStringLiteral("state")).toString(),
                 QStringLiteral("breached"));
        QVERIFY(list[0].toObject().value(QStringLiteral("spent_usd")).toDouble() > 0);
        // Same scope but another period: not its child.
        QVERIFY(list[1].toObject().value(QStringLiteral("parent")).isNull());
        write("hard.json",
              R"({"format":"tokenledger-budgets","version":1,"budgets":[
                {"name":"Hard","scope":{},"period":"month","amount_usd":0.5,"hard":true,"on_breach":"reject"}]})");
        QCOMPARE(run({QStringLiteral("budgets"), QStringLiteral("import"), QStringLiteral("--db"),
                      path("ws.db"), path("hard.json")})
                     .code,
                 0);
        Run breach = run(check);
        QCOMPARE(breach.code, 3); // cron and CI: a hard budget is over
        Run table = run({QStringLiteral("budgets"), QStringLiteral("list"), QStringLiteral("--db"),
                         path("ws.db"), QStringLiteral("--at"), QStringLiteral("2026-04-12")});
        QCOMPARE(table.code, 0);
        QVERIFY(table.out.contains("Hard") && table.out.contains("breached (hard)"));
        Run exp = run({QStringLiteral("budgets"), QStringLiteral("export"), QStringLiteral("--db"),
                       path("ws.db"), path("out.json")});
        QCOMPARE(exp.code, 0);
        QFile out(path("out.json"));
        QVERIFY(out.open(QIODevice::ReadOnly));
        QVERIFY(out.readAll().contains("\"on_breach\": \"reject\""));
        write(
            "bad.json",
            R"({"format":"tokenledger-budgets","version":1,"budgets":[{"name":"x","period":"fortnight","amount_usd":1}]})");
        Run bad = run({QStringLiteral("budgets"), QStringLiteral("import"), QStringLiteral("--db"),
                       path("ws.db"), path("bad.json")});
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains("$.budgets[0].period: expected day, week, month or quarter"),
                 bad.err.constData());
        // A refused file leaves the stored budgets alone.
        QCOMPARE(run(check).code, 3);
        QCOMPARE(run({QStringLiteral("budgets"), QStringLiteral("import"), QStringLiteral("--db"),
                      path("ws.db"), path("budgets.json")})
                     .code,
                 0);
    }

    void anomaliesCommand()
    {
        // One agent: a $0.50 call every 10 minutes for three weeks, then an
        // hour with 60 calls (10× the usual), the same size each.
        QByteArray csv = "ts,model,input_tokens,output_tokens,cost_usd,agent,team,request_id\n";
        const int64_t start = 1'772'323'200'000; // 2026-03-01T00:00:00Z
        int id = 0;
        for (int64_t t = start; t < start + 21 * 86'400'000LL; t += 600'000) {
            csv += QByteArray::number(qlonglong(t / 1000)) + ",gpt-4o,1000,100,0.5,bot,ops,a" +
                   QByteArray::number(++id) + "\n";
        }
        const int64_t spike = start + 20 * 86'400'000LL + 14 * 3'600'000LL; // day 21, 14:00
        for (int i = 0; i < 54; ++i)
            csv += QByteArray::number(qlonglong((spike + i * 60'000) / 1000)) +
                   ",gpt-4o,1000,100,0.5,bot,ops,s" + QByteArray::number(i) + "\n";
        QFile f(path("spike.csv"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(csv);
        f.close();
        QCOMPARE(run({QStringLiteral("import"), QStringLiteral("--db"), path("spike.db"),
                      path("spike.csv")})
                     .code,
                 0);
        Run r = run({QStringLiteral("anomalies"), QStringLiteral("--db"), path("spike.db"),
                     QStringLiteral("--from"), QStringLiteral("2026-03-15"), QStringLiteral("--by"),
                     QStringLiteral("agent"), QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonArray list = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(list.size(), 1);
        const QJsonObject a = list[0].toObject();
        QCOMPARE(a.value(QStringLiteral("entity")).toString(), QStringLiteral("bot"));
        QCOMPARE(a.value(QStringLiteral("start")).toString(),
                 QStringLiteral("2026-03-21T14:00:00.000Z"));
        QVERIFY(qAbs(a.value(QStringLiteral("excess_usd")).toDouble() - 27.0) < 1e-6); // 54 × $0.50
        QVERIFY(qAbs(a.value(QStringLiteral("calls_ratio")).toDouble() - 10.0) < 1e-6);
        QVERIFY(qAbs(a.value(QStringLiteral("tokens_per_call_ratio")).toDouble() - 1.0) < 1e-6);
        QVERIFY(a.value(QStringLiteral("cause"))
                    .toString()
                    .contains(QStringLiteral("more calls, each as usual")));
        Run daily = run({QStringLiteral("anomalies"), QStringLiteral("--db"), path("spike.db"),
                         QStringLiteral("--granularity"), QStringLiteral("week")});
        QCOMPARE(daily.code, 1);
    }
};

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
