#include "importer.h"

#include "core/measures.h"
#include "core/timeutil.h"
#include "formats.h"
#include "recordpreparer.h"
#include "store/callinserter.h"
#include "store/dayfactsstream.h"
#include "store/dayfactstable.h"
#include "store/dedupeindex.h"
#include "store/rollupwriter.h"
#include "store/schema.h"
#include "store/workspace.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

namespace tl {

namespace {

int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Joins the parsing thread on every way out of importFile.
class PreparerThread
{
public:
    PreparerThread(RecordPreparer &preparer, BatchQueue &queue)
        : m_queue(queue)
        , m_thread([&preparer, &queue] { preparer.run(queue); })
    {}
    ~PreparerThread()
    {
        m_queue.close();
        m_thread.join();
    }

private:
    BatchQueue &m_queue;
    std::thread m_thread;
};

// A new call as the facts' counter sees it: the stored row's values, the
// cost by the rule of kCallCostSql.
FactCall factCallOf(const PreparedCall &c, std::string_view promptHash)
{
    FactCall f;
    f.day = dayOf(c.tsMs);
    f.agent = c.dimIds[4];
    f.team = c.dimIds[2];
    f.feature = c.dimIds[3];
    f.task = c.dimIds[6];
    f.ts = c.tsMs;
    f.requests = c.requests;
    f.input = c.input;
    f.nusd = c.hasReported ? c.reportedNusd : std::max<int64_t>(c.computedNusd, 0);
    f.outcome = c.outcome;
    f.failed = c.isError;
    f.batch = c.batch;
    f.hashed = !promptHash.empty(); // stored as NULL when empty
    if (f.hashed)
        f.hash = DayFactsCounter::hashOf(promptHash);
    return f;
}

} // namespace

FileImportResult Importer::importFile(const std::string &path, const ImportOptions &opt)
{
    std::string error, format;
    auto reader = openLogFile(path, opt.format, &format, &error);
    if (!reader) {
        FileImportResult res;
        res.file = path;
        res.error = error;
        return res;
    }
    return importReader(std::move(reader), path, format, opt);
}

namespace {

// A setting worth having but not worth failing an import for (SQLite
// refuses some inside a transaction).
bool trySql(Database &db, const std::string &sql)
{
    try {
        db.exec(sql);
        return true;
    } catch (const StoreError &) {
        return false;
    }
}

} // namespace

FileImportResult Importer::importReader(std::unique_ptr<RecordReader> reader,
                                        const std::string &path, const std::string &format,
                                        const ImportOptions &opt)
{
    const auto started = std::chrono::steady_clock::now();
    auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    };
    FileImportResult res;
    res.file = path;
    res.format = format;
    if (opt.mapping)
        reader->setAttribution(opt.mapping->rulesFor(res.format));

