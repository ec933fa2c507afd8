#pragma once

namespace tl::app {

// `tokenledger` and `tokenledger open DB`: the desktop application.
int runGui(int argc, char **argv);
// `tokenledger shot --db DB --out FILE.png [--size WxH]`: renders the window
// offscreen to a PNG, for docs and for looking at what we build.
int runShot(int argc, char **argv);

} // namespace tl::app
