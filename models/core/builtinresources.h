#pragma once

namespace tl {

// The built-in resources (price catalog, demo fleet settings) live in this
// static library; Qt needs them registered once before ":/tokenledger/…"
// paths resolve.
void ensureBuiltinResources();

} // namespace tl
