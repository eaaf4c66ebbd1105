#include "util/paths.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <system_error>
#include <vector>

#include "util/test_overrides.h"

#ifdef __APPLE__
#include <mach-o/dyld.h>
#endif

namespace phiguard::util {
namespace {

// The user's own home: $HOME, else the password database's entry for this user. Never a
// shared folder: with HOME unset the host once kept its cache and state in
// /tmp/.cache/phiguard, where any other user of the machine could plant a cache or a
// bundle.rejected for it.
std::filesystem::path HomeDir() {
  const char* home = std::getenv("HOME");
  if (home && *home == '/') return home;
  std::vector<char> buffer(16 * 1024);
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(::getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found &&
      found->pw_dir && found->pw_dir[0] == '/') {
    return found->pw_dir;
  }
  return {};
}

// $XDG_RUNTIME_DIR: made by the login manager for this user alone (mode 0700), when there
// is no home at all.
std::filesystem::path RuntimeDir() {
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  if (!runtime || *runtime != '/') return {};
  struct stat info {};
  if (::stat(runtime, &info) != 0 || !S_ISDIR(info.st_mode) || info.st_uid != ::getuid() ||
      (info.st_mode & 0077) != 0) {
    return {};
  }
  return runtime;
}

std::filesystem::path XdgDir(const char* variable, const char* fallback_below_home) {
  const char* value = std::getenv(variable);
  // XDG says relative values are invalid and must be ignored.
  if (value && *value == '/') return std::filesystem::path(value) / "phiguard";
  const auto home = HomeDir();
  if (home.empty()) {
    const auto runtime = RuntimeDir();
    return runtime.empty() ? std::filesystem::path{} : runtime / "phiguard";
  }
#ifdef __APPLE__
  (void)fallback_below_home;
  return home / "Library" / "Application Support" / "PHI Guard";
#else
  return home / fallback_below_home / "phiguard";
#endif
}

}  // namespace

std::filesystem::path StateDir() { return XdgDir("XDG_STATE_HOME", ".local/state"); }
std::filesystem::path CacheDir() { return XdgDir("XDG_CACHE_HOME", ".cache"); }

std::filesystem::path SystemCacheDir() {
  if (const char* dir = TestOverride("PHIGUARD_SYSTEM_CACHE_DIR")) return dir;
#if defined(_WIN32)
  const char* data = std::getenv("ProgramData");
  return std::filesystem::path(data && *data ? data : "C:\\ProgramData") / "PHI Guard" / "cache";
#elif defined(__APPLE__)
  return "/Library/Caches/PHI Guard";
#else
  return "/var/cache/phiguard";
#endif
}

uid_t SystemCacheOwner() {
  if (const char* owner = TestOverride("PHIGUARD_SYSTEM_CACHE_OWNER")) {
    char* end = nullptr;
    const unsigned long uid = std::strtoul(owner, &end, 10);
    // A malformed value trusts root alone, as an installed host does.
    if (end != owner && *end == '\0') return static_cast<uid_t>(uid);
  }
  return 0;
}

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
  auto installed =
      ExecutablePath().parent_path().parent_path() / "share" / "phiguard" / "rules" / "packs";
  // Builds for tests also run from the build tree, where the packs are the source tree's.
  // An installed program uses its installed folder only: falling back to the build
  // machine's source tree would hide a package that lacks its rules.
  const char* build_tree_rules = BuildTreeRulesDir();
  if (!build_tree_rules || std::filesystem::is_directory(installed, ec)) return installed;
  return build_tree_rules;
}

}  // namespace phiguard::util
