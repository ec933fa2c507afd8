#pragma once

#include "reportdata.h"

#include <functional>
#include <vector>

namespace tl {

// The report's sections beyond spend: every budget as of the period's end,
// the period's anomalies with their cause, the opportunities found in its
// calls and the agent portfolio — the same figures as `budgets list`,
// `anomalies`, `opportunities` and `portfolio` for the period and filter.
// Each table says in one line what an empty one means.
// `anomalies` gives anomalySection's table; it is asked for last, since the
// report may be finding them on another connection meanwhile (the longest
// of the sections).
std::vector<ReportTable> decisionSections(Workspace &ws, const CallFilter &periodFilter,
                                          const std::function<ReportTable()> &anomalies);
ReportTable anomalySection(Workspace &ws, const CallFilter &periodFilter);

} // namespace tl
