#pragma once

#include <atomic>
#include <functional>

class QProgressDialog;

namespace tl {

// Runs `work` on a worker thread while `dialog` stays responsive: `tick`
// runs on the GUI thread every 50 ms to update it, Cancel sets `cancelled`
// (the work polls it), and the call returns when the work has finished.
// For long writes that must finish before the caller goes on (recompute,
// export, the first demo workspace) without freezing the window.
void runWithProgress(QProgressDialog &dialog, std::atomic<bool> &cancelled,
                     const std::function<void()> &work, const std::function<void()> &tick);

} // namespace tl
