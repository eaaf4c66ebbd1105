#pragma once
// The browsers PHI Guard registers its native messaging host with, and how each one is named
// on the command line (`--browser chrome,firefox`).

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace phiguard::install {

enum class Browser { kChrome, kChromium, kEdge, kBrave, kVivaldi, kFirefox };

// Which host manifest a browser reads: Chromium-family browsers take `allowed_origins`,
// Firefox takes `allowed_extensions`.
enum class Family { kChromium, kFirefox };

// User-level manifests serve one account; system-level ones every account and need root.
enum class Scope { kUser, kSystem };

enum class Os { kLinux, kMacos, kWindows };

struct BrowserInfo {
  Browser browser;
  std::string_view name;     // command-line name: "chrome"
  std::string_view display;  // "Google Chrome"
  Family family;
  // Programs that mean "this browser is installed" when found on PATH (Linux).
  std::vector<std::string_view> linux_programs;
  // App bundle under /Applications or ~/Applications (macOS).
  std::string_view macos_app;
};

// Every supported browser, in the order reports list them.
std::span<const BrowserInfo> AllBrowsers();
const BrowserInfo& Info(Browser browser);

// "chrome" -> kChrome; nullopt for an unknown name.
std::optional<Browser> ParseBrowser(std::string_view name);

// "chrome,firefox" (or the pieces CLI11 already split) -> browsers, in the order given and
// without repeats. An unknown name is an error that lists the valid ones.
util::Result<std::vector<Browser>> ParseBrowserList(const std::vector<std::string>& names);

std::string_view ScopeName(Scope scope);

// The platform this binary was built for.
Os CurrentOs();

}  // namespace phiguard::install
