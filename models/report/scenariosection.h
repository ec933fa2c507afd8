#pragma once

#include "reportdata.h"

#include <string>
#include <vector>

namespace tl {

// `report --scenario FILE` (repeatable): each scenario against its own
// baseline, month by month over its horizon and in total — the figures
// `simulate --scenario FILE` prints for the same workspace. A file that
// cannot be read or does not fit the workspace adds "FILE: why" to `errors`
// and no rows.
ReportTable scenarioComparison(Workspace &ws, const std::vector<std::string> &files,
                               std::vector<std::string> *errors);

} // namespace tl
