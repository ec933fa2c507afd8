#pragma once

#include "pricing/priceentry.h"
#include "query/summaryquery.h"

#include <optional>
#include <string>
#include <vector>

namespace tl {

// One stored call as the views show it: names resolved, cost in nano-dollars.
struct RequestRow
{
    int64_t id = 0;
    int64_t tsMs = 0;
    std::string provider, model, team, feature, agent, user, task, status, requestId;
    int64_t requests = 1;
    int64_t input = 0, cached = 0, cacheWrite = 0, output = 0, reasoning = 0;
    std::optional<int64_t> computedNusd, reportedNusd;
    int64_t costNusd = 0; // reported where logged, else computed, else 0
    std::optional<int64_t> latencyMs;
    int outcome = 0;
    bool batch = false;
    bool isError = false;
};

enum class RequestSort { TimeDesc, TimeAsc, CostDesc, CostAsc };

// Where the next page starts: the sort key and id of the last row shown.
struct RequestCursor
{
    bool valid = false;
    int64_t key = 0;
    int64_t id = 0;
};

struct RequestPage
{
    std::vector<RequestRow> rows;
    RequestCursor next;
    bool atEnd = false;
};

// Everything the detail panel shows about one call.
struct CallDetail
{
    RequestRow row;
    std::string promptHash, tags, sourcePath, sourceFormat;
    std::optional<PriceEntry> price;   // the catalog entry in force at the call's time
    Usage usage;                       // what the cost rule read
    std::optional<CostParts> parts;    // how the catalog priced it (when it has a price)
    std::vector<RequestRow> taskCalls; // every call of the same agent and task, by time
};

// Calls under a filter in time or cost order, a page at a time, by keyset
// (no OFFSET): page n costs what page 1 costs. Time order walks the calls_ts
// index; cost order walks calls_cost or sorts the filter's calls, whichever
// reads less.
class RequestQuery
{
public:
    static RequestPage page(Workspace &ws, const CallFilter &filter, RequestSort sort,
                            const std::string &search, const RequestCursor &after, int limit);
    static std::optional<CallDetail> detail(Workspace &ws, int64_t id);
};

} // namespace tl