    Database &db = m_ws.db();
    DimensionDictionary &dims = m_ws.dims();
    auto failed = [&](std::string why, bool cancelled) {
        dims.invalidate();
        FileImportResult f{path, res.format};
        f.cancelled = cancelled;
        f.error = std::move(why);
        f.seconds = elapsed();
        return f;
    };
    // The workspace stays in WAL while a file is imported: readers (the app,
    // a cron `summary`, a colleague) answer from the last commit meanwhile.
    // Switching to a rollback journal for the bulk write was ~10% faster
    // but locked readers out ("database is locked") for the whole import.
    try {
        // Writers take turns: a second import waits for the first (and is
        // told so) instead of failing half-way with "database is locked".
        Transaction tx(db, opt.onWait);
        DedupeDays dedupeDays(db);
        RollupWriter rollups(db);
        CallInserter inserter(db);
        int64_t sourceId = opt.sourceId;
        if (sourceId == 0) {
            Statement insertSource(
                db, "INSERT INTO sources(path, format, imported_at_ms, records, duplicates, "
                    "rejected) VALUES(?, ?, ?, 0, 0, 0) RETURNING id");
            insertSource.bind(1, path);
            insertSource.bind(2, res.format);
            insertSource.bind(3, nowMs());
            insertSource.step();
            sourceId = insertSource.columnInt(0);
            insertSource.reset();
        }
        const bool sqlite = db.engine() == Engine::Sqlite;
        // A file that adds more than a quarter of the calls the workspace
        // holds (~200 bytes a record) imports without the request-level
        // indexes, which are rebuilt from sorted rows before the commit:
        // kept current row by row they made a 1M-call import 2.3x slower.
        // (A server keeps its indexes per month partition, and others read
        // them meanwhile: they stay.)
        const int64_t existing = sqlite ? db.queryInt("SELECT COALESCE(MAX(id), 0) FROM calls") : 0;
        const int64_t inputBytes = reader->bytesTotal();
        const bool rebuildIndexes = sqlite && inputBytes > 0 && inputBytes / 200 > existing / 4;
        bool indexesDropped = false; // at the first new call: a re-import adds none

        // Parsing, validation and pricing run on a second thread; this one
        // stores (SQLite connections belong to one thread).
        RecordPreparer preparer(std::move(reader), m_ws.catalog(),
                                DimensionIdAssigner::fromDatabase(db), path);
        BatchQueue queue;
        PreparerThread thread(preparer, queue);

        // The new days' facts, counted as the calls pass (a deferred
        // recount, the live collector's, counts them later from the store).
        std::optional<DayFactsStream> facts;
        if (!opt.deferFacts)
            facts.emplace(db);

        int64_t items = 0, nextProgress = 8192;
        std::vector<int64_t> days; // that gained calls: all recounted if the stream gave up
        int64_t lastDay = INT64_MIN;
        int64_t bytesTotal = 0;
        for (;;) {
            BatchQueue::Work work = queue.pop();
            if (!work.batch) {
                queue.answerLoad(dedupeDays.load(work.day));
                continue;
            }
            std::unique_ptr<PreparedBatch> b = std::move(work.batch);
            for (const auto &[day, keys] : b->dedupeDays)
                dedupeDays.store(day, keys);
            res.duplicates += b->duplicates;
            bytesTotal = b->bytesTotal;
            res.skipped += b->skipped;
            for (const NewName &n : b->newNames)
                dims.adopt(n);
            for (const PreparedCall &c : b->calls) {
                if (c.rejection >= 0) {
                    Rejection &r = b->rejections[size_t(c.rejection)];
                    if (opt.strict)
                        return failed(path + ": " + r.location + ": " + r.reason +
                                          " (--strict: file refused)",
                                      false);
                    ++res.rejected;
                    if (opt.onReject)
                        opt.onReject(r);
                    if (res.rejections.size() < opt.keepRejections)
                        res.rejections.push_back(std::move(r));
                    continue;
                }
                if (facts)
                    facts->add(factCallOf(c, b->text(c, TPromptHash)));
                if (rebuildIndexes && !indexesDropped) {
                    Schema::dropCallIndexes(db);
                    indexesDropped = true;
                }
                CallInserter::Row row;
                const int64_t day = dayOf(c.tsMs);
                if (day != lastDay) {
                    lastDay = day;
                    if (std::find(days.begin(), days.end(), day) == days.end())
                        days.push_back(day);
                }
                const int64_t hour = hourOf(c.tsMs);
                const auto [provider, model, team, feature, agent, user, task, status] = c.dimIds;
                row.ints = {c.tsMs,         day,           hour,
                            provider,       model,         team,
                            feature,        agent,         user,
                            task,           status,        c.requests,
                            c.input,        c.cached,      c.cacheWrite,
                            c.output,       c.reasoning,   c.computedNusd,
                            c.reportedNusd, c.latencyMs,   c.outcome,
                            c.valueNusd,    c.batch,       c.isError,
                            c.cacheWrite1h, c.webSearches, c.fileSearches,
                            c.serviceTier,  c.longContext, c.toolNusd};
                row.null[17] = c.computedNusd < 0;
                row.null[18] = !c.hasReported;
                row.null[19] = c.latencyMs < 0;
                row.null[21] = !c.hasValue;
                row.null[28] = c.longContext < 0;
                row.null[29] = c.toolNusd == 0; // NULL: no search charge (the usual case)
                row.requestId = b->text(c, TRequestId);
                row.promptHash = b->text(c, TPromptHash);
                row.tags = b->text(c, TTags);
                row.sourceId = sourceId;
                inserter.add(row);

                ++res.imported;
                if (c.computedNusd < 0 && !c.hasReported) {
                    ++res.unpriced;
                    ++res.unpricedByModel[std::string(b->text(c, TModel))];
                }
            }
            inserter.flush(); // rows point into this batch's arena (and are sorted by agent)
            if (b->rollups)
                rollups.write(*b->rollups);
            items += b->items;
            if (b->fatal)
                return failed(path + ": " + b->fatalReason, false);
            if (opt.progress && (items >= nextProgress || b->end)) {
                nextProgress = items + 8192;
                if (!opt.progress({opt.fileIndex, opt.fileCount, path, items, b->bytesRead,
                                   b->bytesTotal, elapsed()}))
                    return failed(path + ": import cancelled; nothing from this file was kept",
                                  true);
            }
            if (b->end)
                break;
        }
        inserter.finish();
        dims.flush();
        // The stream's last days close before the indexes are sorted, so
        // that their counters' memory is free by then (at 10M calls the
        // two overlapping took the import's peak 480 -> 600 MB).
        std::optional<std::vector<int64_t>> leftToRecount;
        if (facts && !facts->fellBack())
            leftToRecount = facts->finish();
        facts.reset();
        if (indexesDropped) {
            // Sorted in temporary files, not in memory: in memory the sort
            // of a 100M-call file's index keys took the import to 4.8 GB
            // (700 MB at 10M); on file it stays near its 1M-call size.
            const bool onFile = sqlite && trySql(db, "PRAGMA temp_store = FILE");
            Schema::createCallIndexes(db);
            if (onFile)
                trySql(db, "PRAGMA temp_store = MEMORY");
        }
        // The facts of the days this file added to (and their neighbours)
        // that the stream did not count: paid here so that no analysis
        // reads calls (0.8 s a million calls read back).
        if (leftToRecount)
            DayFactsTable::markDirty(db, *leftToRecount, false);
        else
            DayFactsTable::markDirty(db, days);
        if (!opt.deferFacts)
            res.factDaysRecounted = DayFactsTable::refresh(db);
        // SQLite turns an integer sum past 64 bits into a float, silently:
        // a stored rollup that did is refused with the file. (PostgreSQL's
        // BIGINT refuses the update itself: caught below.)
        if (sqlite &&
            db.queryInt(
                "SELECT EXISTS(SELECT 1 FROM rollup_day WHERE typeof(cost_nusd) <> 'integer' OR "
                "typeof(computed_nusd) <> 'integer' OR typeof(reported_nusd) <> 'integer' OR "
                "typeof(input_tokens) <> 'integer' OR typeof(output_tokens) <> 'integer') OR "
                "EXISTS(SELECT 1 FROM rollup_user_day WHERE typeof(cost_nusd) <> 'integer' OR "
                "typeof(input_tokens) <> 'integer')"))
            return failed(path + ": " + MeasureOverflow("cost or tokens").what() +
                              "; nothing from this file was kept",
                          false);
        Statement counts(db, "UPDATE sources SET records = records + ?, duplicates = duplicates "
                             "+ ?, rejected = rejected + ? WHERE id = ?");
        counts.bind(1, res.imported);
        counts.bind(2, res.duplicates);
        counts.bind(3, res.rejected);
        counts.bind(4, sourceId);
        counts.step();
        // A server plans from its statistics, which autovacuum brings up to
        // date in its own time: a file that grew the calls by a tenth or
        // more refreshes them now (0.5 s at 10M calls). Without, one
        // agent's first page of requests took 56 ms instead of 0.3 ms
        // (its calls estimated at 205, not 166,394).
        if (!sqlite && res.imported >= 10'000 &&
            res.imported * 10 >= db.queryInt("SELECT COALESCE(SUM(records), 0) FROM rollup_day"))
            trySql(db, "ANALYZE calls");
        tx.commit();
        res.ok = true;
        res.sourceId = sourceId;
        (void)bytesTotal;
    } catch (const StoreError &e) {
        // The Transaction has rolled back by now.
        if (e.kind() == StoreError::Kind::Overflow)
            return failed(path + ": " + MeasureOverflow("cost or tokens").what() +
                              "; nothing from this file was kept",
                          false);
        return failed(path + ": " + e.what() + "; nothing from this file was kept", false);
    }
    res.seconds = elapsed();
    return res;
}

} // namespace tl
