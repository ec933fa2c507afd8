#include "importer.h"

#include "core/measures.h"
#include "core/timeutil.h"
#include "formats.h"
#include "nativefields.h"
#include "store/dedupeindex.h"
#include "store/rollupwriter.h"
#include "store/workspace.h"

#include <chrono>
#include <unordered_map>

namespace tl {

namespace {

constexpr const char *kInsertCall =
    "INSERT INTO calls(ts_ms, day, hour, provider_id, model_id, team_id, feature_id, agent_id, user_id, "
    "task_id, status_id, requests, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, "
    "reasoning_tokens, computed_nusd, reported_nusd, latency_ms, outcome, value_nusd, batch, is_error, "
    "request_id, prompt_hash, tags, source_id) "
    "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

// Dedupe identity: the request id where the log has one, else the content.
uint64_t dedupeKey(const CallRecord &r)
{
    KeyHasher h;
    if (!r.requestId.empty()) {
        h.add(std::string_view("id"));
        h.add(r.requestId);
        return h.value();
    }
    h.add(std::string_view("content"));
    h.add(r.tsMs);
    for (std::string_view s : {r.provider, r.model, r.agent, r.task, r.feature, r.user, r.team, r.status,
                               r.promptHash, std::string_view(r.tagsJson)})
        h.add(s);
    for (int64_t v : {r.inputTokens, r.outputTokens, r.cachedInputTokens, r.cacheWriteTokens,
                      r.reasoningTokens, r.requests, r.hasReportedCost ? r.reportedNusd : -1, r.latencyMs,
                      int64_t(r.outcome), int64_t(r.batch)})
        h.add(v);
    return h.value();
}

class ModelPrices
{
public:
    explicit ModelPrices(const PriceCatalog &c) : m_catalog(c) {}
    const PriceEntry *at(int64_t modelId, std::string_view model, int64_t ts)
    {
        auto it = m_cache.find(modelId);
        if (it == m_cache.end())
            it = m_cache.emplace(modelId, m_catalog.entriesFor(model)).first;
        return PriceCatalog::entryAt(it->second, ts);
    }

private:
    const PriceCatalog &m_catalog;
    std::unordered_map<int64_t, std::vector<const PriceEntry *>> m_cache;
};

void bindOptionalText(Statement &st, int i, std::string_view s)
{
    if (s.empty())
        st.bindNull(i);
    else
        st.bindStatic(i, s);
}

} // namespace

FileImportResult Importer::importFile(const std::string &path, const ImportOptions &opt)
{
    const auto started = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
    FileImportResult res;
    res.file = path;
    std::string error;
    auto reader = openLogFile(path, opt.format, &res.format, &error);
    if (!reader) {
        res.error = error;
        return res;
    }

    SqliteDb &db = m_ws.db();
    DimensionDictionary &dims = m_ws.dims();
    try {
        Transaction tx(db);
        DedupeIndex dedupe(db);
        RollupWriter rollups(db);
        ModelPrices prices(m_ws.catalog());
        Statement insertSource(db, "INSERT INTO sources(path, format, imported_at_ms, records, duplicates, "
                                   "rejected) VALUES(?, ?, ?, 0, 0, 0)");
        insertSource.bind(1, path);
        insertSource.bind(2, res.format);
        insertSource.bind(3, int64_t(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count()));
        insertSource.step();
        const int64_t sourceId = db.lastInsertRowId();
        Statement insert(db, kInsertCall);

        auto abort = [&](std::string why, bool cancelled) {
            tx.rollback();
            dims.invalidate();
            res = FileImportResult{path, res.format};
            res.cancelled = cancelled;
            res.error = std::move(why);
            res.seconds = elapsed();
            return res;
        };

        CallRecord rec;
        int64_t seen = 0;
        for (;;) {
            auto status = reader->next(rec);
            if (status == RecordReader::Status::End)
                break;
            if (status == RecordReader::Status::Fatal)
                return abort(path + ": " + reader->location() + ": " + reader->reason(), false);
            if (++seen % 8192 == 0 && opt.progress) {
                ImportProgress p{opt.fileIndex, opt.fileCount, path, seen, reader->bytesRead(),
                                 reader->bytesTotal(), elapsed()};
                if (!opt.progress(p))
                    return abort(path + ": import cancelled; nothing from this file was kept", true);
            }
            if (status == RecordReader::Status::Skipped) {
                ++res.skipped;
                continue;
            }
            std::string_view invalid;
            if (status == RecordReader::Status::Record)
                invalid = validateRecord(rec);
            if (status == RecordReader::Status::Rejected || !invalid.empty()) {
                Rejection r{path, reader->line(), reader->location(),
                            status == RecordReader::Status::Rejected ? reader->reason() : std::string(invalid),
                            std::string(reader->rawText())};
                if (opt.strict)
                    return abort(path + ": " + r.location + ": " + r.reason + " (--strict: file refused)", false);
                ++res.rejected;
                if (opt.onReject)
                    opt.onReject(r);
                if (res.rejections.size() < opt.keepRejections)
                    res.rejections.push_back(std::move(r));
                continue;
            }

            const int64_t day = dayOf(rec.tsMs);
            if (!dedupe.insert(day, dedupeKey(rec))) {
                ++res.duplicates;
                continue;
            }
            const int64_t provider = dims.idFor(Dimension::Provider, rec.provider);
            const int64_t model = dims.idFor(Dimension::Model, rec.model);
            const int64_t team = dims.idFor(Dimension::Team, rec.team);
            const int64_t feature = dims.idFor(Dimension::Feature, rec.feature);
            const int64_t agent = dims.idFor(Dimension::Agent, rec.agent);
            const int64_t user = dims.idFor(Dimension::User, rec.user);
            const int64_t task = dims.idFor(Dimension::Task, rec.task);
            const int64_t statusId = dims.idFor(Dimension::Status, rec.status);
            const PriceEntry *price = prices.at(model, rec.model, rec.tsMs);
            const int64_t computed = price ? costNusd(*price, rec.inputTokens, rec.cachedInputTokens,
                                                      rec.cacheWriteTokens, rec.outputTokens, rec.batch)
                                           : -1;
            const bool isError = isErrorStatus(rec.status);
            const int64_t hour = hourOf(rec.tsMs);

            int i = 1;
            insert.bind(i++, rec.tsMs);
            insert.bind(i++, day);
            insert.bind(i++, hour);
            for (int64_t id : {provider, model, team, feature, agent, user, task, statusId})
                insert.bind(i++, id);
            for (int64_t v : {rec.requests, rec.inputTokens, rec.cachedInputTokens, rec.cacheWriteTokens,
                              rec.outputTokens, rec.reasoningTokens})
                insert.bind(i++, v);
            computed >= 0 ? insert.bind(i++, computed) : insert.bindNull(i++);
            rec.hasReportedCost ? insert.bind(i++, rec.reportedNusd) : insert.bindNull(i++);
            rec.latencyMs >= 0 ? insert.bind(i++, rec.latencyMs) : insert.bindNull(i++);
            insert.bind(i++, int64_t(rec.outcome));
            rec.hasValue ? insert.bind(i++, rec.valueNusd) : insert.bindNull(i++);
            insert.bind(i++, int64_t(rec.batch));
            insert.bind(i++, int64_t(isError));
            bindOptionalText(insert, i++, rec.requestId);
            bindOptionalText(insert, i++, rec.promptHash);
            bindOptionalText(insert, i++, rec.tagsJson);
            insert.bind(i++, sourceId);
            insert.step();
            insert.reset();

            const Measures m = measuresOf(rec, computed, isError);
            rollups.add(hour, {day, provider, model, team, feature, agent}, user, m);
            ++res.imported;
            if (m[MUnpricedRequests] > 0) {
                ++res.unpriced;
                ++res.unpricedByModel[std::string(rec.model)];
            }
        }
        dedupe.flush();
        rollups.flush();
        dims.flush();
        Statement counts(db, "UPDATE sources SET records = ?, duplicates = ?, rejected = ? WHERE id = ?");
        counts.bind(1, res.imported);
        counts.bind(2, res.duplicates);
        counts.bind(3, res.rejected);
        counts.bind(4, sourceId);
        counts.step();
        tx.commit();
        res.ok = true;
    } catch (const SqliteError &e) {
        // The Transaction destructor has rolled back by now.
        dims.invalidate();
        FileImportResult failed{path, res.format};
        failed.error = path + ": " + e.what() + "; nothing from this file was kept";
        failed.seconds = elapsed();
        return failed;
    }
    res.seconds = elapsed();
    if (opt.progress) {
        ImportProgress p{opt.fileIndex, opt.fileCount, path, res.imported + res.duplicates + res.rejected,
                         reader->bytesTotal(), reader->bytesTotal(), res.seconds};
        opt.progress(p);
    }
    return res;
}

} // namespace tl
