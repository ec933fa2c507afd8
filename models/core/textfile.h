#pragma once

#include <optional>
#include <string>

namespace tl {

// The whole of a small file (catalogs, mappings, scenario files), or
// nullopt with "PATH: cannot be read".
std::optional<std::string> readTextFile(const std::string &path, std::string *error);

} // namespace tl
