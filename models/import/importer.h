#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tl {

class Workspace;

struct Rejection
{
    std::string file;
    int64_t line = 0;     // 1-based physical line, 0 when the format has none
    std::string location; // "line 12" or a record index / JSON path
    std::string reason;
    std::string raw; // the original text of the record
};

struct ImportProgress
{
    int fileIndex = 0; // 0-based
    int fileCount = 1;
    std::string file;
    int64_t records = 0; // read so far in this file
    int64_t bytesRead = 0;
    int64_t bytesTotal = 0;
    double seconds = 0;
};

class AttributionMapping;

struct ImportOptions
{
    std::string format = "auto";
    // Which source fields fill agent, task, feature, user and team (--mapping).
    std::shared_ptr<const AttributionMapping> mapping;
    bool strict = false;
    int fileIndex = 0;
    int fileCount = 1;
    // Called every few thousand records; return false to cancel (the file's
    // transaction is rolled back).
    std::function<bool(const ImportProgress &)> progress;
    // Called for every rejected row, in order (the CLI streams --rejects).
    std::function<void(const Rejection &)> onReject;
    size_t keepRejections = 1000; // how many the result carries for display
    // Another program is writing to the workspace (an import): called while
    // this import waits its turn; return false to stop waiting (the file is
    // then not imported, and says why). Unset: give up after a few seconds.
    std::function<bool()> onWait;
    // Add this import's counts to an existing `sources` row (a live
    // collector's one row) instead of adding a row per import.
    int64_t sourceId = 0;
    // Leave the recount of the days' DayFacts to the caller (a live
    // collector's timer, between small batches): the days stay marked and
    // readers count them from the calls meanwhile.
    bool deferFacts = false;
};

struct FileImportResult
{
    std::string file;
    std::string format;
    bool ok = false; // committed
    bool cancelled = false;
    std::string error; // one line naming the file, when !ok
    int64_t imported = 0;
    int64_t duplicates = 0;
    int64_t rejected = 0;
    int64_t skipped = 0;  // items that are not calls (e.g. non-LLM spans)
    int64_t unpriced = 0; // imported records with no cost known
    std::map<std::string, int64_t> unpricedByModel;
    std::vector<Rejection> rejections; // the first keepRejections
    double seconds = 0;
    int64_t sourceId = 0; // the sources row the counts went to (when ok)
    // Days whose facts were recounted from the store after the rows were
    // in; the rest were counted as the calls streamed past.
    int64_t factDaysRecounted = 0;
};

// Streams one log file into the workspace in one transaction: parse,
// validate, dedupe, price, store, and keep the rollups current. A fatal
// problem or a cancel leaves the workspace as it was.
class Importer
{
public:
    explicit Importer(Workspace &ws)
        : m_ws(ws)
    {}
    FileImportResult importFile(const std::string &path, const ImportOptions &options = {});
    // The same for records that do not come from a file (a live collector's
    // requests): `label` names them in the sources table and in rejections.
    FileImportResult importReader(std::unique_ptr<class RecordReader> reader,
                                  const std::string &label, const std::string &format,
                                  const ImportOptions &options = {});

private:
    Workspace &m_ws;
};

} // namespace tl
