#pragma once

#include <string>

namespace tl::app {

// Path of the demo workspace in the user's data folder; generated and
// imported on first use (a 30-day, 40-agent fleet).
std::string ensureDemoWorkspace(std::string *error);

} // namespace tl::app
