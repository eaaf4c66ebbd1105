#include "install/browser.h"

#include <algorithm>
#include <array>

namespace phiguard::install {
namespace {

// Debian/Ubuntu, Fedora and the vendors' own packages name the programs differently; any one
// of them on PATH counts.
const std::array<BrowserInfo, 6> kBrowsers = {{
    {Browser::kChrome,
     "chrome",
     "Google Chrome",
     Family::kChromium,
     {"google-chrome", "google-chrome-stable", "google-chrome-beta"},
     "Google Chrome.app"},
    {Browser::kChromium,
     "chromium",
     "Chromium",
     Family::kChromium,
     {"chromium", "chromium-browser"},
     "Chromium.app"},
    {Browser::kEdge,
     "edge",
     "Microsoft Edge",
     Family::kChromium,
     {"microsoft-edge", "microsoft-edge-stable", "microsoft-edge-beta"},
     "Microsoft Edge.app"},
    {Browser::kBrave,
     "brave",
     "Brave",
     Family::kChromium,
     {"brave-browser", "brave"},
     "Brave Browser.app"},
    {Browser::kVivaldi,
     "vivaldi",
     "Vivaldi",
     Family::kChromium,
     {"vivaldi", "vivaldi-stable"},
     "Vivaldi.app"},
    {Browser::kFirefox,
     "firefox",
     "Firefox",
     Family::kFirefox,
     {"firefox", "firefox-esr"},
     "Firefox.app"},
}};

std::string ValidNames() {
  std::string names;
  for (const auto& info : kBrowsers) names += (names.empty() ? "" : ", ") + std::string(info.name);
  return names;
}

// Splits "a,b" and trims spaces, so both `--browser a,b` and `--browser a --browser b` work.
std::vector<std::string> SplitCommas(const std::vector<std::string>& items) {
  std::vector<std::string> pieces;
  for (const auto& item : items) {
    std::size_t start = 0;
    while (start <= item.size()) {
      const std::size_t comma = std::min(item.find(',', start), item.size());
      std::string piece = item.substr(start, comma - start);
      piece.erase(0, piece.find_first_not_of(' '));
      piece.erase(piece.find_last_not_of(' ') + 1);
      if (!piece.empty()) pieces.push_back(piece);
      start = comma + 1;
    }
  }
  return pieces;
}

}  // namespace

std::span<const BrowserInfo> AllBrowsers() { return kBrowsers; }

const BrowserInfo& Info(Browser browser) {
  return *std::find_if(kBrowsers.begin(), kBrowsers.end(),
                       [browser](const BrowserInfo& info) { return info.browser == browser; });
}

std::optional<Browser> ParseBrowser(std::string_view name) {
  for (const auto& info : kBrowsers) {
    if (info.name == name) return info.browser;
  }
  return std::nullopt;
}

util::Result<std::vector<Browser>> ParseBrowserList(const std::vector<std::string>& names) {
  std::vector<Browser> browsers;
  for (const auto& name : SplitCommas(names)) {
    const auto browser = ParseBrowser(name);
    if (!browser) {
      return util::Error{"--browser",
                         "unknown browser '" + name + "' (one of " + ValidNames() + ")"};
    }
    if (std::find(browsers.begin(), browsers.end(), *browser) == browsers.end()) {
      browsers.push_back(*browser);
    }
  }
  return browsers;
}

std::string_view ScopeName(Scope scope) { return scope == Scope::kUser ? "user" : "system"; }

Os CurrentOs() {
#if defined(_WIN32)
  return Os::kWindows;
#elif defined(__APPLE__)
  return Os::kMacos;
#else
  return Os::kLinux;
#endif
}

}  // namespace phiguard::install
