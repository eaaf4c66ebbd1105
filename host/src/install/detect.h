#pragma once
// "Every browser found": which supported browsers this machine (or account) has, for
// `phiguard install` without --browser.

#include <vector>

#include "install/environment.h"

namespace phiguard::install {

// Linux: one of the browser's programs is on PATH, or (user scope) its profile folder exists.
// macOS: its app bundle is in /Applications or ~/Applications.
std::vector<Browser> DetectBrowsers(const Environment& env, Scope scope);

}  // namespace phiguard::install
