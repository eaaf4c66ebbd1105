#pragma once
// The facts about this machine and account that turn a table row into a directory. Tests build
// one by hand (temporary home, root and PATH), so nothing here reads the real machine except
// FromProcess().

#include <filesystem>
#include <vector>

#include "install/browser_table.h"

namespace phiguard::install {

struct Environment {
  Os os = CurrentOs();
  std::filesystem::path home;             // $HOME
  std::filesystem::path xdg_config_home;  // $XDG_CONFIG_HOME if absolute, else empty
  // Prefix for every system-scope path: packaging stages into it, tests point it at a
  // temporary directory. Empty means the real /.
  std::filesystem::path root;
  // Chromium family, user scope: the browser's --user-data-dir, whose NativeMessagingHosts
  // folder replaces the default one. Empty means the browser's default profile root.
  std::filesystem::path user_data_dir;
  std::vector<std::filesystem::path> path_dirs;  // $PATH, for finding installed browsers
  // The phiguard-host a manifest must name (on disk, under `root` when staged): the one
  // installed beside the running `phiguard`. Empty: any executable passes (tests).
  std::filesystem::path installed_host;

  // From $HOME, $XDG_CONFIG_HOME and $PATH.
  static Environment FromProcess();
};

// The directory a row names in this environment. Empty for registry rows.
std::filesystem::path ManifestDir(const ManifestLocation& location, const Environment& env);

// `<dir>/<host name>.json`: the file name must match the host name (Chrome and Firefox both
// look the manifest up by it). Empty for registry rows.
std::filesystem::path ManifestFile(const ManifestLocation& location, const Environment& env);

// A path as the browser will see it, under `env.root` when one is set (for checking a staged
// host binary). Absolute paths only; anything else is returned unchanged.
std::filesystem::path UnderRoot(const std::filesystem::path& path, const Environment& env);

}  // namespace phiguard::install
