#pragma once

#include "reportdata.h"

namespace tl {

// The report's first page for someone who reads nothing else: what was
// spent, how that changed against the period before (only when both are
// covered), the forecast to the period's end, the three agent-and-model
// pairs that drove the change (the anomalies' decomposition, rankCauses)
// and the three largest opportunities, taken from the report's own
// opportunities table so the two cannot differ.
ReportTable executiveSummary(Workspace &ws, const CallFilter &period, const ReportData &data);

} // namespace tl
