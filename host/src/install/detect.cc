#include "install/detect.h"

#include <unistd.h>

#include <system_error>

namespace phiguard::install {
namespace {

namespace fs = std::filesystem;

bool IsExecutable(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

bool OnPath(const BrowserInfo& info, const Environment& env) {
  for (const auto& dir : env.path_dirs) {
    for (const auto program : info.linux_programs) {
      if (IsExecutable(dir / program)) return true;
    }
  }
  return false;
}

// A profile folder means someone ran the browser here, even if it lives outside PATH (a
// tarball Firefox in ~/opt, say). The manifest folder's parent is the profile root.
bool HasProfile(Browser browser, const Environment& env) {
  std::error_code ec;
  for (const auto& location : LocationsFor(browser, env.os, Scope::kUser)) {
    if (fs::is_directory(ManifestDir(location, env).parent_path(), ec)) return true;
  }
  return false;
}

bool HasApp(const BrowserInfo& info, const Environment& env) {
  std::error_code ec;
  return fs::is_directory(UnderRoot("/Applications", env) / info.macos_app, ec) ||
         fs::is_directory(env.home / "Applications" / info.macos_app, ec);
}

}  // namespace

std::vector<Browser> DetectBrowsers(const Environment& env, Scope scope) {
  std::vector<Browser> found;
  for (const auto& info : AllBrowsers()) {
    const bool present =
        env.os == Os::kMacos
            ? HasApp(info, env)
            : OnPath(info, env) || (scope == Scope::kUser && HasProfile(info.browser, env));
    if (present) found.push_back(info.browser);
  }
  return found;
}

}  // namespace phiguard::install
