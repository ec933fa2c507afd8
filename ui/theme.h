#pragma once

#include <QPalette>

namespace tl::Theme {

// A dark palette of our own: for `shot --dark` and the tests that check
// every view on a dark desktop (charts and colours follow the palette).
QPalette dark();

} // namespace tl::Theme
