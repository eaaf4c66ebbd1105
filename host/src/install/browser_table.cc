#include "install/browser_table.h"

#include <array>

namespace phiguard::install {
namespace {

using B = Browser;
using S = Scope;

// clang-format off
const std::array kLocations = {
    // Linux
    ManifestLocation{B::kChrome,   Os::kLinux, S::kUser,   Base::kXdgConfig, "google-chrome/NativeMessagingHosts"},
    ManifestLocation{B::kChrome,   Os::kLinux, S::kSystem, Base::kAbsolute,  "/etc/opt/chrome/native-messaging-hosts"},
    ManifestLocation{B::kChromium, Os::kLinux, S::kUser,   Base::kXdgConfig, "chromium/NativeMessagingHosts"},
    ManifestLocation{B::kChromium, Os::kLinux, S::kSystem, Base::kAbsolute,  "/etc/chromium/native-messaging-hosts"},
    ManifestLocation{B::kEdge,     Os::kLinux, S::kUser,   Base::kXdgConfig, "microsoft-edge/NativeMessagingHosts"},
    ManifestLocation{B::kEdge,     Os::kLinux, S::kSystem, Base::kAbsolute,  "/etc/opt/edge/native-messaging-hosts"},
    ManifestLocation{B::kBrave,    Os::kLinux, S::kUser,   Base::kXdgConfig, "BraveSoftware/Brave-Browser/NativeMessagingHosts"},
    ManifestLocation{B::kBrave,    Os::kLinux, S::kSystem, Base::kAbsolute,  "/etc/opt/brave/native-messaging-hosts"},
    ManifestLocation{B::kVivaldi,  Os::kLinux, S::kUser,   Base::kXdgConfig, "vivaldi/NativeMessagingHosts"},
    ManifestLocation{B::kVivaldi,  Os::kLinux, S::kSystem, Base::kAbsolute,  "/etc/opt/vivaldi/native-messaging-hosts"},
    ManifestLocation{B::kFirefox,  Os::kLinux, S::kUser,   Base::kHome,      ".mozilla/native-messaging-hosts"},
    // Firefox builds made where /usr/lib64 exists (Fedora, and any x86-64 distribution with
    // the directory) read lib64 instead of lib; one manifest in each costs nothing.
    ManifestLocation{B::kFirefox,  Os::kLinux, S::kSystem, Base::kAbsolute,  "/usr/lib/mozilla/native-messaging-hosts"},
    ManifestLocation{B::kFirefox,  Os::kLinux, S::kSystem, Base::kAbsolute,  "/usr/lib64/mozilla/native-messaging-hosts"},

    // macOS
    ManifestLocation{B::kChrome,   Os::kMacos, S::kUser,   Base::kAppSupport, "Google/Chrome/NativeMessagingHosts"},
    ManifestLocation{B::kChrome,   Os::kMacos, S::kSystem, Base::kAbsolute,   "/Library/Google/Chrome/NativeMessagingHosts"},
    ManifestLocation{B::kChromium, Os::kMacos, S::kUser,   Base::kAppSupport, "Chromium/NativeMessagingHosts"},
    ManifestLocation{B::kChromium, Os::kMacos, S::kSystem, Base::kAbsolute,   "/Library/Application Support/Chromium/NativeMessagingHosts"},
    ManifestLocation{B::kEdge,     Os::kMacos, S::kUser,   Base::kAppSupport, "Microsoft Edge/NativeMessagingHosts"},
    ManifestLocation{B::kEdge,     Os::kMacos, S::kSystem, Base::kAbsolute,   "/Library/Microsoft/Edge/NativeMessagingHosts"},
    ManifestLocation{B::kBrave,    Os::kMacos, S::kUser,   Base::kAppSupport, "BraveSoftware/Brave-Browser/NativeMessagingHosts"},
    ManifestLocation{B::kBrave,    Os::kMacos, S::kSystem, Base::kAbsolute,   "/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts"},
    ManifestLocation{B::kVivaldi,  Os::kMacos, S::kUser,   Base::kAppSupport, "Vivaldi/NativeMessagingHosts"},
    ManifestLocation{B::kVivaldi,  Os::kMacos, S::kSystem, Base::kAbsolute,   "/Library/Application Support/Vivaldi/NativeMessagingHosts"},
    ManifestLocation{B::kFirefox,  Os::kMacos, S::kUser,   Base::kAppSupport, "Mozilla/NativeMessagingHosts"},
    ManifestLocation{B::kFirefox,  Os::kMacos, S::kSystem, Base::kAbsolute,   "/Library/Application Support/Mozilla/NativeMessagingHosts"},

    // Windows: the key's subkey named after the host holds the manifest's path. The C++ does
    // not write these (manifests/windows/install-host.ps1.in and phiguard.wxs.in do); the rows
    // are here so a unit test keeps those files in step with this table.
    ManifestLocation{B::kChrome,   Os::kWindows, S::kUser,   Base::kRegistry, "SOFTWARE\\Google\\Chrome\\NativeMessagingHosts"},
    ManifestLocation{B::kChrome,   Os::kWindows, S::kSystem, Base::kRegistry, "SOFTWARE\\Google\\Chrome\\NativeMessagingHosts"},
    ManifestLocation{B::kChromium, Os::kWindows, S::kUser,   Base::kRegistry, "SOFTWARE\\Chromium\\NativeMessagingHosts"},
    ManifestLocation{B::kChromium, Os::kWindows, S::kSystem, Base::kRegistry, "SOFTWARE\\Chromium\\NativeMessagingHosts"},
    ManifestLocation{B::kEdge,     Os::kWindows, S::kUser,   Base::kRegistry, "SOFTWARE\\Microsoft\\Edge\\NativeMessagingHosts"},
    ManifestLocation{B::kEdge,     Os::kWindows, S::kSystem, Base::kRegistry, "SOFTWARE\\Microsoft\\Edge\\NativeMessagingHosts"},
    ManifestLocation{B::kBrave,    Os::kWindows, S::kUser,   Base::kRegistry, "SOFTWARE\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts"},
    ManifestLocation{B::kBrave,    Os::kWindows, S::kSystem, Base::kRegistry, "SOFTWARE\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts"},
    ManifestLocation{B::kVivaldi,  Os::kWindows, S::kUser,   Base::kRegistry, "SOFTWARE\\Vivaldi\\NativeMessagingHosts"},
    ManifestLocation{B::kVivaldi,  Os::kWindows, S::kSystem, Base::kRegistry, "SOFTWARE\\Vivaldi\\NativeMessagingHosts"},
    ManifestLocation{B::kFirefox,  Os::kWindows, S::kUser,   Base::kRegistry, "SOFTWARE\\Mozilla\\NativeMessagingHosts"},
    ManifestLocation{B::kFirefox,  Os::kWindows, S::kSystem, Base::kRegistry, "SOFTWARE\\Mozilla\\NativeMessagingHosts"},
};
// clang-format on

}  // namespace

std::span<const ManifestLocation> AllLocations() { return kLocations; }

std::vector<ManifestLocation> LocationsFor(Browser browser, Os os, Scope scope) {
  std::vector<ManifestLocation> rows;
  for (const auto& row : kLocations) {
    if (row.browser == browser && row.os == os && row.scope == scope) rows.push_back(row);
  }
  return rows;
}

}  // namespace phiguard::install
