#pragma once

#include "core/dimension.h"

#include <string>
#include <vector>

namespace tl {

class Workspace;

// The names a dimension takes in the workspace, for the filter pickers:
// those containing `search` (case-insensitive), alphabetical, at most `limit`.
class NameQuery
{
public:
    static std::vector<std::string> names(Workspace &ws, Dimension d, const std::string &search,
                                          int limit);
};

} // namespace tl
