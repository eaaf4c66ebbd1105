#include "util/paths.h"

#include <cstdlib>
#include <system_error>

#include "util/test_overrides.h"

#ifdef __APPLE__
#include <mach-o/dyld.h>
#endif

namespace phiguard::util {
namespace {

std::filesystem::path HomeDir() {
  const char* home = std::getenv("HOME");
  return home && *home ? std::filesystem::path(home) : std::filesystem::temp_directory_path();
}

std::filesystem::path XdgDir(const char* variable, const char* fallback_below_home) {
  const char* value = std::getenv(variable);
  // XDG says relative values are invalid and must be ignored.
  if (value && *value == '/') return std::filesystem::path(value) / "phiguard";
#ifdef __APPLE__
  (void)fallback_below_home;
  return HomeDir() / "Library" / "Application Support" / "PHI Guard";
#else
  return HomeDir() / fallback_below_home / "phiguard";
#endif
}

}  // namespace

std::filesystem::path StateDir() { return XdgDir("XDG_STATE_HOME", ".local/state"); }
std::filesystem::path CacheDir() { return XdgDir("XDG_CACHE_HOME", ".cache"); }

std::filesystem::path ExecutablePath() {
  std::error_code ec;
#ifdef __APPLE__
  char buffer[4096];
  uint32_t size = sizeof(buffer);
  if (_NSGetExecutablePath(buffer, &size) == 0) return std::filesystem::canonical(buffer, ec);
  return {};
#else
  return std::filesystem::read_symlink("/proc/self/exe", ec);
#endif
}

std::filesystem::path BuiltinRulesDir() {
  if (const char* dir = TestOverride("PHIGUARD_RULES_DIR")) return dir;
  std::error_code ec;
  const auto installed =
      ExecutablePath().parent_path().parent_path() / "share" / "phiguard" / "rules" / "packs";
  // Builds for tests also run from the build tree, where the packs are the source tree's.
  // An installed program uses its installed folder only: falling back to the build
  // machine's source tree would hide a package that lacks its rules.
  if (!TestOverridesEnabled() || std::filesystem::is_directory(installed, ec)) return installed;
  return PHIGUARD_SOURCE_RULES_DIR;  // set by CMake for builds run from the build tree
}

}  // namespace phiguard::util
