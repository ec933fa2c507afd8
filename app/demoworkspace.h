#pragma once

#include <functional>
#include <string>

namespace tl::app {

// Path of the demo workspace in the user's data folder; generated and
// imported on first use (a 30-day, 40-agent fleet). `progress` gets 0..1
// and returns false to cancel (nothing is left behind then).
std::string demoWorkspacePath();
std::string ensureDemoWorkspace(std::string *error,
                                const std::function<bool(double)> &progress = {});

} // namespace tl::app
