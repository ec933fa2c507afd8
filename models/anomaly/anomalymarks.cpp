#include "anomalymarks.h"

#include "jsonfile.h"
#include "store/workspace.h"

#include <nlohmann/json.hpp>

namespace tl {

namespace {
constexpr const char *kKey = "anomaly_marks";
}

AnomalyMarks AnomalyMarks::load(Workspace &ws)
{
    AnomalyMarks m;
    const std::string json = ws.metaValue(kKey);
    if (json.empty())
        return m;
    try {
        const auto doc = nlohmann::json::parse(json);
        for (const auto &v : doc.value("muted", nlohmann::json::array()))
            m.muted.insert(v.get<std::string>());
        for (const auto &v : doc.value("acknowledged", nlohmann::json::array()))
            m.acknowledged.insert(v.get<std::string>());
    } catch (const nlohmann::json::exception &) {
        // A damaged entry forgets the marks; it never blocks the view.
    }
    return m;
}

void AnomalyMarks::save(Workspace &ws) const
{
    nlohmann::json doc;
    doc["muted"] = muted;
    doc["acknowledged"] = acknowledged;
    ws.setMetaValue(kKey, sim::JsonFile::text(doc));
}

} // namespace tl
