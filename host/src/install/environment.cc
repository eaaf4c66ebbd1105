#include "install/environment.h"

#include <cstdlib>
#include <string>

#include "install/extension_ids.h"

namespace phiguard::install {
namespace {

std::filesystem::path EnvPath(const char* name) {
  const char* value = std::getenv(name);
  return value && *value ? std::filesystem::path(value) : std::filesystem::path();
}

std::vector<std::filesystem::path> SplitPath(const std::string& value) {
  std::vector<std::filesystem::path> dirs;
  std::size_t start = 0;
  while (start <= value.size()) {
    const std::size_t colon = std::min(value.find(':', start), value.size());
    if (colon > start) dirs.emplace_back(value.substr(start, colon - start));
    start = colon + 1;
  }
  return dirs;
}

std::filesystem::path XdgConfig(const Environment& env) {
  return env.xdg_config_home.empty() ? env.home / ".config" : env.xdg_config_home;
}

}  // namespace

Environment Environment::FromProcess() {
  Environment env;
  env.home = EnvPath("HOME");
  // XDG says a relative value is invalid and must be ignored.
  if (const auto xdg = EnvPath("XDG_CONFIG_HOME"); xdg.is_absolute()) env.xdg_config_home = xdg;
  env.path_dirs = SplitPath(EnvPath("PATH").string());
  return env;
}

std::filesystem::path UnderRoot(const std::filesystem::path& path, const Environment& env) {
  if (env.root.empty() || !path.is_absolute()) return path;
  return env.root / path.relative_path();
}

std::filesystem::path ManifestDir(const ManifestLocation& location, const Environment& env) {
  const bool chromium_user =
      location.scope == Scope::kUser && Info(location.browser).family == Family::kChromium;
  if (chromium_user && !env.user_data_dir.empty()) return env.user_data_dir / kChromiumUserLeaf;
  switch (location.base) {
    case Base::kAbsolute:
      return UnderRoot(std::filesystem::path(location.dir), env);
    case Base::kXdgConfig:
      return XdgConfig(env) / location.dir;
    case Base::kHome:
      return env.home / location.dir;
    case Base::kAppSupport:
      return env.home / "Library" / "Application Support" / location.dir;
    case Base::kRegistry:
      return {};
  }
  return {};
}

std::filesystem::path ManifestFile(const ManifestLocation& location, const Environment& env) {
  const auto dir = ManifestDir(location, env);
  return dir.empty() ? dir : dir / (std::string(kHostName) + ".json");
}

}  // namespace phiguard::install
