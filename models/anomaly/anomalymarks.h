#pragma once

#include <set>
#include <string>

namespace tl {

class Workspace;

// What the user said about anomalies, kept in the workspace: entities muted
// ("agent:triage") and single anomalies acknowledged ("agent:triage@<start ms>").
struct AnomalyMarks
{
    std::set<std::string> muted;
    std::set<std::string> acknowledged;

    static AnomalyMarks load(Workspace &ws);
    void save(Workspace &ws) const;
};

} // namespace tl
