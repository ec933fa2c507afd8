#pragma once

namespace tl::app {

// `tokenledger` and `tokenledger open DB`: the desktop application.
int runGui(int argc, char **argv);

} // namespace tl::app
