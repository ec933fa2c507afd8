#pragma once

#include "store/workspace.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>

class QProgressDialog;
class QWidget;

namespace tl {

// Runs `work` on a worker thread while `dialog` stays responsive: `tick`
// runs on the GUI thread every 50 ms to update it, Cancel sets `cancelled`
// (the work polls it), and the call returns when the work has finished.
// For long writes that must finish before the caller goes on (recompute,
// export, the first demo workspace) without freezing the window.
void runWithProgress(QProgressDialog &dialog, std::atomic<bool> &cancelled,
                     const std::function<void()> &work, const std::function<void()> &tick);

class Workspace;

// Workspace::open on a worker behind a progress dialog that appears after
// half a second: opening an older workspace migrates it, and building the
// v4 indexes of a 10M-call file takes tens of seconds.
std::unique_ptr<Workspace> openWorkspaceWithProgress(QWidget *parent, const std::string &path,
                                                     bool create, std::string *error,
                                                     Workspace::Failure *kind = nullptr);

} // namespace tl
