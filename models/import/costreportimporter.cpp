#include "costreportimporter.h"

#include "chunkreader.h"
#include "core/callrecord.h"
#include "core/timeutil.h"
#include "jsonarraystream.h"
#include "store/dedupeindex.h"
#include "store/workspace.h"
#include "structuredreader.h"

#include <charconv>

namespace tl {

using namespace simdjson;
using Element = StructuredReader::Element;

bool CostReportImporter::sniffOpenAi(std::string_view head)
{
    return head.find("organization.costs.result") != std::string_view::npos ||
           (head.find("\"line_item\"") != std::string_view::npos &&
            head.find("\"amount\"") != std::string_view::npos);
}

bool CostReportImporter::sniffAnthropic(std::string_view head)
{
    return head.find("\"cost_type\"") != std::string_view::npos &&
           head.find("\"starting_at\"") != std::string_view::npos;
}

bool CostReportImporter::isCostReportFile(const std::string &path)
{
    ChunkReader in;
    if (!in.open(path, nullptr))
        return false;
    return isCostReport(std::string_view(in.begin(), std::min<size_t>(in.available(), 64 * 1024)));
}

CostReportResult CostReportImporter::importFile(const std::string &path)
{
    CostReportResult res;
    ChunkReader in;
    if (!in.open(path, &res.error))
        return res;
    const std::string_view head(in.begin(), std::min<size_t>(in.available(), 64 * 1024));
    const bool openai = sniffOpenAi(head);
    res.format = openai ? "openai-costs" : "anthropic-costs";
    JsonArrayStream buckets(in);
    dom::parser parser;
    Database &db = m_ws.db();
    try {
        Transaction tx(db);
        Statement insert(
            db,
            "INSERT INTO reported_costs(source, bucket_start_ms, day, model, line_item, group_key, "
            "amount_nusd, dedupe_key) VALUES(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(dedupe_key) DO "
            "NOTHING RETURNING id");
        std::string_view object;
        for (;;) {
            const auto r = buckets.next(object);
            if (r == JsonArrayStream::Result::End)
                break;
            const std::string where = path + ": bucket " + std::to_string(buckets.index());
            if (r != JsonArrayStream::Result::Object) {
                res = CostReportResult{false, res.format, where + ": " + buckets.error()};
                return res; // the Transaction rolls back
            }
            dom::element bucketElement;
            if (parser.parse(object.data(), object.size(), false).get(bucketElement)) {
                ++res.rejected;
                continue;
            }
            const Element bucket = bucketElement;
            int64_t startMs = 0;
            if (openai) {
                startMs =
                    StructuredReader::integer(StructuredReader::at(bucket, {"start_time"}), -1) *
                    1000;
            } else {
                auto t = parseTimestamp(
                    StructuredReader::str(StructuredReader::at(bucket, {"starting_at"})));
                startMs = t ? *t : -1000;
            }
            const Element results = StructuredReader::at(bucket, {"results"});
            if (startMs < 0 || !results || !results->is_array()) {
                ++res.rejected;
                continue;
            }
            for (dom::element resultElement : results->get_array()) {
                const Element line = resultElement;
                int64_t nusd = 0;
                std::string model, lineItem, group;
                if (openai) {
                    const Element value = StructuredReader::at(line, {"amount", "value"});
                    if (!value || !value->is_number()) {
                        ++res.rejected;
                        continue;
                    }
                    nusd = usdToNano(double(value->get_double())); // dollars
                    lineItem = StructuredReader::str(StructuredReader::at(line, {"line_item"}));
                    model = lineItem.substr(0, lineItem.find(',')); // "gpt-4o, input"
                    group = StructuredReader::str(StructuredReader::at(line, {"project_id"}));
                } else {
                    // Anthropic writes cents as a decimal string: "123.45" = $1.2345.
                    const std::string_view cents =
                        StructuredReader::str(StructuredReader::at(line, {"amount"}));
                    double c = 0;
                    auto [p, ec] = std::from_chars(cents.data(), cents.data() + cents.size(), c);
                    if (cents.empty() || ec != std::errc() || p != cents.data() + cents.size()) {
                        ++res.rejected;
                        continue;
                    }
                    nusd = usdToNano(c / 100.0);
                    model = StructuredReader::str(StructuredReader::at(line, {"model"}));
                    // cost_type:token_type[:service_tier[:context_window]]: the
                    // last two say which price set billed the line.
                    lineItem =
                        std::string(
                            StructuredReader::str(StructuredReader::at(line, {"cost_type"}))) +
                        ":" +
                        std::string(
                            StructuredReader::str(StructuredReader::at(line, {"token_type"})));
                    const std::string_view tier =
                        StructuredReader::str(StructuredReader::at(line, {"service_tier"}));
                    const std::string_view window =
                        StructuredReader::str(StructuredReader::at(line, {"context_window"}));
                    if (!tier.empty() || !window.empty())
                        lineItem += ":" + std::string(tier) + ":" + std::string(window);
                    group = StructuredReader::str(StructuredReader::at(line, {"workspace_id"}));
                }
                KeyHasher key;
                key.add(std::string_view(res.format));
                key.add(startMs);
                for (std::string_view s :
                     {std::string_view(model), std::string_view(lineItem), std::string_view(group),
                      StructuredReader::str(StructuredReader::at(line, {"service_tier"})),
                      StructuredReader::str(StructuredReader::at(line, {"context_window"}))})
                    key.add(s);
                insert.bind(1, res.format);
                insert.bind(2, startMs);
                insert.bind(3, dayOf(startMs));
                insert.bind(4, model);
                insert.bind(5, lineItem);
                insert.bind(6, group);
                insert.bind(7, nusd);
                insert.bind(8, int64_t(key.value() >> 1));
                const bool inserted = insert.step();
                insert.reset();
                if (inserted) {
                    ++res.lines;
                    res.amountNusd += nusd;
                } else {
                    ++res.duplicates;
                }
            }
        }
        tx.commit();
        res.ok = true;
    } catch (const StoreError &e) {
        res = CostReportResult{false, res.format,
                               path + ": " + e.what() + "; nothing from this file was kept"};
    }
    return res;
}

} // namespace tl
