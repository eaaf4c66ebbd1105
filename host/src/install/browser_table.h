#pragma once
// Where each browser looks for native messaging host manifests, per OS and scope: one table,
// as data, so adding a browser or a location is adding a row (after keepassxc's
// NativeMessageInstaller). Sources: Chrome's and Edge's native messaging docs, MDN "Native
// manifests", and what Brave and Vivaldi read (see docs/it-guide.md).

#include <span>
#include <string_view>
#include <vector>

#include "install/browser.h"

namespace phiguard::install {

// What a row's `dir` is relative to.
enum class Base {
  kAbsolute,    // an absolute directory (system scope on Linux and macOS)
  kXdgConfig,   // $XDG_CONFIG_HOME, else ~/.config (Linux user scope, Chromium family)
  kHome,        // the home directory (Firefox on Linux: ~/.mozilla)
  kAppSupport,  // ~/Library/Application Support (macOS user scope)
  kRegistry,    // a registry key below HKCU (user) or HKLM (system) on Windows
};

struct ManifestLocation {
  Browser browser;
  Os os;
  Scope scope;
  Base base;
  std::string_view dir;  // a directory below `base`, or the registry key for kRegistry
};

// Every row. A browser may have more than one row for one OS and scope (Firefox on Linux reads
// /usr/lib/mozilla or /usr/lib64/mozilla depending on how it was built); install writes all.
std::span<const ManifestLocation> AllLocations();

// The rows for one browser, OS and scope, in table order.
std::vector<ManifestLocation> LocationsFor(Browser browser, Os os, Scope scope);

// Chromium-family user directories are `<user-data-dir>/NativeMessagingHosts`: the per-user
// location follows --user-data-dir (docs/browser-testing.md).
inline constexpr std::string_view kChromiumUserLeaf = "NativeMessagingHosts";

}  // namespace phiguard::install
